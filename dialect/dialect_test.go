package dialect

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/sqlite"
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

func TestLiteral(t *testing.T) {
	tests := []struct {
		d    Name
		s    string
		want string
	}{
		{Postgres, "", "''"},
		{Postgres, "plain", "'plain'"},
		{Postgres, `it's a\b`, `'it''s a\b'`},
		{SQLite, "''", "''''''"},
		{MySQL, `it's a\b`, `'it''s a\\b'`},
		{MySQL, `'\`, `'''\\'`},
		{MySQL, `a\b\`, `'a\\b\\'`},
		{MySQL, "it's", `'it''s'`},
		{MySQL, `\'x'\`, `'\\''x''\\'`},
	}
	for _, tt := range tests {
		if got := tt.d.Literal(tt.s); got != tt.want {
			t.Errorf("%s.Literal(%q) = %s, want %s", tt.d, tt.s, got, tt.want)
		}
		var b strings.Builder
		b.WriteString("x = ")
		tt.d.WriteLiteral(&b, tt.s)
		if got := b.String(); got != "x = "+tt.want {
			t.Errorf("%s.WriteLiteral(%q) wrote %s, want x = %s", tt.d, tt.s, got, tt.want)
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

// TestSplitFastPath: for text with no "begin" and space, Split's fast
// path (the driver's scanner with its BEGIN patterns off) gives what the
// driver's own ScanStmts gives, statement for statement, or the same
// error; run over every SQL and script file of the repository (any text
// is input to a scanner) and the fuzz corpus of FuzzSplitFastPath.
func TestSplitFastPath(t *testing.T) {
	n := 0
	err := filepath.WalkDir("..", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".sql") && !strings.HasSuffix(path, ".txtar") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		// Make every file usable: without its BEGINs, and as it is when
		// it has none.
		script := regexp.MustCompile(`(?i)begin`).ReplaceAllString(string(data), "start")
		for _, d := range All {
			checkFastPath(t, d, script)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Fatalf("only %d files read", n)
	}
	for _, d := range All {
		if _, ok := scanOptions[d]; !ok {
			t.Errorf("no scanner options for %s", d)
		}
	}
	if !mentionsBegin("CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  SET NEW.a = 1;\nEND") || !mentionsBegin("begin\tatomic") ||
		mentionsBegin("CREATE TABLE t (begin_at int, beginning text)") || mentionsBegin("SELECT 'begin'") {
		t.Error("mentionsBegin")
	}
}

// checkFastPath compares Split with the driver's ScanStmts on script,
// which must not mention BEGIN.
func checkFastPath(t *testing.T, d Name, script string) {
	t.Helper()
	if mentionsBegin(script) {
		t.Fatalf("script mentions BEGIN: %q", script)
	}
	got, gotErr := d.Split(script)
	var want []*migrate.Stmt
	var wantErr error
	switch d {
	case Postgres:
		want, wantErr = (*postgres.Driver)(nil).ScanStmts(blankRestrict(script))
	case MySQL:
		want, wantErr = (*mysql.Driver)(nil).ScanStmts(script)
	default:
		want, wantErr = (*sqlite.Driver)(nil).ScanStmts(script)
	}
	if (gotErr != nil) != (wantErr != nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("%s: Split error %v, ScanStmts error %v on %.200q", d, gotErr, wantErr, script)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: Split found %d statements, ScanStmts %d, on %.200q", d, len(got), len(want), script)
	}
	for i := range got {
		if got[i].Pos != want[i].Pos || got[i].Text != want[i].Text {
			t.Fatalf("%s: statement %d: Split %d %q, ScanStmts %d %q", d, i, got[i].Pos, got[i].Text, want[i].Pos, want[i].Text)
		}
	}
}

// FuzzSplitFastPath: Split agrees with the driver's ScanStmts on any text
// without "begin" and a space.
func FuzzSplitFastPath(f *testing.F) {
	for _, s := range []string{"SELECT 1; SELECT 2", "INSERT INTO t VALUES ('a;b'); -- c;\n# d;\nSELECT 1;",
		"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;", "DELIMITER //\nSELECT 1//\nDELIMITER ;\nSELECT 2;",
		"SELECT E'a\\';b'; SELECT \"x;y\", `z;w` FROM t;", "CREATE TABLE t (a int, CHECK (a > 0)); /* x; */ SELECT (1;", "begin_at;beginx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if mentionsBegin(s) {
			return
		}
		for _, d := range All {
			checkFastPath(t, d, s)
		}
	})
}
