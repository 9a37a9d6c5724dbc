package versions

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestPlanVersionStatements(t *testing.T) {
	g := mustLoad(t, diamond...)
	tb := table{d: dialect.SQLite, name: "v"}
	type step struct {
		rev     string
		version []string
	}
	tests := []struct {
		name    string
		applied []string
		target  string
		up      bool
		want    []step
	}{
		{"upgrade heads opens branches", nil, "heads", true, []step{
			{"aaaa", []string{`INSERT INTO "v" ("version_num") VALUES ('aaaa')`}},
			{"bbbb", []string{`UPDATE "v" SET "version_num" = 'bbbb' WHERE "version_num" = 'aaaa'`}},
			{"cccc", []string{`INSERT INTO "v" ("version_num") VALUES ('cccc')`}},
			{"mmmm", []string{`DELETE FROM "v" WHERE "version_num" = 'cccc'`, `UPDATE "v" SET "version_num" = 'mmmm' WHERE "version_num" = 'bbbb'`}},
		}},
		{"merge from two heads", []string{"bbbb", "cccc"}, "head", true, []step{
			{"mmmm", []string{`DELETE FROM "v" WHERE "version_num" = 'cccc'`, `UPDATE "v" SET "version_num" = 'mmmm' WHERE "version_num" = 'bbbb'`}},
		}},
		{"down through the merge", []string{"mmmm"}, "-1", false, []step{
			{"mmmm", []string{`UPDATE "v" SET "version_num" = 'bbbb' WHERE "version_num" = 'mmmm'`, `INSERT INTO "v" ("version_num") VALUES ('cccc')`}},
		}},
		{"down to base", []string{"bbbb", "cccc"}, "base", false, []step{
			{"cccc", []string{`DELETE FROM "v" WHERE "version_num" = 'cccc'`}},
			{"bbbb", []string{`UPDATE "v" SET "version_num" = 'aaaa' WHERE "version_num" = 'bbbb'`}},
			{"aaaa", []string{`DELETE FROM "v" WHERE "version_num" = 'aaaa'`}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			applied, change := runSets(t, g, tt.applied, tt.target, tt.up)
			var got []step
			for _, st := range g.plan(tb, applied, change, tt.up) {
				got = append(got, step{st.Revision.ID, st.Version})
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(step{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// runSets returns the applied set of revisions applied and the revisions a
// run up (or down) to target changes.
func runSets(t *testing.T, g *Graph, applied []string, target string, up bool) (set, set) {
	t.Helper()
	have, err := g.appliedSet(applied)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := ParseTarget(target)
	if err != nil {
		t.Fatal(err)
	}
	change, err := g.upgradeSet(have, tg)
	if !up {
		change, err = g.downgradeSet(have, tg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return have, change
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestDrawHistory(t *testing.T) {
	tests := []struct {
		name  string
		specs []string
	}{
		{"diamond", diamond},
		{"branchy", branchy},
		{"two_roots", []string{"aaaa:", "bbbb:aaaa", "xxxx:", "yyyy:xxxx", "zzzz:bbbb,yyyy"}},
		{"octopus", []string{"aaaa:", "bbbb:aaaa", "cccc:aaaa", "dddd:aaaa", "mmmm:bbbb,cccc,dddd"}},
		{"crossing", []string{"aaaa:", "bbbb:aaaa", "cccc:aaaa", "dddd:bbbb", "eeee:cccc", "ffff:aaaa", "gggg:dddd,ffff", "hhhh:gggg,eeee"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := mustLoad(t, tt.specs...)
			revs, err := g.Range(nil, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			err = DrawHistory(&b, revs, func(r *Revision) []string {
				return []string{r.ID + " " + r.Message}
			})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "history_"+tt.name+".txt", b.Bytes())
			// Every revision appears exactly once, on a '*' line.
			if n := strings.Count(b.String(), "*"); n != len(tt.specs) {
				t.Errorf("%d '*' lines, want %d", n, len(tt.specs))
			}
		})
	}
}

func TestScript(t *testing.T) {
	g := mustLoad(t, diamond...)
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			var b bytes.Buffer
			if err := Script(&b, g, d, "strata_version", "", "head", true); err != nil {
				t.Fatal(err)
			}
			if err := Script(&b, g, d, "strata_version", "mmmm", "base", false); err != nil {
				t.Fatal(err)
			}
			golden(t, "script_"+string(d)+".sql", b.Bytes())
		})
	}
}

// TestFoldVersions: the folded version-table statements of a run (one
// transaction's worth, as a group of revisions records them) leave the
// table as the steps' own statements do one after another, on every kind
// of run, and a linear stretch takes one statement.
func TestFoldVersions(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	// a1-a2-a3, then a branch point (b1, c1), their merge m1, then m2-m3.
	g := mustLoad(t, "a1:", "a2:a1", "a3:a2", "b1:a3", "c1:a3", "m1:b1,c1", "m2:m1", "m3:m2")
	tests := []struct {
		applied []string
		target  string
		up      bool
		folded  int // statements after folding
	}{
		{nil, "a3", true, 1},
		{nil, "heads", true, 5},
		{[]string{"a1"}, "a3", true, 1},
		{[]string{"b1", "c1"}, "heads", true, 3},
		{[]string{"a1"}, "b1", true, 1},
		{[]string{"m3"}, "base", false, 5},
		{[]string{"m3"}, "m1", false, 1},
		{[]string{"a3"}, "base", false, 1},
		{[]string{"b1", "c1"}, "a2", false, 2},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%v %s %s", tt.applied, map[bool]string{true: "up", false: "down"}[tt.up], tt.target)
		t.Run(name, func(t *testing.T) {
			applied, change := runSets(t, g, tt.applied, tt.target, tt.up)
			rows := func(name string, plan func(table) []string) []string {
				tb := table{d: dialect.MySQL, name: name}
				stmts := append([]string{"DROP TABLE IF EXISTS " + tb.ref(name), tb.create()}, func() (out []string) {
					for _, id := range tt.applied {
						out = append(out, tb.insert(id))
					}
					return out
				}()...)
				for _, s := range append(stmts, plan(tb)...) {
					if _, err := db.DB.Exec(s); err != nil {
						t.Fatalf("%s: %v", s, err)
					}
				}
				got, err := tb.rows(context.Background(), db.DB)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			var each int
			want := rows("v_each", func(tb table) (out []string) {
				for _, st := range g.plan(tb, applied, change, tt.up) {
					out = append(out, st.Version...)
				}
				each = len(out)
				return out
			})
			var folded []string
			got := rows("v_fold", func(tb table) []string {
				folded = tb.foldVersions(g.plan(tb, applied, change, tt.up))
				return folded
			})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("version rows, folded (-each statement +folded):\n%s\nfolded:\n%s", diff, strings.Join(folded, "\n"))
			}
			if len(folded) != tt.folded {
				t.Errorf("%d statements folded to %d, want %d:\n%s", each, len(folded), tt.folded, strings.Join(folded, "\n"))
			}
		})
	}
}
