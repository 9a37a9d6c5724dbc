package introspect_test

import (
	"context"
	"testing"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
)

// inspectAfter runs the statements on a fresh database of d and inspects it.
func inspectAfter(t *testing.T, d dialect.Name, stmts ...string) *schema.Schema {
	t.Helper()
	db := testdb.New(t, d)
	for _, s := range stmts {
		if _, err := db.DB.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	drv, err := introspect.Driver(db.DB, d)
	if err != nil {
		t.Fatal(err)
	}
	s, err := introspect.Inspect(context.Background(), drv, db.DB, d, introspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// column returns the named column of the named table of s.
func column(t *testing.T, s *schema.Schema, table, name string) *schema.Column {
	t.Helper()
	tb, ok := s.Table(table)
	if !ok {
		t.Fatalf("no table %s", table)
	}
	c, ok := tb.Column(name)
	if !ok {
		t.Fatalf("no column %s.%s", table, name)
	}
	return c
}

// TestSerialOnlyWithItsOwnSequence: a PostgreSQL column is serial when its
// default draws from the sequence it owns, not from any sequence whose
// name looks like one (Atlas's rule), which a diff would then drop.
func TestSerialOnlyWithItsOwnSequence(t *testing.T) {
	s := inspectAfter(t, dialect.Postgres,
		"CREATE SEQUENCE invoice_number_seq",
		"CREATE TABLE orders (id serial PRIMARY KEY, invoice_number integer NOT NULL DEFAULT nextval('invoice_number_seq'))",
	)
	if _, ok := column(t, s, "orders", "id").Type.Type.(*postgres.SerialType); !ok {
		t.Errorf("orders.id: %T, want serial", column(t, s, "orders", "id").Type.Type)
	}
	c := column(t, s, "orders", "invoice_number")
	if _, ok := c.Type.Type.(*schema.IntegerType); !ok {
		t.Errorf("orders.invoice_number: %T, want integer", c.Type.Type)
	}
	if x, ok := c.Default.(*schema.RawExpr); !ok || x.X != "nextval('invoice_number_seq'::regclass)" {
		t.Errorf("orders.invoice_number default %#v, want nextval('invoice_number_seq'::regclass)", c.Default)
	}
}

// TestSQLiteStatementsOnManyLines: an expression index written over
// several lines, or ending with a line break, is read with its
// expression.
func TestSQLiteStatementsOnManyLines(t *testing.T) {
	s := inspectAfter(t, dialect.SQLite,
		"CREATE TABLE users (id INTEGER PRIMARY KEY, email text NOT NULL, name text)",
		"CREATE UNIQUE INDEX users_lower_email ON users (\n  lower(email),\n  name\n)\n",
		"CREATE INDEX users_name ON users (lower(name) DESC)\n\n",
	)
	tb, _ := s.Table("users")
	want := map[string]string{"users_lower_email": "lower(email)", "users_name": "lower(name)"}
	for _, idx := range tb.Indexes {
		x, ok := idx.Parts[0].X.(*schema.RawExpr)
		if !ok || x.X != want[idx.Name] {
			t.Errorf("index %s: first part %#v, want %s", idx.Name, idx.Parts[0].X, want[idx.Name])
		}
	}
}

// TestMariaDBSequenceDefault: MariaDB names a sequence in a default with
// the database's name; it is read without it, so models and revisions
// do not depend on the database they came from.
func TestMariaDBSequenceDefault(t *testing.T) {
	s := inspectAfter(t, dialect.MySQL,
		"CREATE SEQUENCE order_numbers",
		"CREATE TABLE orders (id int PRIMARY KEY, n bigint NOT NULL DEFAULT nextval(order_numbers))",
	)
	c := column(t, s, "orders", "n")
	if x, ok := c.Default.(*schema.RawExpr); !ok || x.X != "(nextval(`order_numbers`))" {
		t.Errorf("orders.n default %#v, want (nextval(`order_numbers`))", c.Default)
	}
}

// TestSQLiteGeneratedColumns: generated columns are read whatever their
// type and name (Atlas fails the whole inspection on a type holding a
// comma, such as decimal(12,2), or a name with regular-expression
// characters), with their expression and kind.
func TestSQLiteGeneratedColumns(t *testing.T) {
	s := inspectAfter(t, dialect.SQLite,
		"CREATE TABLE m (a decimal(12,2) NOT NULL, \"b.c\" decimal(12,2) GENERATED ALWAYS AS (a * 2) STORED,\n"+
			"  [d as x] text AS (CAST(a AS text) || ', as (') VIRTUAL, e integer as(a+1))",
	)
	for _, tc := range []struct{ col, expr, typ string }{
		{"b.c", "(a * 2)", "STORED"},
		{"d as x", "(CAST(a AS text) || ', as (')", "VIRTUAL"},
		{"e", "(a+1)", "VIRTUAL"},
	} {
		c := column(t, s, "m", tc.col)
		var x schema.GeneratedExpr
		ok := false
		for _, a := range c.Attrs {
			if g, is := a.(*schema.GeneratedExpr); is {
				x, ok = *g, true
			}
		}
		if !ok || x.Expr != tc.expr || x.Type != tc.typ {
			t.Errorf("m.%s: generated %+v (found %t), want %s %s", tc.col, x, ok, tc.expr, tc.typ)
		}
	}
	if c := column(t, s, "m", "a"); len(c.Attrs) != 0 {
		t.Errorf("m.a: attributes %v, want none", c.Attrs)
	}
}
