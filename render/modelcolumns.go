package render

import (
	"fmt"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

// column fills in the Go type and options of one column.
func (tg *tableGen) column(f *fieldGen) {
	c := f.c
	obj := fmt.Sprintf("column %q", c.Name)
	typ, goType, size := tg.goType(c)
	if goType == enumKind {
		// The field's type is the enum's: no type: (vocab13.md).
	} else if st, ok := c.Type.Type.(*postgres.SerialType); ok && st.SequenceName != tg.t.Name+"_"+c.Name+"_seq" {
		// A sequence of its own, named in the default: the column is its
		// integer type with that default (vocab13.md).
		base := map[string]string{"smallserial": "smallint", "serial": "integer", "bigserial": "bigint"}[strings.ToLower(st.T)]
		f.opts = append(f.opts, "type:"+base, "default:nextval("+dialect.Postgres.Literal(st.SequenceName)+"::regclass)")
	} else if n, ok := tg.g.declaredSize(c, goType, size); !ok {
		f.opts = append(f.opts, "type:"+tg.g.rawType(c))
	} else if n > 0 {
		f.opts = append(f.opts, "size:"+strconv.Itoa(n))
	}
	f.typ = typ
	// A key column is NOT NULL in the models whatever SQLite reports.
	if c.Type.Null && !inKey(tg.t.PrimaryKey, c) {
		if strings.HasPrefix(typ, "[]") || typ == "json.RawMessage" {
			f.opts = append(f.opts, "null")
		} else {
			f.typ = "*" + typ
		}
	}
	switch x := c.Default.(type) {
	case nil:
	case *schema.Literal:
		f.opts = append(f.opts, "default:"+x.V)
	case *schema.RawExpr:
		f.opts = append(f.opts, "default:"+x.X)
	default:
		tg.warnf(obj, "default of kind %T is not declared", x)
	}
	for _, a := range c.Attrs {
		switch a := a.(type) {
		case *schema.GeneratedExpr:
			f.opts = append(f.opts, "generated:"+a.Expr)
			if strings.EqualFold(a.Type, "VIRTUAL") {
				f.opts = append(f.opts, "virtual")
			}
		case *schema.Comment:
			if a.Text != "" {
				f.comment, f.hasComm = a.Text, true
			}
		case *schema.Collation:
			if a.V != "" && a.V != collation(tg.t.Attrs, tg.g.s.Attrs) {
				f.opts = append(f.opts, "collate:"+a.V)
			}
		case *schema.Charset:
			if a.V != "" && a.V != charset(tg.t.Attrs, tg.g.s.Attrs) {
				f.opts = append(f.opts, "charset:"+a.V)
			}
		case *mysql.OnUpdate:
			f.opts = append(f.opts, "autoupdate:"+a.A)
		case *postgres.Identity, *mysql.AutoIncrement, *sqlite.AutoIncrement:
			tg.autoincrement(f, a, obj)
		case *schema.Check, *postgres.Constraint:
			// Declared with the table's checks and constraints.
		default:
			tg.warnf(obj, "attribute %T is not declared", a)
		}
	}
}

// inKey reports whether c is a column of the key.
func inKey(pk *schema.Index, c *schema.Column) bool {
	if pk == nil {
		return false
	}
	for _, p := range pk.Parts {
		if p.C == c {
			return true
		}
	}
	return false
}

// commentSafe reports whether a comment, written as the last option of a
// strata tag, reads back whole: no ; that would end it and no space at
// either end.
func commentSafe(s string) bool {
	if strings.TrimSpace(s) != s {
		return false
	}
	var quote rune
	depth := 0
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"' || r == '`':
			quote = r
		case r == '(':
			depth++
		case r == ')':
			depth--
		case r == ';' && depth == 0:
			return false
		}
	}
	return true
}

// charset and collation return the first character set or collation
// among the attribute lists: the table's, then the schema's.
func charset(lists ...[]schema.Attr) string {
	return firstAttr(lists, func(a schema.Attr) (string, bool) {
		if c, ok := a.(*schema.Charset); ok {
			return c.V, true
		}
		return "", false
	})
}

func collation(lists ...[]schema.Attr) string {
	return firstAttr(lists, func(a schema.Attr) (string, bool) {
		if c, ok := a.(*schema.Collation); ok {
			return c.V, true
		}
		return "", false
	})
}

func firstAttr(lists [][]schema.Attr, value func(schema.Attr) (string, bool)) string {
	for _, attrs := range lists {
		for _, a := range attrs {
			if v, ok := value(a); ok {
				return v
			}
		}
	}
	return ""
}

