package model

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// RenamedFrom is a rename hint on a table or column (renamed_from): the name
// it had before. Autogenerate reads it to plan a rename instead of a drop and
// an add; Atlas's planners ignore it.
type RenamedFrom struct {
	schema.Attr
	Name string
}

// tableBuilder builds one table from a struct and its directives.
type tableBuilder struct {
	l      *loader
	t      *schema.Table
	pos    token.Position
	colPos map[string]token.Position
	pk     []*schema.Column
	// autoinc is the autoincrement option, checked once the key is known.
	autoinc  *option
	indexes  []*pendingIndex
	fks      []*pendingFK
	checks   []pendingName
	comments int
	// seen are the table options set (optionDirective).
	seen map[string]bool
	// pkName is the primary key's name of //strata:pk, at pkPos.
	pkName string
	pkPos  token.Position
	// key is the partition key (//strata:partition by) at keyPos;
	// partitions, the partitions.
	key        *postgres.Partition
	keyPos     token.Position
	partitions []pendingName
}

// pendingName is a constraint or index name and where it was declared, for
// the schema-wide duplicate check.
type pendingName struct {
	name string
	pos  token.Position
}

type pendingIndex struct {
	idx *schema.Index
	pos token.Position
}

// pendingFK is a foreign key whose referenced table is resolved once every
// table is known.
type pendingFK struct {
	fk       *schema.ForeignKey
	refTable string
	refCols  []string
	pos      token.Position
}

// field is one struct field that becomes a column.
type field struct {
	v   *types.Var
	pos token.Position
	tag tagRef
}

// typeDecl builds the table declared by a struct type.
func (l *loader) typeDecl(spec *ast.TypeSpec, st *types.Struct, ds []directive) {
	var table *directive
	var rest []directive
	for i, d := range ds {
		switch d.kind {
		case "table":
			if table != nil {
				l.errorf(l.relative(d.pos), "//strata:table given twice")
				continue
			}
			table = &ds[i]
		case "index", "check", "comment", "renamed_from", "pk", "unique", "charset", "collate", "without_rowid", "strict", "partition":
			rest = append(rest, d)
		case "enum":
			// Reported by enums: a struct is no enum.
		default:
			l.errorf(l.relative(d.pos), "unknown directive //strata:%s (want table, index, unique, pk, check, comment, renamed_from, partition, charset, collate, without_rowid or strict)", d.kind)
		}
	}
	if table == nil {
		for _, d := range rest {
			l.errorf(l.relative(d.pos), "//strata:%s on type %s, which has no //strata:table", d.kind, spec.Name.Name)
		}
		return
	}
	name := table.args
	if name == "" {
		name = snake(spec.Name.Name)
	} else if !l.identOK(l.relative(table.argsPos), "table name", name) {
		return
	}
	b := &tableBuilder{l: l, t: schema.NewTable(name), pos: l.position(spec.Name.Pos()), colPos: make(map[string]token.Position)}
	var fields []field
	l.flatten(st, map[*types.Struct]bool{st: true}, &fields)
	if len(fields) == 0 {
		l.errorf(b.pos, "table %q has no columns", name)
	}
	for _, f := range fields {
		b.column(f)
	}
	for _, d := range rest {
		b.directive(d)
	}
	b.finish()
	l.tables = append(l.tables, b)
}

// identOK reports whether name is usable as an identifier, recording an
// error if not. strata quotes every identifier it writes, so keywords,
// quotes, semicolons and spaces are all fine.
func (l *loader) identOK(pos token.Position, what, name string) bool {
	switch {
	case name == "" || strings.ContainsRune(name, 0):
		l.errorf(pos, "bad value for %s: %q is not an identifier", what, name)
	case len(name) > l.d.MaxIdentLen():
		l.errorf(pos, "bad value for %s: %q is longer than %d bytes, the %s limit", what, name, l.d.MaxIdentLen(), l.d)
	default:
		return true
	}
	return false
}

// flatten appends the column fields of st, flattening embedded structs in
// place as sqlx and GORM do.
func (l *loader) flatten(st *types.Struct, seen map[*types.Struct]bool, out *[]field) {
	for i := range st.NumFields() {
		v := st.Field(i)
		f := field{v: v, pos: l.position(v.Pos())}
		var (
			lit    *ast.BasicLit
			litPos token.Position
		)
		if af := l.fields[v.Pos()]; af != nil && af.Tag != nil {
			lit, litPos = af.Tag, l.position(af.Tag.Pos())
		}
		f.tag = newTagRef(st.Tag(i), lit, litPos, f.pos)
		name, named := f.tag.dbName()
		if name == "-" {
			continue
		}
		if inner := embeddedStruct(v); inner != nil {
			l.embedded[typeKey(v.Type())] = true
			switch {
			case named:
				l.errorf(f.pos, "db tag on embedded struct %s: its fields are flattened; use db:\"-\" to skip it", v.Name())
			case len(f.tag.options()) > 0:
				l.errorf(f.pos, "strata tag on embedded struct %s: put the options on its fields", v.Name())
			case !seen[inner]:
				seen[inner] = true
				l.flatten(inner, seen, out)
			}
			continue
		}
		if v.Exported() {
			*out = append(*out, f)
		}
	}
}

