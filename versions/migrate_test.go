package versions_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/versions"
)

// file returns a revision file with the given upgrade and downgrade SQL.
func file(id, revises, up, down string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(fmt.Sprintf("-- Message: %s\n-- Revision: %s\n-- Revises: %s\n-- Created: 2026-01-01T00:00:00Z\n\n-- strata:upgrade\n%s\n\n-- strata:downgrade\n%s\n", "rev "+id, id, revises, up, down))}
}

func table(id string) (up, down string) {
	return fmt.Sprintf("CREATE TABLE t_%s (id int);", id), fmt.Sprintf("DROP TABLE t_%s;", id)
}

func diamondFS() fstest.MapFS {
	fs := fstest.MapFS{}
	for _, r := range [][2]string{{"aaaa", ""}, {"bbbb", "aaaa"}, {"cccc", "aaaa"}, {"mmmm", "bbbb, cccc"}} {
		up, down := table(r[0])
		fs[r[0]+"_x.sql"] = file(r[0], r[1], up, down)
	}
	return fs
}

// tables returns the user tables t_* in the database, sorted.
func tables(t *testing.T, db *testdb.DB) []string {
	t.Helper()
	var q string
	switch db.Dialect {
	case dialect.Postgres:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 't\\_%' ORDER BY 1"
	case dialect.MySQL:
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 't\\_%' ORDER BY 1"
	default:
		q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\' ORDER BY 1"
	}
	return queryStrings(t, db, q)
}

// queryStrings returns the first column of q's rows, as strings.
func queryStrings(t *testing.T, db *testdb.DB, q string) []string {
	t.Helper()
	rows, err := db.DB.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func current(t *testing.T, m *versions.Migrator) []string {
	t.Helper()
	rows, err := m.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestTeamConflict(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		m, err := versions.Open(ctx, db.DB, db.Dialect, diamondFS())
		if err != nil {
			t.Fatal(err)
		}
		if got := current(t, m); len(got) != 0 {
			t.Fatalf("fresh database: current = %v", got)
		}
		if _, err := m.Upgrade(ctx, "mmmm"); err != nil {
			t.Fatal(err)
		}
		check := func(wantRows, wantTables []string) {
			t.Helper()
			if diff := cmp.Diff(wantRows, current(t, m)); diff != "" {
				t.Errorf("version rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantTables, tables(t, db)); diff != "" {
				t.Errorf("tables (-want +got):\n%s", diff)
			}
		}
		check([]string{"mmmm"}, []string{"t_aaaa", "t_bbbb", "t_cccc", "t_mmmm"})
		steps, err := m.Downgrade(ctx, "-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(steps) != 1 || steps[0].Revision.ID != "mmmm" {
			t.Errorf("downgrade -1 ran %v", steps)
		}
		check([]string{"bbbb", "cccc"}, []string{"t_aaaa", "t_bbbb", "t_cccc"})
		if _, err := m.Downgrade(ctx, "cccc-1"); err != nil {
			t.Fatal(err)
		}
		check([]string{"aaaa"}, []string{"t_aaaa"})
		if _, err := m.Upgrade(ctx, "bbbb"); err != nil {
			t.Fatal(err)
		}
		check([]string{"bbbb"}, []string{"t_aaaa", "t_bbbb"})
		if _, err := m.Upgrade(ctx, "heads"); err != nil {
			t.Fatal(err)
		}
		check([]string{"mmmm"}, []string{"t_aaaa", "t_bbbb", "t_cccc", "t_mmmm"})
		steps, err = m.Upgrade(ctx, "head")
		if err != nil || len(steps) != 0 {
			t.Errorf("upgrade at head: %v, %v", steps, err)
		}
		if _, err := m.Downgrade(ctx, "base"); err != nil {
			t.Fatal(err)
		}
		check([]string{}, []string{})
	})
}

func TestFailingStatement(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		up1, down1 := table("one")
		fs := fstest.MapFS{
			"aaaa_one.sql": file("aaaa", "", up1, down1),
			"bbbb_two.sql": file("bbbb", "aaaa", "CREATE TABLE t_two (id int);\nINSERT INTO no_such_table VALUES (1);\nCREATE TABLE t_three (id int);", "DROP TABLE t_two;"),
		}
		m, err := versions.Open(ctx, db.DB, db.Dialect, fs)
		if err != nil {
			t.Fatal(err)
		}
		steps, err := m.Upgrade(ctx, "head")
		var se *versions.StmtError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a *StmtError", err)
		}
		if len(steps) != 1 || steps[0].Revision.ID != "aaaa" {
			t.Errorf("steps before the failure = %v, want aaaa", steps)
		}
		if se.Index != 1 || se.Total != 3 || se.Line != 8 || se.Step.Revision.File != "bbbb_two.sql" {
			t.Errorf("StmtError = index %d of %d at line %d in %s", se.Index, se.Total, se.Line, se.Step.Revision.File)
		}
		msg := err.Error()
		wantFirst := "bbbb_two.sql:8: upgrade of bbbb failed at statement 2 of 3: "
		if !strings.HasPrefix(msg, wantFirst) || !strings.Contains(msg, "\n  INSERT INTO no_such_table VALUES (1);\n") {
			t.Errorf("error = %q, want it to start %q and quote the statement", msg, wantFirst)
		}
		if diff := cmp.Diff([]string{"aaaa"}, current(t, m)); diff != "" {
			t.Errorf("version rows (-want +got):\n%s", diff)
		}
		if db.Dialect == dialect.MySQL {
			// No transactional DDL: the first statement stays, and the error says so.
			if !strings.HasSuffix(msg, "statements 1 to 1 of this revision already ran and were not rolled back (no transactional DDL); the version table is unchanged; fix statement 2 and rerun strata upgrade to resume there, or settle it with strata resolve bbbb") {
				t.Errorf("error does not report the statements that ran: %q", msg)
			}
			if diff := cmp.Diff([]string{"t_one", "t_two"}, tables(t, db)); diff != "" {
				t.Errorf("tables (-want +got):\n%s", diff)
			}
			return
		}
		if !strings.HasSuffix(msg, "the revision was rolled back; the version table is unchanged") {
			t.Errorf("error does not say the revision was rolled back: %q", msg)
		}
		if diff := cmp.Diff([]string{"t_one"}, tables(t, db)); diff != "" {
			t.Errorf("tables (-want +got):\n%s", diff)
		}
	})
}

