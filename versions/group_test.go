package versions_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/versions"
)

// chainOf returns linear revisions g001, g002, ..., each with the
// given upgrade statements and a downgrade dropping the tables they name.
func chainOf(ups ...string) fstest.MapFS {
	fs := fstest.MapFS{}
	for i, up := range ups {
		id, parent := fmt.Sprintf("g%03d", i+1), ""
		if i > 0 {
			parent = fmt.Sprintf("g%03d", i)
		}
		var down []string
		for _, line := range strings.Split(up, "\n") {
			if f := strings.Fields(line); len(f) > 2 && f[0] == "CREATE" {
				down = append([]string{"DROP TABLE " + f[2] + ";"}, down...)
			}
		}
		fs[id+"_x.sql"] = file(id, parent, up, strings.Join(down, "\n"))
	}
	return fs
}

// sentWith returns the round trips of sent holding every one of stmts as
// a statement of their own and every one of marks anywhere.
func sentWith(sent, stmts []string, marks ...string) []string {
	var out []string
	for _, s := range sent {
		parts := strings.Split(s, "\n;\n")
		all := true
		for _, st := range stmts {
			all = all && slices.Contains(parts, st)
		}
		for _, mk := range marks {
			all = all && strings.Contains(s, mk)
		}
		if all {
			out = append(out, s)
		}
	}
	return out
}

// historyRows returns "direction revision status done/total" per history row.
func historyRows(t *testing.T, m *versions.Migrator) []string {
	t.Helper()
	hist, err := m.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range hist {
		out = append(out, fmt.Sprintf("%s %s %s %d/%d", h.Direction, h.Revision, h.Status, h.Done, h.Total))
	}
	return out
}

