package versions_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gofrs/flock"
	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/versions"
)

// sqliteDB returns a fresh SQLite test database in the journal mode given,
// and a second handle on the same file with its own connections, as an
// application would have, which has created its table app_log.
func sqliteDB(t *testing.T, journal string) (*testdb.DB, *sql.DB) {
	t.Helper()
	db := testdb.New(t, dialect.SQLite)
	var mode string
	if err := db.DB.QueryRow("PRAGMA journal_mode = " + journal).Scan(&mode); err != nil || mode != journal {
		t.Fatalf("journal_mode = %s: got %q, %v", journal, mode, err)
	}
	app, err := sql.Open("sqlite", "file:"+db.Name+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	if _, err := app.Exec("CREATE TABLE app_log (n int)"); err != nil {
		t.Fatal(err)
	}
	return db, app
}

// writing returns a connection of app inside a write transaction, which
// holds SQLite's RESERVED lock (WAL's write lock) until it commits.
func writing(t *testing.T, app *sql.DB) *sql.Conn {
	t.Helper()
	ctx := context.Background()
	w, err := app.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	for _, q := range []string{"BEGIN IMMEDIATE", "INSERT INTO app_log VALUES (1)"} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	return w
}

func linear(n int) fstest.MapFS {
	fs := fstest.MapFS{}
	for i := 1; i <= n; i++ {
		parent := ""
		if i > 1 {
			parent = fmt.Sprintf("r%03d", i-1)
		}
		up, down := table(fmt.Sprintf("%03d", i))
		fs[fmt.Sprintf("r%03d_x.sql", i)] = file(fmt.Sprintf("r%03d", i), parent, up, down)
	}
	return fs
}

// TestSQLiteLockLeavesOthersAlone: on SQLite the migration lock is a file
// lock beside the database, so other connections that have the database
// open, or that write while the revisions run, neither stop the run nor are
// stopped by it, in rollback-journal and WAL mode. (A WAL connection holds
// a shared lock on the database file for as long as it is open.)
func TestSQLiteLockLeavesOthersAlone(t *testing.T) {
	for _, journal := range []string{"delete", "wal"} {
		t.Run(journal, func(t *testing.T) {
			db, app := sqliteDB(t, journal)
			ctx := context.Background()
			// An idle connection that has read the database.
			idle, err := app.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer idle.Close()
			var n int
			if err := idle.QueryRowContext(ctx, "SELECT count(*) FROM app_log").Scan(&n); err != nil {
				t.Fatal(err)
			}

			// The application writes all through the run.
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var writes int
			var appErr error
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := app.Exec("INSERT INTO app_log VALUES (1)"); err != nil {
						appErr = err
						return
					}
					writes++
					// A busy application, not one that never lets go.
					time.Sleep(time.Millisecond)
				}
			}()
			const revs = 60
			m, err := versions.Open(ctx, db.DB, db.Dialect, linear(revs), versions.WithLockTimeout(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			steps, err := m.Upgrade(ctx, "head")
			close(stop)
			wg.Wait()
			if err != nil {
				t.Fatalf("upgrade beside the application: %v", err)
			}
			if appErr != nil {
				t.Errorf("the application's writes during the upgrade: %v", appErr)
			}
			if len(steps) != revs || writes == 0 {
				t.Errorf("%d steps with %d application writes; want %d steps and some writes", len(steps), writes, revs)
			}
			if _, err := os.Stat(db.Name + versions.LockSuffix); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the lock file is left after the run: %v", err)
			}
		})
	}
}

