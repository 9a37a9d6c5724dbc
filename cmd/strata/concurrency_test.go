package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/versions"
)

// writeRevisions writes n linear revisions; each creates a table and logs
// itself in applied_log, whose primary key rejects a second application.
func writeRevisions(t *testing.T, dir string, n int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		parent := ""
		if i > 1 {
			parent = fmt.Sprintf("r%03d", i-1)
		}
		up := fmt.Sprintf("CREATE TABLE t_%03d (id int);\nINSERT INTO applied_log (rev) VALUES ('r%03d');", i, i)
		if i == 1 {
			up = "CREATE TABLE applied_log (rev varchar(10) PRIMARY KEY);\n" + up
		}
		body := fmt.Sprintf("-- Message: rev %d\n-- Revision: r%03d\n-- Revises: %s\n-- strata:upgrade\n%s\n-- strata:downgrade\nDROP TABLE t_%03d;\n", i, i, parent, up, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%03d_rev.sql", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConcurrentUpgrades: 8 processes run `strata upgrade head` at once
// over 50 revisions; each revision is applied exactly once, every process
// exits 0, and the history shows one application each. SQLite runs in its
// default rollback-journal mode and in WAL mode.
func TestConcurrentUpgrades(t *testing.T) {
	testdb.ForEach(t, concurrentUpgrades)
	t.Run("sqlite-wal", func(t *testing.T) {
		db := testdb.New(t, dialect.SQLite)
		if _, err := db.DB.Exec("PRAGMA journal_mode = wal"); err != nil {
			t.Fatal(err)
		}
		concurrentUpgrades(t, db)
	})
}

func concurrentUpgrades(t *testing.T, db *testdb.DB) {
	bin, err := exec.LookPath("strata") // the test binary, set up by testscript.Main
	if err != nil {
		t.Fatal(err)
	}
	const procs, revs = 8, 50
	dir := t.TempDir()
	writeRevisions(t, filepath.Join(dir, "migrations"), revs)
	var wg sync.WaitGroup
	outs := make([][]byte, procs)
	errs := make([]error, procs)
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(bin, "upgrade", "head")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "STRATA_DATABASE_URL="+db.URL)
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range procs {
		if errs[i] != nil {
			t.Errorf("process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	var n int
	if err := db.DB.QueryRow("SELECT count(*) FROM applied_log").Scan(&n); err != nil || n != revs {
		t.Errorf("applied_log has %d rows (%v), want %d", n, err, revs)
	}
	g, err := versions.LoadDir(filepath.Join(dir, "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := versions.NewMigrator(db.DB, db.Dialect, g)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := m.History(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	applied := map[string]int{}
	for _, h := range hist {
		if h.Direction == versions.DirUpgrade {
			applied[h.Revision]++
		}
	}
	if len(hist) != revs || len(applied) != revs {
		t.Errorf("history has %d rows for %d revisions, want %d each", len(hist), len(applied), revs)
	}
	for rev, k := range applied {
		if k != 1 {
			t.Errorf("%s applied %d times", rev, k)
		}
	}
}

// TestLockWait: a runner that finds the migration lock taken says so,
// waits, and gives up after --lock-timeout with exit 2. On PostgreSQL and
// MariaDB the lock is held by another strata runner inside a slow
// revision; on SQLite (which has no sleep) by the test itself, taking the
// lock file's OS lock the way strata does and naming a holder in it.
func TestLockWait(t *testing.T) {
	bin, err := exec.LookPath("strata")
	if err != nil {
		t.Fatal(err)
	}
	slow := map[dialect.Name]string{
		dialect.Postgres: "SELECT pg_sleep(3);",
		dialect.MySQL:    "SELECT SLEEP(3);",
		dialect.SQLite:   "SELECT 1;",
	}
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		dir := t.TempDir()
		mig := filepath.Join(dir, "migrations")
		os.MkdirAll(mig, 0o755)
		os.WriteFile(filepath.Join(mig, "slow_one.sql"), []byte("-- Revision: slow\n-- Revises:\n-- strata:upgrade\n"+slow[db.Dialect]+"\n-- strata:downgrade\n"), 0o644)
		runner := func(args ...string) *exec.Cmd {
			cmd := exec.Command(bin, append([]string{"upgrade"}, args...)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "STRATA_DATABASE_URL="+db.URL)
			return cmd
		}
		var release func()
		done := make(chan error, 1)
		var firstOut []byte
		if db.Dialect == dialect.SQLite {
			release = holdSQLiteLock(t, db.Name)
			done <- nil
		} else {
			first := runner()
			go func() {
				var err error
				firstOut, err = first.CombinedOutput()
				done <- err
			}()
			// Wait until the first runner is inside its slow revision, holding
			// the lock (on PostgreSQL the statement goes with its BEGIN).
			for i := 0; !busy(t, db); i++ {
				if i == 1000 {
					t.Fatal("the first runner never started its revision")
				}
				time.Sleep(10 * time.Millisecond)
			}
			release = func() {}
		}
		out, err := runner("--lock-timeout", "500ms").CombinedOutput()
		release()
		if code := exitCode(err); code != 2 {
			t.Errorf("waiting runner: exit %d, want 2\n%s", code, out)
		}
		if !strings.Contains(string(out), "strata: waiting for the migration lock held by ") || !strings.Contains(string(out), "timed out waiting for the migration lock held by ") {
			t.Errorf("waiting runner did not say it waited and timed out:\n%s", out)
		}
		if db.Dialect == dialect.SQLite && !strings.Contains(string(out), "held by process 4242 on testhost") {
			t.Errorf("waiting runner did not name the holder its lock file records:\n%s", out)
		}
		if err := <-done; err != nil {
			t.Errorf("first runner: %v\n%s", err, firstOut)
		}
		// With the lock free, the same command succeeds.
		if out, err := runner("--lock-timeout", "500ms").CombinedOutput(); err != nil {
			t.Errorf("runner after the lock was released: %v\n%s", err, out)
		}
	})
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// holdSQLiteLock takes the migration lock of the SQLite database at path
// as a strata runner does, the OS lock on its lock file recording a
// holder, and returns the function that releases it.
func holdSQLiteLock(t *testing.T, path string) func() {
	t.Helper()
	fl := flock.New(path + versions.LockSuffix)
	if ok, err := fl.TryLock(); !ok || err != nil {
		t.Fatalf("lock %s: %v, %v", fl.Path(), ok, err)
	}
	if err := os.WriteFile(fl.Path(), []byte("process 4242 on testhost"), 0o600); err != nil {
		t.Fatal(err)
	}
	return func() {
		os.Remove(fl.Path())
		fl.Unlock()
	}
}

// busy reports whether a runner is executing the slow statement of
// TestLockWait.
func busy(t *testing.T, db *testdb.DB) bool {
	t.Helper()
	switch db.Dialect {
	case dialect.Postgres:
		var n int
		err := db.DB.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep(3)%' AND query NOT LIKE '%pg_stat_activity%' AND pid <> pg_backend_pid()").Scan(&n)
		return err == nil && n > 0
	case dialect.MySQL:
		var n int
		err := db.DB.QueryRow("SELECT count(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(3)%'").Scan(&n)
		return err == nil && n > 0
	}
	t.Fatalf("busy: no probe for %s", db.Dialect)
	return false
}
