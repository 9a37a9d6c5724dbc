package diff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// Databases store expressions in their own words: PostgreSQL adds casts
// and parentheses (lower(email) becomes lower((email)::text)), MariaDB
// quotes names and drops parentheses. The models hold the expressions as
// the user wrote them, so a text comparison would report a change on every
// run. normalize is the one place where that is settled, for every kind of
// expression the database rewrites: check constraints, index expression
// parts, partial index predicates, default expressions, generation
// expressions and PostgreSQL partition bounds (on a partitioned scratch
// table). It also spells MySQL's ON UPDATE and PostgreSQL enum columns
// declared type:NAME as the database does.

// exprKind is a kind of expression the database rewrites.
type exprKind int

const (
	checkExpr exprKind = iota
	indexPartExpr
	predicateExpr
	defaultExpr
	generatedExpr
	partitionBound
)

// exprPair is one expression both sides have: the database's text and the
// models' text, with the setter that replaces the models' one.
type exprPair struct {
	kind      exprKind
	table     string
	object    string // the check, index or column it belongs to
	column    *schema.Column
	db, model string
	set       func(string)
}

func (p exprPair) String() string {
	kind := [...]string{"check", "index", "predicate of index", "default of column", "generation expression of column", "bound of partition"}[p.kind]
	return fmt.Sprintf("%s %s.%s", kind, p.table, p.object)
}

// normalize makes each expression of desired that the database would store
// exactly as current holds it read as current holds it, so that the differ
// sees no change where there is none (and on MySQL spells current's
// referential actions as desired does where they mean the same). The database rewrites the models'
// expression (on a scratch temporary table, in a transaction rolled back);
// SQLite keeps expressions as written, so there only spacing and outer
// parentheses are ignored. Expressions that differ stay as they are.
func normalize(ctx context.Context, drv migrate.Driver, d dialect.Name, current, desired *schema.Schema) error {
	byTable := make(map[string][]exprPair)
	var order []string
	currentTable := tableFinder(current)
	for _, tt := range desired.Tables {
		ft, ok := currentTable(tt.Name)
		if !ok {
			continue
		}
		switch d {
		case dialect.MySQL:
			sameActions(ft, tt)
			sameOnUpdates(ft, tt)
		case dialect.Postgres:
			sameEnumTypes(ft, tt)
		}
		for _, p := range exprPairs(ft, tt) {
			if normText(p.db) == normText(p.model) {
				p.set(p.db)
				continue
			}
			if d == dialect.SQLite {
				continue
			}
			if byTable[tt.Name] == nil {
				order = append(order, tt.Name)
			}
			byTable[tt.Name] = append(byTable[tt.Name], p)
		}
	}
	if len(order) == 0 {
		return nil
	}
	tx, done, err := session(ctx, drv)
	if err != nil {
		return err
	}
	defer done()
	// Schemas repeat the same expressions on columns of the same types
	// (a created_at DEFAULT CURRENT_TIMESTAMP in every table): the
	// database's answer for one holds for all, and a table whose every
	// expression was answered needs no scratch table.
	known := make(map[string]bool)
	desiredTable := tableFinder(desired)
	for _, name := range order {
		ft, _ := currentTable(name)
		tt, _ := desiredTable(name)
		cols := columnUnion(ft, tt)
		var todo []exprPair
		var keys []string
		for _, p := range byTable[name] {
			k, err := answerKey(d, p, cols)
			if err != nil {
				return fmt.Errorf("compare %s: %w", p, err)
			}
			// A partition bound's answer depends on the partition key.
			k += "\x00" + boundKey(tt, []exprPair{p})
			if same, ok := known[k]; ok {
				if same {
					p.set(p.db)
				}
				continue
			}
			todo, keys = append(todo, p), append(keys, k)
		}
		if len(todo) == 0 {
			continue
		}
		sc := &scratch{tx: tx, d: d, enums: enumsKnown(current)}
		if err := sc.create(ctx, cols, boundKey(tt, todo)); err != nil {
			return fmt.Errorf("compare expressions of table %s: %w", name, err)
		}
		for i, p := range todo {
			same, err := sc.same(ctx, p)
			if err != nil {
				return fmt.Errorf("compare %s: %w", p, err)
			}
			known[keys[i]] = same
			if same {
				p.set(p.db)
			}
		}
		if err := sc.drop(ctx); err != nil {
			return err
		}
	}
	return nil
}

