package model

import (
	"go/token"
	"go/types"
	"reflect"
	"strconv"
	"strings"
)

// gormSchema is GORM's schema.Schema of one struct, as far as migration
// needs it.
type gormSchema struct {
	name   string // the Go type name (Schema.Name)
	table  string
	pos    token.Position
	all    []*gormField // every field, embedded ones flattened, in order
	fields []*gormField // the columns, in DBNames order
	byDB   map[string]*gormField
	byName map[string]*gormField
	pks    []*gormField
	prio   *gormField
	assoc  []*gormField
	rels   []*gormRel
	// relsDone is set once the associations were read.
	relsDone bool
	join     bool
}

// lookup is LookUpField: by column name, Go field name, or the column name
// the naming strategy gives the name.
func (s *gormSchema) lookup(name string) *gormField {
	if f := s.byDB[name]; f != nil {
		return f
	}
	if f := s.byName[name]; f != nil {
		return f
	}
	return s.byDB[gormSnake(name)]
}

// schema parses the model t (cached); nil after an error.
func (r *gormReader) schema(t *types.Named) *gormSchema {
	key := typeKey(t)
	if s, ok := r.schemas[key]; ok {
		return s
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	s := &gormSchema{name: t.Obj().Name(), pos: r.l.position(t.Obj().Pos()), byDB: map[string]*gormField{}, byName: map[string]*gormField{}}
	r.schemas[key] = s
	s.table = r.tableName(t, s)
	r.fields(s, st, 1, s.pos, &s.all)
	r.finishSchema(s)
	return s
}

// tableName is TableName() when it returns a constant, else the naming
// strategy's name.
func (r *gormReader) tableName(t *types.Named, s *gormSchema) string {
	fn := r.method(t, "TableName")
	if fn == nil {
		return r.n.table(s.name)
	}
	if name, ok := r.constString(fn); ok {
		return name
	}
	r.l.warnf(s.pos, "%s.TableName does not return a constant, so strata names the table %q as GORM's naming strategy would; make it `return \"name\"`", s.name, r.n.table(s.name))
	return r.n.table(s.name)
}

// fields appends the fields of st, flattening embedded structs.
func (r *gormReader) fields(s *gormSchema, st *types.Struct, bind int, fallback token.Position, out *[]*gormField) {
	for i := range st.NumFields() {
		v := st.Field(i)
		if !v.Exported() {
			continue
		}
		pos := r.fieldPos(v, fallback)
		f := r.field(s, v.Name(), v.Type(), st.Tag(i), pos)
		f.bind = bind
		f.embedded = f.embedded || v.Embedded() && f.gormType != gTime && f.gormType != gBytes && !r.isValuer(f.typ) && f.perm
		if !f.embedded {
			*out = append(*out, f)
			continue
		}
		inner, ok := f.typ.Underlying().(*types.Struct)
		if !ok {
			// GORM embeds structs only; an embedded string or number is
			// a column like any other.
			f.embedded = false
			*out = append(*out, f)
			continue
		}
		var sub []*gormField
		r.fields(s, inner, bind+1, pos, &sub)
		prefix, hasPrefix := f.set["EMBEDDEDPREFIX"]
		for _, ef := range sub {
			if ef.db == "" && ef.dataType != "" {
				ef.db = gormSnake(ef.name)
			}
			if hasPrefix && ef.db != "" {
				ef.db = prefix + ef.db
			}
			if ef.pk && !truth(ef.set["PRIMARYKEY"], ef.set["PRIMARY_KEY"]) {
				ef.pk = false
				if !truth(ef.set["AUTOINCREMENT"]) {
					ef.autoInc = false
				}
				if !ef.autoInc && ef.def == "" {
					ef.hasDef = false
				}
			}
			for k, val := range f.set {
				ef.set[k] = val
			}
			*out = append(*out, ef)
		}
	}
}

// field is ParseField (schema/field.go) for a field of Go type typ.
func (r *gormReader) field(s *gormSchema, name string, typ types.Type, rawTag string, pos token.Position) *gormField {
	tag := reflect.StructTag(rawTag).Get("gorm")
	set := gormSettings(tag, ";")
	f := &gormField{
		s: s, name: name, pos: pos, tag: tag, set: set, db: set["COLUMN"], typ: deref(typ),
		pk:      truth(set["PRIMARYKEY"], set["PRIMARY_KEY"]),
		autoInc: truth(set["AUTOINCREMENT"]),
		hasDef:  truth(set["AUTOINCREMENT"]),
		notNull: truth(set["NOT NULL"], set["NOTNULL"]),
		unique:  truth(set["UNIQUE"]),
		comment: set["COMMENT"],
		perm:    true,
	}
	if strings.Contains(rawTag, "strata:") {
		f.strata = tagRef{tag: rawTag, pos: pos}.options()
	}
	vt, unknownValuer := r.valueType(f, f.typ)
	if m := r.method(f.typ, "GormDBDataType"); m != nil && f.strataOption("type") == nil {
		r.l.warnf(pos, "field %s.%s: type %s has a GormDBDataType method, which strata cannot run; the column type is read as GORM's default for it; add strata:\"type:SQL\" to the field to set it",
			s.name, name, f.typ)
	} else if unknownValuer && f.strataOption("type") == nil && set["TYPE"] == "" {
		r.l.warnf(pos, "field %s.%s: type %s implements driver.Valuer; strata types the column by %s as GORM does when Value of the zero value returns nil; add strata:\"type:SQL\" to the field if it returns something else",
			s.name, name, f.typ, vt)
	}
	serializer := set["JSON"]
	if serializer == "" {
		serializer = set["SERIALIZER"]
	}
	if serializer != "" || r.method(vt, "Scan") != nil && r.isSerializer(vt) {
		f.dataType = gString
	}
	if v, ok := set["DEFAULT"]; ok {
		f.hasDef = true
		f.def = v
	}
	if v, ok := set["SIZE"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
			if strings.TrimSpace(v) != v {
				r.l.warnf(pos, "field %s.%s: size:%q has spaces, so GORM ignores it (the size becomes -1, an unsized column); write size:%s", s.name, name, v, strings.TrimSpace(v))
			}
		}
		f.size = n
	}
	if v, ok := set["PRECISION"]; ok {
		f.prec, _ = strconv.Atoi(v)
	}
	if v, ok := set["SCALE"]; ok {
		f.scale, _ = strconv.Atoi(v)
	}
	f.def = strings.TrimSpace(f.def)
	kind := kindOfGORM(vt)
	if !f.parseDefault(kind) {
		r.l.errorf(pos, "field %s.%s: GORM cannot parse default:%s for Go type %s", s.name, name, f.def, vt)
	}
	switch kind {
	case reflect.Bool:
		f.dataType = gBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f.dataType = gInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		f.dataType = gUint
	case reflect.Float32, reflect.Float64:
		f.dataType = gFloat
	case reflect.String:
		f.dataType = gString
	case reflect.Struct:
		if isTime(vt) {
			f.dataType = gTime
			f.defSQL = "" // GORM renders a parsed time default at run time
		}
	case reflect.Slice, reflect.Array:
		var elem types.Type
		switch u := vt.Underlying().(type) {
		case *types.Slice:
			elem = u.Elem()
		case *types.Array:
			elem = u.Elem()
		}
		if b, ok := types.Unalias(elem).(*types.Basic); ok && b.Kind() == types.Uint8 && f.dataType == "" {
			f.dataType = gBytes
		}
	}
	if m := r.method(f.typ, "GormDataType"); m != nil {
		if v, ok := r.constString(m); ok {
			f.dataType = v
		} else if f.strataOption("type") == nil {
			r.l.warnf(pos, "field %s.%s: %s.GormDataType does not return a constant strata can read; add strata:\"type:SQL\" to the field", s.name, name, f.typ)
		}
	}
	f.gormType = f.dataType
	if v, ok := set["TYPE"]; ok {
		switch lv := strings.ToLower(v); lv {
		case gBool, gInt, gUint, gFloat, gString, gTime, gBytes:
			f.dataType = lv
		default:
			f.dataType = v
		}
	}
	if f.size == 0 {
		switch kind {
		case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64, reflect.Float64:
			f.size = 64
		case reflect.Int8, reflect.Uint8:
			f.size = 8
		case reflect.Int16, reflect.Uint16:
			f.size = 16
		case reflect.Int32, reflect.Uint32, reflect.Float32:
			f.size = 32
		}
	}
	if v, ok := set["-"]; ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "-":
			f.perm, f.dataType = false, ""
		case "all":
			f.perm, f.dataType, f.noMigr = false, "", true
		case "migration":
			f.noMigr = true
		}
	}
	if _, ok := set["EMBEDDED"]; ok && kind == reflect.Struct {
		f.embedded = true
	}
	if !s.join {
		r.quirks(f)
	}
	return f
}

