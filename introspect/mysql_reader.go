package introspect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/schema"
)

// The MySQL reader replaces Atlas's table inspection on MySQL and MariaDB
// (issue 6). Atlas filters each information_schema query by the list of
// tables and then finds each row's table by a linear search, which is
// quadratic in the number of tables; and on MariaDB each information_schema
// query costs a pass over every table of the database whatever its filter,
// so reading in chunks multiplies those passes. This reader runs five
// queries for the whole database (tables, columns, indexes, foreign keys,
// checks), keeps the rows of the selected tables, and finds tables through
// a map, so it is linear in the schema.
//
// It builds the *schema.Schema Atlas's InspectSchema builds for
// schema.InspectTables with the table list: the same Go types, attributes,
// names and order. The rules that turn rows into objects mirror Atlas's
// sql/mysql/inspect_oss.go at the pinned version; inspect_equal_test.go
// holds the two readers to the same result.
//
// Tables for which Atlas reads SHOW CREATE TABLE (a FULLTEXT index, whose
// parser only shows there, or an AUTO_INCREMENT column whose counter
// information_schema did not report) are read again by Atlas's inspector,
// in one call for all of them, and replace the reader's. TiDB, which Atlas
// inspects differently, is left to Atlas's inspector entirely.

// myVersion is what the reader needs of Atlas's MySQL driver: the server's
// flavour and version, promoted from the driver's connection.
type myVersion interface {
	Maria() bool
	TiDB() bool
	GTE(string) bool
	SupportsCheck() bool
	SupportsIndexExpr() bool
	SupportsIndexComment() bool
	SupportsExprDefault() bool
	SupportsGeneratedColumns() bool
}

// myReader assembles one inspection.
type myReader struct {
	q        *sql.DB
	v        myVersion
	selected map[string]bool
	s        *schema.Schema
	tables   map[string]*schema.Table
	// show lists, in order, the tables Atlas reads SHOW CREATE TABLE for.
	show []string
	// pre holds the queries sent ahead of the steps reading them.
	pre *prefetch
}

// myInspect reads the selected tables of the connected database.
func myInspect(ctx context.Context, drv migrate.Driver, q *sql.DB, selected []string) (*schema.Schema, error) {
	r, err := myRead(ctx, drv, q, selected)
	if err != nil {
		return nil, err
	}
	if err := r.showCreate(ctx, drv); err != nil {
		return nil, err
	}
	return r.s, nil
}

// myRead runs the reader's queries; the tables in r.show are still to be
// read by Atlas.
func myRead(ctx context.Context, drv migrate.Driver, q *sql.DB, selected []string) (*myReader, error) {
	v, ok := drv.(myVersion)
	if !ok || v.TiDB() {
		return nil, unsupported("not MySQL or MariaDB")
	}
	r := &myReader{q: q, v: v, selected: make(map[string]bool, len(selected)), tables: make(map[string]*schema.Table, len(selected))}
	for _, n := range selected {
		r.selected[n] = true
	}
	if err := r.scope(ctx); err != nil {
		return nil, err
	}
	// The server's time is most of it at thousands of tables (each
	// information_schema query opens every table of the database), so the
	// tables, columns and indexes are prefetched, and the foreign keys and
	// checks fetched on another connection while those are read and added
	// after them.
	r.pre = startPrefetch(ctx, q, []any{r.s.Name}, nil, r.tablesQuery(), r.columnsQuery(), r.indexesQuery())
	defer r.pre.stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		fks    []myFKRow
		checks []myCheckRow
		ferr   error
		done   = make(chan struct{})
	)
	go func() {
		defer close(done)
		if fks, ferr = r.fetchFKs(ctx); ferr == nil {
			checks, ferr = r.fetchChecks(ctx)
		}
	}()
	for _, step := range []func(context.Context) error{r.readTables, r.columns, r.indexes} {
		if err := step(ctx); err != nil {
			cancel()
			<-done
			return nil, err
		}
	}
	<-done
	if ferr != nil {
		return nil, ferr
	}
	if err := r.addFKs(fks); err != nil {
		return nil, err
	}
	if err := r.addChecks(checks); err != nil {
		return nil, err
	}
	return r, nil
}

