package diff_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/strata-db/strata/dialect"
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
	for _, tc := range []struct {
		name    string
		v1      string
		rebuild bool
	}{
		{"plain", item("Note *string", `Score int32 «strata:"default:0"»`), false},
		{"indexed", item("Note *string", `Score int32 «strata:"default:0;index"»`), true},
		{"in_check", itemWith([]string{"check item_score_check score >= 0"}, "Note *string", `Score int32 «strata:"default:0"»`), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := applied(t, dialect.SQLite, tc.v1, item("Note *string"))
			up, _ := p.sections("0002")
			want := []string{"ALTER TABLE `item` DROP COLUMN `score`;"}
			if rebuilt := !slices.Equal(up, want); rebuilt != tc.rebuild {
				t.Errorf("upgrade %q, want rebuilt: %v", up, tc.rebuild)
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