func TestStamp(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		m, err := versions.Open(ctx, db.DB, db.Dialect, diamondFS(), versions.WithTable("my versions"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Stamp(ctx, []string{"bbbb", "cccc"}, false); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"bbbb", "cccc"}, current(t, m)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if got := tables(t, db); len(got) != 0 {
			t.Errorf("stamp ran revisions: tables %v", got)
		}
		if _, err := m.Stamp(ctx, []string{"heads"}, false); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"mmmm"}, current(t, m)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		// A row naming a revision that is not in the directory.
		if _, err := db.DB.Exec(fmt.Sprintf("INSERT INTO %s (version_num) VALUES ('gone')", db.Dialect.Quote("my versions"))); err != nil {
			t.Fatal(err)
		}
		_, err = m.Stamp(ctx, nil, false)
		if !errors.Is(err, versions.ErrRevisionNotFound) {
			t.Fatalf("stamp over an unknown row: err = %v", err)
		}
		if _, err := m.Stamp(ctx, nil, true); err != nil {
			t.Fatal(err)
		}
		if got := current(t, m); len(got) != 0 {
			t.Errorf("stamp base --purge left %v", got)
		}
	})
}

func TestNoTransaction(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	ctx := context.Background()
	up1, down1 := table("one")
	fs := fstest.MapFS{
		"aaaa_one.sql": file("aaaa", "", up1, down1),
		// CREATE INDEX CONCURRENTLY fails inside a transaction block.
		"bbbb_idx.sql": {Data: []byte("-- Revision: bbbb\n-- Revises: aaaa\n-- strata:no-transaction\n-- strata:upgrade\nCREATE INDEX CONCURRENTLY t_one_id ON t_one (id);\n-- strata:downgrade\nDROP INDEX CONCURRENTLY t_one_id;\n")},
	}
	m, err := versions.Open(ctx, db.DB, db.Dialect, fs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Downgrade(ctx, "aaaa"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"aaaa"}, current(t, m)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestNoTransactionSteps: on PostgreSQL each statement of a no-transaction
// revision commits with its progress record. A statement refused in a
// transaction block runs alone in the middle of the revision, a trailing
// line comment does not swallow the record, and the history row, begun
// with the first statement, ends done with every statement counted; a
// failure leaves the count of the statements that ran.
func TestNoTransactionSteps(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	ctx := context.Background()
	fs := fstest.MapFS{
		"aaaa_three.sql": {Data: []byte("-- Revision: aaaa\n-- Revises:\n-- strata:no-transaction\n-- strata:upgrade\n" +
			"CREATE TABLE t_a (id int);\nCREATE INDEX CONCURRENTLY t_a_id ON t_a (id);\nCREATE TABLE t_b (id int) -- the last, with no semicolon\n" +
			"-- strata:downgrade\nDROP TABLE t_b;\nDROP TABLE t_a;\n")},
		"bbbb_fails.sql": {Data: []byte("-- Revision: bbbb\n-- Revises: aaaa\n-- strata:no-transaction\n-- strata:upgrade\n" +
			"CREATE TABLE t_c (id int);\nINSERT INTO t_missing VALUES (1);\nCREATE TABLE t_d (id int);\n-- strata:downgrade\n")},
	}
	m, err := versions.Open(ctx, db.DB, db.Dialect, fs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "aaaa"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err == nil {
		t.Fatal("the failing statement did not fail")
	}
	hist, err := m.History(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hist {
		got = append(got, fmt.Sprintf("%s %s %d/%d", h.Revision, h.Status, h.Done, h.Total))
	}
	want := []string{"aaaa done 3/3", "bbbb failed 1/3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"aaaa"}, current(t, m)); diff != "" {
		t.Errorf("version table (-want +got):\n%s", diff)
	}
	var n int
	if err := db.DB.QueryRow("SELECT count(*) FROM pg_indexes WHERE indexname = 't_a_id'").Scan(&n); err != nil || n != 1 {
		t.Errorf("index t_a_id: %d (%v), want 1", n, err)
	}
	if err := db.DB.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('t_b', 't_c', 't_d') AND table_schema = current_schema()").Scan(&n); err != nil || n != 2 {
		t.Errorf("tables t_b, t_c, t_d: %d exist (%v), want t_b and t_c", n, err)
	}
}

// TestResumeAfterCrash: a run killed part-way through a revision outside
// a transaction leaves only a chain checksum of the statements that ran;
// the rerun resumes after them, and refuses if one of them was edited.
func TestResumeAfterCrash(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		body := func(first string) *fstest.MapFile {
			return &fstest.MapFile{Data: []byte("-- Revision: aaaa\n-- Revises:\n-- strata:no-transaction\n-- strata:upgrade\n" +
				first + "\nCREATE TABLE t_two (id int);\nCREATE TABLE t_three (id int);\n-- strata:downgrade\n")}
		}
		fs := fstest.MapFS{"aaaa_x.sql": body("CREATE TABLE t_one (id int);\nINSERT INTO missing VALUES (1);")}
		m, err := versions.Open(ctx, db.DB, db.Dialect, fs)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "head"); err == nil {
			t.Fatal("the failing statement did not fail")
		}
		// What a crash after statement 1 leaves: the chain, not the list.
		fixed := fstest.MapFS{"aaaa_x.sql": body("CREATE TABLE t_one (id int);\nCREATE TABLE t_extra (id int);")}
		g, err := versions.Load(fixed)
		if err != nil {
			t.Fatal(err)
		}
		m, err = versions.NewMigrator(db.DB, db.Dialect, g)
		if err != nil {
			t.Fatal(err)
		}
		hist, err := m.History(ctx)
		if err != nil || len(hist) != 1 || hist[0].Done != 1 || len(hist[0].Sums) != 1 {
			t.Fatalf("history after the failure: %+v, %v", hist, err)
		}
		chain := versions.ChainOf("CREATE TABLE t_one (id int);")
		q := fmt.Sprintf("UPDATE strata_version_history SET stmt_sums = '%s', status = 'running'", "chain:"+chain)
		if _, err := db.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
		edited := fstest.MapFS{"aaaa_x.sql": body("CREATE TABLE t_one (id bigint);\nCREATE TABLE t_extra (id int);")}
		ge, _ := versions.Load(edited)
		me, _ := versions.NewMigrator(db.DB, db.Dialect, ge)
		_, err = me.Upgrade(ctx, "head")
		if err == nil || !strings.Contains(err.Error(), "one of statements 1 to 1 of aaaa, which already ran, has been edited since") {
			t.Fatalf("edited statement after a crash: err = %v", err)
		}
		if _, err := m.Upgrade(ctx, "head"); err != nil {
			t.Fatalf("resume after a crash: %v", err)
		}
		if diff := cmp.Diff([]string{"aaaa"}, current(t, m)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

// TestBatchedBookkeeping: on PostgreSQL and MySQL the runner sends BEGIN
// with a revision's first statement and its version-table statements with
// COMMIT; a MySQL connection without multiStatements cannot, and the runner
// falls back to one statement per round trip with the same result.
func TestBatchedBookkeeping(t *testing.T) {
	ctx := context.Background()
	three := []string{"CREATE TABLE t_n1 (id int);", "CREATE TABLE t_n2 (id int);", "CREATE TABLE t_n3 (id int);"}
	run := func(t *testing.T, db *testdb.DB, conn *sql.DB, wantBatch bool) {
		fs := diamondFS()
		// Three statements: on MySQL each one's progress record goes with
		// the next statement.
		fs["nnnn_x.sql"] = file("nnnn", "mmmm", strings.Join(three, "\n"), "DROP TABLE t_n3;\nDROP TABLE t_n2;\nDROP TABLE t_n1;")
		m, err := versions.Open(ctx, conn, db.Dialect, fs)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := versions.Batches(ctx, m); err != nil || got != wantBatch {
			t.Fatalf("batches = %v, %v; want %v", got, err, wantBatch)
		}
		if _, err := m.Upgrade(ctx, "heads"); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"t_aaaa", "t_bbbb", "t_cccc", "t_mmmm", "t_n1", "t_n2", "t_n3"}, tables(t, db)); diff != "" {
			t.Errorf("tables (-want +got):\n%s", diff)
		}
		if _, err := m.Downgrade(ctx, "-1"); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"mmmm"}, current(t, m)); diff != "" {
			t.Errorf("version rows (-want +got):\n%s", diff)
		}
		hist, err := m.History(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hist {
			if h.Status != versions.StatusDone || h.Done != h.Total {
				t.Errorf("history row %+v is not a finished step", h)
			}
			if h.Revision == "nnnn" && h.Direction == versions.DirUpgrade && db.Dialect == dialect.MySQL {
				if h.Total != 3 || h.Chain != versions.ChainOf(three...) {
					t.Errorf("history of nnnn: %d statements, chain %q; want 3 and %q", h.Total, h.Chain, versions.ChainOf(three...))
				}
			}
			got = append(got, h.Direction+" "+h.Revision)
		}
		want := []string{"upgrade aaaa", "upgrade bbbb", "upgrade cccc", "upgrade mmmm", "upgrade nnnn", "downgrade nnnn"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
	}
	for _, d := range []dialect.Name{dialect.Postgres, dialect.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			db := testdb.New(t, d)
			run(t, db, db.DB, true)
		})
	}
	t.Run("mysql without multiStatements", func(t *testing.T) {
		db := testdb.New(t, dialect.MySQL)
		u, err := introspect.ParseURL(db.URL)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := sql.Open(u.Driver, strings.Replace(u.DSN, "multiStatements=true", "multiStatements=false", 1))
		if err != nil {
			t.Fatal(err)
		}
		defer plain.Close()
		run(t, db, plain, false)
	})
}

