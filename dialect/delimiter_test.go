package dialect_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
)

// TestClientStatement: what strata writes for a client splits back into
// the one statement, and a MySQL body with semicolons gets a DELIMITER it
// does not contain.
func TestClientStatement(t *testing.T) {
	tests := []struct {
		d          dialect.Name
		stmt, want string
	}{
		{dialect.MySQL, "CREATE TABLE a (note text DEFAULT 'x;y')", "CREATE TABLE a (note text DEFAULT 'x;y');\n"},
		{dialect.MySQL, "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1", "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.x = 1;\n"},
		{dialect.MySQL, "CREATE PROCEDURE p()\nouter_block: BEGIN\n  SELECT 1;\n  LEAVE outer_block;\nEND outer_block",
			"DELIMITER //\nCREATE PROCEDURE p()\nouter_block: BEGIN\n  SELECT 1;\n  LEAVE outer_block;\nEND outer_block//\nDELIMITER ;\n"},
		{dialect.MySQL, "CREATE PROCEDURE p() BEGIN SELECT '//'; SELECT 2; END",
			"DELIMITER $1$\nCREATE PROCEDURE p() BEGIN SELECT '//'; SELECT 2; END$1$\nDELIMITER ;\n"},
		{dialect.Postgres, "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n"},
		{dialect.SQLite, "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\n"},
	}
	for _, tt := range tests {
		got := tt.d.ClientStatement(tt.stmt)
		if got != tt.want {
			t.Errorf("%s %q:\n got %q\nwant %q", tt.d, tt.stmt, got, tt.want)
		}
		// Twice, to see the delimiter set back to ";".
		stmts, err := tt.d.Split(got + got)
		if err != nil {
			t.Fatalf("%s: split %q: %v", tt.d, got, err)
		}
		var texts []string
		for _, s := range stmts {
			texts = append(texts, strings.TrimSuffix(s.Text, ";"))
		}
		if diff := cmp.Diff([]string{tt.stmt, tt.stmt}, texts); diff != "" {
			t.Errorf("%s: split back (-want +got):\n%s", tt.d, diff)
		}
	}
}