// TestSQLiteLockHeld: a runner that finds the SQLite lock file locked
// waits, names the holder the file records, and times out; once the lock
// is free (the file possibly left by a runner that was killed) it runs and
// removes the file.
func TestSQLiteLockHeld(t *testing.T) {
	db := testdb.New(t, dialect.SQLite)
	ctx := context.Background()
	path := db.Name + versions.LockSuffix
	held := flock.New(path)
	if ok, err := held.TryLock(); !ok || err != nil {
		t.Fatalf("take the lock: %v, %v", ok, err)
	}
	if err := os.WriteFile(path, []byte("process 4242 on testhost"), 0o600); err != nil {
		t.Fatal(err)
	}
	var holders []string
	m, err := versions.Open(ctx, db.DB, db.Dialect, linear(2),
		versions.WithLockTimeout(300*time.Millisecond), versions.WithWait(func(h string) { holders = append(holders, h) }))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Upgrade(ctx, "head")
	if !errors.Is(err, versions.ErrLockTimeout) {
		t.Fatalf("upgrade with the lock held: %v, want ErrLockTimeout", err)
	}
	if diff := cmp.Diff([]string{"process 4242 on testhost"}, holders); diff != "" {
		t.Errorf("holders reported (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{}, tables(t, db)); diff != "" {
		t.Errorf("tables while the lock was held (-want +got):\n%s", diff)
	}

	// Unlocked but not removed, as after a kill -9.
	if err := held.Unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("upgrade with the lock free: %v", err)
	}
	if diff := cmp.Diff([]string{"t_001", "t_002"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the lock file is left after the run: %v", err)
	}
}

// TestSQLiteRevisionWaitsForWriter: a revision that reads before it writes
// waits for a writer in another connection to commit, in rollback-journal
// and WAL mode. In a plain (deferred) transaction SQLite fails the first
// write at once with "database is locked": the transaction already holds a
// read lock, or a read snapshot the writer's commit makes stale. The
// runner's BEGIN IMMEDIATE takes the write lock first, waiting its turn.
func TestSQLiteRevisionWaitsForWriter(t *testing.T) {
	for _, journal := range []string{"delete", "wal"} {
		t.Run(journal, func(t *testing.T) {
			db, app := sqliteDB(t, journal)
			ctx := context.Background()
			up, down := table("one")
			fs := fstest.MapFS{
				"aaaa_one.sql": file("aaaa", "", up, down),
				"bbbb_two.sql": file("bbbb", "aaaa", "SELECT count(*) FROM app_log;\nCREATE TABLE t_two (id int);", "DROP TABLE t_two;"),
			}
			m, err := versions.Open(ctx, db.DB, db.Dialect, fs)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Upgrade(ctx, "aaaa"); err != nil {
				t.Fatal(err)
			}
			w := writing(t, app)
			done := make(chan error, 1)
			go func() {
				_, err := m.Upgrade(ctx, "head")
				done <- err
			}()
			select {
			case err := <-done:
				t.Fatalf("the upgrade ended while the writer held its transaction open: %v", err)
			case <-time.After(500 * time.Millisecond):
			}
			if _, err := w.ExecContext(ctx, "COMMIT"); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatalf("upgrade after the writer committed: %v", err)
			}
			if diff := cmp.Diff([]string{"t_one", "t_two"}, tables(t, db)); diff != "" {
				t.Errorf("tables (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMySQLLockNameFits: the MySQL lock's name stays within MySQL's 64
// characters (MariaDB has no limit, so the length is checked on the name
// itself) for a database whose name takes all 64, differs between two
// databases and two version tables, and an upgrade there takes it.
func TestMySQLLockNameFits(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	ctx := context.Background()
	long := db.Name + "_" + strings.Repeat("x", 63-len(db.Name))
	if _, err := db.DB.Exec("CREATE DATABASE " + db.Dialect.Quote(long)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.DB.Exec("DROP DATABASE IF EXISTS " + db.Dialect.Quote(long)) })
	u, err := introspect.ParseURL(strings.Replace(db.URL, "/"+db.Name, "/"+long, 1))
	if err != nil {
		t.Fatal(err)
	}
	ldb, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer ldb.Close()

	up, down := table("one")
	fs := fstest.MapFS{"aaaa_one.sql": file("aaaa", "", up, down)}
	names := map[string]bool{}
	for _, c := range []struct {
		db    *sql.DB
		table string
	}{{ldb, "strata_version"}, {ldb, "other_version"}, {db.DB, "strata_version"}} {
		m, err := versions.Open(ctx, c.db, db.Dialect, fs, versions.WithTable(c.table))
		if err != nil {
			t.Fatal(err)
		}
		name, err := versions.MySQLLockName(ctx, m, c.db)
		if err != nil {
			t.Fatal(err)
		}
		if len(name) > 64 || names[name] {
			t.Errorf("lock name %q: %d characters (at most 64), seen before: %v", name, len(name), names[name])
		}
		names[name] = true
	}
	m, err := versions.Open(ctx, ldb, db.Dialect, fs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatalf("upgrade in a database with a 64-character name: %v", err)
	}
}

// TestSQLiteRunnerKeepsBusyTimeout: the runner waits for other
// connections' SQLite locks as long as its connection's busy timeout says
// (here the URL's 100 ms, against a writer holding on for longer), rather
// than a timeout of its own.
func TestSQLiteRunnerKeepsBusyTimeout(t *testing.T) {
	db, app := sqliteDB(t, "delete")
	ctx := context.Background()
	u, err := introspect.ParseURL("sqlite://" + db.Name + "?_pragma=busy_timeout(100)")
	if err != nil {
		t.Fatal(err)
	}
	short, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer short.Close()
	up, down := table("one")
	m, err := versions.Open(ctx, short, db.Dialect, fstest.MapFS{"aaaa_one.sql": file("aaaa", "", up, down)})
	if err != nil {
		t.Fatal(err)
	}
	w := writing(t, app)
	release := time.AfterFunc(3*time.Second, func() { w.ExecContext(ctx, "COMMIT") })
	defer release.Stop()
	if _, err := m.Upgrade(ctx, "head"); err == nil || !strings.Contains(err.Error(), "database is locked") {
		t.Fatalf("upgrade beside a writer holding on for 3 s, with a 100 ms busy timeout: %v, want database is locked", err)
	}
}
