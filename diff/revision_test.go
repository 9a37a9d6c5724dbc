package diff_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/cli"
	"github.com/strata-db/strata/internal/testdb"
)

// sections returns the upgrade and downgrade statements of the revision
// file whose name starts with rev, without comments and blank lines.
func (p *project) sections(rev string) (up, down []string) {
	p.t.Helper()
	var text []byte
	for _, name := range p.revisions() {
		if strings.HasPrefix(name, rev) {
			var err error
			if text, err = os.ReadFile(filepath.Join(p.dir, "migrations", name)); err != nil {
				p.t.Fatal(err)
			}
		}
	}
	if text == nil {
		p.t.Fatalf("no revision %s in %v", rev, p.revisions())
	}
	var cur *[]string
	for _, line := range strings.Split(string(text), "\n") {
		switch {
		case line == "-- strata:upgrade":
			cur = &up
		case line == "-- strata:downgrade":
			cur = &down
		case cur == nil || line == "" || strings.HasPrefix(line, "--"):
		case len(*cur) > 0 && !strings.HasSuffix((*cur)[len(*cur)-1], ";"):
			(*cur)[len(*cur)-1] += "\n" + line
		default:
			*cur = append(*cur, line)
		}
	}
	return up, down
}

// applied upgrades a project to models v1 and autogenerates v2 as
// revision 0002, without applying it.
func applied(t *testing.T, d dialect.Name, v1, v2 string) *project {
	p := newProject(t, testdb.New(t, d))
	p.setModels(v1)
	p.mustRun(0, "revision", "--autogenerate", "-m", "v1", "--rev-id", "0001")
	p.mustRun(0, "upgrade", "head")
	p.setModels(v2)
	p.mustRun(0, "revision", "--autogenerate", "-m", "v2", "--rev-id", "0002")
	return p
}

// TestDowngradeTouchesOnlyChangedTables: a revision that changes one table
// has a downgrade that touches that table only, with no statement beyond
// the reverse of the upgrade (MariaDB used to reset the charset of every
// table and spell NO ACTION foreign keys RESTRICT).
func TestDowngradeTouchesOnlyChangedTables(t *testing.T) {
	v2 := strings.Replace(threeTables, "Total      int64 «strata:\"default:0\"»", "Total      int64 «strata:\"default:0\"»\n\tNote       *string «strata:\"size:50\"»", 1)
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			p := applied(t, d, threeTables, v2)
			up, down := p.sections("0002")
			if len(up) != 1 || len(down) != 1 {
				t.Fatalf("want one statement each way, got upgrade %q, downgrade %q", up, down)
			}
			q := quote(d, "orders")
			for _, s := range append(up, down...) {
				if !strings.HasPrefix(s, "ALTER TABLE "+q+" ") || strings.Contains(s, "RESTRICT") || strings.Contains(s, "CHARSET") {
					t.Errorf("statement touches more than orders.note: %s", s)
				}
			}
			v1 := p.inspect()
			p.mustRun(0, "upgrade", "head")
			p.mustRun(0, "downgrade", "-1")
			p.sameSchema("schema after downgrade -1 differs from v1", v1, p.inspect())
		})
	}
}

// quote quotes a name as the revisions do: Atlas's SQLite planner uses
// backquotes.
func quote(d dialect.Name, name string) string {
	if d == dialect.SQLite {
		return "`" + name + "`"
	}
	return d.Quote(name)
}

// exec runs statements on the project's database.
func (p *project) exec(stmts ...string) {
	p.t.Helper()
	for _, s := range stmts {
		if _, err := p.db.DB.Exec(s); err != nil {
			p.t.Fatalf("%s: %v", s, err)
		}
	}
}

// count returns the number of rows of a table.
func (p *project) count(table string) int {
	p.t.Helper()
	var n int
	if err := p.db.DB.QueryRow("SELECT COUNT(*) FROM " + p.db.Dialect.Quote(table)).Scan(&n); err != nil {
		p.t.Fatal(err)
	}
	return n
}

