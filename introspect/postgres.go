package introspect

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
)

// The PostgreSQL reader replaces Atlas's table inspection, whose index and
// column queries grow quadratically with the schema (issue 6). It reads the
// selected tables of the current schema with seven catalog queries, each one
// pass over the catalog rows of those tables (filtered by namespace and
// `relname = ANY($1)`), and builds the *schema.Schema Atlas's InspectSchema
// builds for schema.InspectTables: the same Go types, attributes, names and
// order. The rules that turn rows into objects mirror Atlas's
// sql/postgres/inspect_oss.go at the pinned version; inspect_equal_test.go
// holds the two readers to the same result.
//
// What the reader does not model is left to Atlas's inspector: servers before
// PostgreSQL 15 and CockroachDB (other catalog columns) and exclusion
// constraints (operators per index part). pgInspect reports them with
// errUnsupported.

// errUnsupported marks a schema that strata's own reader leaves to Atlas's
// inspector.
var errUnsupported = errors.New("not supported by strata's reader")

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUnsupported}, args...)...)
}

// pgReader assembles one inspection.
type pgReader struct {
	db    *sql.DB
	names string // the selected table names as a text[] literal
	// wide reads every table of the schema but those named in names
	// (pgWide), without listing the tables first.
	wide bool
	// pre holds the queries sent ahead of the steps reading them.
	pre    *prefetch
	s      *schema.Schema
	tables map[string]*schema.Table
	// attrs are the columns read, by table and number, for the queries
	// that name columns by number.
	attrs map[pgAttr]*schema.Column
	// keys are the partition keys, built once the columns are read.
	keys []pgKey
}

// pgAttr is a column's table and number.
type pgAttr struct {
	t   *schema.Table
	num int64
}

// pgKey is a row of pg_partitioned_table.
type pgKey struct{ table, strategy, attrs, exprs string }

// partitionKeys adds the partition key to each partitioned table, where
// Atlas's inspector adds it: after the columns, before the indexes.
func (r *pgReader) partitionKeys(context.Context) error {
	for _, k := range r.keys {
		t, err := r.table(k.table)
		if err != nil {
			return err
		}
		p, err := pgPartitionKey(t, k.strategy, k.attrs, k.exprs)
		if err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		t.AddAttrs(p)
	}
	return nil
}

// pgInspect reads the named tables of the current schema.
func pgInspect(ctx context.Context, db *sql.DB, names []string) (*schema.Schema, error) {
	return pgRead(ctx, db, names, false)
}

// pgInspectAll reads every table of the current schema that pgTableFilter
// lets the user read, except those named in skip. It saves listing the
// tables before the queries go out, a round trip and a pass over pg_class
// (10 to 20 ms at 1,000 tables): the queries select the tables themselves
// (pgWide), and the tables query's rows say which were read.
func pgInspectAll(ctx context.Context, db *sql.DB, skip []string) (*schema.Schema, error) {
	return pgRead(ctx, db, skip, true)
}

