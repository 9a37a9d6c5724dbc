package diff_test

import (
	"context"
	"testing"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/diff"
	"github.com/strata-db/strata/internal/testdb"
)

// countingDriver counts the schema comparisons asked of Atlas.
type countingDriver struct {
	migrate.Driver
	n int
}

func (c *countingDriver) SchemaDiff(from, to *schema.Schema, opts ...schema.DiffOption) ([]schema.Change, error) {
	c.n++
	return c.Driver.SchemaDiff(from, to, opts...)
}

// TestNoChangePlansOneComparison: when the models and the database agree,
// what check meets on nearly every commit, Plan compares them once: with
// nothing to upgrade there is nothing to undo, and the comparison the
// other way is not made. With a change, it is, and the downgrade undoes
// the change.
func TestNoChangePlansOneComparison(t *testing.T) {
	db := testdb.New(t, dialect.SQLite)
	drv, err := sqlite.Open(db.DB)
	if err != nil {
		t.Fatal(err)
	}
	item := func(extra ...string) *schema.Schema {
		tb := schema.NewTable("item").AddColumns(schema.NewIntColumn("id", "integer"), schema.NewStringColumn("name", "text"))
		tb.SetPrimaryKey(schema.NewPrimaryKey(tb.Columns[0]))
		for _, c := range extra {
			tb.AddColumns(schema.NewNullStringColumn(c, "text"))
		}
		return schema.New("main").AddTables(tb)
	}
	c := &countingDriver{Driver: drv}
	m, err := diff.Plan(context.Background(), c, dialect.SQLite, item(), item(), diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Empty() || len(m.Downgrade) != 0 || len(m.Changes) != 0 {
		t.Errorf("no change: upgrade %v, downgrade %v, changes %v; want none", m.Upgrade, m.Downgrade, m.Changes)
	}
	if c.n != 1 {
		t.Errorf("no change: %d comparisons, want 1", c.n)
	}
	c.n = 0
	m, err = diff.Plan(context.Background(), c, dialect.SQLite, item(), item("note"), diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Empty() || len(m.Downgrade) == 0 {
		t.Errorf("a new column: upgrade %v, downgrade %v; want both", m.Upgrade, m.Downgrade)
	}
	if c.n != 2 {
		t.Errorf("a new column: %d comparisons, want 2 (upgrade and downgrade)", c.n)
	}
}