// TestGroups: on MySQL, revisions made only of CREATE TABLE go to the
// server as one group, one round trip after one record; statements of a
// revision that can form a group do too, and a statement that changes rows
// still goes alone. Each revision is recorded as if it had run alone: a
// finished history row with its statements' chain and its own duration,
// the version table at head, a log event each, in order. Downgrading
// groups the DROP TABLEs the same way.
func TestGroups(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	ctx := context.Background()
	conn, rec := recording(t, db)
	mixed := []string{"CREATE TABLE t_m1 (id int);", "INSERT INTO t_m1 VALUES (1);", "CREATE TABLE t_m2 (id int);", "CREATE TABLE t_m3 (id int);"}
	fs := chainOf("CREATE TABLE t_a (id int);", "CREATE TABLE t_b (id int);\nCREATE TABLE t_c (id int);", "CREATE TABLE t_d (id int);",
		strings.Join(mixed, "\n"), "CREATE TABLE t_e (id int);")
	var events []versions.Event
	m, err := versions.Open(ctx, conn, db.Dialect, fs, versions.WithLog(func(ev versions.Event) { events = append(events, ev) }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	sent := rec.sent()
	if got := sentWith(sent, []string{"CREATE TABLE t_a (id int)", "CREATE TABLE t_b (id int)", "CREATE TABLE t_c (id int)", "CREATE TABLE t_d (id int)"}, "started:1@", "started:1-2@"); len(got) != 1 {
		t.Errorf("g001 to g003 were not sent as one group after their records:\n%s", strings.Join(sent, "\n----\n"))
	}
	if got := sentWith(sent, []string{"CREATE TABLE t_m2 (id int)", "CREATE TABLE t_m3 (id int)"}, "started:3-4@"); len(got) != 1 {
		t.Errorf("statements 3 and 4 of g004 were not sent as one group:\n%s", strings.Join(sent, "\n----\n"))
	}
	// The group's record (sent with the next round trip): the three
	// linear steps move the version row in one statement, and the history
	// rows are marked done in one upsert, not an UPDATE each.
	if records := sentWith(sent, nil, "ON DUPLICATE KEY UPDATE"); len(records) != 1 {
		t.Errorf("%d round trips marked history rows done in an upsert, want 1:\n%s", len(records), strings.Join(sent, "\n----\n"))
	} else {
		var version, updates []string
		for _, p := range strings.Split(records[0], "\n;\n") {
			if strings.Contains(p, "`strata_version` ") {
				version = append(version, p)
			}
			if strings.HasPrefix(p, "UPDATE") && strings.Contains(p, "`strata_version_history`") {
				updates = append(updates, p)
			}
		}
		if len(version) != 1 || !strings.HasSuffix(version[0], "VALUES ('g003')") || len(updates) != 0 {
			t.Errorf("the group's record changes the version table with %q and updates history rows with %q; want one INSERT of g003 and no UPDATE", version, updates)
		}
	}
	for _, c := range []string{"CREATE TABLE t_m1 (id int)", "CREATE TABLE t_m2 (id int)"} {
		if got := sentWith(sent, []string{"INSERT INTO t_m1 VALUES (1)", c}); len(got) != 0 {
			t.Errorf("the INSERT went with %s: %q", c, got)
		}
	}
	if diff := cmp.Diff([]string{"t_a", "t_b", "t_c", "t_d", "t_e", "t_m1", "t_m2", "t_m3"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"g005"}, current(t, m)); diff != "" {
		t.Errorf("version rows (-want +got):\n%s", diff)
	}
	want := []string{"upgrade g001 done 1/1", "upgrade g002 done 2/2", "upgrade g003 done 1/1", "upgrade g004 done 4/4", "upgrade g005 done 1/1"}
	if diff := cmp.Diff(want, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	hist, _ := m.History(ctx)
	if hist[1].Chain != versions.ChainOf("CREATE TABLE t_b (id int);", "CREATE TABLE t_c (id int);") || hist[3].Chain != versions.ChainOf(mixed...) {
		t.Errorf("chains of g002 and g004: %q, %q", hist[1].Chain, hist[3].Chain)
	}
	var logged []string
	for _, ev := range events {
		if ev.Duration < 0 {
			t.Errorf("event %d: duration %s", ev.Index, ev.Duration)
		}
		logged = append(logged, fmt.Sprintf("%d/%d %s", ev.Index, ev.Total, ev.Step.Revision.ID))
	}
	if diff := cmp.Diff([]string{"1/5 g001", "2/5 g002", "3/5 g003", "4/5 g004", "5/5 g005"}, logged); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	ids := queryStrings(t, db, "SELECT revision FROM strata_version_revisions ORDER BY revision")
	if diff := cmp.Diff([]string{"g001", "g002", "g003", "g004", "g005"}, ids); diff != "" {
		t.Errorf("stored revisions (-want +got):\n%s", diff)
	}

	before := len(rec.sent())
	if _, err := m.Downgrade(ctx, "g002"); err != nil {
		t.Fatal(err)
	}
	if got := sentWith(rec.sent()[before:], []string{"DROP TABLE t_e", "DROP TABLE t_m3", "DROP TABLE t_m2", "DROP TABLE t_m1", "DROP TABLE t_d"}); len(got) != 1 {
		t.Errorf("the downgrade to g002 was not one group:\n%s", strings.Join(rec.sent()[before:], "\n----\n"))
	}
	if diff := cmp.Diff([]string{"t_a", "t_b", "t_c"}, tables(t, db)); diff != "" {
		t.Errorf("tables after the downgrade (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"g002"}, current(t, m)); diff != "" {
		t.Errorf("version rows after the downgrade (-want +got):\n%s", diff)
	}
}

// TestGroupFailure: a statement failing in a group of revisions leaves the
// revisions before it recorded applied, its own recorded failed after the
// statements before it, and no record of the revisions after it; a failing
// statement inside a revision's group is recorded the same way, and the
// fixed files resume where the failure stopped (a statement run twice
// would fail: its table exists).
func TestGroupFailure(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	ctx := context.Background()
	ups := []string{"CREATE TABLE t_a (id int);", "CREATE TABLE t_b (id int);", "CREATE TABLE t_c (id nosuchtype);", "CREATE TABLE t_d (id int);"}
	m, err := versions.Open(ctx, db.DB, db.Dialect, chainOf(ups...))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Upgrade(ctx, "head")
	var se *versions.StmtError
	if !errors.As(err, &se) || se.Step.Revision.ID != "g003" || se.Index != 0 {
		t.Fatalf("upgrade: %v; want statement 1 of g003 failing", err)
	}
	if diff := cmp.Diff([]string{"g002"}, current(t, m)); diff != "" {
		t.Errorf("version rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"upgrade g001 done 1/1", "upgrade g002 done 1/1", "upgrade g003 failed 0/1"}, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"t_a", "t_b"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}

	// Fixed, and g004 now creates four tables, the third of them wrong.
	ups[2] = "CREATE TABLE t_c (id int);"
	ups[3] = "CREATE TABLE t_d1 (id int);\nCREATE TABLE t_d2 (id int);\nCREATE TABLE t_d3 (id nosuchtype);\nCREATE TABLE t_d4 (id int);"
	m, _ = versions.Open(ctx, db.DB, db.Dialect, chainOf(ups...))
	_, err = m.Upgrade(ctx, "head")
	if !errors.As(err, &se) || se.Step.Revision.ID != "g004" || se.Index != 2 {
		t.Fatalf("upgrade: %v; want statement 3 of g004 failing", err)
	}
	hist, _ := m.History(ctx)
	if h := hist[len(hist)-1]; h.Revision != "g004" || h.Status != versions.StatusFailed || h.Done != 2 || len(h.Sums) != 2 {
		t.Errorf("history of g004: %+v; want failed after 2 statements with their 2 checksums", h)
	}
	if diff := cmp.Diff([]string{"t_a", "t_b", "t_c", "t_d1", "t_d2"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	ups[3] = strings.Replace(ups[3], "nosuchtype", "int", 1)
	m, _ = versions.Open(ctx, db.DB, db.Dialect, chainOf(ups...))
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("resume: %v", err)
	}
	if diff := cmp.Diff([]string{"t_a", "t_b", "t_c", "t_d1", "t_d2", "t_d3", "t_d4"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	want := []string{"upgrade g001 done 1/1", "upgrade g002 done 1/1", "upgrade g003 done 1/1", "upgrade g004 done 4/4"}
	if diff := cmp.Diff(want, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

// TestGroupPrecondition: a statement whose table the catalog already shows
// as the statement would leave it does not join a group, so that after a
// failure "the table exists" can only mean that the group's statement
// created it: here the table of g002 exists before the run, g002 fails on
// its own and is recorded failed, not applied. The same holds for a table
// made during the run by a statement that ran alone.
func TestGroupPrecondition(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	ctx := context.Background()
	if _, err := db.DB.Exec("CREATE TABLE t_b (id int)"); err != nil {
		t.Fatal(err)
	}
	m, err := versions.Open(ctx, db.DB, db.Dialect, chainOf("CREATE TABLE t_a (id int);", "CREATE TABLE t_b (id int);", "CREATE TABLE t_c (id int);"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Upgrade(ctx, "head")
	var se *versions.StmtError
	if !errors.As(err, &se) || se.Step.Revision.ID != "g002" || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("upgrade: %v; want g002 failing, its table existing", err)
	}
	if diff := cmp.Diff([]string{"upgrade g001 done 1/1", "upgrade g002 failed 0/1"}, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"g001"}, current(t, m)); diff != "" {
		t.Errorf("version rows (-want +got):\n%s", diff)
	}

	// What the run knows of the tables after a group is forgotten once a
	// statement runs alone: g002's CREATE TABLE IF NOT EXISTS makes t_r,
	// so g003 must not send its CREATE TABLE t_r in a group.
	db = testdb.New(t, dialect.MySQL)
	m, err = versions.Open(ctx, db.DB, db.Dialect, chainOf("CREATE TABLE t_p (id int);\nCREATE TABLE t_q (id int);",
		"CREATE TABLE IF NOT EXISTS t_r (id int);", "CREATE TABLE t_r (id int);\nCREATE TABLE t_s (id int);"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Upgrade(ctx, "head")
	if !errors.As(err, &se) || se.Step.Revision.ID != "g003" || se.Index != 0 {
		t.Fatalf("upgrade: %v; want statement 1 of g003 failing", err)
	}
	if diff := cmp.Diff([]string{"upgrade g001 done 2/2", "upgrade g002 done 1/1", "upgrade g003 failed 0/2"}, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

// crashed rewrites the records of a finished run as a run stopped in a
// group would have left them: the version table and stored revisions
// back to before, and each history row from the first still naming its
// statements (all of its revision's, or from..to) as sent on a connection
// that is gone.
func crashed(t *testing.T, db *testdb.DB, spans map[string][2]int) {
	t.Helper()
	crashedOn(t, db, "999999999", spans)
}

// crashedOn is crashed naming the connections conns (such as "41", or
// "41+42" for a group sent in lanes).
func crashedOn(t *testing.T, db *testdb.DB, conns string, spans map[string][2]int) {
	t.Helper()
	for _, q := range []string{"DELETE FROM strata_version", "DELETE FROM strata_version_revisions"} {
		if _, err := db.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for rev, span := range spans {
		mark := fmt.Sprintf("chain:;started:%d-%d@%s", span[0], span[1], conns)
		if _, err := db.DB.Exec("UPDATE strata_version_history SET status = 'running', stmts_done = 0, stmt_sums = ? WHERE revision = ?", mark, rev); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGroupSettle: after a run stopped in a group (what a crash leaves is
// written by hand here; cmd/strata's TestGroupCrashSafety kills real
// runs), the next run tells from the catalog which statements took effect,
// runs the others, and records every revision once; a catalog that
// contradicts the order the statements ran in stops the run, naming them,
// until strata resolve settles them.
func TestGroupSettle(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	ctx := context.Background()
	fs := chainOf("CREATE TABLE t_a (id int);", "CREATE TABLE t_b1 (id int);\nCREATE TABLE t_b2 (id int);\nCREATE TABLE t_b3 (id int);", "CREATE TABLE t_c (id int);")
	m, err := versions.Open(ctx, db.DB, db.Dialect, fs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	// Stopped after statement 2 of g002.
	crashed(t, db, map[string][2]int{"g001": {1, 1}, "g002": {1, 3}, "g003": {1, 1}})
	for _, q := range []string{"DROP TABLE t_b3", "DROP TABLE t_c"} {
		db.DB.Exec(q)
	}
	half, err := m.HalfApplied(ctx)
	if err != nil || len(half) != 3 || !strings.Contains(half[1].Ran(), "statements 1 to 3 were sent together") {
		t.Fatalf("half-applied: %+v, %v", half, err)
	}
	if _, err := m.Downgrade(ctx, "base"); err == nil || !strings.Contains(err.Error(), "half-applied") {
		t.Errorf("downgrade with revisions half-applied: %v; want it refused", err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	want := []string{"upgrade g001 done 1/1", "upgrade g002 done 3/3", "upgrade g003 done 1/1"}
	if diff := cmp.Diff(want, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"t_a", "t_b1", "t_b2", "t_b3", "t_c"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"g003"}, current(t, m)); diff != "" {
		t.Errorf("version rows (-want +got):\n%s", diff)
	}

	// The catalog shows statement 2 of g002 but not statement 1: the
	// schema changed by hand; the run stops and names the statements.
	crashed(t, db, map[string][2]int{"g002": {1, 3}, "g003": {1, 1}})
	db.DB.Exec("INSERT INTO strata_version (version_num) VALUES ('g001')")
	for _, q := range []string{"DROP TABLE t_b1", "DROP TABLE t_b3", "DROP TABLE t_c"} {
		db.DB.Exec(q)
	}
	_, err = m.Upgrade(ctx, "head")
	var unknown *versions.UnknownOutcomeError
	if !errors.As(err, &unknown) || unknown.First != 1 || unknown.Last != 3 || !strings.Contains(err.Error(), "statement 2 took effect but statement 1, sent before it, did not") {
		t.Fatalf("rerun with a contradicting catalog: %v", err)
	}
	// Made to match none of them, and resolved so.
	db.DB.Exec("DROP TABLE t_b2")
	if _, err := m.ResolveStatement(ctx, "g002", false); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("rerun after resolve: %v", err)
	}
	if diff := cmp.Diff([]string{"t_a", "t_b1", "t_b2", "t_b3", "t_c"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
}
