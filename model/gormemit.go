package model

import (
	"fmt"
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
)

// gormFK is a foreign key constraint (schema.Constraint).
type gormFK struct {
	rel                *gormRel
	name               string
	on, ref            *gormSchema
	cols, refCols      []*gormField
	onDelete, onUpdate string
}

// constraints returns the foreign keys AutoMigrate creates among tables,
// by the table that holds them (ParseConstraint).
func (r *gormReader) constraints(tables []*gormSchema) map[*gormSchema][]*gormFK {
	migrated := map[*gormSchema]bool{}
	for _, s := range tables {
		migrated[s] = true
	}
	out := map[*gormSchema][]*gormFK{}
	seen := map[string]bool{}
	for _, s := range tables {
		for _, rel := range s.rels {
			if rel.kind != relBelongs && rel.kind != relHas && rel.kind != relJoinKey {
				continue
			}
			str := rel.f.set["CONSTRAINT"]
			if str == "-" || rel.kind == relBelongs && backReferenced(rel) {
				continue
			}
			relName := rel.f.name
			if rel.kind == relJoinKey {
				relName = rel.joinName
			}
			fk := &gormFK{rel: rel, name: r.n.name("fk", rel.s.table, gormSnake(relName)), cols: rel.foreign, refCols: rel.primary}
			if i := strings.IndexByte(str, ','); i != -1 && gormConstraintName.MatchString(str[:i]) {
				fk.name = str[:i]
			}
			set := gormSettings(str, ",")
			fk.onDelete, fk.onUpdate = set["ONDELETE"], set["ONUPDATE"]
			if rel.own {
				fk.on, fk.ref = rel.field, rel.s
			} else {
				fk.on, fk.ref = rel.s, rel.field
			}
			key := fk.on.table + "\x00" + fk.name
			if !migrated[fk.on] || !migrated[fk.ref] || seen[key] {
				continue
			}
			seen[key] = true
			out[fk.on] = append(out[fk.on], fk)
		}
	}
	return out
}

// backReferenced reports whether the model a belongs-to association points
// at has the same association the other way (has-one or has-many), in
// which case GORM makes the constraint only once, named for that one.
func backReferenced(rel *gormRel) bool {
	for _, o := range rel.field.rels {
		if o == rel || o.field != rel.s || len(o.primary) != len(rel.primary) {
			continue
		}
		same := true
		for i := range o.primary {
			if o.primary[i] != rel.primary[i] || o.foreign[i] != rel.foreign[i] {
				same = false
			}
		}
		if same {
			return true
		}
	}
	return false
}

