package model

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sync"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// The model cache stores a loaded realm in a compact binary form that keeps
// what gob and JSON lose: the pointers between tables, columns, indexes and
// foreign keys (cycles included), nil versus empty, and the concrete types
// behind Atlas's Type, Expr and Attr interfaces. Encoding walks the values by
// reflection; every value whose static type is an interface is written with
// the name of its concrete type, which must be in cacheTypes. A value the
// codec cannot write exactly (an unknown concrete type, an unexported field,
// a map, a func, an unexported field that is set) fails the encoding, and the load is then not cached.

// cacheTypes are the concrete types a realm holds behind interfaces, by
// name.
var cacheTypes = func() map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for _, v := range []any{
		&schema.BinaryType{}, &schema.BoolType{}, &schema.DecimalType{}, &schema.EnumType{}, &schema.FloatType{},
		&schema.IntegerType{}, &schema.JSONType{}, &schema.SpatialType{}, &schema.StringType{}, &schema.TimeType{},
		&schema.UUIDType{}, &schema.UnsupportedType{},
		&schema.Literal{}, &schema.RawExpr{},
		&schema.Charset{}, &schema.Check{}, &schema.Collation{}, &schema.Comment{}, &schema.GeneratedExpr{},
		&postgres.ArrayType{}, &postgres.BitType{}, &postgres.CurrencyType{}, &postgres.IntervalType{},
		&postgres.NetworkType{}, &postgres.OIDType{}, &postgres.RangeType{}, &postgres.SerialType{},
		&postgres.TextSearchType{}, &postgres.UserDefinedType{}, &postgres.XMLType{}, &postgres.DomainType{},
		&postgres.Constraint{}, &postgres.Identity{}, &postgres.IndexType{}, &postgres.IndexPredicate{},
		&postgres.IndexColumnProperty{}, &postgres.IndexStorageParams{}, &postgres.IndexInclude{},
		&postgres.IndexOpClass{}, &postgres.IndexNullsDistinct{}, &postgres.NoInherit{}, &postgres.CheckColumns{},
		&postgres.Partition{},
		&mysql.BitType{}, &mysql.SetType{}, &mysql.NetworkType{},
		&mysql.AutoIncrement{}, &mysql.OnUpdate{}, &mysql.SubPart{}, &mysql.Enforced{}, &mysql.DisplayWidth{},
		&mysql.ZeroFill{}, &mysql.IndexType{}, &mysql.IndexParser{}, &mysql.Engine{},
		&sqlite.AutoIncrement{}, &sqlite.IndexPredicate{}, &sqlite.IndexOrigin{}, &sqlite.UserDefinedType{},
		&sqlite.WithoutRowID{}, &sqlite.Strict{},
		&RenamedFrom{}, &dialect.Partition{},
	} {
		t := reflect.TypeOf(v)
		m[cacheTypeName(t)] = t
	}
	return m
}()

// cacheTypeName names a type uniquely across packages.
func cacheTypeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		return "*" + cacheTypeName(t.Elem())
	}
	if t.PkgPath() == "" {
		return t.String()
	}
	return t.PkgPath() + "." + t.Name()
}

// errCacheFormat is a cache entry that does not decode: a miss.
var errCacheFormat = errors.New("model cache: malformed entry")

type encoder struct {
	buf   []byte
	ptrs  map[ptrKey]uint64
	types map[reflect.Type]uint64
}

type ptrKey struct {
	t reflect.Type
	p uintptr
}

// encodeCache writes *v in the cache's form.
func encodeCache(v any) ([]byte, error) {
	e := &encoder{ptrs: map[ptrKey]uint64{}, types: map[reflect.Type]uint64{}}
	if err := e.value(reflect.ValueOf(v).Elem()); err != nil {
		return nil, err
	}
	return e.buf, nil
}

func (e *encoder) uint(u uint64) { e.buf = binary.AppendUvarint(e.buf, u) }

