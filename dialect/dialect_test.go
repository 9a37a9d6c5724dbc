package dialect

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name   string
		d      Name
		script string
		want   []string
	}{
		{"plain", SQLite, "CREATE TABLE a (x int);\nCREATE TABLE b (y int);\n", []string{"CREATE TABLE a (x int);", "CREATE TABLE b (y int);"}},
		{"quoted semicolon", Postgres, "INSERT INTO t VALUES ('a;b');\nSELECT 1;", []string{"INSERT INTO t VALUES ('a;b');", "SELECT 1;"}},
		{"comment semicolon", MySQL, "-- a; b\nSELECT 1;\n/* x; y */ SELECT 2;", []string{"SELECT 1;", "SELECT 2;"}},
		{"dollar quote", Postgres, "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT 2;",
			[]string{"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;", "SELECT 2;"}},
		{"tagged dollar quote", Postgres, "DO $body$ BEGIN PERFORM 1; END $body$;", []string{"DO $body$ BEGIN PERFORM 1; END $body$;"}},
		{"pg_dump restrict lines", Postgres, "\\restrict AbC123\n\nSET x = 1;\nSELECT '\\restrict no';\n\\unrestrict AbC123\n",
			[]string{"SET x = 1;", "SELECT '\\restrict no';"}},
		{"backslash escape", MySQL, `INSERT INTO t VALUES ('a\';b'); SELECT 1;`, []string{`INSERT INTO t VALUES ('a\';b');`, "SELECT 1;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := tt.d.Split(tt.script)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range stmts {
				got = append(got, s.Text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Split (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		d     Name
		ident string
		want  string
	}{
		{Postgres, `a"b`, `"a""b"`},
		{SQLite, "order", `"order"`},
		{MySQL, "a`b", "`a``b`"},
	}
	for _, tt := range tests {
		if got := tt.d.Quote(tt.ident); got != tt.want {
			t.Errorf("%s.Quote(%q) = %s, want %s", tt.d, tt.ident, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Name{"postgresql": Postgres, "mariadb": MySQL, "sqlite3": SQLite} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Parse("oracle"); err == nil {
		t.Error("Parse(oracle) succeeded, want error")
	}
}

func TestClosingParen(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"(a)", 2},
		{"(a) AND (b)", 2},
		{"((a) AND (b))", 12},
		{"(')' = x)", 8},
		{`(")" = x)`, 8},
		{"(a", -1},
		{"a)", -1},
	}
	for _, tt := range tests {
		if got := ClosingParen(tt.in); got != tt.want {
			t.Errorf("ClosingParen(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"CREATE INDEX i ON t (lower(a))\n", "CREATE INDEX i ON t (lower(a))"},
		{"CREATE INDEX i ON t (\n  lower(a),\n  b\n)", "CREATE INDEX i ON t ( lower(a), b )"},
		{"ALTER TABLE t ADD\nCONSTRAINT c", "ALTER TABLE t ADD CONSTRAINT c"},
		{"SELECT 'a\nb', \"c\nd\" FROM t\r\n  WHERE x", "SELECT 'a\nb', \"c\nd\" FROM t WHERE x"},
	} {
		if got := OneLine(tc.in); got != tc.want {
			t.Errorf("OneLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