// emit adds the table of s as AutoMigrate creates it on the dialect.
func (r *gormReader) emit(s *gormSchema, fks map[*gormSchema][]*gormFK) {
	l := r.l
	if !l.identOK(s.pos, "table name", s.table) {
		return
	}
	b := &tableBuilder{l: l, t: schema.NewTable(s.table), pos: s.pos, colPos: map[string]token.Position{}}
	cols := map[*gormField]*schema.Column{}
	var rowid *schema.Column
	for _, f := range s.fields {
		if f.noMigr || f.dataType == "" {
			continue
		}
		c := r.column(f)
		if c == nil {
			continue
		}
		b.t.AddColumns(c)
		cols[f] = c
		if l.d == dialect.SQLite && c.Attrs != nil && slices.ContainsFunc(c.Attrs, func(a schema.Attr) bool { _, ok := a.(*sqlite.AutoIncrement); return ok }) && rowid == nil {
			rowid = c
		}
	}
	if len(b.t.Columns) == 0 {
		l.errorf(s.pos, "table %q has no columns", s.table)
	}
	switch {
	case rowid != nil:
		// The type "integer PRIMARY KEY AUTOINCREMENT" makes the key, and
		// GORM then writes no PRIMARY KEY clause.
		b.t.SetPrimaryKey(schema.NewPrimaryKey(rowid).AddAttrs(&sqlite.AutoIncrement{}))
	default:
		var pk []*schema.Column
		for _, f := range s.pks {
			if c := cols[f]; c != nil {
				pk = append(pk, c)
			}
		}
		if len(pk) > 0 {
			key := schema.NewPrimaryKey(pk...)
			if l.d == dialect.Postgres {
				key.SetName(objectName(s.table, nil, suffixPK, l.d.MaxIdentLen()))
			}
			b.t.SetPrimaryKey(key)
		}
	}
	r.indexes(s, b, cols)
	autoindex := 0
	if pk := b.t.PrimaryKey; pk != nil && rowid == nil && (len(pk.Parts) > 1 || !strings.EqualFold(pk.Parts[0].C.Type.Raw, "integer")) {
		autoindex++
	}
	uniques := 0
	for _, f := range s.fields {
		if f.unique && cols[f] != nil {
			uniques++
		}
	}
	if uniques > 1 && l.d == dialect.SQLite {
		l.warnf(s.pos, "%s has %d unique fields: GORM writes their UNIQUE constraints in random order, so SQLite's numbering of their indexes (sqlite_autoindex_%s_N) differs from run to run; strata numbers them in field order", s.name, uniques, s.table)
	}
	for _, f := range s.fields {
		if c := cols[f]; c != nil && f.unique {
			idx := schema.NewIndex(r.n.name("uni", s.table, gormSnake(f.db))).SetUnique(true).AddColumns(c)
			switch l.d {
			case dialect.Postgres:
				idx.AddAttrs(&postgres.Constraint{N: idx.Name, T: "u"})
			case dialect.SQLite:
				// SQLite names the index of a UNIQUE constraint itself,
				// numbering them after the primary key's own.
				autoindex++
				idx.Name = fmt.Sprintf("sqlite_autoindex_%s_%d", s.table, autoindex)
				idx.AddAttrs(&sqlite.IndexOrigin{O: "u"})
			}
			b.indexes = append(b.indexes, &pendingIndex{idx: idx, pos: f.pos})
		}
		if chk := f.set["CHECK"]; chk != "" && cols[f] != nil {
			names := strings.Split(chk, ",")
			name, expr := r.n.name("chk", s.table, f.db), chk
			if len(names) > 1 && gormConstraintName.MatchString(names[0]) {
				name, expr = names[0], strings.Join(names[1:], ",")
			} else if names[0] == "" {
				expr = strings.Join(names[1:], ",")
			}
			b.addCheck(name, expr, f.pos)
		}
	}
	for _, fk := range fks[s] {
		p := &pendingFK{fk: schema.NewForeignKey(fk.name), refTable: fk.ref.table, pos: fk.rel.f.pos}
		for i, f := range fk.cols {
			c := cols[f]
			if c == nil {
				l.errorf(fk.rel.f.pos, "foreign key %s: column %q of %q is not migrated", fk.name, f.db, s.table)
				p = nil
				break
			}
			p.fk.AddColumns(c)
			p.refCols = append(p.refCols, fk.refCols[i].db)
		}
		if p == nil {
			continue
		}
		for _, a := range []struct {
			v   string
			set *schema.ReferenceOption
			key string
		}{{fk.onDelete, &p.fk.OnDelete, "OnDelete"}, {fk.onUpdate, &p.fk.OnUpdate, "OnUpdate"}} {
			if a.v == "" {
				continue
			}
			if *a.set = action(a.v); *a.set == "" {
				l.errorf(fk.rel.f.pos, "field %s.%s: constraint %s:%s is not a referential action (want CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION)", fk.rel.s.name, fk.rel.f.name, a.key, a.v)
			}
		}
		b.fks = append(b.fks, p)
	}
	for _, p := range b.indexes {
		b.t.AddIndexes(p.idx)
	}
	l.tables = append(l.tables, b)
}