// each runs query, or takes its prefetched rows, and calls f on every
// row.
func (r *myReader) each(ctx context.Context, what, query string, f func(*sql.Rows) error, args ...any) error {
	if rows, err, ok := r.pre.take(query); ok {
		return readRows("mysql", what, rows, err, f)
	}
	return eachRow(ctx, r.q, "mysql", what, query, f, args...)
}

// table returns the selected table a row belongs to; rows of other tables
// (and of views, which information_schema lists too) are skipped.
func (r *myReader) table(name string) (*schema.Table, bool) {
	t, ok := r.tables[name]
	return t, ok
}

// scope reads the connected database, as Atlas's InspectSchema("") does,
// and the server's defaults for the realm.
func (r *myReader) scope(ctx context.Context) error {
	var name, charset, collation, srvCharset, srvCollation string
	err := r.q.QueryRowContext(ctx, myScopeQuery).Scan(&name, &charset, &collation, &srvCharset, &srvCollation)
	if errors.Is(err, sql.ErrNoRows) {
		return unsupported("no database selected") // Atlas reports it.
	}
	if err != nil {
		return fmt.Errorf("mysql: query the connected database: %w", err)
	}
	r.s = schema.New(name).AddAttrs(&schema.Charset{V: charset}, &schema.Collation{V: collation})
	schema.NewRealm(r.s).SetCharset(srvCharset).SetCollation(srvCollation)
	return nil
}

// tablesQuery is myTablesQuery, on MariaDB with hash joins: it joins
// information_schema tables, which MariaDB otherwise joins by nested loops
// (71 ms instead of 23 ms at 1,000 tables; see mariaQuerier).
func (r *myReader) tablesQuery() string {
	if r.v.Maria() {
		return mariaHashJoins + myTablesQuery
	}
	return myTablesQuery
}

func (r *myReader) readTables(ctx context.Context) error {
	return r.each(ctx, "tables", r.tablesQuery(), func(rows *sql.Rows) error {
		var (
			defaultE                                                          sql.NullBool
			autoinc                                                           sql.NullInt64
			tSchema, name, charset, collation, comment, options, engine, ttyp sql.NullString
		)
		if err := rows.Scan(&tSchema, &name, &charset, &collation, &autoinc, &comment, &options, &engine, &defaultE, &ttyp); err != nil {
			return err
		}
		if !validString(tSchema) || !validString(name) {
			return fmt.Errorf("invalid schema or table name: %q.%q", tSchema.String, name.String)
		}
		if !r.selected[name.String] {
			return nil
		}
		t := schema.NewTable(name.String)
		r.s.AddTables(t)
		r.tables[t.Name] = t
		if validString(charset) {
			t.Attrs = append(t.Attrs, &schema.Charset{V: charset.String})
		}
		if validString(collation) {
			t.Attrs = append(t.Attrs, &schema.Collation{V: collation.String})
		}
		if validString(comment) {
			t.Attrs = append(t.Attrs, &schema.Comment{Text: comment.String})
		}
		if validString(options) {
			t.Attrs = append(t.Attrs, &mysql.CreateOptions{V: options.String})
		}
		if validString(engine) && defaultE.Valid {
			t.Attrs = append(t.Attrs, &mysql.Engine{V: engine.String, Default: defaultE.Bool})
		}
		if autoinc.Valid {
			t.Attrs = append(t.Attrs, &mysql.AutoIncrement{V: autoinc.Int64})
		}
		return nil
	}, r.s.Name)
}

func (r *myReader) columns(ctx context.Context) error {
	return r.each(ctx, "columns", r.columnsQuery(), r.addColumn, r.s.Name)
}

// columnsQuery is the server's version of the columns query.
func (r *myReader) columnsQuery() string {
	if r.v.SupportsGeneratedColumns() {
		return myColumnsExprQuery
	}
	return myColumnsQuery
}