// typeKey names the type t is, or points to, by package path and name
// (the origin of a generic instance), so a type matches itself whether it
// was checked from source or read from export data.
func typeKey(t types.Type) string {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Origin().Obj().Name()
}

// embeddedStruct returns the struct an embedded field flattens, or nil when
// the field is not embedded or is itself a column type such as time.Time.
func embeddedStruct(v *types.Var) *types.Struct {
	if !v.Embedded() {
		return nil
	}
	t := types.Unalias(v.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if k, _ := kindOf(t); k != kindNone {
		return nil
	}
	st, _ := t.Underlying().(*types.Struct)
	return st
}

// fieldOptions are the validated options of one field.
type fieldOptions struct {
	one           map[string]*option // options given at most once
	unique, index []*option
	size          int
	identity      *postgres.Identity // of autoincrement, on PostgreSQL
}

// valueRules says, per option, whether it takes a value.
var valueRules = map[string]string{
	"pk": "none", "null": "none", "notnull": "none", "virtual": "none",
	"unique": "optional", "index": "optional", "autoincrement": "optional",
	"type": "required", "size": "required", "default": "required", "fk": "required",
	"ondelete": "required", "onupdate": "required", "fk_name": "required",
	"check": "required", "comment": "required", "renamed_from": "required",
	"generated": "required", "collate": "required", "charset": "required", "autoupdate": "required",
}

// directiveText is the text of a //strata:comment: as written, or, in
// double quotes, a Go string literal, which can hold what one line of a
// comment cannot (line breaks, spaces at either end).
func directiveText(args string) string {
	if len(args) >= 2 && args[0] == '"' && args[len(args)-1] == '"' {
		if s, err := strconv.Unquote(args); err == nil {
			return s
		}
	}
	return args
}

// nameOptions take a name, which may be written in double quotes to hold
// a ';' or spaces: renamed_from:"x;y". A comment may be quoted the same
// way: comment:"Shown; may be empty".
var nameOptions = map[string]bool{"unique": true, "index": true, "fk_name": true, "renamed_from": true, "comment": true}

// unquoteName removes the double quotes around a name, undoubling any
// quote inside.
func unquoteName(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		return strings.ReplaceAll(v[1:len(v)-1], `""`, `"`)
	}
	return v
}

var refActions = []schema.ReferenceOption{schema.Cascade, schema.SetNull, schema.SetDefault, schema.Restrict, schema.NoAction}

// options parses and validates the strata tag of f; ok is false when the
// field must be skipped.
func (b *tableBuilder) options(f field) (*fieldOptions, bool) {
	o := &fieldOptions{one: make(map[string]*option)}
	ok := true
	bad := func(opt *option, format string, args ...any) {
		b.l.errorf(opt.pos, format, args...)
		ok = false
	}
	for _, opt := range f.tag.options() {
		switch rule, known := valueRules[opt.key]; {
		case !known:
			bad(&opt, "unknown option %q in strata tag", opt.key)
			continue
		case rule == "none" && opt.hasValue:
			bad(&opt, "bad value for %s: it takes no value", opt.key)
			continue
		case rule == "required" && opt.value == "":
			bad(&opt, "bad value for %s: it needs one (%s:VALUE)", opt.key, opt.key)
			continue
		case rule == "optional" && opt.hasValue && opt.value == "":
			bad(&opt, "bad value for %s: empty name", opt.key)
			continue
		}
		if nameOptions[opt.key] {
			opt.value = unquoteName(opt.value)
		}
		switch opt.key {
		case "unique":
			o.unique = append(o.unique, &opt)
			continue
		case "index":
			o.index = append(o.index, &opt)
			continue
		}
		if o.one[opt.key] != nil {
			bad(&opt, "option %s given twice", opt.key)
			continue
		}
		if ds, only := dialectOnly[opt.key]; only && !slices.Contains(ds, b.l.d) {
			bad(&opt, "%s is not supported on %s (only on %s)", opt.key, b.l.d, dialectList(ds))
			continue
		}
		o.one[opt.key] = &opt
		if !b.checkValue(&opt, o) {
			ok = false
		}
	}
	for _, key := range []string{"ondelete", "onupdate", "fk_name"} {
		if opt := o.one[key]; opt != nil && o.one["fk"] == nil {
			bad(opt, "%s needs fk:TABLE.COLUMN", key)
		}
	}
	if o.one["null"] != nil && o.one["notnull"] != nil {
		bad(o.one["notnull"], "null and notnull conflict")
	}
	if o.one["pk"] != nil && o.one["null"] != nil {
		bad(o.one["null"], "a primary key column cannot be null")
	}
	if o.one["autoincrement"] != nil && o.one["default"] != nil {
		bad(o.one["default"], "autoincrement and default conflict")
	}
	if g := o.one["generated"]; g != nil {
		for _, key := range []string{"default", "autoincrement", "pk"} {
			if o.one[key] != nil {
				bad(g, "generated and %s conflict", key)
			}
		}
	}
	if v := o.one["virtual"]; v != nil && o.one["generated"] == nil {
		bad(v, "virtual needs generated:EXPR")
	}
	return o, ok
}