// TestCommitFails: a deferred foreign key fails at COMMIT, after the
// version-table statements went with it; the revision is rolled back, the
// version table is unchanged, and the connection is usable again.
func TestCommitFails(t *testing.T) {
	for _, d := range []dialect.Name{dialect.Postgres, dialect.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			db := testdb.New(t, d)
			ctx := context.Background()
			up1, down1 := table("one")
			fs := fstest.MapFS{
				"aaaa_one.sql": file("aaaa", "", up1, down1),
				"bbbb_fk.sql": file("bbbb", "aaaa", "CREATE TABLE t_parent (id int PRIMARY KEY);\n"+
					"CREATE TABLE t_child (pid int REFERENCES t_parent (id) DEFERRABLE INITIALLY DEFERRED);\n"+
					"INSERT INTO t_child VALUES (1);", "DROP TABLE t_child;\nDROP TABLE t_parent;"),
			}
			m, err := versions.Open(ctx, db.DB, db.Dialect, fs)
			if err != nil {
				t.Fatal(err)
			}
			steps, err := m.Upgrade(ctx, "head")
			if err == nil {
				t.Fatal("the deferred foreign key did not fail the commit")
			}
			if len(steps) != 1 || !strings.Contains(err.Error(), "bbbb_fk.sql") || !strings.Contains(err.Error(), "rolled back") {
				t.Errorf("steps %v, err %q: want aaaa applied and bbbb named as rolled back", steps, err)
			}
			if diff := cmp.Diff([]string{"aaaa"}, current(t, m)); diff != "" {
				t.Errorf("version rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"t_one"}, tables(t, db)); diff != "" {
				t.Errorf("tables (-want +got):\n%s", diff)
			}
			// The lock was released and the connection left no transaction open.
			if _, err := m.Downgrade(ctx, "base"); err != nil {
				t.Fatalf("downgrade after the failed commit: %v", err)
			}
			if diff := cmp.Diff([]string{}, tables(t, db)); diff != "" {
				t.Errorf("tables after downgrade (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLockTableFull: a transaction that takes more locks than PostgreSQL's
// lock table holds fails with "out of shared memory" (SQLSTATE 53200); the
// error says why and what to do, and a revision of more tables than the
// lock table holds runs with -- strata:no-transaction.
//
// The lock table is the server's, shared by every session: filling it for
// real fails whatever other tests run on the server at that moment (it
// failed cmd/strata's scripts). So the server raises the same SQLSTATE
// from a statement instead.
func TestLockTableFull(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	ctx := context.Background()
	rev := func(directive, up string) fstest.MapFS {
		return fstest.MapFS{"aaaa_big.sql": {Data: []byte("-- Revision: aaaa\n-- Revises:\n" + directive + "-- strata:upgrade\n" + up + "-- strata:downgrade\n")}}
	}
	full := "CREATE TABLE t_first (id int PRIMARY KEY);\n" +
		"DO $$ BEGIN RAISE EXCEPTION 'out of shared memory' USING ERRCODE = '53200', HINT = 'You might need to increase max_locks_per_transaction.'; END $$;\n"
	m, err := versions.Open(ctx, db.DB, db.Dialect, rev("", full))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Upgrade(ctx, "head")
	if err == nil || !strings.Contains(err.Error(), "the revision was rolled back") ||
		!strings.Contains(err.Error(), "PostgreSQL's lock table is full") || !strings.Contains(err.Error(), "-- strata:no-transaction") {
		t.Fatalf("upgrade: err = %v, want the lock table explained", err)
	}
	if diff := cmp.Diff([]string{}, tables(t, db)); diff != "" {
		t.Errorf("tables after the rolled-back revision (-want +got):\n%s", diff)
	}

	var capacity int
	err = db.DB.QueryRow(`SELECT current_setting('max_locks_per_transaction')::int *
		(current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)`).Scan(&capacity)
	if err != nil {
		t.Fatal(err)
	}
	// Each table takes at least its own lock and its primary key's: in one
	// transaction these would overflow the lock table.
	n := capacity/2 + 100
	var up strings.Builder
	for i := range n {
		fmt.Fprintf(&up, "CREATE TABLE t_%d (id int PRIMARY KEY);\n", i)
	}
	m, err = versions.Open(ctx, db.DB, db.Dialect, rev("-- strata:no-transaction\n", up.String()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("%d tables with -- strata:no-transaction: %v", n, err)
	}
	if got := len(tables(t, db)); got != n {
		t.Errorf("%d tables after the upgrade, want %d", got, n)
	}
}

// TestInvalidIndexHint: a CREATE UNIQUE INDEX CONCURRENTLY that fails on
// duplicate rows leaves an invalid index behind; the error names it and
// how to drop it, and once it is dropped and the rows fixed, the rerun
// resumes at the index.
func TestInvalidIndexHint(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	ctx := context.Background()
	fs := fstest.MapFS{
		"aaaa_idx.sql": {Data: []byte("-- Revision: aaaa\n-- Revises:\n-- strata:no-transaction\n-- strata:upgrade\n" +
			"CREATE TABLE t_u (a int);\nINSERT INTO t_u VALUES (1), (1);\nCREATE UNIQUE INDEX CONCURRENTLY t_u_a ON t_u (a);\n" +
			"-- strata:downgrade\nDROP TABLE t_u;\n")},
	}
	m, err := versions.Open(ctx, db.DB, db.Dialect, fs)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Upgrade(ctx, "head")
	var se *versions.StmtError
	if !errors.As(err, &se) || se.Index != 2 {
		t.Fatalf("upgrade: %v, want statement 3 to fail", err)
	}
	want := "invalid indexes now: public.t_u_a; drop the one this statement left (DROP INDEX CONCURRENTLY public.t_u_a) before rerunning"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error does not name the invalid index:\n%v\nwant it to contain %q", err, want)
	}
	for _, q := range []string{"DROP INDEX CONCURRENTLY public.t_u_a", "DELETE FROM t_u WHERE ctid <> (SELECT min(ctid) FROM t_u)"} {
		if _, err := db.DB.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("rerun after dropping the index: %v", err)
	}
}