// addColumn mirrors Atlas's inspect.addColumn.
func (r *myReader) addColumn(rows *sql.Rows) error {
	var table, name, typ, comment, nullable, key, defaults, extra, charset, collation, expr sql.NullString
	if err := rows.Scan(&table, &name, &typ, &comment, &nullable, &key, &defaults, &extra, &charset, &collation, &expr); err != nil {
		return err
	}
	t, ok := r.table(table.String)
	if !ok {
		return nil
	}
	c := &schema.Column{
		Name: name.String,
		Type: &schema.ColumnType{Raw: typ.String, Null: nullable.String == "YES"},
	}
	ct, err := mysql.ParseType(c.Type.Raw)
	if err != nil {
		return fmt.Errorf("parse %q.%q type %q: %w", t.Name, c.Name, c.Type.Raw, err)
	}
	c.Type.Type = ct
	attr, err := myParseExtra(extra.String)
	if err != nil {
		return err
	}
	if attr.autoinc {
		a := &mysql.AutoIncrement{}
		if ta, ok := tableAutoIncrement(t.Attrs); ok {
			*a = *ta // the table's counter, as Atlas's sqlx.Has copies it
		} else {
			// information_schema left the counter out (MySQL's
			// information_schema_stats_expiry); Atlas reads it from SHOW
			// CREATE TABLE.
			r.needShow(t)
		}
		c.Attrs = append(c.Attrs, a)
	}
	if attr.onUpdate != "" {
		c.Attrs = append(c.Attrs, &mysql.OnUpdate{A: attr.onUpdate})
	}
	if x := expr.String; x != "" {
		if !r.v.Maria() {
			x = myUnescape(x)
		}
		c.SetGeneratedExpr(&schema.GeneratedExpr{Expr: x, Type: attr.generatedType})
	}
	if defaults.Valid {
		if r.v.Maria() {
			c.Default = r.marDefaultExpr(c, defaults.String)
		} else {
			c.Default = r.myDefaultExpr(c, defaults.String, attr)
		}
	}
	if validString(comment) {
		c.SetComment(comment.String)
	}
	if validString(charset) {
		c.SetCharset(charset.String)
	}
	if validString(collation) {
		c.SetCollation(collation.String)
	}
	t.AddColumns(c)
	return nil
}

func (r *myReader) needShow(t *schema.Table) {
	for _, n := range r.show {
		if n == t.Name {
			return
		}
	}
	r.show = append(r.show, t.Name)
}

func tableAutoIncrement(attrs []schema.Attr) (*mysql.AutoIncrement, bool) {
	for _, a := range attrs {
		if a, ok := a.(*mysql.AutoIncrement); ok {
			return a, true
		}
	}
	return nil, false
}

func (r *myReader) indexes(ctx context.Context) error {
	return r.each(ctx, "indexes", r.indexesQuery(), r.addIndexPart, r.s.Name)
}

// indexesQuery is the server's version of the indexes query.
func (r *myReader) indexesQuery() string {
	switch {
	case r.v.SupportsIndexExpr():
		return myIndexesExprQuery
	case r.v.SupportsIndexComment():
		return myIndexesQuery
	}
	return myIndexesNoCommentQuery
}