// isSerializer reports whether t implements schema.SerializerInterface
// (Scan and Value taking a context and the field).
func (r *gormReader) isSerializer(t types.Type) bool {
	m := r.method(t, "Value")
	return m != nil && m.Type().(*types.Signature).Params().Len() == 4
}

// strataOption returns the option key of the field's strata tag, if any.
func (f *gormField) strataOption(key string) *option {
	for i := range f.strata {
		if f.strata[i].key == key {
			return &f.strata[i]
		}
	}
	return nil
}

// gormKeys are the gorm tag keys GORM v1.31 and its drivers read
// (schema/field.go, index.go, relationship.go).
var gormKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields("COLUMN TYPE SERIALIZER JSON SIZE PRIMARYKEY PRIMARY_KEY UNIQUE DEFAULT PRECISION SCALE " +
		"NOTNULL AUTOINCREMENT AUTOINCREMENTINCREMENT EMBEDDED EMBEDDEDPREFIX AUTOCREATETIME AUTOUPDATETIME INDEX " +
		"UNIQUEINDEX CHECK <- -> - COMMENT FOREIGNKEY REFERENCES POLYMORPHIC POLYMORPHICTYPE POLYMORPHICID " +
		"POLYMORPHICVALUE MANY2MANY JOINFOREIGNKEY JOINREFERENCES CONSTRAINT BELONGSTO") {
		m[k] = true
	}
	m["NOT NULL"] = true
	return m
}()

