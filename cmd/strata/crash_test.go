package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
)

// crashRevisions writes n linear revisions of three statements each: a
// table, rows in it, and a row in crash_log naming the revision.
func crashRevisions(t *testing.T, dir string, d dialect.Name, n int) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	fill := map[dialect.Name]string{
		dialect.Postgres: "INSERT INTO t_%03d SELECT g FROM generate_series(1, 2000) g;",
		dialect.SQLite:   "INSERT INTO t_%03d WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 2000) SELECT x FROM g;",
	}[d]
	for i := 1; i <= n; i++ {
		parent := ""
		if i > 1 {
			parent = fmt.Sprintf("c%03d", i-1)
		}
		up := fmt.Sprintf("CREATE TABLE t_%03d (id int);\n"+fill+"\nINSERT INTO crash_log (rev) VALUES ('c%03d');", i, i, i)
		if i == 1 {
			up = "CREATE TABLE crash_log (rev varchar(10) PRIMARY KEY);\n" + up
		}
		body := fmt.Sprintf("-- Revision: c%03d\n-- Revises: %s\n-- strata:upgrade\n%s\n-- strata:downgrade\nDELETE FROM t_%03d;\nDROP TABLE t_%03d;\n", i, parent, up, i, i)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%03d_rev.sql", i)), []byte(body), 0o644)
	}
}

// TestCrashSafety kills `strata upgrade head` with SIGKILL at random
// moments on PostgreSQL and SQLite. After each kill the schema matches the
// revision the version table names exactly, and a rerun reaches head.
func TestCrashSafety(t *testing.T) {
	const trials, revs = 50, 20
	for _, d := range []dialect.Name{dialect.Postgres, dialect.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			dir := t.TempDir()
			crashRevisions(t, filepath.Join(dir, "migrations"), d, revs)
			run := func(db *testdb.DB) *exec.Cmd { return strataCmd(t, dir, db, "upgrade", "head") }
			full := timeRun(t, run(testdb.New(t, d)))
			outcomes := map[string]int{}
			for trial := range trials {
				// Each trial drops its database before the next, so
				// connections do not pile up on the server.
				db, drop, err := testdb.Create(d, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				killAtRandom(t, run(db), full)
				at := crashState(t, db, revs)
				switch at {
				case 0:
					outcomes["before the first revision"]++
				case revs:
					outcomes["after the last revision"]++
				default:
					outcomes["between revisions"]++
				}
				if out, err := run(db).CombinedOutput(); err != nil {
					t.Fatalf("trial %d: rerun after the kill: %v\n%s", trial, err, out)
				}
				if at := crashState(t, db, revs); at != revs {
					t.Fatalf("trial %d: rerun stopped at revision %d of %d", trial, at, revs)
				}
				if err := drop(); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%d trials over %s runs: %v", trials, full.Round(time.Millisecond), outcomes)
		})
	}
}

// strataCmd is the strata binary run in dir on db.
func strataCmd(t *testing.T, dir string, db *testdb.DB, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := exec.LookPath("strata")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "STRATA_DATABASE_URL="+db.URL)
	return cmd
}

// timeRun runs cmd, which must succeed, and returns how long it took:
// how long a whole run takes here, to spread the kills over it.
func timeRun(t *testing.T, cmd *exec.Cmd) time.Duration {
	t.Helper()
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("calibration run: %v\n%s", err, out)
	}
	return time.Since(start)
}

// killAtRandom starts cmd and kills it with SIGKILL at a random moment
// within full, how long a whole run takes.
func killAtRandom(t *testing.T, cmd *exec.Cmd, full time.Duration) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Duration(rand.Int64N(int64(full))))
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

