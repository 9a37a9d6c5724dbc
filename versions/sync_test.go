package versions_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/versions"
)

// branches returns the directory of a feature branch (aaaa, then bbbb and
// cccc on top) and of main (aaaa, then its own mmmm).
func branches() (feature, main fstest.MapFS) {
	feature, main = fstest.MapFS{}, fstest.MapFS{}
	for _, r := range [][2]string{{"aaaa", ""}, {"bbbb", "aaaa"}, {"cccc", "bbbb"}} {
		up, down := table(r[0])
		feature[r[0]+"_x.sql"] = file(r[0], r[1], up, down)
	}
	main["aaaa_x.sql"] = feature["aaaa_x.sql"]
	up, down := table("mmmm")
	main["mmmm_x.sql"] = file("mmmm", "aaaa", up, down)
	return feature, main
}

func migrator(t *testing.T, db *testdb.DB, fsys fstest.MapFS) *versions.Migrator {
	t.Helper()
	m, err := versions.Open(context.Background(), db.DB, db.Dialect, fsys)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSync switches a database from a feature branch to main: the stored
// downgrades roll back what main lacks, then main's revision is applied;
// the script of the same sync, run by the dialect's client, does the same.
func TestSync(t *testing.T) {
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			feature, main := branches()
			live, viaClient := testdb.New(t, d), testdb.New(t, d)
			for _, db := range []*testdb.DB{live, viaClient} {
				if _, err := migrator(t, db, feature).Upgrade(ctx, "head"); err != nil {
					t.Fatal(err)
				}
			}
			m := migrator(t, live, main)
			if _, err := m.Upgrade(ctx, "head"); !errors.Is(err, versions.ErrStranded) || !strings.Contains(err.Error(), "revisions bbbb, cccc applied") {
				t.Fatalf("upgrade with stranded revisions: %v", err)
			}
			plan, err := m.PlanSync(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, st := range plan.Steps() {
				want = append(want, st.String())
			}
			if diff := cmp.Diff([]string{"downgrade cccc -> bbbb, rev cccc", "downgrade bbbb -> aaaa, rev bbbb", "upgrade aaaa -> mmmm, rev mmmm"}, want); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
			var script bytes.Buffer
			if err := migrator(t, viaClient, main).SyncScript(ctx, &script); err != nil {
				t.Fatal(err)
			}
			if got := tables(t, viaClient); !sameList(got, "t_aaaa", "t_bbbb", "t_cccc") {
				t.Fatalf("SyncScript changed the database: %v", got)
			}
			cmd := viaClient.Client(t)
			cmd.Stdin = &script
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s\nscript:\n%s", cmd.Path, err, out, script.String())
			}
			steps, err := m.Sync(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(steps) != 3 {
				t.Errorf("sync ran %d steps, want 3", len(steps))
			}
			for _, db := range []*testdb.DB{live, viaClient} {
				if diff := cmp.Diff([]string{"t_aaaa", "t_mmmm"}, tables(t, db)); diff != "" {
					t.Errorf("tables (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]string{"mmmm"}, current(t, migrator(t, db, main))); diff != "" {
					t.Errorf("version rows (-want +got):\n%s", diff)
				}
			}
			testdb.SameSchema(t, live, viaClient)
			if steps, err := m.Sync(ctx); err != nil || len(steps) != 0 {
				t.Errorf("second sync: %d steps, %v", len(steps), err)
			}
		})
	}
}

// sameList reports whether got holds exactly want, in order.
func sameList(got []string, want ...string) bool {
	return strings.Join(got, ",") == strings.Join(want, ",")
}

