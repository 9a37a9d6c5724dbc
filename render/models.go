package render

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/token"
	"slices"
	"sort"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

// ModelFile is one generated Go source file of a models package.
type ModelFile struct {
	// Name is the base name, e.g. users.go.
	Name string
	// Source is gofmt'd Go source.
	Source []byte
}

// Warning names something of the live schema the generated models do not
// declare, and what is lost.
type Warning struct {
	// Object is the table, column, index or constraint, e.g. column users.id.
	Object string
	// Lost says what the models leave out.
	Lost string
}

func (w Warning) String() string { return w.Object + ": " + w.Lost }

// ErrNoTables is returned by Models for a schema without tables.
var ErrNoTables = errors.New("the schema has no tables")

// EnumsFile is the file that declares the enum types.
const EnumsFile = "enums.go"

// Models writes Go source declaring the tables of s, as introspect reports
// them for dialect d, with strata tags: one file per table, named after it
// (users.go), plus enums.go for the PostgreSQL enum types the columns use,
// all in package pkg. model.Load reads the files back to s. Every name is
// explicit (db tags, //strata:table, constraint and index names), nullable
// columns are pointers (nil slices for []byte and json.RawMessage), and
// type: is written only where the Go type's own mapping differs from the
// live type. What the tag vocabulary cannot declare is returned as warnings,
// never dropped silently. The files are sorted by name and byte-stable.
func Models(s *schema.Schema, d dialect.Name, pkg string) ([]ModelFile, []Warning, error) {
	if !token.IsIdentifier(pkg) || pkg == "_" {
		return nil, nil, fmt.Errorf("bad package name %q: not a Go identifier", pkg)
	}
	if len(s.Tables) == 0 {
		return nil, nil, ErrNoTables
	}
	ops, ok := typeOps[d]
	if !ok {
		return nil, nil, fmt.Errorf("unknown dialect %q", d)
	}
	g := &gen{d: d, ops: ops, s: s, pkg: pkg, names: newNamer(), enums: make(map[string]*enumDecl)}
	tables := slices.Clone(s.Tables)
	sort.Slice(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
	// Type names first, in table order, so a table keeps its name whatever
	// enum constants come later.
	tgs := make([]*tableGen, len(tables))
	for i, t := range tables {
		tgs[i] = &tableGen{g: g, t: t, typeName: g.names.claim(t.Name, "Table"), imports: make(map[string]bool)}
	}
	for _, tg := range tgs {
		tg.build()
	}
	files := g.files(tgs)
	for i := range files {
		src, err := format.Source(files[i].Source)
		if err != nil {
			return nil, nil, fmt.Errorf("format %s: %w\n%s", files[i].Name, err, files[i].Source)
		}
		files[i].Source = src
	}
	sort.Slice(g.warn, func(i, j int) bool {
		if g.warn[i].Object != g.warn[j].Object {
			return g.warn[i].Object < g.warn[j].Object
		}
		return g.warn[i].Lost < g.warn[j].Lost
	})
	return files, g.warn, nil
}

// typeOps parses and formats column types per dialect.
type typeOp struct {
	parse  func(string) (schema.Type, error)
	format func(schema.Type) (string, error)
}

var typeOps = map[dialect.Name]typeOp{
	dialect.Postgres: {postgres.ParseType, postgres.FormatType},
	dialect.MySQL:    {mysql.ParseType, mysql.FormatType},
	dialect.SQLite:   {sqlite.ParseType, sqlite.FormatType},
}

type gen struct {
	d     dialect.Name
	ops   typeOp
	s     *schema.Schema
	pkg   string
	names *namer
	// enums are the PostgreSQL enum types, by SQL name.
	enums map[string]*enumDecl
	warn  []Warning
}

type enumDecl struct {
	sqlName, typeName string
	values            []string
}

func (g *gen) warnf(object, format string, args ...any) {
	g.warn = append(g.warn, Warning{Object: object, Lost: fmt.Sprintf(format, args...)})
}

// tableGen builds the declaration of one table.
type tableGen struct {
	g          *gen
	t          *schema.Table
	typeName   string
	fields     []*fieldGen
	directives []string
	imports    map[string]bool
}

// fieldGen is one struct field: a column.
type fieldGen struct {
	c       *schema.Column
	name    string
	typ     string
	opts    []string
	comment string // the comment: option, written last
	hasComm bool
}

func (tg *tableGen) object() string { return "table " + tg.t.Name }

func (tg *tableGen) field(c *schema.Column) *fieldGen {
	for _, f := range tg.fields {
		if f.c == c {
			return f
		}
	}
	return nil
}

func (tg *tableGen) build() {
	fieldNames := newNamer()
	for _, c := range tg.t.Columns {
		if strings.Contains(c.Name, ",") {
			// The db tag ends a name at a comma (the sqlx convention).
			tg.g.warnf("column "+tg.t.Name+"."+c.Name, "not declared: a db tag cannot hold a comma; the models lack the column")
			continue
		}
		f := &fieldGen{c: c, name: fieldNames.claim(c.Name, "Column")}
		tg.fields = append(tg.fields, f)
		tg.column(f)
	}
	tg.directive("table", tg.t.Name, tg.object()+" name")
	tg.tableAttrs()
	tg.primaryKey()
	tg.indexes()
	tg.foreignKeys()
	tg.checks()
}

// directive adds //strata:KIND ARGS; args that a one-line directive cannot
// carry are a warning naming what.
func (tg *tableGen) directive(kind, args, what string) bool {
	if !directiveSafe(args) {
		tg.g.warnf(what, "cannot be declared: //strata:%s does not hold %q", kind, args)
		return false
	}
	tg.directives = append(tg.directives, "//strata:"+kind+" "+args)
	return true
}

// directiveSafe reports whether s survives a directive line: one line, and
// no space at either end (the parser trims them).
func directiveSafe(s string) bool {
	return s != "" && !strings.ContainsAny(s, "\n\r") && strings.TrimSpace(s) == s
}

// plainName reports whether a name can stand unquoted in a directive or
// an fk: value.
func plainName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || strings.ContainsRune(`;,()'"`+"`", r) {
			return false
		}
	}
	return true
}