// killTrials runs `strata upgrade head` in dir on a fresh database of d,
// trials times, killing it with SIGKILL at a random moment within a whole
// run's time (which it returns), and once the killed run's connections
// have gone calls check with the database and the rerun to make; each
// trial's database is dropped after it.
func killTrials(t *testing.T, d dialect.Name, dir string, trials int, check func(trial int, db *testdb.DB, rerun *exec.Cmd)) time.Duration {
	t.Helper()
	run := func(db *testdb.DB) *exec.Cmd { return strataCmd(t, dir, db, "upgrade", "head") }
	full := timeRun(t, run(testdb.New(t, d)))
	for trial := range trials {
		db, drop, err := testdb.Create(d, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		killAtRandom(t, run(db), full)
		waitBackends(t, db)
		check(trial, db, run(db))
		if err := drop(); err != nil {
			t.Fatal(err)
		}
	}
	return full
}

// rerunWhole runs rerun, the upgrade after a kill, and checks that it
// leaves the tables want and the version table at head.
func rerunWhole(t *testing.T, trial int, db *testdb.DB, rerun *exec.Cmd, want []string, head string) {
	t.Helper()
	if out, err := rerun.CombinedOutput(); err != nil {
		t.Fatalf("trial %d: rerun after the kill: %v\n%s", trial, err, out)
	}
	if got := testTables(t, db); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("trial %d: after the rerun the tables are %v", trial, got)
	}
	if v := queryStrings(t, db, "SELECT version_num FROM strata_version"); len(v) != 1 || v[0] != head {
		t.Fatalf("trial %d: after the rerun the version table is %v", trial, v)
	}
}

