package render_test

import (
	"strings"
	"testing"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/render"
)

// TestModelsWarnings: what the vocabulary cannot declare is a warning
// naming the object and what is lost, never dropped silently.
func TestModelsWarnings(t *testing.T) {
	s := schema.New("public")
	other := schema.New("billing")
	invoices := schema.NewTable("invoices").AddColumns(schema.NewIntColumn("id", "bigint"))
	other.AddTables(invoices)
	bigint := func(name string) *schema.Column {
		return &schema.Column{Name: name, Type: &schema.ColumnType{Type: &schema.IntegerType{T: "bigint"}, Raw: "bigint"}}
	}
	a, b, seq, inv, comma := bigint("a"), bigint("b"), bigint("seq"), bigint("invoice_id"), bigint("x,y")
	seq.AddAttrs(&postgres.Identity{Generation: "BY DEFAULT", Sequence: &postgres.Sequence{Start: 1, Increment: 1}})
	parent := schema.NewTable("parent").AddColumns(bigint("x"), bigint("y"))
	parent.SetPrimaryKey(schema.NewPrimaryKey(parent.Columns[0]))
	parent.AddIndexes(schema.NewUniqueIndex("parent_x_y_key").AddColumns(parent.Columns...))
	tb := schema.NewTable("t").AddColumns(a, b, seq, inv, comma)
	tb.SetPrimaryKey(schema.NewPrimaryKey(b, a))
	tb.SetComment("  padded")
	tb.AddForeignKeys(
		schema.NewForeignKey("t_a_fkey").AddColumns(a).SetRefTable(parent).AddRefColumns(parent.Columns[0]),
		schema.NewForeignKey("t_ab_fkey").AddColumns(a, b).SetRefTable(parent).AddRefColumns(parent.Columns...),
		schema.NewForeignKey("t_invoice_fkey").AddColumns(inv).SetRefTable(invoices).AddRefColumns(invoices.Columns[0]),
		schema.NewForeignKey("t_xy_fkey").AddColumns(comma).SetRefTable(parent).AddRefColumns(parent.Columns[0]),
	)
	tb.AddIndexes(schema.NewIndex("t_nulls_idx").AddParts(&schema.IndexPart{C: b, Attrs: []schema.Attr{&postgres.IndexColumnProperty{NullsFirst: true}}}))
	tb.AddChecks(
		&schema.Check{Name: "t_check", Expr: "(a > 0)", Attrs: []schema.Attr{&postgres.NoInherit{}}},
		&schema.Check{Name: "t_x,y_check", Expr: `("x,y" > 0)`, Attrs: []schema.Attr{&postgres.CheckColumns{Columns: []string{"x,y"}}}},
	)
	s.AddTables(parent, tb)

	files, warns, err := render.Models(s, dialect.Postgres, "models")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range warns {
		got = append(got, w.String())
	}
	want := []string{
		`table "t": check "t_check" is NO INHERIT`,
		`table "t": check "t_x,y_check": not declared: its name cannot stand in a //strata:check directive`,
		`table "t": column "seq": auto-increment (identity) is not declared: strata declares it on a single-column primary key only`,
		`table "t": column "x,y": not declared: a db tag cannot hold a comma; the models lack the column`,
		`table "t": foreign key "t_ab_fkey": not declared: column a is already in foreign key t_a_fkey, and a field holds one`,
		`table "t": foreign key "t_invoice_fkey" references billing.invoices, in another schema`,
		`table "t": foreign key "t_xy_fkey": not declared: the models lack its column x,y`,
		`table "t": index "t_nulls_idx" part 1 has a NULLS FIRST/LAST order other than the default`,
		`table "t": primary key: its column order (b, a) is declared as the table's column order`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
	if len(files) != 2 || !strings.Contains(string(files[1].Source), "//strata:index t_nulls_idx") && !strings.Contains(string(files[1].Source), "index:t_nulls_idx") {
		t.Errorf("the index itself is still declared:\n%s", files[1].Source)
	}
}

// TestModelsBadInput: a bad package name and an empty schema are errors.
func TestModelsBadInput(t *testing.T) {
	s := schema.New("public").AddTables(schema.NewTable("t").AddColumns(schema.NewIntColumn("id", "bigint")))
	if _, _, err := render.Models(s, dialect.Postgres, "my-models"); err == nil || err.Error() != `bad package name "my-models": not a Go identifier` {
		t.Errorf("bad package: %v", err)
	}
	if _, _, err := render.Models(schema.New("public"), dialect.Postgres, "models"); err != render.ErrNoTables {
		t.Errorf("empty schema: %v, want ErrNoTables", err)
	}
}

// TestModelsEnums: a PostgreSQL enum column is a field of a named string
// type declared in enums.go with //strata:enum and a constant per value;
// names that collide with a table's type (people's Person) get a number.
func TestModelsEnums(t *testing.T) {
	mood := &schema.EnumType{T: "mood", Values: []string{"happy", "so-so", ""}}
	clash := &schema.EnumType{T: "person", Values: []string{"a"}}
	people := schema.NewTable("people").AddColumns(
		&schema.Column{Name: "mood", Type: &schema.ColumnType{Type: mood, Raw: "mood"}},
		&schema.Column{Name: "old_mood", Type: &schema.ColumnType{Type: mood, Raw: "mood", Null: true}},
		&schema.Column{Name: "kind", Type: &schema.ColumnType{Type: clash, Raw: "person"}},
	)
	s := schema.New("public").AddTables(people)
	mood.Schema, clash.Schema = s, s
	files, warns, err := render.Models(s, dialect.Postgres, "models")
	if err != nil || len(warns) > 0 {
		t.Fatalf("%v %v", err, warns)
	}
	if len(files) != 2 || files[0].Name != render.EnumsFile || files[1].Name != "people.go" {
		t.Fatalf("files %v", files)
	}
	enums := string(files[0].Source)
	for _, want := range []string{
		"// Mood is the enum type mood.\n//\n//strata:enum mood\ntype Mood string\n",
		"MoodHappy Mood = \"happy\"\n",
		"MoodSoSo  Mood = \"so-so\"\n",
		"MoodValue Mood = \"\"\n",
		"//strata:enum person\ntype Person2 string\n",
	} {
		if !strings.Contains(enums, want) {
			t.Errorf("enums.go lacks %q:\n%s", want, enums)
		}
	}
	table := string(files[1].Source)
	for _, want := range []string{"Mood    Mood    `db:\"mood\"`", "OldMood *Mood   `db:\"old_mood\"`", "Kind    Person2 `db:\"kind\"`"} {
		if !strings.Contains(table, want) {
			t.Errorf("people.go lacks %q:\n%s", want, table)
		}
	}
}
