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
		tgs[i] = &tableGen{g: g, t: t, typeName: g.names.claim(singular(t.Name), "Table"), imports: make(map[string]bool), fks: make(map[string]bool)}
	}
	for _, tg := range tgs {
		tg.build()
	}
	// What the vocabulary lacks, as model knows it; the generator adds what
	// its own writing cannot hold.
	for _, line := range model.Unexpressed(s, d) {
		object, lost, _ := strings.Cut(line, ": ")
		g.warn = append(g.warn, Warning{Object: object, Lost: lost})
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

// warnf records a warning on the table; what names the part of it (a
// column, an index, ...), "" the table itself.
func (tg *tableGen) warnf(what, format string, args ...any) {
	lost := fmt.Sprintf(format, args...)
	if what != "" {
		lost = what + ": " + lost
	}
	tg.g.warn = append(tg.g.warn, Warning{Object: fmt.Sprintf("table %q", tg.t.Name), Lost: lost})
}

// tableGen builds the declaration of one table.
type tableGen struct {
	g          *gen
	t          *schema.Table
	typeName   string
	fields     []*fieldGen
	directives []string
	imports    map[string]bool
	// fks are the foreign keys declared, by name.
	fks map[string]bool
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
			tg.warnf(fmt.Sprintf("column %q", c.Name), "not declared: a db tag cannot hold a comma; the models lack the column")
			continue
		}
		f := &fieldGen{c: c, name: fieldNames.claim(c.Name, "Column")}
		tg.fields = append(tg.fields, f)
		tg.column(f)
	}
	tg.directive("table", tg.t.Name, "name")
	tg.tableAttrs()
	tg.primaryKey()
	tg.foreignKeys()
	tg.indexes()
	tg.checks()
}

// directive adds //strata:KIND ARGS; args that a one-line directive cannot
// carry are a warning naming what.
func (tg *tableGen) directive(kind, args, what string) bool {
	if !directiveSafe(args) {
		tg.warnf(what, "cannot be declared: //strata:%s does not hold %q", kind, args)
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

// tag writes the struct tag of a field as a Go string literal: raw unless
// it holds a backquote.
func (f *fieldGen) tag() string {
	opts := f.opts
	if f.hasComm {
		c := f.comment
		if !commentSafe(c) || strings.HasPrefix(c, `"`) && strings.HasSuffix(c, `"`) && len(c) >= 2 {
			c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
		opts = append(slices.Clone(opts), "comment:"+c)
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