// collationName is a collation as introspect reports it: SQLite's names
// are case-insensitive, and it keeps them as Atlas's planner writes them,
// in lower case.
func collationName(d dialect.Name, name string) string {
	if d == dialect.SQLite {
		return strings.ToLower(name)
	}
	return name
}

// dialectList writes dialect names as "a", "a or b".
func dialectList(ds []dialect.Name) string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = string(d)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// dialectOnly names, for each field option only some dialects have, those
// dialects.
var dialectOnly = map[string][]dialect.Name{
	"charset":    {dialect.MySQL},
	"autoupdate": {dialect.MySQL},
	"virtual":    {dialect.MySQL, dialect.SQLite},
}

// checkValue validates the value of a single-use option.
func (b *tableBuilder) checkValue(opt *option, o *fieldOptions) bool {
	switch opt.key {
	case "size":
		n, err := strconv.Atoi(opt.value)
		if err != nil || n <= 0 {
			b.l.errorf(opt.pos, "bad value for size: %q is not a positive integer", opt.value)
			return false
		}
		o.size = n
	case "fk":
		table, col, found := strings.Cut(opt.value, ".")
		if !found || table == "" || col == "" {
			b.l.errorf(opt.pos, "bad value for fk: %q (want TABLE.COLUMN)", opt.value)
			return false
		}
	case "ondelete", "onupdate":
		if action(opt.value) == "" {
			b.l.errorf(opt.pos, "bad value for %s: %q (want CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION)", opt.key, opt.value)
			return false
		}
	case "fk_name", "renamed_from", "collate", "charset":
		return b.l.identOK(opt.pos, opt.key, opt.value)
	case "autoincrement":
		id, err := parseIdentity(opt.value)
		if err != nil {
			b.l.errorf(opt.pos, "bad value for autoincrement: %v", err)
			return false
		}
		if opt.value != "" && b.l.d != dialect.Postgres {
			b.l.errorf(opt.pos, "autoincrement:%s: identity options are PostgreSQL's; %s takes a bare autoincrement", opt.value, b.l.d)
			return false
		}
		o.identity = id
	}
	return true
}