// answerKey is what the database's answer on p (same) depends on: the kind
// of expression, both texts, the column it belongs to, and the name and
// type of each scratch column its text may name (any whose name it
// contains).
func answerKey(d dialect.Name, p exprPair, cols []*schema.Column) (string, error) {
	sc := &scratch{d: d}
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00%s\x00%s", p.kind, p.model, p.db)
	if c := p.column; c != nil {
		t, err := sc.format(c)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "\x00its column %s %s", c.Name, t)
		if g := generated(c); g != nil {
			b.WriteString(" " + g.Type)
		}
	}
	model := strings.ToLower(p.model)
	for _, c := range cols {
		if !strings.Contains(model, strings.ToLower(c.Name)) {
			continue
		}
		t, err := sc.format(c)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "\x00%s %s", c.Name, t)
	}
	return b.String(), nil
}

// sameActions spells the referential actions of the database's foreign
// keys as the models do where MariaDB means the same: it reports an
// omitted action, and NO ACTION, as RESTRICT, its synonym. Otherwise a
// downgrade that adds a key again would write ON UPDATE RESTRICT where
// the upgrade that created it wrote nothing.
func sameActions(ft, tt *schema.Table) {
	same := func(a, b schema.ReferenceOption) bool {
		restrict := func(x schema.ReferenceOption) bool { return x == "" || x == schema.Restrict || x == schema.NoAction }
		return a == b || restrict(a) && restrict(b)
	}
	for _, tk := range tt.ForeignKeys {
		if fk, ok := ft.ForeignKey(tk.Symbol); ok {
			if same(fk.OnUpdate, tk.OnUpdate) {
				fk.OnUpdate = tk.OnUpdate
			}
			if same(fk.OnDelete, tk.OnDelete) {
				fk.OnDelete = tk.OnDelete
			}
		}
	}
}

// sameOnUpdates spells the ON UPDATE expressions of the models as the
// database does where they mean the same (sameOnUpdate).
func sameOnUpdates(ft, tt *schema.Table) {
	for _, tc := range tt.Columns {
		fc, ok := ft.Column(tc.Name)
		if !ok {
			continue
		}
		for _, a := range tc.Attrs {
			if x, ok := a.(*mysql.OnUpdate); ok && onUpdate(fc) != "" && sameOnUpdate(x.A, onUpdate(fc)) {
				x.A = onUpdate(fc)
			}
		}
	}
}

// exprPairs lists the expressions the database table ft and the model
// table tt both have, matched by the name of their object.
func exprPairs(ft, tt *schema.Table) []exprPair {
	var out []exprPair
	add := func(p exprPair) {
		p.table = tt.Name
		out = append(out, p)
	}
	for _, tc := range tt.Checks() {
		for _, fc := range ft.Checks() {
			if tc.Name != "" && fc.Name == tc.Name {
				add(exprPair{kind: checkExpr, object: tc.Name, db: fc.Expr, model: tc.Expr, set: func(x string) { tc.Expr = x }})
			}
		}
	}
	for _, ti := range tt.Indexes {
		fi, ok := ft.Index(ti.Name)
		if !ok {
			continue
		}
		if len(fi.Parts) == len(ti.Parts) {
			for i, tp := range ti.Parts {
				fx, ok1 := fi.Parts[i].X.(*schema.RawExpr)
				tx, ok2 := tp.X.(*schema.RawExpr)
				if ok1 && ok2 {
					add(exprPair{kind: indexPartExpr, object: ti.Name, db: fx.X, model: tx.X, set: func(x string) { tp.X = &schema.RawExpr{X: x} }})
				}
			}
		}
		if fp, tp := predicate(fi), predicate(ti); fp != nil && tp != nil {
			add(exprPair{kind: predicateExpr, object: ti.Name, db: *fp, model: *tp, set: func(x string) { *tp = x }})
		}
	}
	for _, tc := range tt.Columns {
		fc, ok := ft.Column(tc.Name)
		if !ok {
			continue
		}
		if tx, ok := tc.Default.(*schema.RawExpr); ok && fc.Default != nil {
			add(exprPair{kind: defaultExpr, object: tc.Name, column: tc, db: defaultString(fc.Default), model: tx.X, set: func(string) { tc.Default = fc.Default }})
		}
		fg, tg := generated(fc), generated(tc)
		if fg != nil && tg != nil {
			add(exprPair{kind: generatedExpr, object: tc.Name, column: tc, db: fg.Expr, model: tg.Expr, set: func(x string) { tg.Expr = x }})
		}
	}
	for _, tp := range managed(tt.Attrs) {
		for _, fp := range managed(ft.Attrs) {
			if fp.Name == tp.Name {
				add(exprPair{kind: partitionBound, object: tp.Name, db: fp.Bound, model: tp.Bound, set: func(x string) { tp.Bound = x }})
			}
		}
	}
	return out
}

// predicate returns the text of a partial index's predicate, to read and
// replace, or nil.
func predicate(idx *schema.Index) *string {
	for _, a := range idx.Attrs {
		switch a := a.(type) {
		case *postgres.IndexPredicate:
			return &a.P
		case *sqlite.IndexPredicate:
			return &a.P
		}
	}
	return nil
}