// column is the column of f: the driver's DataTypeOf, NOT NULL, DEFAULT
// and COMMENT, or what the field's strata tag says instead.
func (r *gormReader) column(f *gormField) *schema.Column {
	l := r.l
	raw, autoInc := r.dataTypeOf(f)
	if o := f.strataOption("type"); o != nil {
		raw, autoInc = o.value, false
	}
	ct, err := l.parseType(raw)
	if err != nil {
		l.errorf(f.pos, "field %s.%s: column type %q: %v; add strata:\"type:SQL\" to the field", f.s.name, f.name, raw, err)
		return nil
	}
	// SQLite lets a primary key column hold NULL unless it says NOT NULL.
	ct.Null = !f.notNull && (!f.pk || l.d == dialect.SQLite)
	switch {
	case f.strataOption("null") != nil:
		ct.Null = true
	case f.strataOption("notnull") != nil:
		ct.Null = false
	}
	c := &schema.Column{Name: f.db, Type: ct}
	def := f.defaultSQL()
	if o := f.strataOption("default"); o != nil {
		def = o.value
	}
	if def != "" {
		c.Default = defaultExpr(l.d, ct.Type, def)
	}
	if f.comment != "" && l.d != dialect.SQLite {
		c.SetComment(f.comment)
	}
	if autoInc {
		switch l.d {
		case dialect.MySQL:
			c.AddAttrs(&mysql.AutoIncrement{})
		case dialect.SQLite:
			c.AddAttrs(&sqlite.AutoIncrement{})
		}
	}
	return c
}

// dataTypeOf is the driver's DataTypeOf, minus what strata keeps apart:
// AUTO_INCREMENT and SQLite's inline PRIMARY KEY AUTOINCREMENT come back
// as autoInc, MySQL's NULL suffix goes (nullability is the column's).
func (r *gormReader) dataTypeOf(f *gormField) (string, bool) {
	switch r.l.d {
	case dialect.Postgres:
		return pgDataType(f), false
	case dialect.MySQL:
		return mysqlDataType(f)
	default:
		switch f.dataType {
		case gBool:
			return "numeric", false
		case gInt, gUint:
			return "integer", f.autoInc
		case gFloat:
			return "real", false
		case gString:
			return "text", false
		case gTime:
			if v, ok := f.set["TYPE"]; ok {
				return v, false
			}
			return "datetime", false
		case gBytes:
			return "blob", false
		}
		return f.dataType, false
	}
}

func pgIntType(size int, unsigned bool) string {
	if unsigned {
		size++
	}
	switch {
	case size <= 16:
		return "smallint"
	case size <= 32:
		return "integer"
	}
	return "bigint"
}

var pgSerial = map[string]string{"smallint": "smallserial", "integer": "serial", "bigint": "bigserial"}

func pgDataType(f *gormField) string {
	switch f.dataType {
	case gBool:
		return "boolean"
	case gInt, gUint:
		t := pgIntType(f.size, f.dataType == gUint)
		if f.autoInc {
			return pgSerial[t]
		}
		return t
	case gFloat:
		switch {
		case f.prec > 0 && f.scale > 0:
			return fmt.Sprintf("numeric(%d, %d)", f.prec, f.scale)
		case f.prec > 0:
			return fmt.Sprintf("numeric(%d)", f.prec)
		}
		return "decimal"
	case gString:
		if f.size > 0 && f.size <= 10485760 {
			return fmt.Sprintf("varchar(%d)", f.size)
		}
		return "text"
	case gTime:
		if f.prec > 0 {
			return fmt.Sprintf("timestamptz(%d)", f.prec)
		}
		return "timestamptz"
	case gBytes:
		return "bytea"
	}
	if f.autoInc && !strings.Contains(strings.ToLower(f.dataType), "serial") {
		return pgSerial[pgIntType(f.size, f.gormType == gUint)]
	}
	return f.dataType
}