// TestSQLiteDropColumn: SQLite drops a plain column with one ALTER TABLE
// ... DROP COLUMN; a column an index names still needs the table rebuilt.
func TestSQLiteDropColumn(t *testing.T) {
	plain := []string{"ALTER TABLE `item` DROP COLUMN `score`;"}
	for _, tc := range []struct {
		name string
		v1   string
		want []string // nil: the table is rebuilt
	}{
		{"plain", item("Note *string", `Score int32 «strata:"default:0"»`), plain},
		{"two_plain", item("Note *string", `Score int32 «strata:"default:0"»`, "Extra *string"), append(plain, "ALTER TABLE `item` DROP COLUMN `extra`;")},
		{"indexed", item("Note *string", `Score int32 «strata:"default:0;index"»`), nil},
		{"in_check", itemWith([]string{"check item_score_check score >= 0"}, "Note *string", `Score int32 «strata:"default:0"»`), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := applied(t, dialect.SQLite, tc.v1, item("Note *string"))
			up, _ := p.sections("0002")
			if tc.want != nil && !slices.Equal(up, tc.want) || tc.want == nil && !strings.HasPrefix(up[1], "CREATE TABLE `new_item`") {
				t.Errorf("upgrade %q, want %q (nil: rebuilt)", up, tc.want)
			}
			if tc.want != nil {
				// Each drop's warning is above its own statement.
				file := p.revisionText()
				for _, col := range []string{"score", "extra"} {
					w := "-- DANGER: drops column item." + col + " and its data; it cannot be restored\nALTER TABLE `item` DROP COLUMN `" + col + "`;"
					if strings.Contains(strings.Join(tc.want, ""), "`"+col+"`") && !strings.Contains(file, w) {
						t.Errorf("no warning above the drop of %s:\n%s", col, file)
					}
				}
			}
			p.exec(`INSERT INTO item (id, note, score) VALUES (1, 'a', 5)`)
			v1 := p.inspect()
			p.mustRun(0, "upgrade", "head")
			p.mustRun(0, "downgrade", "-1")
			p.sameSchema("schema after downgrade -1 differs from v1", v1, p.inspect())
			if n := p.count("item"); n != 1 {
				t.Errorf("%d rows after upgrade and downgrade, want 1", n)
			}
		})
	}
}

var update = flag.Bool("update", false, "rewrite the golden files")

const dangerV1 = `
//strata:table
type Gone struct {
	ID int64 «strata:"pk"»
}

//strata:table
type Item struct {
	ID   int64   «strata:"pk"»
	Code string  «strata:"size:40"»
	Nick *string «strata:"size:30"»
	Old  *string «strata:"size:10"»
	Tag  string  «strata:"size:20;index:item_tag"»
}

//strata:table
type Pair struct {
	ID int64  «strata:"pk"»
	K  string «strata:"size:10"»
}
`

const dangerV2 = `
//strata:table
type Item struct {
	ID   int64  «strata:"pk"»
	Code string «strata:"size:20;unique"»
	Nick string «strata:"size:30"»
	Tag  string «strata:"size:20;unique:item_tag"»
	Qty  int32
}

//strata:table
type Pair struct {
	ID int64  «strata:"pk"»
	K  string «strata:"pk;size:10"»
}
`

