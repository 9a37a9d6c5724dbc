package diff

import (
	"testing"

	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// TestAnswerKey checks that two expressions share the database's answer
// only when everything the answer depends on is the same: the texts, the
// kind, the column's type, and the types of the columns the text names.
func TestAnswerKey(t *testing.T) {
	col := func(name string, typ schema.Type) *schema.Column {
		return schema.NewColumn(name).SetType(typ)
	}
	ts := col("created_at", &schema.TimeType{T: "timestamp"})
	dt := col("created_at", &schema.TimeType{T: "datetime"})
	qty := col("qty", &schema.IntegerType{T: "int"})
	bigQty := col("qty", &schema.IntegerType{T: "bigint"})
	other := col("note", &schema.StringType{T: "varchar", Size: 10})
	wider := col("note", &schema.StringType{T: "varchar", Size: 20})
	def := exprPair{kind: defaultExpr, column: ts, db: "current_timestamp()", model: "CURRENT_TIMESTAMP"}
	check := exprPair{kind: checkExpr, db: "`qty` >= 0", model: "qty >= 0"}
	key := func(p exprPair, cols ...*schema.Column) string {
		t.Helper()
		k, err := answerKey(dialect.MySQL, p, cols)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	same := []struct {
		name string
		a, b string
	}{
		{"a default, another table's unrelated column", key(def, ts, other), key(def, ts, wider)},
		{"a check, a column it does not name", key(check, qty, other), key(check, qty, wider)},
	}
	for _, c := range same {
		if c.a != c.b {
			t.Errorf("%s: keys differ", c.name)
		}
	}
	withCol := func(p exprPair, c *schema.Column) exprPair { p.column = c; return p }
	withModel := func(p exprPair, m string) exprPair { p.model = m; return p }
	withDB := func(p exprPair, db string) exprPair { p.db = db; return p }
	withKind := func(p exprPair, k exprKind) exprPair { p.kind = k; return p }
	differ := []struct {
		name string
		a, b string
	}{
		{"the column's type", key(def, ts), key(withCol(def, dt), dt)},
		{"the model's text", key(def, ts), key(withModel(def, "now()"), ts)},
		{"the database's text", key(def, ts), key(withDB(def, "now()"), ts)},
		{"the kind", key(check, qty), key(withKind(check, predicateExpr), qty)},
		{"the type of a column the text names", key(check, qty), key(check, bigQty)},
	}
	for _, c := range differ {
		if c.a == c.b {
			t.Errorf("the key does not change with %s", c.name)
		}
	}
}