func (e *encoder) value(v reflect.Value) error {
	switch v.Kind() {
	case reflect.Bool:
		b := uint64(0)
		if v.Bool() {
			b = 1
		}
		e.uint(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = binary.AppendVarint(e.buf, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.uint(v.Uint())
	case reflect.Float32, reflect.Float64:
		e.uint(math.Float64bits(v.Float()))
	case reflect.String:
		e.uint(uint64(v.Len()))
		e.buf = append(e.buf, v.String()...)
	case reflect.Slice:
		// 0 is nil; n+1 a slice of n elements.
		if v.IsNil() {
			e.uint(0)
			return nil
		}
		if v.Type().Elem().Size() == 0 {
			return fmt.Errorf("model cache: cannot encode a %s", v.Type())
		}
		e.uint(uint64(v.Len()) + 1)
		for i := range v.Len() {
			if err := e.value(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			if err := e.value(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				// Left out, and zero when decoded: Atlas's inspector fills
				// such fields (postgres.Partition's catalog rows), models
				// never do.
				if !v.Field(i).IsZero() {
					return fmt.Errorf("model cache: %s has unexported field %s set", t, t.Field(i).Name)
				}
				continue
			}
			if err := e.value(v.Field(i)); err != nil {
				return err
			}
		}
	case reflect.Pointer:
		// 0 is nil, 1 a pointer seen for the first time (its value
		// follows), n+2 the pointer numbered n.
		if v.IsNil() {
			e.uint(0)
			return nil
		}
		k := ptrKey{v.Type(), v.Pointer()}
		if n, ok := e.ptrs[k]; ok {
			e.uint(n + 2)
			return nil
		}
		e.ptrs[k] = uint64(len(e.ptrs))
		e.uint(1)
		return e.value(v.Elem())
	case reflect.Interface:
		// 0 is nil, 1 a type seen for the first time (its name follows),
		// n+2 the type numbered n; then the value.
		if v.IsNil() {
			e.uint(0)
			return nil
		}
		c := v.Elem()
		t := c.Type()
		if n, ok := e.types[t]; ok {
			e.uint(n + 2)
		} else {
			name := cacheTypeName(t)
			if cacheTypes[name] != t {
				return fmt.Errorf("model cache: no cache type for %s", name)
			}
			e.types[t] = uint64(len(e.types))
			e.uint(1)
			e.value(reflect.ValueOf(name))
		}
		return e.value(c)
	default:
		return fmt.Errorf("model cache: cannot encode a %s", v.Type())
	}
	return nil
}

type decoder struct {
	buf []byte
	// str is the whole entry as one string: decoded strings are slices of
	// it, not an allocation each.
	str   string
	ptrs  []reflect.Value
	types []reflect.Type
}

// exportedFields are the indices of a struct type's exported fields, the
// ones the codec writes, by type.
var exportedFields sync.Map // reflect.Type -> []int

func fieldsOf(t reflect.Type) []int {
	if f, ok := exportedFields.Load(t); ok {
		return f.([]int)
	}
	var f []int
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			f = append(f, i)
		}
	}
	exportedFields.Store(t, f)
	return f
}

// decodeCache reads data written by encodeCache into v, a pointer to a
// value of the encoded type. Malformed data is errCacheFormat, never a
// panic.
func decodeCache(data []byte, v any) (err error) {
	d := &decoder{buf: data, str: string(data)}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errCacheFormat, r)
		}
	}()
	d.value(reflect.ValueOf(v).Elem())
	if len(d.buf) > 0 {
		return fmt.Errorf("%w: %d bytes left over", errCacheFormat, len(d.buf))
	}
	return nil
}

func (d *decoder) uint() uint64 {
	u, n := binary.Uvarint(d.buf)
	if n <= 0 {
		panic("bad uvarint")
	}
	d.buf = d.buf[n:]
	return u
}

// count checks a length against the remaining data, which holds at least
// a byte for each element.
func (d *decoder) count(u uint64) int {
	if u > uint64(len(d.buf)) {
		panic("length past the end")
	}
	return int(u)
}

func (d *decoder) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(d.uint() != 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, n := binary.Varint(d.buf)
		if n <= 0 {
			panic("bad varint")
		}
		d.buf = d.buf[n:]
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(d.uint())
	case reflect.Float32, reflect.Float64:
		v.SetFloat(math.Float64frombits(d.uint()))
	case reflect.String:
		n := d.count(d.uint())
		at := len(d.str) - len(d.buf)
		v.SetString(d.str[at : at+n])
		d.buf = d.buf[n:]
	case reflect.Slice:
		u := d.uint()
		if u == 0 {
			return
		}
		n := d.count(u - 1) // each element takes a byte or more

		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			d.value(s.Index(i))
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			d.value(v.Index(i))
		}
	case reflect.Struct:
		for _, i := range fieldsOf(v.Type()) {
			d.value(v.Field(i))
		}
	case reflect.Pointer:
		switch u := d.uint(); u {
		case 0:
		case 1:
			p := reflect.New(v.Type().Elem())
			d.ptrs = append(d.ptrs, p)
			d.value(p.Elem())
			v.Set(p)
		default:
			v.Set(d.ptrs[u-2]) // out of range panics
		}
	case reflect.Interface:
		var t reflect.Type
		switch u := d.uint(); u {
		case 0:
			return
		case 1:
			var name string
			d.value(reflect.ValueOf(&name).Elem())
			var ok bool
			if t, ok = cacheTypes[name]; !ok {
				panic("unknown type " + name)
			}
			d.types = append(d.types, t)
		default:
			t = d.types[u-2]
		}
		c := reflect.New(t).Elem()
		d.value(c)
		v.Set(c)
	default:
		panic("cannot decode a " + v.Type().String())
	}
}