// runSplit runs strata and returns the exit code, stdout and stderr.
func (p *project) runSplit(args ...string) (int, string, string) {
	p.t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(append([]string{"--config", filepath.Join(p.dir, "strata.toml")}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var createdLine = regexp.MustCompile(`(?m)^-- Created: .*$`)

// TestDangerWarnings: each warning of a revision appears once, above the
// statement that does what it says, in the file, on stderr and in the JSON
// of diff, on every dialect (testdata/danger_DIALECT.golden, -update).
func TestDangerWarnings(t *testing.T) {
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			p := newProject(t, testdb.New(t, d))
			p.setModels(dangerV1)
			p.mustRun(0, "revision", "--autogenerate", "-m", "v1", "--rev-id", "0001")
			p.mustRun(0, "upgrade", "head")
			p.setModels(dangerV2)
			code, jsonOut, jsonErr := p.runSplit("diff", "--format", "json")
			if code != 1 {
				t.Fatalf("diff: exit %d, want 1\n%s%s", code, jsonOut, jsonErr)
			}
			code, _, stderr := p.runSplit("revision", "--autogenerate", "-m", "v2", "--rev-id", "0002")
			if code != 0 {
				t.Fatalf("revision: exit %d\n%s", code, stderr)
			}
			file, err := os.ReadFile(filepath.Join(p.dir, "migrations", "0002_v2.sql"))
			if err != nil {
				t.Fatal(err)
			}
			upgrade, _, _ := strings.Cut(string(file), "-- strata:downgrade")
			// The warnings on stderr and in JSON are the comments without
			// their "DANGER: " prefix.
			var doc struct{ Warnings []string }
			if err := json.Unmarshal([]byte(jsonOut), &doc); err != nil {
				t.Fatal(err)
			}
			var inFile []string
			for _, line := range strings.Split(upgrade, "\n") {
				if w, ok := strings.CutPrefix(line, "-- DANGER: "); ok {
					inFile = append(inFile, w)
				}
			}
			var onStderr []string
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if w, ok := strings.CutPrefix(line, "strata: warning: "); ok {
					onStderr = append(onStderr, w)
				}
			}
			inJSON := doc.Warnings
			if len(inFile) < 8 {
				t.Errorf("%d warnings in the upgrade, want at least 8:\n%s", len(inFile), upgrade)
			}
			if dup := duplicates(inFile); len(dup) > 0 {
				t.Errorf("warnings more than once in the file: %q", dup)
			}
			if diff := cmp.Diff(inFile, onStderr); diff != "" {
				t.Errorf("stderr warnings differ from the file's (-file +stderr):\n%s", diff)
			}
			if diff := cmp.Diff(inFile, inJSON); diff != "" {
				t.Errorf("JSON warnings differ from the file's (-file +json):\n%s", diff)
			}
			got := "== 0002_v2.sql\n" + createdLine.ReplaceAllString(string(file), "-- Created: (time)") +
				"== stderr of revision --autogenerate\n" + stderr + "== diff --format json\n" + jsonOut
			golden := filepath.Join("testdata", "danger_"+string(d)+".golden")
			if *update {
				writeFile(t, golden, got)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
			p.mustRun(0, "upgrade", "head")
			p.mustRun(0, "downgrade", "-1")
		})
	}
}

func duplicates(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if seen[x] {
			out = append(out, x)
		}
		seen[x] = true
	}
	return out
}

// TestRenameKeepsUniqueIndex: accepting a column rename keeps the
// column's unique index, renamed with it (on SQLite, which cannot rename
// an index, built again under the new name), without a warning, and the
// rows keep their values both ways.
func TestRenameKeepsUniqueIndex(t *testing.T) {
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			p := applied(t, d, item(`Email string «strata:"size:100;unique"»`), item(`Mail string «strata:"size:100;unique;renamed_from:email"»`))
			up, down := p.sections("0002")
			want := map[dialect.Name][]string{
				dialect.Postgres: {`ALTER TABLE "item" RENAME COLUMN "email" TO "mail";`, `ALTER INDEX "item_email_key" RENAME TO "item_mail_key";`},
				dialect.MySQL:    {"ALTER TABLE `item` RENAME COLUMN `email` TO `mail`;", "ALTER TABLE `item` RENAME INDEX `item_email_key` TO `item_mail_key`;"},
				dialect.SQLite:   {"ALTER TABLE `item` RENAME COLUMN `email` TO `mail`;", "CREATE UNIQUE INDEX `item_mail_key` ON `item` (`mail`);", "DROP INDEX `item_email_key`;"},
			}[d]
			if diff := cmp.Diff(want, up); diff != "" {
				t.Errorf("upgrade (-want +got):\n%s", diff)
			}
			if text := p.revisionText(); strings.Contains(text[strings.Index(text, "0002_v2"):], "DANGER") {
				t.Errorf("a warning in the rename:\n%s", text)
			}
			p.exec(`INSERT INTO item (id, email) VALUES (1, 'a'), (2, 'b')`)
			v1 := p.inspect()
			p.mustRun(0, "upgrade", "head")
			if _, err := p.db.DB.Exec(`INSERT INTO item (id, mail) VALUES (3, 'a')`); err == nil {
				t.Errorf("duplicate mail inserted: the unique index is gone (downgrade %q)", down)
			}
			var n int
			if err := p.db.DB.QueryRow(`SELECT COUNT(*) FROM item WHERE mail IN ('a', 'b')`).Scan(&n); err != nil || n != 2 {
				t.Errorf("rows with their mail after upgrade: %d, %v; want 2", n, err)
			}
			p.mustRun(0, "downgrade", "-1")
			p.sameSchema("schema after downgrade -1 differs from v1", v1, p.inspect())
			if err := p.db.DB.QueryRow(`SELECT COUNT(*) FROM item WHERE email IN ('a', 'b')`).Scan(&n); err != nil || n != 2 {
				t.Errorf("rows with their email after downgrade: %d, %v; want 2", n, err)
			}
		})
	}
}