func pgRead(ctx context.Context, db *sql.DB, names []string, wide bool) (*schema.Schema, error) {
	r := &pgReader{db: db, names: pgTextArray(names), wide: wide, tables: make(map[string]*schema.Table, len(names)), attrs: make(map[pgAttr]*schema.Column)}
	var send func(string) string
	if wide {
		send = func(q string) string { return pgWideQueries[q] }
	}
	r.pre = startPrefetch(ctx, db, []any{r.names}, send, pgReaderQueries...)
	defer r.pre.stop()
	for _, step := range []func(context.Context) error{r.scope, r.readTables, r.columns, r.partitionKeys, r.indexes, r.indexConstraints, r.fks, r.checks} {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	return r.s, nil
}

// pgArrayQuote escapes an element of a text[] literal (one replacer: building
// one costs more than quoting a thousand names).
var pgArrayQuote = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// pgTextArray writes names as a PostgreSQL text[] literal, so the queries
// take one parameter whatever the number of tables.
func pgTextArray(names []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		pgArrayQuote.WriteString(&b, n)
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// each runs query with the table names, or takes its prefetched rows, and
// calls f on every row.
func (r *pgReader) each(ctx context.Context, what, query string, f func(*sql.Rows) error) error {
	if rows, err, ok := r.pre.take(query); ok {
		return readRows("postgres", what, rows, err, f)
	}
	if r.wide && query == pgTablesQuery {
		// names are the tables skipped until the tables are read.
		query = pgWideQueries[query]
	}
	return eachRow(ctx, r.db, "postgres", what, query, f, r.names)
}

// eachRow runs query on db and calls f on every row; errors name the
// reader (label) and what it reads.
func eachRow(ctx context.Context, db *sql.DB, label, what, query string, f func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	return readRows(label, what, rows, err, f)
}

// readRows calls f on every row of a query's result.
func readRows(label, what string, rows *sql.Rows, err error, f func(*sql.Rows) error) error {
	if err != nil {
		return fmt.Errorf("%s: query %s: %w", label, what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return fmt.Errorf("%s: %s: %w", label, what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: query %s: %w", label, what, err)
	}
	return nil
}

// table returns the table of a row. A reading of every table (wide) gets
// rows of tables the tables query left out, which pgTableFilter rejects
// (the user's privileges, extensions' tables): nil, and the row is
// skipped.
func (r *pgReader) table(name string) (*schema.Table, error) {
	t, ok := r.tables[name]
	if !ok && !r.wide {
		return nil, fmt.Errorf("table %q was not found in schema", name)
	}
	return t, nil
}

// scope reads the current schema and checks the server is one the reader knows.
func (r *pgReader) scope(ctx context.Context) error {
	var (
		name, comment, crdb sql.NullString
		version             int
	)
	err := r.db.QueryRowContext(ctx, pgScopeQuery).Scan(&name, &comment, &version, &crdb)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return unsupported("no current schema") // Atlas reports it.
	case err != nil:
		return fmt.Errorf("postgres: query schema: %w", err)
	case crdb.Valid:
		return unsupported("CockroachDB")
	case version < 15_00_00:
		return unsupported("server version %d", version)
	}
	r.s = schema.New(name.String)
	if comment.Valid {
		r.s.SetComment(comment.String)
	}
	schema.NewRealm(r.s)
	return nil
}

// readTables reads the tables; the later queries read only those found.
func (r *pgReader) readTables(ctx context.Context) error {
	var found []string
	err := r.each(ctx, "tables", pgTablesQuery, func(rows *sql.Rows) error {
		var (
			oid                                    int64
			name                                   string
			comment, partstrat, partattrs, partexp sql.NullString
		)
		if err := rows.Scan(&oid, &name, &comment, &partstrat, &partattrs, &partexp); err != nil {
			return err
		}
		if validString(partattrs) {
			r.keys = append(r.keys, pgKey{name, partstrat.String, partattrs.String, partexp.String})
		}
		t := schema.NewTable(name).AddAttrs(&postgres.OID{V: oid})
		if validString(comment) {
			t.SetComment(comment.String)
		}
		r.s.AddTables(t)
		r.tables[name] = t
		found = append(found, name)
		return nil
	})
	r.names = pgTextArray(found)
	return err
}

func (r *pgReader) columns(ctx context.Context) error {
	// The query returns a row per distinct (type, modifier, collation) of
	// the columns, with no table, and a row per column, which names its
	// type by that key. The type rows come first (the rows of a UNION ALL
	// branch before the next's, as the server runs them); a column row
	// that came before its type's waits for the end. The rows are
	// unordered otherwise: each table's columns are added in attnum order,
	// as Atlas's query orders them.
	type numbered struct {
		num int64
		c   *schema.Column
	}
	types := make(map[pgTypeKey]pgTypeRow)
	read := make(map[*schema.Table][]numbered, len(r.tables))
	add := func(row *pgColumnRow, ty pgTypeRow) error {
		c, err := row.column(ty)
		if err != nil {
			return err
		}
		read[row.t] = append(read[row.t], numbered{row.num, c})
		r.attrs[pgAttr{row.t, row.num}] = c
		return nil
	}
	var early []*pgColumnRow
	err := r.each(ctx, "columns", pgColumnsText, func(rows *sql.Rows) error {
		var (
			table, name, typ, fmtype, typtype, collate sql.NullString
			num                                        sql.NullInt64
			row                                        pgColumnRow
		)
		if err := rows.Scan(&table, &name, &num, &typ, &fmtype, &row.notnull, &row.defaults, &row.key.typid, &row.key.typmod, &row.key.coll,
			&collate, &row.identity, &row.seqstart, &row.seqinc, &row.seqlast, &row.genexpr, &row.comment, &typtype); err != nil {
			return err
		}
		if !table.Valid {
			types[row.key] = pgTypeRow{d: pgColumn{typ: typ.String, fmtype: fmtype.String, typtype: typtype.String}, domainNotNull: row.notnull, collate: collate}
			return nil
		}
		t, err := r.table(table.String)
		if err != nil || t == nil {
			return err
		}
		row.t, row.num, row.name = t, num.Int64, name.String
		if ty, ok := types[row.key]; ok {
			return add(&row, ty)
		}
		early = append(early, &row)
		return nil
	})
	if err != nil {
		return err
	}
	for _, row := range early {
		ty, ok := types[row.key]
		if !ok {
			return fmt.Errorf("postgres: columns: no type row for column %s.%s", row.t.Name, row.name)
		}
		if err := add(row, ty); err != nil {
			return err
		}
	}
	for t, cs := range read {
		slices.SortFunc(cs, func(a, b numbered) int { return cmp.Compare(a.num, b.num) })
		for _, c := range cs {
			t.AddColumns(c.c)
		}
	}
	return nil
}

// pgColumnsText is the columns query the reader sends: pgColumnsQuery,
// but where a test sends one whose type rows come last.
var pgColumnsText = pgColumnsQuery

// pgTypeKey is a column's type, modifier and collation.
type pgTypeKey struct{ typid, typmod, coll int64 }

// pgTypeRow is a type row of the columns query.
type pgTypeRow struct {
	d             pgColumn
	domainNotNull bool
	collate       sql.NullString
}

// pgColumnRow is a column row of the columns query.
type pgColumnRow struct {
	t                                    *schema.Table
	num                                  int64
	name                                 string
	key                                  pgTypeKey
	notnull                              bool
	defaults, identity, genexpr, comment sql.NullString
	seqstart, seqinc, seqlast            sql.NullInt64
}

// column builds the column of row, of type ty.
func (row *pgColumnRow) column(ty pgTypeRow) (*schema.Column, error) {
	d := ty.d
	d.setSizes(row.key.typid, row.key.typmod)
	c := &schema.Column{Name: row.name, Type: &schema.ColumnType{Null: !(row.notnull || ty.domainNotNull), Raw: d.typ}}
	if d.typtype == "d" {
		c.Type.Raw = d.fmtype // A domain is shown by its own name.
	}
	var err error
	if c.Type.Type, err = d.columnType(); err != nil {
		return nil, err
	}
	if row.defaults.Valid {
		pgColumnDefault(c, row.defaults.String)
	}
	if row.identity.Valid {
		c.Attrs = append(c.Attrs, &postgres.Identity{
			Generation: row.identity.String,
			Sequence:   &postgres.Sequence{Start: row.seqstart.Int64, Increment: row.seqinc.Int64, Last: row.seqlast.Int64},
		})
	}
	if validString(row.genexpr) {
		c.Attrs = append(c.Attrs, &schema.GeneratedExpr{Expr: row.genexpr.String})
	}
	if validString(row.comment) {
		c.SetComment(row.comment.String)
	}
	if validString(ty.collate) {
		c.SetCollation(ty.collate.String)
	}
	return c, nil
}

// pgIndexRow is a row of the indexes query: a part of an index.
type pgIndexRow struct {
	t                                                           *schema.Table
	name, typ                                                   string
	key, ord                                                    int64
	included, primary, unique, nullsNotDistinct                 bool
	pred, expr, comment, options, opcname, opcschema, opcparams sql.NullString
	desc, nullsFirst, nullsLast, opcdefault                     sql.NullBool
}

func (r *pgReader) indexes(ctx context.Context) error {
	var parts []pgIndexRow
	err := r.each(ctx, "indexes", pgIndexesQuery, func(rows *sql.Rows) error {
		var (
			p         pgIndexRow
			table     string
			exclusion bool
		)
		if err := rows.Scan(&table, &p.name, &p.typ, &p.key, &p.ord, &p.included, &p.primary, &p.unique, &exclusion, &p.pred, &p.expr,
			&p.desc, &p.nullsFirst, &p.nullsLast, &p.comment, &p.options, &p.opcname, &p.opcschema, &p.opcdefault, &p.opcparams, &p.nullsNotDistinct); err != nil {
			return err
		}
		t, err := r.table(table)
		if err != nil || t == nil {
			return err
		}
		if exclusion {
			return unsupported("exclusion constraint %q", p.name)
		}
		p.t = t
		parts = append(parts, p)
		return nil
	})
	if err != nil {
		return err
	}
	// In Atlas's order: by table, index and position.
	slices.SortFunc(parts, func(a, b pgIndexRow) int {
		return cmp.Or(cmp.Compare(a.t.Name, b.t.Name), cmp.Compare(a.name, b.name), cmp.Compare(a.ord, b.ord))
	})
	byName := make(map[string]*schema.Index)
	for _, p := range parts {
		if err := r.indexPart(byName, p); err != nil {
			return fmt.Errorf("postgres: indexes: %w", err)
		}
	}
	return nil
}

// indexPart adds a part to its index, which it starts on the index's
// first part.
func (r *pgReader) indexPart(byName map[string]*schema.Index, p pgIndexRow) error {
	idx, ok := byName[p.name]
	if !ok {
		var err error
		if idx, err = newPGIndex(p.name, p.typ, p.unique, p.nullsNotDistinct, p.comment, p.pred, p.options); err != nil {
			return err
		}
		byName[p.name] = idx
		if p.primary {
			p.t.SetPrimaryKey(idx)
		} else {
			p.t.AddIndexes(idx)
		}
	}
	part := &schema.IndexPart{SeqNo: len(idx.Parts) + 1, Desc: p.desc.Bool}
	if p.nullsFirst.Bool || p.nullsLast.Bool {
		part.Attrs = append(part.Attrs, &postgres.IndexColumnProperty{NullsFirst: p.nullsFirst.Bool, NullsLast: p.nullsLast.Bool})
	}
	var c *schema.Column
	if p.key != 0 {
		if c = r.attrs[pgAttr{p.t, p.key}]; c == nil {
			return fmt.Errorf("column %d of table %q, in index %q, was not read", p.key, p.t.Name, p.name)
		}
	}
	switch {
	case p.included:
		if c == nil {
			return fmt.Errorf("INCLUDE part %d of index %q is not a column", p.ord, p.name)
		}
		var include postgres.IndexInclude
		for _, a := range idx.Attrs {
			if a, ok := a.(*postgres.IndexInclude); ok {
				include = *a
			}
		}
		include.Columns = append(include.Columns, c)
		schema.ReplaceOrAppend(&idx.Attrs, &include)
	case c != nil && validName(c.Name):
		part.C = c
		part.C.Indexes = append(part.C.Indexes, idx)
		idx.Parts = append(idx.Parts, part)
	case c != nil:
		// A column Atlas's ValidString rejects (named null, in any case)
		// is read as the expression pg_get_indexdef prints for it: the
		// quoted name.
		part.X = &schema.RawExpr{X: `"` + strings.ReplaceAll(c.Name, `"`, `""`) + `"`}
		idx.Parts = append(idx.Parts, part)
	case validString(p.expr):
		part.X = &schema.RawExpr{X: p.expr.String}
		idx.Parts = append(idx.Parts, part)
	default:
		return fmt.Errorf("invalid part for index %q", p.name)
	}
	return pgOpClass(part, p.opcschema.String, p.opcname.String, p.opcparams.String, p.opcdefault.Bool)
}

// newPGIndex starts an index with the attributes of its first row.
func newPGIndex(name, typ string, unique, nullsNotDistinct bool, comment, pred, options sql.NullString) (*schema.Index, error) {
	idx := &schema.Index{Name: name, Unique: unique, Attrs: []schema.Attr{&postgres.IndexType{T: typ}}}
	if validString(comment) {
		idx.Attrs = append(idx.Attrs, &schema.Comment{Text: comment.String})
	}
	// The index's constraints are read separately (indexConstraints); a
	// placeholder keeps their place among the attributes.
	idx.Attrs = append(idx.Attrs, pgConstraintsMark{})
	if validString(pred) {
		idx.Attrs = append(idx.Attrs, &postgres.IndexPredicate{P: pred.String})
	}
	if validString(options) {
		p, err := pgIndexStorage(options.String)
		if err != nil {
			return nil, err
		}
		idx.Attrs = append(idx.Attrs, p)
	}
	if nullsNotDistinct {
		idx.Attrs = append(idx.Attrs, &postgres.IndexNullsDistinct{V: false})
	}
	return idx, nil
}

// pgConstraintsMark holds the place of an index's constraint attributes
// until indexConstraints replaces it.
type pgConstraintsMark struct{ schema.Attr }

// indexConstraints adds to each index the constraints that use it: its
// primary key or unique constraint, and the foreign keys referencing it.
// Atlas orders them by iterating a Go map, that is randomly; strata sorts
// them by name.
func (r *pgReader) indexConstraints(ctx context.Context) error {
	cons := make(map[*schema.Index][]schema.Attr)
	err := r.each(ctx, "index constraints", pgIndexConstraintsQuery, func(rows *sql.Rows) error {
		var table, index, name, typ string
		if err := rows.Scan(&table, &index, &name, &typ); err != nil {
			return err
		}
		t, err := r.table(table)
		if err != nil || t == nil {
			return err
		}
		idx := t.PrimaryKey
		if idx == nil || idx.Name != index {
			if idx, _ = t.Index(index); idx == nil {
				return fmt.Errorf("index %q was not found in table %q", index, table)
			}
		}
		for _, c := range cons[idx] {
			if c.(*postgres.Constraint).N == name {
				return nil // One entry per name, as Atlas's jsonb object.
			}
		}
		cons[idx] = append(cons[idx], &postgres.Constraint{N: name, T: typ})
		return nil
	})
	if err != nil {
		return err
	}
	for _, t := range r.s.Tables {
		if t.PrimaryKey != nil {
			placeConstraints(t.PrimaryKey, cons[t.PrimaryKey])
		}
		for _, idx := range t.Indexes {
			placeConstraints(idx, cons[idx])
		}
	}
	return nil
}

func placeConstraints(idx *schema.Index, cons []schema.Attr) {
	for i, a := range idx.Attrs {
		if _, ok := a.(pgConstraintsMark); ok {
			idx.Attrs = append(idx.Attrs[:i], append(cons, idx.Attrs[i+1:]...)...)
			return
		}
	}
}

func (r *pgReader) fks(ctx context.Context) error {
	return r.each(ctx, "foreign keys", pgFKsQuery, func(rows *sql.Rows) error {
		var (
			name, table, column, refTable, refSchema, refColumn string
			onUpdate, onDelete                                  postgres.ReferenceOption
		)
		if err := rows.Scan(&name, &table, &column, &refTable, &refSchema, &refColumn, &onUpdate, &onDelete); err != nil {
			return err
		}
		t, err := r.table(table)
		if err != nil || t == nil {
			return err
		}
		fk, ok := t.ForeignKey(name)
		if !ok {
			fk = &schema.ForeignKey{
				Symbol:   name,
				Table:    t,
				RefTable: r.refTable(t, refSchema, refTable),
				OnUpdate: schema.ReferenceOption(onUpdate),
				OnDelete: schema.ReferenceOption(onDelete),
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
		c, ok := t.Column(column)
		if !ok {
			return fmt.Errorf("column %q was not found for fk %q", column, name)
		}
		if _, ok := fk.Column(c.Name); !ok {
			fk.Columns = append(fk.Columns, c)
			c.ForeignKeys = append(c.ForeignKeys, fk)
		}
		rc, err := r.refColumn(fk, refColumn)
		if err != nil {
			return err
		}
		if _, ok := fk.RefColumn(rc.Name); !ok {
			fk.RefColumns = append(fk.RefColumns, rc)
		}
		return nil
	})
}

// refColumn returns the column a foreign key references: a column of an
// inspected table, or a stub.
func (r *pgReader) refColumn(fk *schema.ForeignKey, name string) (*schema.Column, error) {
	ref := fk.RefTable
	if ref == fk.Table {
		c, ok := ref.Column(name)
		if !ok {
			return nil, fmt.Errorf("referenced column %q was not found for fk %q", name, fk.Symbol)
		}
		return c, nil
	}
	if r.tables[ref.Name] == ref {
		if c, ok := ref.Column(name); ok {
			return c, nil
		}
	}
	return &schema.Column{Name: name}, nil
}

// refTable returns the table a foreign key of t references: an inspected
// table, or a stub in its schema.
func (r *pgReader) refTable(t *schema.Table, ns, name string) *schema.Table {
	if ns != r.s.Name {
		return &schema.Table{Name: name, Schema: &schema.Schema{Name: ns}}
	}
	if ref, ok := r.tables[name]; ok {
		return ref
	}
	return &schema.Table{Name: name, Schema: r.s}
}

func (r *pgReader) checks(ctx context.Context) error {
	type key struct{ t, n string }
	byName := make(map[key]*schema.Check)
	return r.each(ctx, "checks", pgChecksQuery, func(rows *sql.Rows) error {
		var (
			table, name, expr, column string
			noInherit                 bool
		)
		if err := rows.Scan(&table, &name, &expr, &column, &noInherit); err != nil {
			return err
		}
		t, err := r.table(table)
		if err != nil || t == nil {
			return err
		}
		c, ok := t.Column(column)
		if !ok {
			return fmt.Errorf("column %q was not found for check %q", column, name)
		}
		ck, ok := byName[key{table, name}]
		if !ok {
			ck = &schema.Check{Name: name, Expr: expr, Attrs: []schema.Attr{&postgres.CheckColumns{}}}
			if noInherit {
				ck.AddAttrs(&postgres.NoInherit{})
			}
			byName[key{table, name}] = ck
			t.AddAttrs(ck)
		}
		c.AddAttrs(ck)
		cols := ck.Attrs[0].(*postgres.CheckColumns)
		cols.Columns = append(cols.Columns, column)
		return nil
	})
}

// validString reports whether s holds a value, the way Atlas's sqlx.ValidString
// does: neither NULL, empty nor the word null.
func validString(s sql.NullString) bool {
	return s.Valid && validName(s.String)
}

// validName is validString of a name read as it is.
func validName(s string) bool { return s != "" && !strings.EqualFold(s, "null") }
