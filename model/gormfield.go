package model

import (
	"go/token"
	"go/types"
	"reflect"
	"strconv"
	"strings"
)

// GORM's generic data types (schema.DataType); anything else is a type
// written in a `type:` tag, used verbatim.
const (
	gBool   = "bool"
	gInt    = "int"
	gUint   = "uint"
	gFloat  = "float"
	gString = "string"
	gTime   = "time"
	gBytes  = "bytes"
)

// gormSettings is ParseTagSetting (schema/utils.go): items split on sep
// (a backslash escapes it), keys trimmed and upper-cased, values kept as
// written, key-only items mapping to themselves, the last of a key winning.
func gormSettings(s, sep string) map[string]string {
	out := map[string]string{}
	names := strings.Split(s, sep)
	for i := 0; i < len(names); i++ {
		item := names[i]
		for strings.HasSuffix(item, `\`) && i+1 < len(names) {
			i++
			item = item[:len(item)-1] + sep + names[i]
		}
		k, v, has := strings.Cut(item, ":")
		k = strings.TrimSpace(strings.ToUpper(k))
		switch {
		case has:
			out[k] = strings.ReplaceAll(v, `\"`, `"`)
		case k != "":
			out[k] = k
		}
	}
	return out
}

// truth is utils.CheckTruth: set, and not "false".
func truth(vals ...string) bool {
	for _, v := range vals {
		if v != "" && !strings.EqualFold(v, "false") {
			return true
		}
	}
	return false
}

// gormField is one field of a GORM schema: a column, or an association.
type gormField struct {
	s        *gormSchema
	name     string // Go field name
	bind     int    // embedding depth + 1 (len(BindNames))
	db       string
	pos      token.Position
	typ      types.Type // the field's type, pointers removed
	tag      string     // the raw gorm tag, for the index scan
	set      map[string]string
	strata   []option // the strata tag, which overrides GORM's reading
	dataType string
	gormType string // GORMDataType: the generic type before `type:`
	size     int
	prec     int
	scale    int
	pk       bool
	autoInc  bool
	notNull  bool
	unique   bool
	hasDef   bool
	def      string
	defSQL   string // the parsed default as the dialect writes it; "" if not parsed
	comment  string
	perm     bool // readable, creatable or updatable
	noMigr   bool // -:migration, -:all
	embedded bool // an embedded struct, flattened
}

// basicReflectKinds maps go/types basic kinds to reflect kinds, for GORM's
// switches on a field's kind.
var basicReflectKinds = map[types.BasicKind]reflect.Kind{
	types.Bool: reflect.Bool, types.String: reflect.String,
	types.Int: reflect.Int, types.Int8: reflect.Int8, types.Int16: reflect.Int16, types.Int32: reflect.Int32, types.Int64: reflect.Int64,
	types.Uint: reflect.Uint, types.Uint8: reflect.Uint8, types.Uint16: reflect.Uint16, types.Uint32: reflect.Uint32,
	types.Uint64: reflect.Uint64, types.Uintptr: reflect.Uintptr,
	types.Float32: reflect.Float32, types.Float64: reflect.Float64,
}

// kindOfGORM is the Go kind GORM switches on, for the type t.
func kindOfGORM(t types.Type) reflect.Kind {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return basicReflectKinds[u.Kind()]
	case *types.Struct:
		return reflect.Struct
	case *types.Slice:
		return reflect.Slice
	case *types.Array:
		return reflect.Array
	case *types.Map:
		return reflect.Map
	case *types.Pointer:
		return reflect.Pointer
	case *types.Interface:
		return reflect.Interface
	}
	return reflect.Invalid
}

// deref removes pointers.
func deref(t types.Type) types.Type {
	for {
		p, ok := types.Unalias(t).(*types.Pointer)
		if !ok {
			return types.Unalias(t)
		}
		t = p.Elem()
	}
}

// method returns the method name of *t, if any. Only named types (and
// structs embedding them) have methods, so the rest are answered at once;
// each lookup is made once.
func (r *gormReader) method(t types.Type, name string) *types.Func {
	switch u := types.Unalias(t).(type) {
	case *types.Basic, *types.Slice, *types.Pointer, *types.Map:
		return nil
	case *types.Struct:
		if !embedsNamed(u) {
			return nil
		}
	}
	key := methodKey{t, name}
	f, ok := r.methods[key]
	if !ok {
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), true, nil, name)
		f, _ = obj.(*types.Func)
		r.methods[key] = f
	}
	return f
}

// methodKey is a type and a method name.
type methodKey struct {
	t    types.Type
	name string
}

// embedsNamed reports whether an unnamed struct embeds a field, through
// which it could have methods.
func embedsNamed(st *types.Struct) bool {
	for i := range st.NumFields() {
		if st.Field(i).Embedded() {
			return true
		}
	}
	return false
}

// isValuer reports whether *t implements driver.Valuer.
func (r *gormReader) isValuer(t types.Type) bool {
	f := r.method(t, "Value")
	if f == nil {
		return false
	}
	sig := f.Type().(*types.Signature)
	return sig.Params().Len() == 0 && sig.Results().Len() == 2 && sig.Results().At(1).Type().String() == "error"
}

// isTime reports whether t converts to time.Time, as GORM checks.
func isTime(t types.Type) bool {
	return qualifiedName(t) == "time.Time" || timeStruct(t)
}

// timeStruct reports whether t's underlying struct is time.Time's.
func timeStruct(t types.Type) bool {
	st, ok := t.Underlying().(*types.Struct)
	if !ok || st.NumFields() != 3 {
		return false
	}
	return st.Field(0).Name() == "wall" && st.Field(1).Name() == "ext" && st.Field(2).Name() == "loc"
}

// stdValuers are the database/sql and gorm Valuer types whose zero value is
// NULL, so GORM types them by their first field; strata knows this without
// running Value.
var stdValuers = map[string]bool{
	"database/sql.NullBool": true, "database/sql.NullByte": true, "database/sql.NullInt16": true,
	"database/sql.NullInt32": true, "database/sql.NullInt64": true, "database/sql.NullFloat64": true,
	"database/sql.NullString": true, "database/sql.NullTime": true, "database/sql.Null": true,
	"gorm.io/gorm.DeletedAt": true,
}

// valueType is the type GORM takes a Valuer's data type from: the first
// field of a struct (recursively, its gorm tags merged into the field's),
// else the type itself. warn is set for Valuers strata does not know, whose
// Value might return something else for the zero value.
func (r *gormReader) valueType(f *gormField, t types.Type) (vt types.Type, warn bool) {
	if !r.isValuer(t) || r.method(t, "GormDataType") != nil {
		return t, false
	}
	warn = !stdValuers[qualifiedName(t)]
	for {
		st, ok := t.Underlying().(*types.Struct)
		if !ok || isTime(t) || st.NumFields() == 0 {
			return t, warn
		}
		for i := range st.NumFields() {
			for k, v := range gormSettings(reflect.StructTag(st.Tag(i)).Get("gorm"), ";") {
				if _, ok := f.set[k]; !ok {
					f.set[k] = v
				}
			}
		}
		next := deref(st.Field(0).Type())
		if types.Identical(next, t) {
			return t, warn
		}
		t = next
	}
}

// parseDefault is GORM's parse of a default into a Go value, rendered as
// the dialect's Explain writes it; ok is false when GORM parses but fails.
func (f *gormField) parseDefault(kind reflect.Kind) bool {
	d := f.def
	if strings.Contains(d, "(") && strings.Contains(d, ")") || strings.ToLower(d) == "null" || d == "" {
		return true
	}
	switch kind {
	case reflect.Bool:
		v, err := strconv.ParseBool(d)
		if err != nil {
			return false
		}
		f.defSQL = strconv.FormatBool(v)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v, err := strconv.ParseInt(d, 0, 64)
		if err != nil {
			return false
		}
		f.defSQL = strconv.FormatInt(v, 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v, err := strconv.ParseUint(d, 0, 64)
		if err != nil {
			return false
		}
		f.defSQL = strconv.FormatUint(v, 10)
	case reflect.Float32, reflect.Float64:
		v, err := strconv.ParseFloat(d, 64)
		if err != nil {
			return false
		}
		f.defSQL = strconv.FormatFloat(v, 'f', -1, 64)
	case reflect.String:
		v := strings.Trim(strings.Trim(d, "'"), `"`)
		f.defSQL = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return true
}

// defaultSQL is what FullDataTypeOf writes after DEFAULT, or "".
func (f *gormField) defaultSQL() string {
	switch {
	case !f.hasDef:
		return ""
	case f.defSQL != "":
		return f.defSQL
	case f.def != "(-)":
		return f.def
	}
	return ""
}