// waitBackends waits until no other connection is open on db's
// PostgreSQL or MySQL database: a killed client's backend may still be
// finishing a COMMIT, or on MySQL the rest of a multi-statement text, it
// was sent; inspect once it has gone, not in the middle.
func waitBackends(t *testing.T, db *testdb.DB) {
	t.Helper()
	probe := map[dialect.Name]string{
		dialect.Postgres: "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
		dialect.MySQL:    "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()",
	}[db.Dialect]
	if probe != "" {
		for i := 0; ; i++ {
			var n int
			if err := db.DB.QueryRow(probe).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			if i == 1000 {
				t.Fatalf("the killed runner's backend is still running after 10s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// crashState checks that the schema is exactly the one of the revision the
// version table names, and returns that revision's number (0: none).
func crashState(t *testing.T, db *testdb.DB, revs int) int {
	t.Helper()
	waitBackends(t, db)
	var rows []string
	if r, err := db.DB.Query("SELECT version_num FROM strata_version"); err == nil {
		for r.Next() {
			var s string
			r.Scan(&s)
			rows = append(rows, s)
		}
		r.Close()
	}
	at := 0
	switch len(rows) {
	case 0:
	case 1:
		fmt.Sscanf(rows[0], "c%03d", &at)
	default:
		t.Fatalf("version table has %d rows: %v", len(rows), rows)
	}
	tables := testTables(t, db)
	var want []string
	for i := 1; i <= at; i++ {
		want = append(want, fmt.Sprintf("t_%03d", i))
	}
	if strings.Join(tables, ",") != strings.Join(want, ",") {
		t.Fatalf("version table names revision %d but the tables are %v", at, tables)
	}
	if at > 0 {
		var n, logged int
		db.DB.QueryRow(fmt.Sprintf("SELECT count(*) FROM t_%03d", at)).Scan(&n)
		db.DB.QueryRow("SELECT count(*) FROM crash_log").Scan(&logged)
		if n != 2000 || logged != at {
			t.Fatalf("revision %d: its table has %d rows (want 2000), crash_log %d (want %d)", at, n, logged, at)
		}
	}
	return at
}

// testTables returns the tables named t_... in db, sorted.
func testTables(t *testing.T, db *testdb.DB) []string {
	t.Helper()
	q := "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 't\\_%' ORDER BY 1"
	switch db.Dialect {
	case dialect.SQLite:
		q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 't\\_%' ESCAPE '\\' ORDER BY 1"
	case dialect.MySQL:
		q = strings.Replace(q, "current_schema()", "DATABASE()", 1)
	}
	return queryStrings(t, db, q)
}

func queryStrings(t *testing.T, db *testdb.DB, q string) []string {
	t.Helper()
	r, err := db.DB.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for r.Next() {
		var s string
		if err := r.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// crashTrials is how many kills a crash test makes: few by default, so CI
// stays quick; STRATA_CRASH_TRIALS sets the full count.
func crashTrials(t *testing.T, def int) int {
	if v := os.Getenv("STRATA_CRASH_TRIALS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("STRATA_CRASH_TRIALS=%q is not a positive number", v)
		}
		return n
	}
	return def
}

// TestSyncCrashSafety kills `strata sync` with SIGKILL at random moments
// on PostgreSQL and SQLite while it rolls back 19 revisions applied from
// another branch (with their stored downgrades) and applies this
// checkout's own one. After each kill the version table names one
// revision, the schema and the stored revisions are exactly that
// revision's, and a rerun finishes.
func TestSyncCrashSafety(t *testing.T) {
	trials := crashTrials(t, 5)
	const revs = 20
	for _, d := range []dialect.Name{dialect.Postgres, dialect.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			// feature has c001..c020; this checkout has c001 and its own m001.
			feature, here := t.TempDir(), t.TempDir()
			crashRevisions(t, filepath.Join(feature, "migrations"), d, revs)
			os.MkdirAll(filepath.Join(here, "migrations"), 0o755)
			first, err := os.ReadFile(filepath.Join(feature, "migrations", "c001_rev.sql"))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(here, "migrations", "c001_rev.sql"), first, 0o644)
			os.WriteFile(filepath.Join(here, "migrations", "m001_main.sql"),
				[]byte("-- Revision: m001\n-- Revises: c001\n-- strata:upgrade\nCREATE TABLE m_main (id int);\n-- strata:downgrade\nDROP TABLE m_main;\n"), 0o644)
			run := func(dir string, db *testdb.DB, args ...string) *exec.Cmd { return strataCmd(t, dir, db, args...) }
			onFeature := func(db *testdb.DB) {
				if out, err := run(feature, db, "upgrade", "head").CombinedOutput(); err != nil {
					t.Fatalf("upgrade on the feature branch: %v\n%s", err, out)
				}
			}
			calib := testdb.New(t, d)
			onFeature(calib)
			full := timeRun(t, run(here, calib, "sync"))
			outcomes := map[string]int{}
			for trial := range trials {
				db, drop, err := testdb.Create(d, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				onFeature(db)
				killAtRandom(t, run(here, db, "sync"), full)
				switch at := syncCrashState(t, db, revs); {
				case at == "m001":
					outcomes["finished"]++
				case at == fmt.Sprintf("c%03d", revs):
					outcomes["before the first rollback"]++
				case at == "c001":
					outcomes["rolled back, not upgraded"]++
				default:
					outcomes["between rollbacks"]++
				}
				if out, err := run(here, db, "sync").CombinedOutput(); err != nil {
					t.Fatalf("trial %d: rerun after the kill: %v\n%s", trial, err, out)
				}
				if at := syncCrashState(t, db, revs); at != "m001" {
					t.Fatalf("trial %d: rerun stopped at %s", trial, at)
				}
				if err := drop(); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%d trials over %s syncs: %v", trials, full.Round(time.Millisecond), outcomes)
		})
	}
}

// syncCrashState checks that the version table names one revision and
// that the tables and the stored revisions are exactly that revision's,
// and returns it.
func syncCrashState(t *testing.T, db *testdb.DB, revs int) string {
	t.Helper()
	waitBackends(t, db)
	rows := queryStrings(t, db, "SELECT version_num FROM strata_version")
	if len(rows) != 1 {
		t.Fatalf("version table has %d rows: %v", len(rows), rows)
	}
	at := rows[0]
	var want, stored []string
	n := 1
	if at != "m001" {
		if _, err := fmt.Sscanf(at, "c%03d", &n); err != nil || n < 1 || n > revs {
			t.Fatalf("version table names %q", at)
		}
	}
	for i := 1; i <= n; i++ {
		want = append(want, fmt.Sprintf("t_%03d", i))
		stored = append(stored, fmt.Sprintf("c%03d", i))
	}
	if at == "m001" {
		stored = append(stored, "m001")
	}
	if got := testTables(t, db); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("version table names %s but the tables are %v", at, got)
	}
	main := queryStrings(t, db, map[dialect.Name]string{
		dialect.Postgres: "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'm_main'",
		dialect.SQLite:   "SELECT name FROM sqlite_master WHERE name = 'm_main'",
	}[db.Dialect])
	if (len(main) == 1) != (at == "m001") {
		t.Fatalf("version table names %s but m_main exists: %v", at, len(main) == 1)
	}
	if got := queryStrings(t, db, "SELECT revision FROM strata_version_revisions ORDER BY revision"); strings.Join(got, ",") != strings.Join(stored, ",") {
		t.Fatalf("version table names %s but the stored revisions are %v", at, got)
	}
	return at
}

// trackedRevisions writes n revisions run statement by statement (MariaDB,
// or PostgreSQL with -- strata:no-transaction) after one that creates the
// trace table. Each statement leaves a trace that counts its runs: a row
// in trace, or a table or index a second run would fail to create.
func trackedRevisions(t *testing.T, dir string, d dialect.Name, n int) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("c000_trace.sql", "-- Revision: c000\n-- Revises:\n-- strata:upgrade\nCREATE TABLE trace (rev int, stmt int);\n-- strata:downgrade\nDROP TABLE trace;\n")
	for i := 1; i <= n; i++ {
		var up string
		header := ""
		if d == dialect.MySQL {
			up = fmt.Sprintf("CREATE TABLE t1_%[1]d (id int);\n"+
				"INSERT INTO trace (rev, stmt) SELECT %[1]d, 2 FROM (SELECT SLEEP(0.15)) s;\n"+
				"CREATE TABLE t3_%[1]d AS SELECT SLEEP(0.15) AS x;\n"+
				"ALTER TABLE t1_%[1]d COMMENT 'c';\n"+
				"INSERT INTO trace (rev, stmt) VALUES (%[1]d, 5);", i)
		} else {
			header = "-- strata:no-transaction\n"
			up = fmt.Sprintf("CREATE TABLE t1_%[1]d AS SELECT g FROM generate_series(1, 100000) g;\n"+
				"INSERT INTO trace (rev, stmt) SELECT %[1]d, 2 FROM pg_sleep(0.1);\n"+
				"CREATE INDEX CONCURRENTLY t1_%[1]d_g ON t1_%[1]d (g);\n"+
				"COMMENT ON TABLE t1_%[1]d IS 'c';\n"+
				"INSERT INTO trace (rev, stmt) VALUES (%[1]d, 5);", i)
		}
		write(fmt.Sprintf("c%03d_rev.sql", i), fmt.Sprintf("-- Revision: c%03d\n-- Revises: c%03d\n%s-- strata:upgrade\n%s\n-- strata:downgrade\nSELECT 1;\n", i, i-1, header, up))
	}
}

// TestTrackedCrashSafety kills `strata upgrade head` with SIGKILL at random
// moments over revisions run statement by statement (MariaDB, and
// PostgreSQL no-transaction revisions with CREATE INDEX CONCURRENTLY),
// whose statements are slow enough to be killed mid-way. In every trial
// no statement runs twice, and the rerun either finishes or stops naming
// the one statement whose outcome it cannot know, which strata resolve
// then settles.
func TestTrackedCrashSafety(t *testing.T) {
	trials := crashTrials(t, 4)
	const revs = 3
	for _, d := range []dialect.Name{dialect.MySQL, dialect.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			dir := t.TempDir()
			trackedRevisions(t, filepath.Join(dir, "migrations"), d, revs)
			run := func(db *testdb.DB, args ...string) *exec.Cmd { return strataCmd(t, dir, db, args...) }
			full := timeRun(t, run(testdb.New(t, d), "upgrade", "head"))
			outcomes := map[string]int{}
			for trial := range trials {
				db, drop, err := testdb.Create(d, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				killAtRandom(t, run(db, "upgrade", "head"), full)
				traceOnce(t, db, revs, false)
				var out []byte
				for attempt := 0; ; attempt++ {
					out, err = run(db, "upgrade", "head").CombinedOutput()
					if err == nil {
						outcomes["rerun finished"]++
						break
					}
					// The one answer besides finishing: a statement whose
					// outcome cannot be known, settled by resolve.
					rev, took, ok := inDoubt(t, db, string(out))
					if !ok || attempt > 0 {
						t.Fatalf("trial %d: rerun: %v\n%s", trial, err, out)
					}
					outcomes["rerun asked for resolve"]++
					flag := "--no-effect"
					if took {
						flag = "--took-effect"
					}
					if out, err := run(db, "resolve", rev, flag).CombinedOutput(); err != nil {
						t.Fatalf("trial %d: resolve %s %s: %v\n%s", trial, rev, flag, err, out)
					}
				}
				traceOnce(t, db, revs, true)
				if err := drop(); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%d trials over %s runs: %v", trials, full.Round(time.Millisecond), outcomes)
		})
	}
}

// traceOnce checks that no statement ran twice: each trace row at most
// once (exactly once when complete), and every revision's tables there
// when complete.
func traceOnce(t *testing.T, db *testdb.DB, revs int, complete bool) {
	t.Helper()
	waitBackends(t, db)
	if complete {
		for i := 1; i <= revs; i++ {
			var n int
			if err := db.DB.QueryRow(fmt.Sprintf("SELECT count(*) FROM t1_%d", i)).Scan(&n); err != nil {
				t.Fatalf("revision %d: %v", i, err)
			}
		}
	}
	rows, err := db.DB.Query("SELECT rev, stmt, count(*) FROM trace GROUP BY rev, stmt")
	if err != nil {
		if !complete {
			return // killed before the trace table existed
		}
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var rev, stmt, n int
		if err := rows.Scan(&rev, &stmt, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("statement %d of revision %d ran %d times", stmt, rev, n)
		}
		seen++
	}
	if complete && seen != 2*revs {
		t.Fatalf("%d traced statements ran, want %d", seen, 2*revs)
	}
}

// inDoubt reads, from the rerun's error, the revision whose statement's
// outcome strata could not tell, and finds out from the database whether
// it took effect (the only such statement is the table comment).
func inDoubt(t *testing.T, db *testdb.DB, out string) (rev string, took, ok bool) {
	t.Helper()
	var stmt, rest string
	if i := strings.Index(out, "was running when strata stopped"); i < 0 {
		return "", false, false
	}
	fmt.Sscanf(out[strings.Index(out, "statement "):], "statement %s of %s", &stmt, &rest)
	rev = rest
	var n int
	fmt.Sscanf(rev, "c%03d", &n)
	q := fmt.Sprintf("SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 't1_%d' AND table_comment = 'c'", n)
	if db.Dialect == dialect.Postgres {
		q = fmt.Sprintf("SELECT count(*) FROM pg_description WHERE objoid = 't1_%d'::regclass AND objsubid = 0 AND description = 'c'", n)
	}
	var c int
	if err := db.DB.QueryRow(q).Scan(&c); err != nil {
		t.Fatal(err)
	}
	return rev, c > 0, true
}

// groupRevisions writes n linear revisions of two CREATE TABLE statements
// each (t_NNN_a, t_NNN_b), which strata sends in groups on MySQL; every
// tenth also records itself in glog, a statement that goes alone.
func groupRevisions(t *testing.T, dir string, n int) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	for i := 1; i <= n; i++ {
		parent := ""
		if i > 1 {
			parent = fmt.Sprintf("c%03d", i-1)
		}
		up := fmt.Sprintf("CREATE TABLE t_%03[1]d_a (id int);\nCREATE TABLE t_%03[1]d_b (id int);", i)
		if i == 1 {
			up = "CREATE TABLE glog (rev int PRIMARY KEY);\n" + up
		}
		if i%10 == 0 {
			up += fmt.Sprintf("\nINSERT INTO glog VALUES (%d);", i)
		}
		body := fmt.Sprintf("-- Revision: c%03d\n-- Revises: %s\n-- strata:upgrade\n%s\n-- strata:downgrade\nSELECT 1;\n", i, parent, up)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%03d_rev.sql", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGroupCrashSafety kills `strata upgrade head` with SIGKILL at random
// moments on MariaDB, where the revisions' CREATE TABLE statements go to
// the server in groups (up to 250 in one round trip after one record).
// After each kill, once the killed run's connection has gone, the tables
// are a prefix of the statements in order and the version table names a
// revision within it; the rerun tells from the catalog which statements of
// the group took effect and runs only the others (one run twice would
// fail: its table exists), and ends with every revision recorded once.
func TestGroupCrashSafety(t *testing.T) {
	trials := crashTrials(t, 5)
	const revs = 60
	d := dialect.MySQL
	dir := t.TempDir()
	groupRevisions(t, filepath.Join(dir, "migrations"), revs)
	var want []string
	for i := 1; i <= revs; i++ {
		want = append(want, fmt.Sprintf("t_%03d_a", i), fmt.Sprintf("t_%03d_b", i))
	}
	outcomes := map[string]int{}
	var counts []int // tables there after each kill
	full := killTrials(t, d, dir, trials, func(trial int, db *testdb.DB, rerun *exec.Cmd) {
		got := testTables(t, db)
		if strings.Join(got, ",") != strings.Join(want[:len(got)], ",") {
			t.Fatalf("trial %d: the tables are not the first %d created, in order: %v", trial, len(got), got)
		}
		at := 0
		var v string
		// No version table yet: killed before the run made it.
		if err := db.DB.QueryRow("SELECT version_num FROM strata_version").Scan(&v); err == nil {
			fmt.Sscanf(v, "c%03d", &at)
		}
		if 2*at > len(got) {
			t.Fatalf("trial %d: the version table names c%03d but only %d tables exist", trial, at, len(got))
		}
		counts = append(counts, len(got))
		switch {
		case len(got) == 0:
			outcomes["before the first statement"]++
		case 2*at == len(got):
			outcomes["recorded up to the last statement run"]++
		default:
			outcomes["statements ran beyond the record"]++
		}
		rerunWhole(t, trial, db, rerun, want, fmt.Sprintf("c%03d", revs))
		rows := queryStrings(t, db, "SELECT CONCAT(revision, ' ', status, ' ', stmts_done, '/', stmts_total) FROM strata_version_history ORDER BY revision")
		if len(rows) != revs {
			t.Fatalf("trial %d: %d history rows, want one per revision: %v", trial, len(rows), rows)
		}
		for _, r := range rows {
			if !strings.Contains(r, " done ") {
				t.Fatalf("trial %d: history row %q is not finished", trial, r)
			}
		}
		if logged := queryStrings(t, db, "SELECT rev FROM glog ORDER BY rev"); len(logged) != revs/10 {
			t.Fatalf("trial %d: glog holds %v, want each tenth revision once", trial, logged)
		}
	})
	t.Logf("%d trials over %s runs: %v; tables after each kill: %v", trials, full.Round(time.Millisecond), outcomes, counts)
}

// TestLaneCrashSafety kills `strata upgrade head` with SIGKILL at random
// moments on MariaDB while it applies one revision of 300 CREATE TABLE
// statements, which go in groups on two connections (lanes), level by
// level (a foreign key names a table of the level before). The rerun
// tells from the catalog which statements took effect, runs the others
// (one run twice would fail: its table exists), and ends with every table
// there and the revision recorded once, done. (Here the server has
// finished each lane's text after the kill, so the tables found are whole
// levels; TestLaneSettle writes the other outcomes by hand.)
func TestLaneCrashSafety(t *testing.T) {
	trials := crashTrials(t, 5)
	const n = 300
	d := dialect.MySQL
	dir := t.TempDir()
	var up strings.Builder
	var want []string
	for k := range n {
		ref := ""
		if k > 0 {
			ref = fmt.Sprintf(", FOREIGN KEY (p) REFERENCES t_%03d (id)", k/10*10)
			if k%10 == 0 {
				ref = fmt.Sprintf(", FOREIGN KEY (p) REFERENCES t_%03d (id)", k-1)
			}
		}
		fmt.Fprintf(&up, "CREATE TABLE t_%03d (id int PRIMARY KEY, p int%s);\n", k, ref)
		want = append(want, fmt.Sprintf("t_%03d", k))
	}
	os.MkdirAll(filepath.Join(dir, "migrations"), 0o755)
	body := "-- Revision: l001\n-- Revises:\n-- strata:upgrade\n" + up.String() + "-- strata:downgrade\nSELECT 1;\n"
	if err := os.WriteFile(filepath.Join(dir, "migrations", "l001_lanes.sql"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]int{}
	full := killTrials(t, d, dir, trials, func(trial int, db *testdb.DB, rerun *exec.Cmd) {
		got := testTables(t, db)
		switch {
		case len(got) == 0:
			outcomes["before the first statement"]++
		case len(got) == n:
			outcomes["all statements ran"]++
		case strings.Join(got, ",") == strings.Join(want[:len(got)], ","):
			outcomes["the first statements ran"]++
		default:
			outcomes["statements ran out of order"]++
		}
		rerunWhole(t, trial, db, rerun, want, "l001")
		if rows := queryStrings(t, db, "SELECT CONCAT(revision, ' ', status, ' ', stmts_done, '/', stmts_total) FROM strata_version_history"); len(rows) != 1 || rows[0] != fmt.Sprintf("l001 done %d/%d", n, n) {
			t.Fatalf("trial %d: history %v, want l001 done once", trial, rows)
		}
	})
	t.Logf("%d trials over %s runs: %v", trials, full.Round(time.Millisecond), outcomes)
}