// generated returns the generation expression of c, or nil.
func generated(c *schema.Column) *schema.GeneratedExpr {
	for _, a := range c.Attrs {
		if g, ok := a.(*schema.GeneratedExpr); ok {
			return g
		}
	}
	return nil
}

// normText is an expression without outer parentheses and with single
// spaces: equal texts are equal expressions everywhere.
func normText(x string) string {
	x = strings.Join(strings.Fields(x), " ")
	for len(x) > 1 && x[0] == '(' && dialect.ClosingParen(x) == len(x)-1 {
		x = strings.TrimSpace(x[1 : len(x)-1])
	}
	return x
}

func columnUnion(a, b *schema.Table) []*schema.Column {
	cols := append([]*schema.Column(nil), b.Columns...)
	for _, c := range a.Columns {
		if _, ok := b.Column(c.Name); !ok {
			cols = append(cols, c)
		}
	}
	return cols
}

// session returns a transaction on the database of drv, so a temporary
// table lives from one statement to the next, and the function ending it.
func session(ctx context.Context, drv migrate.Driver) (*sql.Tx, func(), error) {
	var eq schema.ExecQuerier
	switch drv := drv.(type) {
	case *postgres.Driver:
		eq = drv.ExecQuerier
	case *mysql.Driver:
		eq = drv.ExecQuerier
	}
	b, ok := eq.(interface {
		BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
	})
	if !ok {
		return nil, nil, errors.New("compare expressions: the driver is not on a database connection pool")
	}
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("compare expressions: %w", err)
	}
	return tx, func() { tx.Rollback() }, nil
}

// scratchTable is the temporary table expressions are rewritten on.
const scratchTable = "strata_expr_scratch"

// scratch is the temporary table of one table's columns, on which the
// database rewrites that table's expressions.
type scratch struct {
	tx *sql.Tx
	d  dialect.Name
	n  int // objects added, for unique names
	// enums are the enum types the database's columns use; a column of
	// another (new) enum type is made text, as the type does not exist yet.
	enums map[string]bool
}

func (s *scratch) q(name string) string { return s.d.Quote(name) }

// create makes the scratch table with columns of the given names and types,
// nullable and without defaults, partitioned by key if not empty.
func (s *scratch) create(ctx context.Context, cols []*schema.Column, key string) error {
	var defs []string
	for _, c := range cols {
		t, err := s.format(c)
		if err != nil {
			return err
		}
		defs = append(defs, s.q(c.Name)+" "+t)
	}
	stmt := "CREATE TEMPORARY TABLE " + s.q(scratchTable) + " (" + strings.Join(defs, ", ") + ")"
	if key != "" {
		stmt += " PARTITION BY " + key
	}
	_, err := s.tx.ExecContext(ctx, stmt)
	return err
}

// boundKey returns the partition key of table t as PARTITION BY takes it
// when pairs hold a partition bound to compare, else "".
func boundKey(t *schema.Table, pairs []exprPair) string {
	key, ok := attrOf[*postgres.Partition](t.Attrs)
	if !ok || !slices.ContainsFunc(pairs, func(p exprPair) bool { return p.kind == partitionBound }) {
		return ""
	}
	parts := make([]string, len(key.Parts))
	for i, p := range key.Parts {
		if p.C != nil {
			parts[i] = dialect.Postgres.Quote(p.C.Name)
		} else if x, ok := p.X.(*schema.RawExpr); ok {
			parts[i] = "(" + x.X + ")"
		}
	}
	return key.T + " (" + strings.Join(parts, ", ") + ")"
}

func (s *scratch) format(c *schema.Column) (string, error) {
	if e, ok := c.Type.Type.(*schema.EnumType); ok && s.d == dialect.Postgres && !s.enums[e.T] {
		return "text", nil
	}
	if s.d == dialect.MySQL {
		return mysql.FormatType(c.Type.Type)
	}
	return postgres.FormatType(c.Type.Type)
}

func (s *scratch) drop(ctx context.Context) error {
	drop := "DROP TEMPORARY TABLE " + s.q(scratchTable)
	if s.d == dialect.Postgres {
		drop = "DROP TABLE pg_temp." + s.q(scratchTable)
	}
	_, err := s.tx.ExecContext(ctx, drop)
	return err
}

// same reports whether the database stores p's model expression as the
// text it holds. PostgreSQL's rewriting is not idempotent: the text it
// writes back can be written again differently (x IN ('a') becomes
// x = ANY ((ARRAY['a'])::text[]), then x = ANY (ARRAY[('a')::text])), and
// a downgrade restores the text the database held, so the rewrite of the
// rewrite counts too.
func (s *scratch) same(ctx context.Context, p exprPair) (bool, error) {
	x, err := s.rewrite(ctx, p)
	if err != nil || normText(x) == normText(p.db) || s.d != dialect.Postgres {
		return err == nil && normText(x) == normText(p.db), err
	}
	again := p
	again.model = x
	if x, err = s.rewrite(ctx, again); err != nil {
		return false, err
	}
	return normText(x) == normText(p.db), nil
}