// TestDowngradeRestoresNotNullColumns: the downgrade of a revision that
// dropped NOT NULL columns without a default re-adds them on a table with
// rows, with their types' zero values, and the schema is v1's again (no
// default left behind).
func TestDowngradeRestoresNotNullColumns(t *testing.T) {
	v1 := item("Note *string", "Qty int32", `Code string «strata:"size:10"»`, "Flag bool", "At time.Time", "Price float64")
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			p := applied(t, d, v1, item("Note *string"))
			p.exec(`INSERT INTO item (id, note, qty, code, flag, at, price) VALUES (1, 'a', 5, 'x', true, '2020-01-02 03:04:05', 1.5), (2, NULL, 6, 'y', false, '2021-01-02 03:04:05', 2.5)`)
			want := p.inspect()
			p.mustRun(0, "upgrade", "head")
			p.mustRun(0, "downgrade", "-1")
			p.sameSchema("schema after downgrade -1 differs from v1", want, p.inspect())
			var n int
			if err := p.db.DB.QueryRow(`SELECT COUNT(*) FROM item WHERE qty = 0 AND code = '' AND price = 0`).Scan(&n); err != nil || n != 2 {
				t.Errorf("rows with zero values after downgrade: %d, %v; want 2", n, err)
			}
			if _, down := p.sections("0002"); !strings.Contains(p.revisionText(), "NOTE: re-adds item.qty with 0 in every row; the values it held are not restored") {
				t.Errorf("no note on the re-added column in the downgrade %q", down)
			}
		})
	}
}

// TestReferencedKeyWidened: a primary key and the foreign key column
// referencing it change type together, on tables with rows (MariaDB
// refuses while the key exists; strata drops it first and adds it after),
// and the way back adds the key as the models declared it (no RESTRICT
// where they said nothing).
func TestReferencedKeyWidened(t *testing.T) {
	for _, d := range []dialect.Name{dialect.Postgres, dialect.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			p := applied(t, d, widenedKey("int32"), widenedKey("int64"))
			p.exec(`INSERT INTO parent (id) VALUES (1)`, `INSERT INTO child (id, parent_id) VALUES (1, 1)`)
			v1 := p.inspect()
			p.mustRun(0, "upgrade", "head")
			p.mustRun(0, "downgrade", "-1")
			p.sameSchema("schema after downgrade -1 differs from v1", v1, p.inspect())
			if n := p.count("child"); n != 1 {
				t.Errorf("%d child rows, want 1", n)
			}
			up, down := p.sections("0002")
			for _, s := range append(up, down...) {
				if strings.Contains(s, "RESTRICT") {
					t.Errorf("RESTRICT the models do not declare: %s", s)
				}
			}
		})
	}
}

// TestDowngradeMakesNotNullAgain: the downgrade of a revision that made
// columns nullable works once rows hold NULL there: it sets them to zero
// first, with a note, and the schema is v1's again.
func TestDowngradeMakesNotNullAgain(t *testing.T) {
	v1 := item(`Nick string «strata:"size:30"»`, "Qty int32")
	v2 := item(`Nick *string «strata:"size:30"»`, "Qty *int32")
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			p := applied(t, d, v1, v2)
			want := p.inspect()
			p.mustRun(0, "upgrade", "head")
			p.exec(`INSERT INTO item (id, nick, qty) VALUES (1, NULL, NULL), (2, 'b', 2)`)
			p.mustRun(0, "downgrade", "-1")
			p.sameSchema("schema after downgrade -1 differs from v1", want, p.inspect())
			var n int
			if err := p.db.DB.QueryRow(`SELECT COUNT(*) FROM item WHERE nick = '' AND qty = 0`).Scan(&n); err != nil || n != 1 {
				t.Errorf("rows whose NULLs became zero: %d, %v; want 1", n, err)
			}
			text := p.revisionText()
			if !strings.Contains(text, "-- NOTE: sets item.nick to '' where it is NULL, so it can be NOT NULL again") ||
				strings.Contains(text, "DANGER: makes item.nick NOT NULL") {
				t.Errorf("want a note, not a warning, above the downgrade's fill:\n%s", text)
			}
		})
	}
}