// quirks warns about tags GORM reads differently from what they seem to say.
func (r *gormReader) quirks(f *gormField) {
	if f.tag == "" {
		return
	}
	for _, item := range strings.Split(f.tag, ";") {
		k, v, has := strings.Cut(item, ":")
		switch key := strings.TrimSpace(strings.ToUpper(k)); {
		case key == "UNIQUE_INDEX":
			r.l.warnf(f.pos, "field %s.%s: GORM v2 ignores unique_index (a v1 tag), so there is no index; write uniqueIndex", f.s.name, f.name)
		case (key == "INDEX" || key == "UNIQUEINDEX") && has && strings.HasPrefix(v, " "):
			r.l.warnf(f.pos, "field %s.%s: GORM keeps the space in %s:%s, so the index is named %q", f.s.name, f.name, strings.TrimSpace(k), v, strings.SplitN(v, ",", 2)[0])
		case key == "GENERATED":
			r.l.warnf(f.pos, "field %s.%s: strata does not read generated (GORM's postgres driver makes a generated or identity column of it); declare the column type with strata:\"type:SQL\"", f.s.name, f.name)
		case key != "" && !gormKeys[key]:
			r.l.warnf(f.pos, "field %s.%s: gorm tag key %s is not one GORM reads, so strata ignores it too; if your code reads it and it changes the schema, say so in a strata tag", f.s.name, f.name, strings.TrimSpace(k))
		}
	}
}

// finishSchema assigns column names and the primary key, as schema.Parse.
func (r *gormReader) finishSchema(s *gormSchema) {
	for _, f := range s.all {
		if f.db == "" && f.dataType != "" {
			f.db = gormSnake(f.name)
		}
		if f.db != "" {
			prev, ok := s.byDB[f.db]
			if !ok || f.perm && f.bind < prev.bind {
				if !ok {
					s.fields = append(s.fields, f)
				} else {
					s.fields[indexOf(s.fields, prev)] = f
				}
				s.byDB[f.db] = f
				s.byName[f.name] = f
			}
		}
		if _, ok := s.byName[f.name]; !ok {
			s.byName[f.name] = f
		}
	}
	for _, f := range s.fields {
		if f.pk {
			s.pks = append(s.pks, f)
		}
	}
	prio := s.byDB["id"]
	if prio == nil {
		prio = s.byName["ID"]
	}
	if prio != nil {
		switch {
		case prio.pk:
			s.prio = prio
		case len(s.pks) == 0:
			prio.pk = true
			s.prio = prio
			s.pks = append(s.pks, prio)
		}
	}
	if s.prio == nil {
		if len(s.pks) == 1 {
			s.prio = s.pks[0]
		} else {
			for _, f := range s.pks {
				if f.autoInc {
					s.prio = f
					break
				}
			}
		}
	}
	for _, f := range s.all {
		if f.dataType == "" && f.gormType == "" && f.perm && !f.embedded {
			s.assoc = append(s.assoc, f)
			s.byName[f.name] = f
		}
	}
	if f := s.prio; f != nil && (f.gormType == gInt || f.gormType == gUint) {
		if _, ok := f.set["AUTOINCREMENT"]; !ok {
			f.hasDef, f.autoInc = true, true
		}
	}
}

func indexOf(fs []*gormField, f *gormField) int {
	for i, x := range fs {
		if x == f {
			return i
		}
	}
	return -1
}

// named returns the named struct type a field of type t refers to, as an
// association: T, *T, []T, []*T.
func named(t types.Type) *types.Named {
	t = deref(t)
	switch u := t.Underlying().(type) {
	case *types.Slice:
		t = deref(u.Elem())
	case *types.Array:
		t = deref(u.Elem())
	}
	n, _ := t.(*types.Named)
	if n != nil {
		if _, ok := n.Underlying().(*types.Struct); !ok {
			return nil
		}
	}
	return n
}