// addIndexPart mirrors Atlas's inspect.addIndexes for one row.
func (r *myReader) addIndexPart(rows *sql.Rows) error {
	var (
		seqno                          int
		table, name, indexType         string
		nonuniq, desc                  sql.NullBool
		column, subPart, expr, comment sql.NullString
	)
	if err := rows.Scan(&table, &name, &column, &nonuniq, &seqno, &indexType, &desc, &comment, &subPart, &expr); err != nil {
		return err
	}
	t, ok := r.table(table)
	if !ok {
		return nil
	}
	var idx *schema.Index
	switch {
	case name == "PRIMARY":
		if idx = t.PrimaryKey; idx == nil {
			idx = schema.NewIndex("PRI").AddAttrs(&mysql.IndexType{T: indexType})
			t.PrimaryKey = idx
		}
	default:
		if idx, ok = t.Index(name); !ok {
			idx = schema.NewIndex(name).SetUnique(!nonuniq.Bool).AddAttrs(&mysql.IndexType{T: indexType})
			if indexType == mysql.IndexTypeFullText {
				// Its parser shows only in SHOW CREATE TABLE.
				r.needShow(t)
			}
			if validString(comment) {
				idx.SetComment(comment.String)
			}
			t.AddIndexes(idx)
		}
	}
	part := &schema.IndexPart{SeqNo: seqno, Desc: desc.Bool}
	switch {
	case validString(expr):
		part.X = &schema.RawExpr{X: myUnescape(expr.String)}
	case validString(column):
		part.C, ok = t.Column(column.String)
		if !ok {
			return fmt.Errorf("column %q was not found for index %q", column.String, idx.Name)
		}
		if validString(subPart) && indexType != mysql.IndexTypeSpatial {
			n, err := strconv.Atoi(subPart.String)
			if err != nil {
				return fmt.Errorf("parse index prefix size %q: %w", subPart.String, err)
			}
			part.Attrs = append(part.Attrs, &mysql.SubPart{Len: n})
		}
		part.C.Indexes = append(part.C.Indexes, idx)
	default:
		return fmt.Errorf("invalid part for index %q", idx.Name)
	}
	idx.Parts = append(idx.Parts, part)
	return nil
}

// myFKRow is a row of the foreign-key query.
type myFKRow struct {
	name, table, column, tSchema, refTable, refColumn, refSchema string
	updateAction, deleteAction                                   sql.NullString
}

func (r *myReader) fetchFKs(ctx context.Context) ([]myFKRow, error) {
	query := myFKsQuery
	if r.v.Maria() {
		// See mariaQuerier: hash joins, not nested loops.
		query = mariaHashJoins + query
	}
	var out []myFKRow
	err := r.each(ctx, "foreign keys", query, func(rows *sql.Rows) error {
		var f myFKRow
		if err := rows.Scan(&f.name, &f.table, &f.column, &f.tSchema, &f.refTable, &f.refColumn, &f.refSchema, &f.updateAction, &f.deleteAction); err != nil {
			return err
		}
		if r.selected[f.table] {
			out = append(out, f)
		}
		return nil
	}, r.s.Name, r.s.Name, r.s.Name, r.s.Name)
	return out, err
}