// parseIdentity parses the options of autoincrement:OPTS, comma-separated
// always, start=N and increment=N, into a PostgreSQL identity.
func parseIdentity(opts string) (*postgres.Identity, error) {
	id := &postgres.Identity{Generation: "BY DEFAULT", Sequence: &postgres.Sequence{Start: 1, Increment: 1}}
	if opts == "" {
		return id, nil
	}
	seen := map[string]bool{}
	for _, item := range strings.Split(opts, ",") {
		item = strings.TrimSpace(item)
		key, value, hasValue := strings.Cut(item, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		if seen[key] {
			return nil, fmt.Errorf("%s given twice", key)
		}
		seen[key] = true
		switch key {
		case "always":
			if hasValue {
				return nil, fmt.Errorf("always takes no value")
			}
			id.Generation = "ALWAYS"
		case "start", "increment":
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || !hasValue || key == "increment" && n == 0 {
				return nil, fmt.Errorf("%q is not %s=N with N a non-zero integer", item, key)
			}
			if key == "start" {
				id.Sequence.Start = n
			} else {
				id.Sequence.Increment = n
			}
		default:
			return nil, fmt.Errorf("unknown identity option %q (want always, start=N or increment=N)", item)
		}
	}
	return id, nil
}

// action returns the referential action named s, or "".
func action(s string) schema.ReferenceOption {
	s = strings.Join(strings.Fields(strings.ToUpper(s)), " ")
	for _, a := range refActions {
		if string(a) == s {
			return a
		}
	}
	return ""
}

// column adds the column of one field.
func (b *tableBuilder) column(f field) {
	name, ok := f.tag.dbName()
	if !ok {
		name = snake(f.v.Name())
	}
	if prev, dup := b.colPos[name]; dup {
		b.l.errorf(f.pos, "duplicate column %q in table %q (also at %s)", name, b.t.Name, prev)
		return
	}
	b.colPos[name] = f.pos
	if !b.l.identOK(f.pos, "column name", name) {
		return
	}
	o, ok := b.options(f)
	if !ok {
		return
	}
	ct, nullable := b.columnType(f, o)
	if ct == nil {
		return
	}
	switch {
	case o.one["null"] != nil:
		nullable = true
	case o.one["notnull"] != nil, o.one["pk"] != nil:
		nullable = false
	}
	ct.Null = nullable
	c := &schema.Column{Name: name, Type: ct}
	if opt := o.one["default"]; opt != nil {
		c.Default = defaultExpr(b.l.d, ct.Type, opt.value)
	}
	if opt := o.one["generated"]; opt != nil {
		kind := "STORED"
		if o.one["virtual"] != nil {
			kind = "VIRTUAL"
		}
		c.SetGeneratedExpr(&schema.GeneratedExpr{Expr: opt.value, Type: kind})
		// MariaDB's generated columns are always nullable; declared so,
		// the models match what it reports.
		c.Type.Null = c.Type.Null || b.l.d == dialect.MySQL
	}
	if opt := o.one["comment"]; opt != nil && b.l.d != dialect.SQLite {
		c.SetComment(opt.value)
	}
	if opt := o.one["renamed_from"]; opt != nil {
		c.AddAttrs(&RenamedFrom{Name: opt.value})
	}
	if opt := o.one["charset"]; opt != nil {
		c.SetCharset(opt.value)
	}
	if opt := o.one["collate"]; opt != nil {
		c.SetCollation(collationName(b.l.d, opt.value))
	}
	if opt := o.one["autoupdate"]; opt != nil && !b.autoupdate(c, opt) {
		return
	}
	b.t.AddColumns(c)
	if o.one["pk"] != nil {
		b.pk = append(b.pk, c)
	}
	if opt := o.one["autoincrement"]; opt != nil {
		b.autoincrement(c, opt, o.identity, o.one["pk"] != nil)
	}
	for _, opt := range o.unique {
		b.addToIndex(opt, c, true)
	}
	for _, opt := range o.index {
		b.addToIndex(opt, c, false)
	}
	if opt := o.one["fk"]; opt != nil {
		b.addFK(c, o)
	}
	if opt := o.one["check"]; opt != nil {
		b.addCheck(objectName(b.t.Name, []string{name}, suffixCheck, b.l.d.MaxIdentLen()), opt.value, opt.pos)
	}
}

// columnType maps the field's type, or takes type:, and reports whether the
// Go type is nullable. It returns nil after recording an error.
func (b *tableBuilder) columnType(f field, o *fieldOptions) (*schema.ColumnType, bool) {
	kind, nullable := kindOf(f.v.Type())
	size := o.one["size"]
	var raw string
	switch typ := o.one["type"]; {
	case typ != nil && size != nil:
		b.l.errorf(size.pos, "size conflicts with type:%s; put the size in the type", typ.value)
		return nil, false
	case typ != nil:
		ct, err := b.l.parseType(typ.value)
		if err != nil {
			b.l.errorf(typ.pos, "bad value for type: %v", err)
			return nil, false
		}
		return ct, nullable
	case b.l.enumTypes[typeKey(f.v.Type())] != nil && size != nil:
		b.l.errorf(size.pos, "size on field %s of enum type %s: an enum column has no size", f.v.Name(), b.typeString(f.v.Type()))
		return nil, false
	case b.l.enumTypes[typeKey(f.v.Type())] != nil:
		ct, err := b.l.enumColumn(b.l.enumTypes[typeKey(f.v.Type())])
		if err != nil {
			b.l.errorf(f.pos, "enum column %s: %v", f.v.Name(), err)
			return nil, false
		}
		return ct, nullable
	case kind == kindNone:
		b.l.errorf(f.pos, "cannot map Go type %s of field %s to a column type; add type:SQL to its strata tag", b.typeString(f.v.Type()), f.v.Name())
		return nil, false
	case size != nil && kind != kindString:
		b.l.errorf(size.pos, "size:%d on field %s of Go type %s: size applies to strings only", o.size, f.v.Name(), b.typeString(f.v.Type()))
		return nil, false
	case size != nil:
		raw = sizedString[b.l.d](o.size)
	default:
		raw = columnTypes[kind][b.l.d]
	}
	ct, err := b.l.parseType(raw)
	if err != nil {
		panic(fmt.Sprintf("strata: built-in type %q does not parse: %v", raw, err))
	}
	return ct, nullable
}

func (b *tableBuilder) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// autoupdate sets MySQL's ON UPDATE of a time column, with the column's
// precision on CURRENT_TIMESTAMP as MySQL requires it (defaultExpr).
func (b *tableBuilder) autoupdate(c *schema.Column, opt *option) bool {
	if _, ok := c.Type.Type.(*schema.TimeType); !ok {
		typ, _ := b.l.ops.format(c.Type.Type)
		b.l.errorf(opt.pos, "autoupdate on column %q of type %s: MySQL updates only datetime and timestamp columns", c.Name, typ)
		return false
	}
	x := opt.value
	if r, ok := defaultExpr(b.l.d, c.Type.Type, x).(*schema.RawExpr); ok && !strings.HasPrefix(r.X, "(") {
		x = r.X
	}
	c.AddAttrs(&mysql.OnUpdate{A: x})
	return true
}

// autoincrement makes c an identity column (id holds the PostgreSQL
// identity's options): an integer column, the primary key but on
// PostgreSQL, whose identity columns may be any.
func (b *tableBuilder) autoincrement(c *schema.Column, opt *option, id *postgres.Identity, pk bool) {
	it, ok := c.Type.Type.(*schema.IntegerType)
	switch {
	case !ok || b.l.d == dialect.SQLite && it.T != "integer":
		typ, _ := b.l.ops.format(c.Type.Type)
		b.l.errorf(opt.pos, "autoincrement on non-integer column %q (%s)", c.Name, typ)
		return
	case !pk && b.l.d != dialect.Postgres:
		b.l.errorf(opt.pos, "autoincrement on column %q, which is not the primary key (add pk; only PostgreSQL has identity columns outside the key)", c.Name)
		return
	case c.Type.Null:
		b.l.errorf(opt.pos, "autoincrement on nullable column %q: an identity column is NOT NULL", c.Name)
		return
	}
	if pk {
		b.autoinc = opt
	}
	switch b.l.d {
	case dialect.Postgres:
		c.AddAttrs(id)
	case dialect.MySQL:
		c.AddAttrs(&mysql.AutoIncrement{})
	case dialect.SQLite:
		c.AddAttrs(&sqlite.AutoIncrement{})
	}
}

// addToIndex adds c to the index named by a unique or index option, creating
// it; an option without a name makes a single-column index.
func (b *tableBuilder) addToIndex(opt *option, c *schema.Column, unique bool) {
	name := opt.value
	if name == "" {
		suffix := suffixIndex
		if unique {
			suffix = suffixUnique
		}
		name = objectName(b.t.Name, []string{c.Name}, suffix, b.l.d.MaxIdentLen())
	} else if !b.l.identOK(opt.pos, opt.key, name) {
		return
	}
	for _, p := range b.indexes {
		if p.idx.Name != name {
			continue
		}
		if p.idx.Unique != unique {
			b.l.errorf(opt.pos, "index %q is declared both unique and not unique", name)
			return
		}
		p.idx.AddColumns(c)
		return
	}
	b.indexes = append(b.indexes, &pendingIndex{idx: schema.NewIndex(name).SetUnique(unique).AddColumns(c), pos: opt.pos})
}

// addFK adds c to its foreign key; fields sharing an fk_name make one
// composite key.
func (b *tableBuilder) addFK(c *schema.Column, o *fieldOptions) {
	fkOpt := o.one["fk"]
	refTable, refCol, _ := strings.Cut(fkOpt.value, ".")
	name := objectName(b.t.Name, []string{c.Name}, suffixFK, b.l.d.MaxIdentLen())
	if opt := o.one["fk_name"]; opt != nil {
		name = opt.value
	}
	var p *pendingFK
	for _, q := range b.fks {
		if q.fk.Symbol == name {
			p = q
		}
	}
	if p == nil {
		p = &pendingFK{fk: schema.NewForeignKey(name), refTable: refTable, pos: fkOpt.pos}
		b.fks = append(b.fks, p)
	} else if p.refTable != refTable {
		b.l.errorf(fkOpt.pos, "foreign key %q references both %q and %q", name, p.refTable, refTable)
		return
	}
	p.fk.AddColumns(c)
	p.refCols = append(p.refCols, refCol)
	for key, set := range map[string]*schema.ReferenceOption{"ondelete": &p.fk.OnDelete, "onupdate": &p.fk.OnUpdate} {
		opt := o.one[key]
		if opt == nil {
			continue
		}
		if a := action(opt.value); *set != "" && *set != a {
			b.l.errorf(opt.pos, "foreign key %q has two %s actions, %s and %s", name, key, *set, a)
		} else {
			*set = a
		}
	}
}

func (b *tableBuilder) addCheck(name, expr string, pos token.Position) {
	b.t.AddChecks(&schema.Check{Name: name, Expr: expr})
	b.checks = append(b.checks, pendingName{name: name, pos: pos})
}

// directive applies one table-level directive.
func (b *tableBuilder) directive(d directive) {
	pos := b.l.relative(d.argsPos)
	switch d.kind {
	case "index":
		b.indexDirective(d)
	case "check":
		name, expr, _ := strings.Cut(d.args, " ")
		if expr = strings.TrimSpace(expr); expr == "" {
			b.l.errorf(b.l.relative(d.pos), "bad value for //strata:check: want //strata:check NAME EXPR")
			return
		}
		if b.l.identOK(pos, "check name", name) {
			b.addCheck(name, expr, pos)
		}
	case "comment":
		switch b.comments++; {
		case d.args == "":
			b.l.errorf(b.l.relative(d.pos), "bad value for //strata:comment: want //strata:comment TEXT")
		case b.comments > 1:
			b.l.errorf(b.l.relative(d.pos), "//strata:comment given twice")
		case b.l.d != dialect.SQLite:
			b.t.SetComment(directiveText(d.args))
		}
	case "renamed_from":
		if b.l.identOK(pos, "renamed_from", d.args) {
			b.t.AddAttrs(&RenamedFrom{Name: d.args})
		}
	case "unique":
		b.uniqueDirective(d)
	default:
		b.optionDirective(d)
	}
}

// tableOptions are the table directives that set one table option, with
// the dialects they are for and whether they take a name.
var tableOptions = map[string]struct {
	dialects []dialect.Name
	named    bool
}{
	"pk":            {dialect.All, true},
	"charset":       {[]dialect.Name{dialect.MySQL}, true},
	"collate":       {[]dialect.Name{dialect.MySQL}, true},
	"without_rowid": {[]dialect.Name{dialect.SQLite}, false},
	"strict":        {[]dialect.Name{dialect.SQLite}, false},
}

// optionDirective applies a directive that sets a table option: each is
// given once, on its dialects, with a name or without.
func (b *tableBuilder) optionDirective(d directive) {
	pos, at := b.l.relative(d.argsPos), b.l.relative(d.pos)
	opt, known := tableOptions[d.kind]
	if !known {
		b.partitionDirective(d)
		return
	}
	switch {
	case b.seen[d.kind]:
		b.l.errorf(at, "//strata:%s given twice", d.kind)
		return
	case !slices.Contains(opt.dialects, b.l.d):
		b.l.errorf(at, "//strata:%s is not supported on %s (only on %s)", d.kind, b.l.d, dialectList(opt.dialects))
		return
	case opt.named && !b.l.identOK(pos, d.kind, d.args):
		return
	case !opt.named && d.args != "":
		b.l.errorf(pos, "bad value for //strata:%s: it takes no value", d.kind)
		return
	}
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	b.seen[d.kind] = true
	switch d.kind {
	case "pk":
		b.pkName = d.args
		b.pkPos = at
	case "charset":
		b.t.AddAttrs(&schema.Charset{V: d.args})
	case "collate":
		b.t.AddAttrs(&schema.Collation{V: d.args})
	case "without_rowid":
		b.t.AddAttrs(&sqlite.WithoutRowID{})
	case "strict":
		b.t.AddAttrs(&sqlite.Strict{})
	}
}

func (b *tableBuilder) indexDirective(d directive) {
	pos := b.l.relative(d.argsPos)
	ix, err := parseIndexDirective(d.args)
	if err != nil {
		b.l.errorf(pos, "bad value for //strata:index: %v", err)
		return
	}
	b.addIndex(ix, pos, false)
}

// uniqueDirective reads //strata:unique NAME (COLUMN, ...) [nulls not
// distinct]: a UNIQUE constraint, which PostgreSQL tells from a unique
// index; MySQL makes it a unique index of that name.
func (b *tableBuilder) uniqueDirective(d directive) {
	pos := b.l.relative(d.argsPos)
	ix, err := parseIndexDirective(d.args)
	if err == nil && (ix.unique || ix.using != "" || ix.include != nil || ix.where != "") {
		err = fmt.Errorf("a unique constraint takes only nulls not distinct after its columns")
	}
	if err == nil && b.l.d == dialect.SQLite {
		err = fmt.Errorf("SQLite does not keep the names of unique constraints; use //strata:index NAME (COLUMN, ...) unique")
	}
	if err != nil {
		b.l.errorf(pos, "bad value for //strata:unique: %v", strings.ReplaceAll(err.Error(), "//strata:index", "//strata:unique"))
		return
	}
	for _, p := range ix.parts {
		if p.column == "" || p.desc || p.prefix > 0 || p.opclass != "" {
			b.l.errorf(pos, "bad value for //strata:unique: constraint %q: want plain column names", ix.name)
			return
		}
	}
	ix.unique = true
	b.addIndex(ix, pos, true)
}

// pgIndexMethods and myIndexMethods are the index methods using takes.
var (
	pgIndexMethods = []string{"btree", "hash", "gin", "gist", "brin", "spgist"}
	myIndexMethods = []string{"BTREE", "HASH", "FULLTEXT", "SPATIAL"}
)

// addIndex adds the index of a //strata:index or //strata:unique
// (constraint) directive.
func (b *tableBuilder) addIndex(ix *indexDirective, pos token.Position, constraint bool) {
	if !b.l.identOK(pos, "index name", ix.name) {
		return
	}
	bad := func(format string, args ...any) {
		b.l.errorf(pos, "index %q: "+format, append([]any{ix.name}, args...)...)
	}
	pg, my := b.l.d == dialect.Postgres, b.l.d == dialect.MySQL
	idx := schema.NewIndex(ix.name).SetUnique(ix.unique)
	for _, part := range ix.parts {
		p := &schema.IndexPart{Desc: part.desc}
		if part.expr != "" {
			p.X = &schema.RawExpr{X: part.expr}
		} else if c, ok := b.t.Column(part.column); ok {
			p.C = c
		} else {
			bad("table %q has no column %q", b.t.Name, part.column)
			return
		}
		switch {
		case part.prefix > 0 && !my:
			bad("prefix lengths (%s(%d)) are MySQL's", part.column, part.prefix)
			return
		case part.prefix > 0:
			p.AddAttrs(&mysql.SubPart{Len: part.prefix})
		}
		switch {
		case part.opclass != "" && !pg:
			bad("unexpected %q after part %s (operator classes are PostgreSQL's; want DESC or ASC)", part.opclass, cmp.Or(part.column, part.expr))
			return
		case part.opclass != "":
			op := &postgres.IndexOpClass{}
			if err := op.UnmarshalText([]byte(part.opclass)); err != nil {
				bad("operator class %q: %v", part.opclass, err)
				return
			}
			p.AddAttrs(op)
		}
		idx.AddParts(p)
	}
	switch {
	case ix.using == "":
	case pg && slices.Contains(pgIndexMethods, strings.ToLower(ix.using)):
		idx.AddAttrs(&postgres.IndexType{T: strings.ToLower(ix.using)})
	case my && strings.EqualFold(ix.using, "hash") && !ix.unique:
		bad("using hash on a non-unique index: InnoDB makes it a B-tree (only MariaDB's unique HASH keys stay hash)")
		return
	case my && slices.Contains(myIndexMethods, strings.ToUpper(ix.using)):
		idx.AddAttrs(&mysql.IndexType{T: strings.ToUpper(ix.using)})
	case pg:
		bad("unknown method %q (want %s)", ix.using, strings.Join(pgIndexMethods, ", "))
		return
	case my:
		bad("unknown method %q (want %s)", ix.using, strings.ToLower(strings.Join(myIndexMethods, ", ")))
		return
	default:
		bad("using is not supported on %s", b.l.d)
		return
	}
	if len(ix.include) > 0 {
		if !pg {
			bad("include is PostgreSQL's")
			return
		}
		inc := &postgres.IndexInclude{}
		for _, name := range ix.include {
			c, ok := b.t.Column(name)
			if !ok {
				bad("table %q has no column %q", b.t.Name, name)
				return
			}
			inc.Columns = append(inc.Columns, c)
		}
		idx.AddAttrs(inc)
	}
	if ix.nullsNotDistinct {
		if !pg || !ix.unique {
			bad("nulls not distinct is for unique indexes and constraints on PostgreSQL 15+")
			return
		}
		idx.AddAttrs(&postgres.IndexNullsDistinct{V: false})
	}
	if constraint && pg {
		idx.AddAttrs(&postgres.Constraint{N: ix.name, T: "u"})
	}
	switch {
	case ix.where == "":
	case pg:
		idx.AddAttrs(&postgres.IndexPredicate{P: ix.where})
	case b.l.d == dialect.SQLite:
		idx.AddAttrs(&sqlite.IndexPredicate{P: ix.where})
	default:
		bad("partial indexes (where) are not supported on %s", b.l.d)
		return
	}
	for _, p := range b.indexes {
		if p.idx.Name == ix.name {
			b.l.errorf(pos, "duplicate index name %q in table %q (also at %s)", ix.name, b.t.Name, p.pos)
			return
		}
	}
	b.indexes = append(b.indexes, &pendingIndex{idx: idx, pos: pos})
}

// strictTypes are the column types a SQLite STRICT table accepts.
var strictTypes = []string{"int", "integer", "real", "text", "blob", "any"}

// strictTypes reports the columns of a STRICT table whose type SQLite
// would refuse.
func (b *tableBuilder) strictTypes() {
	for _, c := range b.t.Columns {
		if !slices.Contains(strictTypes, strings.ToLower(c.Type.Raw)) {
			b.l.errorf(b.colPos[c.Name], "column %q of STRICT table %q has type %s; SQLite's STRICT tables take only INT, INTEGER, REAL, TEXT, BLOB or ANY (set type:)", c.Name, b.t.Name, c.Type.Raw)
		}
	}
}

// finish sets the primary key and indexes once every column is known.
func (b *tableBuilder) finish() {
	if b.pkName != "" && len(b.pk) == 0 {
		b.l.errorf(b.pkPos, "//strata:pk names the primary key of %q, which has none (tag its columns pk)", b.t.Name)
	}
	if b.t.Attrs != nil && slices.ContainsFunc(b.t.Attrs, func(a schema.Attr) bool { _, ok := a.(*sqlite.Strict); return ok }) {
		b.strictTypes()
	}
	if len(b.pk) > 0 {
		pk := schema.NewPrimaryKey(b.pk...)
		if b.l.d == dialect.Postgres {
			pk.SetName(cmp.Or(b.pkName, objectName(b.t.Name, nil, suffixPK, b.l.d.MaxIdentLen())))
		}
		if b.autoinc != nil && len(b.pk) > 1 && b.l.d != dialect.Postgres {
			b.l.errorf(b.autoinc.pos, "autoincrement on a column of the composite primary key of %q", b.t.Name)
		}
		if b.autoinc != nil && b.l.d == dialect.SQLite {
			pk.AddAttrs(&sqlite.AutoIncrement{})
		}
		b.t.SetPrimaryKey(pk)
	}
	for _, p := range b.indexes {
		b.t.AddIndexes(p.idx)
	}
	b.checkPartitions()
}

// partitionDirective reads //strata:partition by range|list|hash (PART,
// ...), the partition key of a PostgreSQL partitioned table, and
// //strata:partition NAME BOUND, one of its partitions.
func (b *tableBuilder) partitionDirective(d directive) {
	pos, at := b.l.relative(d.argsPos), b.l.relative(d.pos)
	if b.l.d != dialect.Postgres {
		b.l.errorf(at, "//strata:partition is not supported on %s (only on postgres)", b.l.d)
		return
	}
	if word, rest, _ := strings.Cut(d.args, " "); strings.EqualFold(word, "by") {
		b.partitionKey(strings.TrimSpace(rest), pos, at)
		return
	}
	name, bound, _ := strings.Cut(d.args, " ")
	bound = strings.TrimSpace(bound)
	upper := strings.ToUpper(bound)
	if !strings.HasPrefix(upper, "FOR VALUES ") && upper != "DEFAULT" {
		b.l.errorf(pos, "bad value for //strata:partition: want //strata:partition by range|list|hash (PART, ...) or //strata:partition NAME FOR VALUES ...|DEFAULT")
		return
	}
	if !b.l.identOK(pos, "partition name", name) {
		return
	}
	b.partitions = append(b.partitions, pendingName{name: name, pos: pos})
	b.t.AddAttrs(&dialect.Partition{Name: name, Bound: bound})
}

// partitionKey reads the arguments of //strata:partition by.
func (b *tableBuilder) partitionKey(args string, pos, at token.Position) {
	bad := func(format string, a ...any) {
		b.l.errorf(pos, "bad value for //strata:partition by: "+format, a...)
	}
	strategy, list, _ := strings.Cut(args, " ")
	list = strings.TrimSpace(list)
	key := &postgres.Partition{T: strings.ToUpper(strategy)}
	switch {
	case b.key != nil:
		b.l.errorf(at, "//strata:partition by given twice")
		return
	case !slices.Contains([]string{postgres.PartitionTypeRange, postgres.PartitionTypeList, postgres.PartitionTypeHash}, key.T):
		bad("unknown strategy %q (want range, list or hash)", strategy)
		return
	case !strings.HasPrefix(list, "(") || dialect.ClosingParen(list) != len(list)-1:
		bad("want //strata:partition by range|list|hash (PART, ...)")
		return
	}
	for _, p := range splitTop(list[1 : len(list)-1]) {
		part, err := parseIndexPart(p)
		switch {
		case err != nil:
			bad("%v", err)
			return
		case part.desc || part.prefix > 0 || part.opclass != "":
			bad("part %q: want a column or a (expression)", strings.TrimSpace(p))
			return
		case part.expr != "":
			key.Parts = append(key.Parts, &postgres.PartitionPart{X: &schema.RawExpr{X: part.expr}})
			continue
		}
		c, ok := b.t.Column(part.column)
		if !ok {
			bad("table %q has no column %q", b.t.Name, part.column)
			return
		}
		key.Parts = append(key.Parts, &postgres.PartitionPart{C: c})
	}
	b.key, b.keyPos = key, at
	b.t.AddAttrs(key)
}

// checkPartitions reports partitions of a table with no partition key,
// and keys PostgreSQL refuses: a partitioned table's primary key and
// unique indexes hold every column of its partition key.
func (b *tableBuilder) checkPartitions() {
	if b.key == nil {
		for _, p := range b.partitions {
			b.l.errorf(p.pos, "partition %q of table %q, which has no //strata:partition by", p.name, b.t.Name)
		}
		return
	}
	keys := slices.Clone(b.t.Indexes)
	if b.t.PrimaryKey != nil {
		keys = append(keys, b.t.PrimaryKey)
	}
	for _, idx := range keys {
		if idx != b.t.PrimaryKey && !idx.Unique {
			continue
		}
		for _, kp := range b.key.Parts {
			if kp.C == nil {
				b.l.errorf(b.keyPos, "table %q has a primary key or unique index and an expression in its partition key; PostgreSQL refuses that", b.t.Name)
				return
			}
			if !slices.ContainsFunc(idx.Parts, func(p *schema.IndexPart) bool { return p.C == kp.C }) {
				b.l.errorf(b.keyPos, "partition key column %q of table %q is not in its %s; PostgreSQL requires it there", kp.C.Name, b.t.Name, keyName(b.t, idx))
			}
		}
	}
}

func keyName(t *schema.Table, idx *schema.Index) string {
	if idx == t.PrimaryKey {
		return "primary key"
	}
	return fmt.Sprintf("unique index %q", idx.Name)
}
