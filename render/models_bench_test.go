package render_test

import (
	"fmt"
	"testing"

	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/render"
)

// BenchmarkModels generates the models of 1,000 tables of ten columns,
// each with a key, a unique index and a foreign key (issue 13: adopting
// 1,000 tables end to end in under 2 s).
func BenchmarkModels(b *testing.B) {
	s := schema.New("public")
	var prev *schema.Table
	for i := range 1000 {
		t := schema.NewTable(fmt.Sprintf("table_%04d", i))
		for j := range 10 {
			c := &schema.Column{Name: fmt.Sprintf("column_%d", j), Type: &schema.ColumnType{Type: &schema.IntegerType{T: "bigint"}, Raw: "bigint", Null: j > 2}}
			if j == 5 {
				c.Type = &schema.ColumnType{Type: &schema.StringType{T: "character varying", Size: 80}, Raw: "character varying", Null: true}
			}
			t.AddColumns(c)
		}
		t.SetPrimaryKey(schema.NewPrimaryKey(t.Columns[0]).SetName(t.Name + "_pkey"))
		t.AddIndexes(schema.NewUniqueIndex(t.Name + "_column_5_key").AddColumns(t.Columns[5]))
		if prev != nil {
			t.AddForeignKeys(schema.NewForeignKey(t.Name + "_column_1_fkey").AddColumns(t.Columns[1]).SetRefTable(prev).AddRefColumns(prev.Columns[0]))
		}
		s.AddTables(t)
		prev = t
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := render.Models(s, dialect.Postgres, "models"); err != nil {
			b.Fatal(err)
		}
	}
}