func mysqlDataType(f *gormField) (string, bool) {
	switch f.dataType {
	case gBool:
		return "boolean", false
	case gInt, gUint:
		var t string
		switch {
		case f.size <= 8:
			t = "tinyint"
		case f.size <= 16:
			t = "smallint"
		case f.size <= 24:
			t = "mediumint"
		case f.size <= 32:
			t = "int"
		default:
			t = "bigint"
		}
		if f.dataType == gUint {
			t += " unsigned"
		}
		return t, f.autoInc
	case gFloat:
		switch {
		case f.prec > 0:
			return fmt.Sprintf("decimal(%d, %d)", f.prec, f.scale), false
		case f.size <= 32:
			return "float", false
		}
		return "double", false
	case gString:
		size := f.size
		if size == 0 && (f.pk || f.hasDef || f.set["INDEX"] != "" || f.set["UNIQUE"] != "") {
			size = 191
		}
		switch {
		case size >= 65536 && size <= 1<<24:
			return "mediumtext", false
		case size > 1<<24 || size <= 0:
			return "longtext", false
		}
		return fmt.Sprintf("varchar(%d)", size), false
	case gTime:
		p := f.prec
		if p == 0 && f.set["PRECISION"] == "" {
			p = 3
		}
		if p > 0 {
			return fmt.Sprintf("datetime(%d)", p), false
		}
		return "datetime", false
	case gBytes:
		switch {
		case f.size > 0 && f.size < 65536:
			return fmt.Sprintf("varbinary(%d)", f.size), false
		case f.size >= 65536 && f.size <= 1<<24:
			return "mediumblob", false
		}
		return "longblob", false
	}
	t := f.dataType
	if i := strings.Index(strings.ToLower(t), " auto_increment"); i >= 0 {
		return t[:i] + t[i+len(" auto_increment"):], true
	}
	return t, f.autoInc
}

// gormIndex is one index of the table (schema.Index).
type gormIndex struct {
	name, class, typ, where, comment string
	parts                            []gormIndexPart
	pos                              token.Position
}

type gormIndexPart struct {
	f                   *gormField
	expr, sort, collate string
	length, priority    int
}