// tagName writes a name for unique:, index: and fk_name:, quoted when it
// holds anything but letters, digits, _ and $.
func tagName(s string) string {
	for _, r := range s {
		if !(r == '_' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
	}
	return s
}

// column fills in the Go type and options of one column.
func (tg *tableGen) column(f *fieldGen) {
	c := f.c
	obj := "column " + tg.t.Name + "." + c.Name
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
		tg.g.warnf(obj, "default of kind %T is not declared", x)
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
			tg.g.warnf(obj, "attribute %T is not declared", a)
		}
	}
	if f.hasComm && !commentSafe(f.comment) {
		tg.g.warnf(obj, "comment %q cannot be declared in a strata tag (a ; outside quotes, or spaces at an end)", f.comment)
		f.hasComm = false
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
		tg.g.warnf(obj, "auto-increment (identity) is not declared: strata declares it on a single-column primary key only")
		return
	}
	opt := "autoincrement"
	if id, ok := a.(*postgres.Identity); ok {
		var o []string
		if strings.EqualFold(id.Generation, "ALWAYS") {
			o = append(o, "always")
		}
		if s := id.Sequence; s != nil {
			if s.Start != 1 && s.Start != 0 {
				o = append(o, "start="+strconv.FormatInt(s.Start, 10))
			}
			if s.Increment != 1 && s.Increment != 0 {
				o = append(o, "increment="+strconv.FormatInt(s.Increment, 10))
			}
		}
		if len(o) > 0 {
			opt += ":" + strings.Join(o, ",")
		}
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
	if g.d != dialect.SQLite {
		if s, err := g.ops.format(c.Type.Type); err == nil && s != "" {
			return s
		}
	}
	return c.Type.Raw
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
	if goType == "" {
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

// tableAttrs declares the table's comment and options.
func (tg *tableGen) tableAttrs() {
	obj := tg.object()
	for _, a := range tg.t.Attrs {
		switch a := a.(type) {
		case *schema.Comment:
			if a.Text != "" {
				tg.directive("comment", a.Text, obj+" comment")
			}
		case *schema.Charset:
			if a.V != charset(tg.g.s.Attrs) {
				tg.directive("charset", a.V, obj+" charset")
			}
		case *schema.Collation:
			if a.V != collation(tg.g.s.Attrs) {
				tg.directive("collate", a.V, obj+" collation")
			}
		case *sqlite.WithoutRowID:
			tg.directives = append(tg.directives, "//strata:without_rowid")
		case *sqlite.Strict:
			tg.directives = append(tg.directives, "//strata:strict")
		case *postgres.Partition:
			tg.partition(a)
		case *mysql.Engine:
			if !a.Default && !strings.EqualFold(a.V, "InnoDB") {
				tg.g.warnf(obj, "engine %s is not declared", a.V)
			}
		case *mysql.CreateOptions:
			if a.V != "" {
				tg.g.warnf(obj, "table options %q are not declared", a.V)
			}
		case *schema.Check, *postgres.OID, *mysql.AutoIncrement, *sqlite.AutoIncrement, *sqlite.CreateStmt, *mysql.CreateStmt:
			// Checks are declared by checks; the others are state, not schema.
		default:
			tg.g.warnf(obj, "attribute %T is not declared", a)
		}
	}
}

// partition declares a PostgreSQL partitioned table's key.
func (tg *tableGen) partition(p *postgres.Partition) {
	var parts []string
	for _, part := range p.Parts {
		switch {
		case part.C != nil && plainName(part.C.Name):
			parts = append(parts, part.C.Name)
		case part.X != nil:
			parts = append(parts, "("+exprString(part.X)+")")
		default:
			tg.g.warnf(tg.object(), "partition key part cannot be declared")
			return
		}
	}
	tg.directive("partition", "by "+strings.ToLower(p.T)+" ("+strings.Join(parts, ", ")+")", tg.object()+" partition key")
}

func exprString(x schema.Expr) string {
	switch x := x.(type) {
	case *schema.RawExpr:
		return x.X
	case *schema.Literal:
		return x.V
	}
	return fmt.Sprint(x)
}

// primaryKey marks the key's columns pk, and names it where the name is
// not PostgreSQL's default.
func (tg *tableGen) primaryKey() {
	pk := tg.t.PrimaryKey
	if pk == nil {
		return
	}
	var prev = -1
	for _, p := range pk.Parts {
		f := tg.field(p.C)
		if p.C == nil || f == nil {
			tg.g.warnf(tg.object()+" primary key", "an expression part is not declared")
			continue
		}
		if i := slices.Index(tg.fields, f); i < prev {
			tg.g.warnf(tg.object()+" primary key", "its column order (%s) is declared as the table's column order", partNames(pk.Parts))
		} else {
			prev = i
		}
		f.opts = append([]string{"pk"}, f.opts...)
	}
	if tg.g.d == dialect.Postgres && pk.Name != "" && pk.Name != tg.t.Name+"_pkey" {
		tg.directive("pk", pk.Name, tg.object()+" primary key name")
	}
	// A key whose default name PostgreSQL had to cut is named explicitly.
	if tg.g.d == dialect.Postgres && pk.Name == tg.t.Name+"_pkey" && len(pk.Name) > tg.g.d.MaxIdentLen() {
		tg.directive("pk", pk.Name, tg.object()+" primary key name")
	}
}

func partNames(parts []*schema.IndexPart) string {
	var s []string
	for _, p := range parts {
		if p.C != nil {
			s = append(s, p.C.Name)
		} else {
			s = append(s, "("+exprString(p.X)+")")
		}
	}
	return strings.Join(s, ", ")
}

// indexes declares unique constraints and indexes: a plain single-column
// one as unique:NAME or index:NAME on its field, the rest as directives.
func (tg *tableGen) indexes() {
	for _, idx := range tg.t.Indexes {
		obj := "index " + tg.t.Name + "." + idx.Name
		if tg.fkIndex(idx) {
			continue
		}
		spec, ok := tg.indexSpec(idx, obj)
		if !ok {
			continue
		}
		if spec.constraint {
			tg.directive("unique", tg.indexArgs(idx.Name, spec), "constraint "+tg.t.Name+"."+idx.Name)
			continue
		}
		if spec.simple() {
			f := tg.field(idx.Parts[0].C)
			key := "index:"
			if idx.Unique {
				key = "unique:"
			}
			f.opts = append(f.opts, key+tagName(idx.Name))
			continue
		}
		args := tg.indexArgs(idx.Name, spec)
		if idx.Unique {
			args = strings.Replace(args, ")", ") unique", 1)
		}
		tg.directive("index", args, obj)
	}
}

// fkIndex reports whether idx is the index MySQL creates for a foreign key
// (its name, its columns) that no other index starts with: model declares
// that one itself.
func (tg *tableGen) fkIndex(idx *schema.Index) bool {
	if tg.g.d != dialect.MySQL || idx.Unique {
		return false
	}
	for _, fk := range tg.t.ForeignKeys {
		if fk.Symbol != idx.Name || len(fk.Columns) != len(idx.Parts) {
			continue
		}
		if !startsWith(idx, fk.Columns) {
			return false
		}
		for _, other := range tg.t.Indexes {
			if other != idx && startsWith(other, fk.Columns) {
				return false
			}
		}
		return tg.t.PrimaryKey == nil || !startsWith(tg.t.PrimaryKey, fk.Columns)
	}
	return false
}

// startsWith reports whether the index's first parts are the columns, plain.
func startsWith(idx *schema.Index, cols []*schema.Column) bool {
	if len(idx.Parts) < len(cols) {
		return false
	}
	for i, c := range cols {
		if p := idx.Parts[i]; p.C != c || p.Desc || len(p.Attrs) > 0 {
			return false
		}
	}
	return true
}

// indexSpec is what an index declares beyond its name.
type indexSpec struct {
	parts      []string
	plainParts bool // every part a plain column, ascending
	using      string
	include    []string
	nullsNot   bool
	where      string
	constraint bool
}

func (s indexSpec) simple() bool {
	return len(s.parts) == 1 && s.plainParts && s.using == "" && len(s.include) == 0 && !s.nullsNot && s.where == ""
}

// indexArgs writes NAME (PART, ...) [using M] [include (...)] [nulls not
// distinct] [where EXPR]; the caller puts unique after the parts.
func (tg *tableGen) indexArgs(name string, s indexSpec) string {
	args := name + " (" + strings.Join(s.parts, ", ") + ")"
	if s.using != "" {
		args += " using " + s.using
	}
	if len(s.include) > 0 {
		args += " include (" + strings.Join(s.include, ", ") + ")"
	}
	if s.nullsNot {
		args += " nulls not distinct"
	}
	if s.where != "" {
		args += " where " + s.where
	}
	return args
}

// indexSpec reads an index's parts and attributes; ok is false, after a
// warning, when the vocabulary cannot declare it.
func (tg *tableGen) indexSpec(idx *schema.Index, obj string) (indexSpec, bool) {
	s := indexSpec{plainParts: true}
	if !plainName(idx.Name) && !(len(idx.Parts) == 1 && idx.Parts[0].C != nil) {
		tg.g.warnf(obj, "not declared: its name cannot stand in a //strata:index directive")
		return s, false
	}
	for _, p := range idx.Parts {
		part, ok := tg.indexPart(p, obj)
		if !ok {
			return s, false
		}
		if p.C == nil || part != p.C.Name {
			s.plainParts = false
		}
		s.parts = append(s.parts, part)
	}
	for _, a := range idx.Attrs {
		switch a := a.(type) {
		case *postgres.IndexType:
			if !strings.EqualFold(a.T, "btree") {
				s.using = strings.ToLower(a.T)
			}
		case *mysql.IndexType:
			if !strings.EqualFold(a.T, "BTREE") {
				s.using = strings.ToLower(a.T)
			}
		case *postgres.IndexPredicate:
			s.where = a.P
		case *sqlite.IndexPredicate:
			s.where = a.P
		case *postgres.IndexInclude:
			for _, c := range a.Columns {
				s.include = append(s.include, c.Name)
			}
		case *postgres.IndexNullsDistinct:
			s.nullsNot = !a.V
		case *postgres.Constraint:
			s.constraint = a.T == "u"
		case *postgres.IndexStorageParams:
			if a.AutoSummarize || a.PagesPerRange != 0 && a.PagesPerRange != 128 {
				tg.g.warnf(obj, "storage parameters are not declared")
			}
		case *sqlite.IndexOrigin, *sqlite.CreateStmt, *schema.Comment:
			if c, ok := a.(*schema.Comment); ok && c.Text != "" {
				tg.g.warnf(obj, "comment %q is not declared", c.Text)
			}
		default:
			tg.g.warnf(obj, "attribute %T is not declared", a)
		}
	}
	if !s.simple() && !plainName(idx.Name) {
		tg.g.warnf(obj, "not declared: its name cannot stand in a //strata:index directive")
		return s, false
	}
	if s.where != "" && !directiveSafe(s.where) {
		tg.g.warnf(obj, "not declared: its predicate spans lines")
		return s, false
	}
	return s, true
}

// indexPart writes one part: column [OPCLASS] [DESC], column(N) [DESC],
// or (EXPR) [DESC].
func (tg *tableGen) indexPart(p *schema.IndexPart, obj string) (string, bool) {
	var part string
	switch {
	case p.C != nil && plainName(p.C.Name):
		part = p.C.Name
	case p.C != nil:
		tg.g.warnf(obj, "not declared: column %q cannot stand in a //strata:index directive", p.C.Name)
		return "", false
	default:
		part = "(" + exprString(p.X) + ")"
	}
	for _, a := range p.Attrs {
		switch a := a.(type) {
		case *mysql.SubPart:
			part += "(" + strconv.Itoa(a.Len) + ")"
		case *postgres.IndexOpClass:
			if !a.Default {
				part += " " + a.Name
				if len(a.Params) > 0 {
					tg.g.warnf(obj, "operator class parameters of %s are not declared", a.Name)
				}
			}
		case *postgres.IndexColumnProperty:
			// The default order of NULLs: last ascending, first descending.
			if a.NullsFirst && !p.Desc || a.NullsLast && p.Desc {
				tg.g.warnf(obj, "NULLS FIRST/LAST of part %s is not declared", part)
			}
		default:
			tg.g.warnf(obj, "attribute %T of part %s is not declared", a, part)
		}
	}
	if p.Desc {
		part += " DESC"
	}
	return part, true
}

// foreignKeys declares each key on its columns: fk:TABLE.COLUMN with its
// name and actions; the columns of a composite key share the fk_name.
func (tg *tableGen) foreignKeys() {
	used := make(map[*schema.Column]string)
	for _, fk := range tg.t.ForeignKeys {
		obj := "foreign key " + tg.t.Name + "." + fk.Symbol
		switch {
		case fk.RefTable == nil || fk.RefTable.Schema != nil && fk.RefTable.Schema != tg.g.s && fk.RefTable.Schema.Name != tg.g.s.Name:
			tg.g.warnf(obj, "not declared: it references a table in another schema")
			continue
		case strings.Contains(fk.RefTable.Name, ".") || !plainName(fk.RefTable.Name):
			tg.g.warnf(obj, "not declared: table name %q cannot stand in fk:TABLE.COLUMN", fk.RefTable.Name)
			continue
		case len(fk.Columns) != len(fk.RefColumns):
			tg.g.warnf(obj, "not declared: column counts differ")
			continue
		}
		ok := true
		for _, c := range fk.Columns {
			if tg.field(c) == nil {
				tg.g.warnf(obj, "not declared: the models lack its column %s", c.Name)
				ok = false
			}
			if other, dup := used[c]; dup {
				tg.g.warnf(obj, "not declared: column %s is already in foreign key %s, and a field holds one", c.Name, other)
				ok = false
			}
		}
		for _, rc := range fk.RefColumns {
			if !plainName(rc.Name) {
				tg.g.warnf(obj, "not declared: column name %q cannot stand in fk:TABLE.COLUMN", rc.Name)
				ok = false
			}
		}
		if !ok {
			continue
		}
		name := fk.Symbol
		if tg.g.unnamed(name) {
			// SQLite numbers the keys it was not told a name for: one column's
			// key takes model's default name; a composite one needs a shared name.
			name = ""
			if len(fk.Columns) > 1 {
				name = tg.t.Name + "_" + strings.Join(columnNames(fk.Columns), "_") + "_fkey"
			}
		}
		prev := -1
		for i, c := range fk.Columns {
			used[c] = fk.Symbol
			f := tg.field(c)
			if j := slices.Index(tg.fields, f); j < prev {
				tg.g.warnf(obj, "its column order is declared as the table's column order")
			} else {
				prev = j
			}
			f.opts = append(f.opts, "fk:"+fk.RefTable.Name+"."+fk.RefColumns[i].Name)
			if name != "" {
				f.opts = append(f.opts, "fk_name:"+tagName(name))
			}
			if tg.g.explicitAction(fk.OnDelete) {
				f.opts = append(f.opts, "ondelete:"+string(fk.OnDelete))
			}
			if tg.g.explicitAction(fk.OnUpdate) {
				f.opts = append(f.opts, "onupdate:"+string(fk.OnUpdate))
			}
		}
	}
}

// unnamed reports whether a foreign key's symbol is SQLite's number for a
// key without a name.
func (g *gen) unnamed(symbol string) bool {
	if g.d != dialect.SQLite {
		return false
	}
	_, err := strconv.Atoi(symbol)
	return symbol == "" || err == nil
}

func columnNames(cols []*schema.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// explicitAction reports whether a referential action differs from the
// default, NO ACTION, which MySQL also reports as RESTRICT.
func (g *gen) explicitAction(a schema.ReferenceOption) bool {
	return a != "" && a != schema.NoAction && !(g.d == dialect.MySQL && a == schema.Restrict)
}

// checks declares check constraints: one on a single column with the
// default name TABLE_COLUMN_check as check: on its field, the others as
// //strata:check NAME EXPR.
func (tg *tableGen) checks() {
	unnamed := 0
	for _, a := range tg.t.Attrs {
		ck, ok := a.(*schema.Check)
		if !ok {
			continue
		}
		if ck.Name == "" {
			// SQLite keeps checks declared without a name nameless; the
			// models name them TABLE_check, TABLE_check2, ...
			unnamed++
			ck = &schema.Check{Name: tg.t.Name + "_check", Expr: ck.Expr, Attrs: ck.Attrs}
			if unnamed > 1 {
				ck.Name += strconv.Itoa(unnamed)
			}
		}
		obj := "check " + tg.t.Name + "." + ck.Name
		var cols []string
		for _, ca := range ck.Attrs {
			switch ca := ca.(type) {
			case *postgres.CheckColumns:
				cols = ca.Columns
			case *postgres.NoInherit:
				tg.g.warnf(obj, "NO INHERIT is not declared")
			case *mysql.Enforced:
				if !ca.V {
					tg.g.warnf(obj, "NOT ENFORCED is not declared")
				}
			default:
				tg.g.warnf(obj, "attribute %T is not declared", ca)
			}
		}
		if len(cols) == 1 && ck.Name == tg.t.Name+"_"+cols[0]+"_check" && len(ck.Name) <= tg.g.d.MaxIdentLen() {
			if c, ok := tg.t.Column(cols[0]); ok && tg.field(c) != nil {
				f := tg.field(c)
				f.opts = append(f.opts, "check:"+ck.Expr)
				continue
			}
		}
		if !plainName(ck.Name) {
			tg.g.warnf(obj, "not declared: its name cannot stand in a //strata:check directive")
			continue
		}
		tg.directive("check", ck.Name+" "+ck.Expr, obj)
	}
}

// tag writes the struct tag of a field as a Go string literal: raw unless
// it holds a backquote.
func (f *fieldGen) tag() string {
	opts := f.opts
	if f.hasComm {
		opts = append(slices.Clone(opts), "comment:"+f.comment)
	}
	t := `db:` + strconv.Quote(f.c.Name)
	if len(opts) > 0 {
		t += ` strata:` + strconv.Quote(strings.Join(opts, ";"))
	}
	if strings.Contains(t, "`") {
		return strconv.Quote(t)
	}
	return "`" + t + "`"
}

const header = "// Code written by strata models --from-db from the live schema. Edit it as your own.\n\n"

// files lays out the package: a file per table, and enums.go.
func (g *gen) files(tgs []*tableGen) []ModelFile {
	taken := make(map[string]bool)
	var out []ModelFile
	if len(g.enums) > 0 {
		taken[strings.TrimSuffix(EnumsFile, ".go")] = true
		out = append(out, ModelFile{Name: EnumsFile, Source: g.enumSource()})
	}
	for _, tg := range tgs {
		stem := fileName(tg.t.Name)
		name := stem
		for i := 2; taken[strings.ToLower(name)]; i++ {
			name = stem + "_" + strconv.Itoa(i)
		}
		taken[strings.ToLower(name)] = true
		out = append(out, ModelFile{Name: name + ".go", Source: tg.source()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (tg *tableGen) source() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package " + tg.g.pkg + "\n\n")
	if len(tg.imports) > 0 {
		imps := make([]string, 0, len(tg.imports))
		for p := range tg.imports {
			imps = append(imps, strconv.Quote(p))
		}
		sort.Strings(imps)
		b.WriteString("import (\n" + strings.Join(imps, "\n") + "\n)\n\n")
	}
	fmt.Fprintf(&b, "// %s is the table %s.\n//\n", tg.typeName, docText(tg.t.Name))
	for _, d := range tg.directives {
		b.WriteString(d + "\n")
	}
	b.WriteString("type " + tg.typeName + " struct {\n")
	for _, f := range tg.fields {
		fmt.Fprintf(&b, "%s %s %s\n", f.name, f.typ, f.tag())
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// docText makes a name safe inside a line comment.
func docText(s string) string {
	return strconv.Quote(s)[1 : len(strconv.Quote(s))-1]
}

func (g *gen) enumSource() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package " + g.pkg + "\n")
	names := make([]string, 0, len(g.enums))
	for n := range g.enums {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		e := g.enums[n]
		fmt.Fprintf(&b, "\n// %s is the enum type %s.\n//\n//strata:enum %s\ntype %s string\n", e.typeName, docText(e.sqlName), e.sqlName, e.typeName)
		if len(e.values) == 0 {
			continue
		}
		b.WriteString("\nconst (\n")
		for _, v := range e.values {
			name := e.typeName + "_" + v
			if goName(v) == "" {
				name = "" // a value without a letter or digit: TypeValue
			}
			fmt.Fprintf(&b, "%s %s = %s\n", g.names.claim(name, e.typeName+"Value"), e.typeName, strconv.Quote(v))
		}
		b.WriteString(")\n")
	}
	return b.Bytes()
}