// rewrite returns p's model expression as the database writes it back, in
// the form introspect reads it.
func (s *scratch) rewrite(ctx context.Context, p exprPair) (string, error) {
	s.n++
	name := fmt.Sprintf("%s_%d", scratchTable, s.n)
	table := s.q(scratchTable)
	var stmt string
	switch p.kind {
	case checkExpr:
		stmt = fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s)", table, s.q(name), p.model)
	case indexPartExpr:
		stmt = fmt.Sprintf("CREATE INDEX %s ON %s ((%s))", s.q(name), table, p.model)
	case predicateExpr:
		stmt = fmt.Sprintf("CREATE INDEX %s ON %s ((1)) WHERE %s", s.q(name), table, p.model)
	case defaultExpr:
		stmt = fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", table, s.q(p.column.Name), p.model)
	case partitionBound:
		// Dropped once read: the next bound may overlap it.
		defer s.tx.ExecContext(ctx, "DROP TABLE pg_temp."+s.q(name))
		stmt = fmt.Sprintf("CREATE TEMPORARY TABLE %s PARTITION OF pg_temp.%s %s", s.q(name), table, p.model)
	case generatedExpr:
		t, err := s.format(p.column)
		if err != nil {
			return "", err
		}
		stored := "STORED"
		if g := generated(p.column); g != nil && strings.EqualFold(g.Type, "VIRTUAL") && s.d == dialect.MySQL {
			stored = "VIRTUAL"
		}
		stmt = fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s GENERATED ALWAYS AS (%s) %s", table, s.q(name), t, p.model, stored)
	}
	if _, err := s.tx.ExecContext(ctx, stmt); err != nil {
		return "", err
	}
	if s.d == dialect.Postgres {
		return s.pgRead(ctx, p, name)
	}
	return s.myRead(ctx, p, name)
}

// pgRead reads an expression back with the functions introspect uses.
func (s *scratch) pgRead(ctx context.Context, p exprPair, name string) (string, error) {
	const rel = "'pg_temp." + scratchTable + "'::regclass"
	var q string
	switch p.kind {
	case checkExpr:
		q = "SELECT pg_get_expr(conbin, conrelid) FROM pg_constraint WHERE conrelid = " + rel + " AND conname = $1"
	case indexPartExpr:
		q = "SELECT pg_get_indexdef(i.indexrelid, 1, false) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = " + rel + " AND c.relname = $1"
	case predicateExpr:
		q = "SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = " + rel + " AND c.relname = $1"
	case partitionBound:
		q = "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid WHERE i.inhparent = " + rel + " AND c.relname = $1"
	case defaultExpr, generatedExpr:
		if p.kind == defaultExpr {
			name = p.column.Name
		}
		q = "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = " + rel + " AND a.attname = $1"
	}
	var x string
	err := s.tx.QueryRowContext(ctx, q, name).Scan(&x)
	return x, err
}

// myRead reads an expression back from SHOW CREATE TABLE: MariaDB lists no
// temporary table in information_schema, and writes the same text in both.
func (s *scratch) myRead(ctx context.Context, p exprPair, name string) (string, error) {
	var table, def string
	if err := s.tx.QueryRowContext(ctx, "SHOW CREATE TABLE "+s.q(scratchTable)).Scan(&table, &def); err != nil {
		return "", err
	}
	for _, line := range strings.Split(def, "\n") {
		line = strings.TrimSuffix(strings.TrimSpace(line), ",")
		switch p.kind {
		case checkExpr:
			if x, ok := strings.CutPrefix(line, "CONSTRAINT "+s.q(name)+" CHECK "); ok {
				return x, nil
			}
		case defaultExpr:
			if strings.HasPrefix(line, s.q(p.column.Name)+" ") {
				if _, x, ok := strings.Cut(line, " DEFAULT "); ok {
					return x, nil
				}
			}
		case generatedExpr:
			if strings.HasPrefix(line, s.q(name)+" ") {
				if _, x, ok := strings.Cut(line, " GENERATED ALWAYS AS "); ok {
					x = strings.TrimSuffix(strings.TrimSuffix(x, " STORED"), " VIRTUAL")
					return x, nil
				}
			}
		default:
			return "", fmt.Errorf("MariaDB has no %s", p)
		}
	}
	return "", fmt.Errorf("not found in SHOW CREATE TABLE:\n%s", def)
}