// indexes adds the table's index and uniqueIndex indexes (ParseIndexes).
func (r *gormReader) indexes(s *gormSchema, b *tableBuilder, cols map[*gormField]*schema.Column) {
	var list []*gormIndex
	byName := map[string]*gormIndex{}
	for _, f := range s.fields {
		if f.set["INDEX"] == "" && f.set["UNIQUEINDEX"] == "" {
			continue
		}
		for _, item := range strings.Split(f.tag, ";") {
			v := strings.Split(item, ":")
			k := strings.TrimSpace(strings.ToUpper(v[0]))
			if k != "INDEX" && k != "UNIQUEINDEX" {
				continue
			}
			tag := strings.Join(v[1:], ":")
			name, opts, _ := strings.Cut(tag, ",")
			set := gormSettings(opts, ",")
			if name == "" {
				sub := f.name
				if c, ok := set["COMPOSITE"]; ok {
					if c == "" || c == "COMPOSITE" {
						r.l.errorf(f.pos, "field %s.%s: the composite option of an index needs a name", s.name, f.name)
						continue
					}
					sub = c
				}
				name = r.n.name("idx", s.table, gormSnake(sub))
			}
			if k == "UNIQUEINDEX" || set["UNIQUE"] != "" {
				set["CLASS"] = "UNIQUE"
			}
			prio, err := strconv.Atoi(set["PRIORITY"])
			if err != nil {
				prio = 10
			}
			length, _ := strconv.Atoi(set["LENGTH"])
			idx := byName[name]
			if idx == nil {
				idx = &gormIndex{name: name, pos: f.pos}
				byName[name] = idx
				list = append(list, idx)
			}
			idx.class = cmpOr(idx.class, set["CLASS"])
			idx.typ = cmpOr(idx.typ, set["TYPE"])
			idx.where = cmpOr(idx.where, set["WHERE"])
			idx.comment = cmpOr(idx.comment, set["COMMENT"])
			idx.parts = append(idx.parts, gormIndexPart{f: f, expr: set["EXPRESSION"], sort: set["SORT"], collate: set["COLLATE"], length: length, priority: prio})
			sort.SliceStable(idx.parts, func(i, j int) bool { return idx.parts[i].priority < idx.parts[j].priority })
		}
	}
	for _, gi := range list {
		if idx := r.gormIndex(s, gi, cols); idx != nil {
			b.indexes = append(b.indexes, &pendingIndex{idx: idx, pos: gi.pos})
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// gormIndex is one GORM index as the dialect creates it.
func (r *gormReader) gormIndex(s *gormSchema, gi *gormIndex, cols map[*gormField]*schema.Column) *schema.Index {
	l := r.l
	d := l.d
	class := strings.ToUpper(gi.class)
	idx := schema.NewIndex(gi.name).SetUnique(class == "UNIQUE")
	bad := func(format string, args ...any) *schema.Index {
		l.errorf(gi.pos, "index %s of %s: "+format, append([]any{gi.name, s.name}, args...)...)
		return nil
	}
	switch {
	case class == "" || class == "UNIQUE":
	case d == dialect.MySQL && (class == "FULLTEXT" || class == "SPATIAL"):
		idx.AddAttrs(&mysql.IndexType{T: class})
	default:
		return bad("class %s is not supported on %s", gi.class, d)
	}
	for _, p := range gi.parts {
		part := &schema.IndexPart{Desc: strings.EqualFold(strings.TrimSpace(p.sort), "desc")}
		switch {
		case p.expr != "":
			part.X = &schema.RawExpr{X: p.expr}
		case cols[p.f] == nil:
			return bad("column %q is not migrated", p.f.db)
		default:
			part.C = cols[p.f]
		}
		if p.length > 0 && d == dialect.MySQL {
			part.AddAttrs(&mysql.SubPart{Len: p.length})
		}
		if d == dialect.MySQL && part.C != nil && p.length == 0 && blobType(part.C.Type.Type) {
			// MariaDB keeps a unique key on a TEXT or BLOB column as a
			// hash; MySQL refuses any key on one without a length.
			if idx.Unique {
				idx.AddAttrs(&mysql.IndexType{T: "HASH"})
			}
			l.warnf(gi.pos, "index %s of %s: column %s is %s, so GORM's index on it works on MariaDB but fails on MySQL 8 (error 1170); give the field a size, or the index a length",
				gi.name, s.name, part.C.Name, part.C.Type.Raw)
		}
		if p.collate != "" {
			l.warnf(gi.pos, "index %s of %s: strata does not compare the collation %s of its part %s", gi.name, s.name, p.collate, p.f.db)
		}
		idx.AddParts(part)
	}
	if gi.typ != "" {
		switch d {
		case dialect.Postgres:
			idx.AddAttrs(&postgres.IndexType{T: strings.ToUpper(gi.typ)})
		case dialect.MySQL:
			idx.AddAttrs(&mysql.IndexType{T: strings.ToUpper(gi.typ)})
		}
	}
	if gi.where != "" {
		switch d {
		case dialect.Postgres:
			idx.AddAttrs(&postgres.IndexPredicate{P: gi.where})
		case dialect.SQLite:
			idx.AddAttrs(&sqlite.IndexPredicate{P: gi.where})
		default:
			l.warnf(gi.pos, "index %s of %s: GORM drops where:%s on MySQL, which has no partial indexes, and so does strata", gi.name, s.name, gi.where)
		}
	}
	if gi.comment != "" {
		if d != dialect.MySQL {
			return bad("GORM writes index comments only on MySQL")
		}
		idx.SetComment(gi.comment)
	}
	return idx
}

// blobType reports whether t is a MySQL TEXT or BLOB type, which a key
// can cover only by a prefix length.
func blobType(t schema.Type) bool {
	switch t := t.(type) {
	case *schema.StringType:
		return strings.HasSuffix(strings.ToLower(t.T), "text")
	case *schema.BinaryType:
		return strings.HasSuffix(strings.ToLower(t.T), "blob")
	}
	return false
}