// addFKs mirrors Atlas's SchemaFKs; the references are then linked, as
// Atlas's LinkSchemaTables links them.
func (r *myReader) addFKs(rows []myFKRow) error {
	for _, f := range rows {
		t, ok := r.table(f.table)
		if !ok {
			continue
		}
		fk, ok := t.ForeignKey(f.name)
		if !ok {
			fk = &schema.ForeignKey{
				Symbol:   f.name,
				Table:    t,
				RefTable: t,
				OnUpdate: schema.ReferenceOption(f.updateAction.String),
				OnDelete: schema.ReferenceOption(f.deleteAction.String),
			}
			switch {
			case f.tSchema == f.refSchema && f.refTable == f.table:
			case f.tSchema == f.refSchema:
				fk.RefTable = &schema.Table{Name: f.refTable, Schema: r.s}
			default:
				fk.RefTable = &schema.Table{Name: f.refTable, Schema: &schema.Schema{Name: f.refSchema}}
			}
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
		c, ok := t.Column(f.column)
		if !ok {
			return fmt.Errorf("mysql: column %q was not found for fk %q", f.column, fk.Symbol)
		}
		if _, ok := fk.Column(c.Name); !ok {
			fk.Columns = append(fk.Columns, c)
			c.ForeignKeys = append(c.ForeignKeys, fk)
		}
		var rc *schema.Column
		if fk.Table != fk.RefTable {
			rc = &schema.Column{Name: f.refColumn}
		} else if c, ok := t.Column(f.refColumn); ok {
			rc = c
		} else {
			return fmt.Errorf("mysql: referenced column %q was not found for fk %q", f.refColumn, fk.Symbol)
		}
		if _, ok := fk.RefColumn(rc.Name); !ok {
			fk.RefColumns = append(fk.RefColumns, rc)
		}
	}
	linkForeignKeys(r.s)
	return nil
}

// myCheckRow is a row of the check-constraint query.
type myCheckRow struct {
	table, name, clause, enforced sql.NullString
}

func (r *myReader) fetchChecks(ctx context.Context) ([]myCheckRow, error) {
	if !r.v.SupportsCheck() {
		return nil, nil
	}
	query := myChecksQuery
	if r.v.Maria() {
		query = marChecksQuery
	}
	var out []myCheckRow
	err := r.each(ctx, "check constraints", query, func(rows *sql.Rows) error {
		var c myCheckRow
		if err := rows.Scan(&c.table, &c.name, &c.clause, &c.enforced); err != nil {
			return err
		}
		if r.selected[c.table.String] {
			out = append(out, c)
		}
		return nil
	}, r.s.Name)
	return out, err
}

// addChecks mirrors Atlas's inspect.checks.
func (r *myReader) addChecks(rows []myCheckRow) error {
	for _, row := range rows {
		t, ok := r.table(row.table.String)
		if !ok {
			continue
		}
		check := &schema.Check{Name: row.name.String, Expr: myUnescape(row.clause.String)}
		if r.v.Maria() {
			check.Expr = row.clause.String
			// MariaDB's JSON is LONGTEXT with an implicit JSON_VALID check.
			c, ok := t.Column(check.Name)
			if ok && c.Type.Raw == mysql.TypeLongText && check.Expr == fmt.Sprintf("json_valid(`%s`)", c.Name) {
				c.Type.Raw = mysql.TypeJSON
				c.Type.Type = &schema.JSONType{T: mysql.TypeJSON}
				c.UnsetCharset().UnsetCollation()
				continue
			}
		} else if row.enforced.String == "NO" {
			check.Attrs = append(check.Attrs, &mysql.Enforced{V: false})
		}
		t.Attrs = append(t.Attrs, check)
	}
	return nil
}

// showCreate has Atlas's inspector read the tables that need SHOW CREATE
// TABLE, and puts its tables in place of the reader's.
func (r *myReader) showCreate(ctx context.Context, drv migrate.Driver) error {
	if len(r.show) == 0 {
		return nil
	}
	atlas, err := atlasInspect(ctx, drv, r.show)
	if err != nil {
		return err
	}
	byName := make(map[string]*schema.Table, len(atlas.Tables))
	for _, t := range atlas.Tables {
		byName[t.Name] = t
	}
	for i, t := range r.s.Tables {
		if at, ok := byName[t.Name]; ok {
			at.Schema = r.s
			r.s.Tables[i] = at
		}
	}
	// Foreign keys to and from the replaced tables point at the new ones.
	linkForeignKeys(r.s)
	return nil
}

// myExtra is a parsed information_schema.COLUMNS.EXTRA (Atlas's extraAttr).
type myExtra struct {
	autoinc          bool
	onUpdate         string
	generatedType    string
	defaultGenerated bool
}

var (
	myReGenerateType  = regexp.MustCompile(`(?i)^(stored|persistent|virtual) generated$`)
	myReTimeOnUpdate  = regexp.MustCompile(`(?i)^(?:default_generated )?on update (current_timestamp(?:\(\d?\))?)$`)
	myReCurrTimestamp = regexp.MustCompile(`(?i)^current_timestamp(?:\(\d?\))?$`)
)

// myParseExtra mirrors Atlas's parseExtra.
func myParseExtra(extra string) (*myExtra, error) {
	attr := &myExtra{}
	switch el := strings.ToLower(extra); {
	case el == "", el == "null":
	case el == "default_generated":
		attr.defaultGenerated = true
	case el == "auto_increment":
		attr.autoinc = true
	case myReTimeOnUpdate.MatchString(extra):
		attr.onUpdate = myReTimeOnUpdate.FindStringSubmatch(extra)[1]
	case myReGenerateType.MatchString(extra):
		attr.generatedType = myReGenerateType.FindStringSubmatch(extra)[1]
	default:
		return nil, fmt.Errorf("unknown extra column attribute %q", extra)
	}
	return attr, nil
}

// myDefaultExpr mirrors Atlas's inspect.myDefaultExpr (MySQL).
func (r *myReader) myDefaultExpr(c *schema.Column, x string, attr *myExtra) schema.Expr {
	if r.v.SupportsExprDefault() && attr.defaultGenerated {
		if _, ok := c.Type.Type.(*schema.TimeType); ok && myReCurrTimestamp.MatchString(x) {
			return &schema.RawExpr{X: x}
		}
		return &schema.RawExpr{X: mayWrap(myUnescape(x))}
	}
	switch c.Type.Type.(type) {
	case *schema.BinaryType:
		if len(x) > 2 && strings.ToLower(x[:2]) == "0x" {
			return &schema.Literal{V: x}
		}
	case *mysql.BitType, *schema.BoolType, *schema.IntegerType, *schema.DecimalType, *schema.FloatType:
		return &schema.Literal{V: x}
	case *schema.TimeType:
		if myReCurrTimestamp.MatchString(x) {
			return &schema.RawExpr{X: x}
		}
	}
	return &schema.Literal{V: myQuote(x)}
}

// marDefaultExpr mirrors Atlas's inspect.marDefaultExpr (MariaDB).
func (r *myReader) marDefaultExpr(c *schema.Column, x string) schema.Expr {
	if x == "NULL" {
		return nil
	}
	if r.v.GTE("10.2.7") && isQuoted(x, '\'') {
		return &schema.Literal{V: x}
	}
	switch c.Type.Type.(type) {
	case *mysql.BitType:
		if strings.HasPrefix(x, "b'") && strings.HasSuffix(x, "'") {
			return &schema.Literal{V: x}
		}
	case *schema.BoolType, *schema.IntegerType, *schema.DecimalType, *schema.FloatType:
		if _, err := strconv.ParseFloat(x, 64); err == nil {
			return &schema.Literal{V: x}
		}
	case *schema.TimeType:
		if strings.ToLower(x) == "current_timestamp" {
			return &schema.RawExpr{X: x}
		}
	}
	if !r.v.SupportsExprDefault() {
		return &schema.Literal{V: myQuote(x)}
	}
	// MariaDB names a sequence in a default with its database's name
	// (nextval(`shop`.`seq`)), which would tie the models and every
	// revision to that one database: a sequence of this database is read
	// by its own name, as it is written.
	x = strings.ReplaceAll(x, "`"+strings.ReplaceAll(r.s.Name, "`", "``")+"`.", "")
	return &schema.RawExpr{X: mayWrap(x)}
}

// myUnescape mirrors Atlas's MySQL unescape: \' and \\ lose the backslash.
func myUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c != '\\' || i == len(s)-1:
			b.WriteByte(c)
		case s[i+1] == '\'', s[i+1] == '\\':
			b.WriteByte(s[i+1])
			i++
		}
	}
	return b.String()
}

// myQuote mirrors Atlas's MySQL quote.
func myQuote(s string) string {
	if isQuoted(s, '"', '\'') {
		return s
	}
	return strconv.Quote(s)
}

// mayWrap mirrors Atlas's sqlx.MayWrap: s in parentheses unless it is one
// parenthesized expression already.
func mayWrap(s string) string {
	n := len(s) - 1
	if len(s) < 2 || s[0] != '(' || s[n] != ')' || exprLastIndex(s[1:n]) != n-2 {
		return "(" + s + ")"
	}
	return s
}

// exprLastIndex mirrors Atlas's sqlx.ExprLastIndex.
func exprLastIndex(expr string) int {
	var l, r int
	for i := 0; i < len(expr); i++ {
	Top:
		switch expr[i] {
		case '(':
			l++
		case ')':
			r++
		case '\'', '"', '`':
			for j := i + 1; j < len(expr); j++ {
				switch expr[j] {
				case '\\':
					j++
				case expr[i]:
					i = j
					break Top
				}
			}
			return -1
		}
		if l == r && (i == len(expr)-1 || expr[i+1] == ',') {
			return i
		} else if r > l {
			return -1
		}
	}
	return -1
}