// TestSyncWithoutStoredRevisions: revisions applied by a strata that did
// not store them (simulated by emptying the table) still upgrade and
// downgrade as before; only sync refuses them, changing nothing.
func TestSyncWithoutStoredRevisions(t *testing.T) {
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			feature, main := branches()
			db := testdb.New(t, d)
			mf := migrator(t, db, feature)
			if _, err := mf.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.DB.Exec("DELETE FROM strata_version_revisions"); err != nil {
				t.Fatal(err)
			}
			if _, err := mf.Downgrade(ctx, "-1"); err != nil {
				t.Fatalf("downgrade of a revision with nothing stored: %v", err)
			}
			if _, err := mf.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.DB.Exec("DELETE FROM strata_version_revisions WHERE revision <> 'cccc'"); err != nil {
				t.Fatal(err)
			}
			_, err := migrator(t, db, main).Sync(ctx)
			var se *versions.StrandedError
			if !errors.As(err, &se) || !sameList(se.Unstored, "bbbb") {
				t.Fatalf("sync over an unstored revision: %v", err)
			}
			for _, want := range []string{"revision bbbb applied", "did not store revisions", "check out the branch that has it and run strata downgrade there"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
			if diff := cmp.Diff([]string{"t_aaaa", "t_bbbb", "t_cccc"}, tables(t, db)); diff != "" {
				t.Errorf("sync changed the tables (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"cccc"}, current(t, mf)); diff != "" {
				t.Errorf("sync changed the version table (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSyncHalfApplied: a revision left half-applied on MySQL stops sync
// before it changes anything, with what to do; once resolved, sync runs.
func TestSyncHalfApplied(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t, dialect.MySQL)
	feature, main := branches()
	feature["dddd_x.sql"] = file("dddd", "cccc", "CREATE TABLE t_dddd (id int);\nINSERT INTO missing VALUES (1);", "DROP TABLE t_dddd;")
	if _, err := migrator(t, db, feature).Upgrade(ctx, "head"); err == nil {
		t.Fatal("upgrade of dddd did not fail")
	}
	m := migrator(t, db, main)
	_, err := m.Sync(ctx)
	if err == nil || !strings.Contains(err.Error(), "revision dddd is half-applied (statements 1 to 1 of its upgrade ran) but not in the versions directory") ||
		!strings.Contains(err.Error(), "strata resolve dddd --rolled-back") {
		t.Fatalf("sync over a half-applied revision: %v", err)
	}
	if diff := cmp.Diff([]string{"t_aaaa", "t_bbbb", "t_cccc", "t_dddd"}, tables(t, db)); diff != "" {
		t.Errorf("sync changed the tables (-want +got):\n%s", diff)
	}
	if _, err := db.DB.Exec("DROP TABLE t_dddd"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Resolve(ctx, "dddd", true); err == nil {
		t.Error("resolve --applied of a revision not in the directory succeeded")
	}
	if _, err := m.Resolve(ctx, "dddd", false); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"t_aaaa", "t_mmmm"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
}

// TestSyncLargeStoredRevisions: revisions over 64 KiB are stored whole;
// on MySQL compressed, in the format UNCOMPRESS reads; and sync rolls
// them back from what is stored, with their files gone from the checkout.
func TestSyncLargeStoredRevisions(t *testing.T) {
	large := func(id string, n int) (up, down string) {
		var u, d []string
		for i := range n {
			cols := []string{"id int NOT NULL"}
			for c := range 10 {
				cols = append(cols, fmt.Sprintf("c%02d varchar(40) DEFAULT 'it''s column %d of table %d'", c, c, i))
			}
			u = append(u, fmt.Sprintf("CREATE TABLE t_%s_%03d (%s);", id, i, strings.Join(cols, ", ")))
			d = append([]string{fmt.Sprintf("DROP TABLE t_%s_%03d;", id, i)}, d...)
		}
		return strings.Join(u, "\n"), strings.Join(d, "\n")
	}
	feature, main := fstest.MapFS{}, fstest.MapFS{}
	for _, r := range [][2]string{{"aaaa", ""}, {"bbbb", "aaaa"}, {"cccc", "bbbb"}} {
		up, down := table(r[0])
		if r[0] != "aaaa" {
			up, down = large(r[0], 120)
		}
		feature[r[0]+"_x.sql"] = file(r[0], r[1], up, down)
	}
	main["aaaa_x.sql"] = feature["aaaa_x.sql"]
	if n := len(feature["bbbb_x.sql"].Data); n < 64<<10 {
		t.Fatalf("the large revision is %d bytes", n)
	}
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.New(t, d)
			if _, err := migrator(t, db, feature).Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if got := len(tables(t, db)); got != 241 {
				t.Fatalf("%d tables after the upgrade, want 241", got)
			}
			if d == dialect.MySQL {
				for _, id := range []string{"bbbb", "cccc"} {
					var prefix string
					var text []byte
					if err := db.DB.QueryRow("SELECT LEFT(content, 9), UNCOMPRESS(FROM_BASE64(SUBSTRING(content, 10))) FROM strata_version_revisions WHERE revision = ?", id).Scan(&prefix, &text); err != nil {
						t.Fatal(err)
					}
					if prefix != "compress:" || !bytes.Equal(text, feature[id+"_x.sql"].Data) {
						t.Errorf("%s is stored as %q, and UNCOMPRESS gives %d bytes, not its %d", id, prefix, len(text), len(feature[id+"_x.sql"].Data))
					}
				}
			}
			steps, err := migrator(t, db, main).Sync(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(steps) != 2 {
				t.Errorf("sync ran %d steps, want 2", len(steps))
			}
			if diff := cmp.Diff([]string{"t_aaaa"}, tables(t, db)); diff != "" {
				t.Errorf("tables after sync (-want +got):\n%s", diff)
			}
		})
	}
}
