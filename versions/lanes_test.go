package versions_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/versions"
)

// laneTables returns n CREATE TABLE statements, t_l00 to t_l<n-1>; with
// fks, every third names the table before it in a foreign key and the
// others t_l00, so that the group runs in three levels.
func laneTables(n int, fks bool) []string {
	out := make([]string, n)
	for k := range out {
		out[k] = fmt.Sprintf("CREATE TABLE t_l%02d (id int PRIMARY KEY, p int);", k)
		if fks && k > 0 {
			ref := "t_l00"
			if k%3 == 0 {
				ref = fmt.Sprintf("t_l%02d", k-1)
			}
			out[k] = fmt.Sprintf("CREATE TABLE t_l%02d (id int PRIMARY KEY, p int, FOREIGN KEY (p) REFERENCES %s (id));", k, ref)
		}
	}
	return out
}

// laneNames returns the tables of laneTables(n) but those in skip.
func laneNames(n int, skip ...int) []string {
	var out []string
	for k := range n {
		if !containsInt(skip, k) {
			out = append(out, fmt.Sprintf("t_l%02d", k))
		}
	}
	return out
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// laneDone checks that g001, the n statements of laneTables, is applied
// whole: every table there, and its history row done.
func laneDone(t *testing.T, db *testdb.DB, m *versions.Migrator, n int) {
	t.Helper()
	if diff := cmp.Diff(laneNames(n), tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{fmt.Sprintf("upgrade g001 done %d/%d", n, n)}, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

var laneMark = regexp.MustCompile(`started:\d+-\d+@\d+\+\d+`)

// laneRecords returns the round trips of sent that record a group as sent
// in lanes.
func laneRecords(sent []string) []string {
	var out []string
	for _, s := range sent {
		if laneMark.MatchString(s) {
			out = append(out, s)
		}
	}
	return out
}

// holding returns the indexes of the round trips of sent that hold stmt
// as a statement of their own.
func holding(sent []string, stmt string) []int {
	var out []int
	for i, s := range sent {
		if len(sentWith([]string{s}, []string{stmt})) == 1 {
			out = append(out, i)
		}
	}
	return out
}

// TestLanes: on MySQL a revision's group of CREATE TABLE statements goes
// in two lanes, recorded as sent on both connections: statements of a
// level alternate between the connections, and a statement naming a table
// of the group waits for the level that creates it. The outcome and the
// record are those of the statements run in order. A group that names a
// table it creates later, or a revision that changes the session, runs on
// one connection.
func TestLanes(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	ctx := context.Background()
	conn, rec := recording(t, db)
	stmts := laneTables(40, true)
	m, err := versions.Open(ctx, conn, db.Dialect, chainOf(strings.Join(stmts, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	sent := rec.sent()
	if got := laneRecords(sent); len(got) != 1 || !strings.Contains(got[0], "started:1-40@") {
		t.Fatalf("the group was not recorded once as sent in lanes:\n%s", strings.Join(sent, "\n----\n"))
	}
	at := map[int][]int{}
	for k, s := range stmts {
		at[k] = holding(sent, strings.TrimSuffix(s, ";"))
		if len(at[k]) != 1 {
			t.Fatalf("statement %d was sent in %d round trips, want 1", k+1, len(at[k]))
		}
	}
	if at[1][0] == at[2][0] {
		t.Errorf("statements 2 and 3 (the same level) went in one round trip, not one on each connection")
	}
	if at[3][0] < at[2][0] || at[3][0] < at[1][0] {
		t.Errorf("statement 4, which names statement 3's table, was sent (round trip %d) before statement 3's level (%d, %d)", at[3][0], at[1][0], at[2][0])
	}
	laneDone(t, db, m, 40)
	if hist, _ := m.History(ctx); hist[0].Chain != versions.ChainOf(stmts...) {
		t.Errorf("chain %q, want that of the statements in order", hist[0].Chain)
	}
	if fks := queryStrings(t, db, "SELECT count(*) FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()"); fks[0] != "39" {
		t.Errorf("%s foreign keys, want 39", fks[0])
	}

	// Statement 1 names the table statement 2 creates: run in order it
	// fails, and so it does here, on one connection.
	db = testdb.New(t, dialect.MySQL)
	conn, rec = recording(t, db)
	fwd := laneTables(20, false)
	fwd[0] = "CREATE TABLE t_l00 (id int PRIMARY KEY, p int, FOREIGN KEY (p) REFERENCES t_l01 (id));"
	m, _ = versions.Open(ctx, conn, db.Dialect, chainOf(strings.Join(fwd, "\n")))
	_, err = m.Upgrade(ctx, "head")
	var se *versions.StmtError
	if !errors.As(err, &se) || se.Index != 0 {
		t.Fatalf("upgrade naming a later table: %v; want statement 1 failing", err)
	}
	if got := laneRecords(rec.sent()); len(got) != 0 {
		t.Errorf("a group naming a table it creates later went in lanes: %q", got)
	}
	if got := tables(t, db); len(got) != 0 {
		t.Errorf("tables %v, want none", got)
	}

	// A SET first: the lane's session would not have it.
	db = testdb.New(t, dialect.MySQL)
	conn, rec = recording(t, db)
	m, _ = versions.Open(ctx, conn, db.Dialect, chainOf("SET SESSION sql_mode = 'ANSI_QUOTES';\n"+strings.Join(laneTables(20, false), "\n")))
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if got := laneRecords(rec.sent()); len(got) != 0 {
		t.Errorf("a revision that changed the session sent a group in lanes: %q", got)
	}
	if diff := cmp.Diff(laneNames(20), tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}

	// The pool's one idle connection, which the run takes, had its
	// session changed by the application: a new one differs.
	db = testdb.New(t, dialect.MySQL)
	conn, rec = recording(t, db)
	c, err := conn.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExecContext(ctx, "SET SESSION sql_mode = 'ANSI_QUOTES'"); err != nil {
		t.Fatal(err)
	}
	c.Close()
	m, _ = versions.Open(ctx, conn, db.Dialect, chainOf(strings.Join(laneTables(20, false), "\n")))
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if got := laneRecords(rec.sent()); len(got) != 0 {
		t.Errorf("a group went in lanes on connections whose sessions differ: %q", got)
	}
	// Set back as a new connection has it: the same run goes in lanes.
	if _, err := m.Downgrade(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = @@GLOBAL.sql_mode"); err != nil {
		t.Fatal(err)
	}
	before := len(rec.sent())
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if got := laneRecords(rec.sent()[before:]); len(got) != 1 {
		t.Errorf("%d groups went in lanes once the sessions were the same, want 1", len(got))
	}
	if diff := cmp.Diff(laneNames(20), tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
}

// TestLaneFailure: when a statement of a group sent in lanes fails, the
// statements after it that the other connection ran are undone (their new
// tables dropped), so the outcome and the record are those of a run in
// order that stopped at it; fixed, the rerun resumes there.
func TestLaneFailure(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	ctx := context.Background()
	conn, rec := recording(t, db)
	stmts := laneTables(40, false)
	stmts[4] = "CREATE TABLE t_l04 (id nosuchtype);"
	m, err := versions.Open(ctx, conn, db.Dialect, chainOf(strings.Join(stmts, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Upgrade(ctx, "head")
	var se *versions.StmtError
	if !errors.As(err, &se) || se.Index != 4 || !strings.Contains(err.Error(), "nosuchtype") {
		t.Fatalf("upgrade: %v; want statement 5 failing", err)
	}
	sent := rec.sent()
	if len(laneRecords(sent)) != 1 || len(holding(sent, "DROP TABLE `t_l05`")) != 1 || len(holding(sent, "DROP TABLE `t_l39`")) != 1 {
		t.Errorf("the group did not go in lanes, or the tables made after the failure were not dropped:\n%s", strings.Join(sent, "\n----\n"))
	}
	if diff := cmp.Diff(laneNames(4), tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	hist, _ := m.History(ctx)
	if len(hist) != 1 || hist[0].Status != versions.StatusFailed || hist[0].Done != 4 || len(hist[0].Sums) != 4 {
		t.Errorf("history: %+v; want failed after 4 statements with their 4 checksums", hist)
	}

	stmts[4] = "CREATE TABLE t_l04 (id int PRIMARY KEY, p int);"
	m, _ = versions.Open(ctx, db.DB, db.Dialect, chainOf(strings.Join(stmts, "\n")))
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("resume: %v", err)
	}
	laneDone(t, db, m, 40)
}

// TestLaneSettle: after a run stopped in a group sent in lanes (written by
// hand here; cmd/strata's TestLaneCrashSafety kills real runs), any of its
// statements may have taken effect. The rerun runs the others, in order;
// when one of them fails it drops the tables of those after it, unless
// one holds rows, which stops the run with nothing dropped.
func TestLaneSettle(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	ctx := context.Background()
	stmts := laneTables(40, false)
	open := func() *versions.Migrator {
		m, err := versions.Open(ctx, db.DB, db.Dialect, chainOf(strings.Join(stmts, "\n")))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := open()
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	stopped := func(drop ...int) {
		t.Helper()
		crashedOn(t, db, "999999999+999999998", map[string][2]int{"g001": {1, 40}})
		for _, k := range drop {
			if _, err := db.DB.Exec(fmt.Sprintf("DROP TABLE t_l%02d", k)); err != nil {
				t.Fatal(err)
			}
		}
	}
	stopped(3, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19)
	if half, err := m.HalfApplied(ctx); err != nil || len(half) != 1 || half[0].Lane != 999999998 {
		t.Fatalf("half-applied: %+v, %v; want the lane's connection read back", half, err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	laneDone(t, db, m, 40)
	if diff := cmp.Diff([]string{"g001"}, current(t, m)); diff != "" {
		t.Errorf("version rows (-want +got):\n%s", diff)
	}

	// Statement 4 did not take effect and now fails; statement 31's table
	// has a row: nothing is dropped.
	stopped(3, 20)
	if _, err := db.DB.Exec("INSERT INTO t_l30 VALUES (1, 1)"); err != nil {
		t.Fatal(err)
	}
	stmts[3] = "CREATE TABLE t_l03 (id nosuchtype);"
	_, err := open().Upgrade(ctx, "head")
	var unknown *versions.UnknownOutcomeError
	if !errors.As(err, &unknown) || unknown.Index != 30 || !strings.Contains(err.Error(), "has rows") {
		t.Fatalf("rerun with a row in a table to drop: %v", err)
	}
	if diff := cmp.Diff(laneNames(40, 3, 20), tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	// Emptied: the tables after statement 4 go, and statement 4 fails as
	// in a run in order.
	if _, err := db.DB.Exec("DELETE FROM t_l30"); err != nil {
		t.Fatal(err)
	}
	m = open()
	_, err = m.Upgrade(ctx, "head")
	var se *versions.StmtError
	if !errors.As(err, &se) || se.Index != 3 {
		t.Fatalf("rerun: %v; want statement 4 failing", err)
	}
	if diff := cmp.Diff(laneNames(3), tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"upgrade g001 failed 3/40"}, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	stmts[3] = "CREATE TABLE t_l03 (id int PRIMARY KEY, p int);"
	m = open()
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("rerun fixed: %v", err)
	}
	laneDone(t, db, m, 40)
}
