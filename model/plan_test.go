package model

import (
	"strings"
	"testing"

	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// TestWithDeclaredTypes plans SQLite columns with a length and a precision:
// written as declared, numeric defaults unquoted, types restored after.
func TestWithDeclaredTypes(t *testing.T) {
	o := dialects[dialect.SQLite]
	var cols []*schema.Column
	for _, raw := range []string{"varchar(20)", "decimal(12,2)", "integer"} {
		ct, err := o.parseType(raw)
		if err != nil {
			t.Fatal(err)
		}
		cols = append(cols, &schema.Column{Name: strings.Fields(strings.NewReplacer("(", " ").Replace(raw))[0], Type: ct})
	}
	cols[1].Default = &schema.Literal{V: "0"}
	tbl := schema.NewTable("t").AddColumns(cols...)
	schema.New("main").AddTables(tbl)
	got, err := SQL(schema.NewRealm(tbl.Schema), dialect.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	want := "CREATE TABLE `t` (\n  `varchar` varchar(20) NOT NULL,\n  `decimal` decimal(12,2) NOT NULL DEFAULT 0,\n  `integer` integer NOT NULL\n);\n"
	if got != want {
		t.Errorf("SQL:\n%s\nwant:\n%s", got, want)
	}
	if st, ok := cols[0].Type.Type.(*schema.StringType); !ok || st.T != "varchar" || st.Size != 20 {
		t.Errorf("type not restored: %#v", cols[0].Type.Type)
	}
}