// autoincrement declares an identity or auto-increment column, which the
// vocabulary allows on the single integer primary key column only.
func (tg *tableGen) autoincrement(f *fieldGen, a schema.Attr, obj string) {
	pk := tg.t.PrimaryKey
	if pk == nil || len(pk.Parts) != 1 || pk.Parts[0].C != f.c {
		if _, my := a.(*mysql.AutoIncrement); !my { // model.Unexpressed names MySQL's
			tg.warnf(obj, "auto-increment (identity) is not declared: strata declares it on a single-column primary key only")
		}
		return
	}
	opt := "autoincrement"
	if id, ok := a.(*postgres.Identity); ok && model.IdentityOptions(id) != "" {
		opt += ":" + model.IdentityOptions(id)
	}
	f.opts = append(f.opts, opt)
}

// goType chooses the Go type of a column: typ as written in the source,
// goType as model.ColumnType takes it ("" when only type: can say it), and
// size for a string whose length size: declares.
func (tg *tableGen) goType(c *schema.Column) (typ, goType string, size int) {
	d := tg.g.d
	switch t := c.Type.Type.(type) {
	case *schema.BoolType:
		return "bool", "bool", 0
	case *schema.IntegerType:
		n := intType(d, strings.ToLower(t.T))
		if t.Unsigned {
			n = "u" + n
		}
		return n, n, 0
	case *postgres.SerialType:
		return intType(d, strings.ToLower(strings.Replace(t.T, "serial", "int", 1))), "", 0
	case *schema.FloatType:
		n := "float64"
		switch strings.ToLower(t.T) {
		case "real", "float4":
			if d != dialect.SQLite {
				n = "float32"
			}
		case "float":
			if d == dialect.MySQL && t.Precision <= 24 {
				n = "float32"
			}
		}
		return n, n, 0
	case *schema.StringType:
		return "string", "string", t.Size
	case *schema.BinaryType:
		return "[]byte", "[]byte", 0
	case *schema.TimeType:
		if strings.EqualFold(t.T, "year") {
			return "int16", "", 0 // MySQL's YEAR is a number
		}
		tg.imports["time"] = true
		return "time.Time", "time.Time", 0
	case *schema.JSONType:
		tg.imports["encoding/json"] = true
		return "json.RawMessage", "encoding/json.RawMessage", 0
	case *schema.EnumType:
		if d == dialect.Postgres {
			if e := tg.g.enum(t); e != nil {
				return e.typeName, enumKind, 0
			}
		}
	}
	return "string", "", 0
}

// rawType is the column's type as type: declares it: Atlas's formatting,
// which keeps lengths and precisions, except on SQLite, whose declared
// type is compared as written.
func (g *gen) rawType(c *schema.Column) string {
	if g.d != dialect.SQLite && !g.formatLoses(c) {
		if s, err := g.ops.format(c.Type.Type); err == nil && s != "" {
			return s
		}
	}
	return c.Type.Raw
}

// formatLoses reports whether Atlas's formatting of the column type drops
// what the live type says: the (M,D) of a MySQL float or double.
func (g *gen) formatLoses(c *schema.Column) bool {
	_, float := c.Type.Type.(*schema.FloatType)
	return g.d == dialect.MySQL && float && strings.Contains(c.Type.Raw, "(")
}

// enumKind is goType's answer for a PostgreSQL enum declared in enums.go.
const enumKind = "enum"

// intType is the Go integer type for an integer column type name.
func intType(d dialect.Name, t string) string {
	switch {
	case d == dialect.SQLite:
		return "int64"
	case strings.Contains(t, "tiny"):
		return "int8"
	case strings.Contains(t, "small"), t == "int2":
		return "int16"
	case strings.Contains(t, "big"), t == "int8":
		return "int64"
	}
	return "int32"
}

// declaredSize reports whether strata's mapping of goType is the live
// column type, so that no type: is needed, and with which size: (0 for
// none; a string whose default type has the live length needs none). On
// SQLite, whose declared types are compared in full, the text must match;
// elsewhere both are parsed and formatted as Atlas does.
func (g *gen) declaredSize(c *schema.Column, goType string, size int) (int, bool) {
	if goType == "" || g.formatLoses(c) {
		return 0, false
	}
	try := []int{0}
	if size > 0 {
		try = append(try, size)
	}
	for _, n := range try {
		mapped, ok := model.ColumnType(g.d, goType, n)
		if !ok {
			continue
		}
		if g.d == dialect.SQLite {
			if strings.EqualFold(mapped, c.Type.Raw) {
				return n, true
			}
			continue
		}
		mt, err := g.ops.parse(mapped)
		if err != nil {
			continue
		}
		a, err1 := g.ops.format(mt)
		b, err2 := g.ops.format(c.Type.Type)
		if err1 == nil && err2 == nil && a == b {
			return n, true
		}
	}
	return 0, false
}

// enum returns the Go type declared for a PostgreSQL enum, creating it.
func (g *gen) enum(t *schema.EnumType) *enumDecl {
	if t.Schema != nil && t.Schema.Name != g.s.Name || !plainName(t.T) {
		return nil
	}
	if e, ok := g.enums[t.T]; ok {
		return e
	}
	e := &enumDecl{sqlName: t.T, typeName: g.names.claim(t.T, "Enum"), values: t.Values}
	g.enums[t.T] = e
	return e
}
