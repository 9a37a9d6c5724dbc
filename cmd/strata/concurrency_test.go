package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
// exits 0, and the history shows one application each.
func TestConcurrentUpgrades(t *testing.T) {
	bin, err := exec.LookPath("strata") // the test binary, set up by testscript.Main
	if err != nil {
		t.Fatal(err)
	}
	const procs, revs = 8, 50
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
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
	})
}

// TestLockWait: a second runner waits for the first, says so, and gives up
// after --lock-timeout with exit 2.
func TestLockWait(t *testing.T) {
	bin, err := exec.LookPath("strata")
	if err != nil {
		t.Fatal(err)
	}
	slow := map[dialect.Name]string{
		dialect.Postgres: "SELECT pg_sleep(3);",
		dialect.MySQL:    "SELECT SLEEP(3);",
		// SQLite has no sleep: a recursive query that takes a few seconds.
		dialect.SQLite: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) SELECT count(*) FROM c;",
	}
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		dir := t.TempDir()
		mig := filepath.Join(dir, "migrations")
		os.MkdirAll(mig, 0o755)
		os.WriteFile(filepath.Join(mig, "slow_one.sql"), []byte("-- Revision: slow\n-- Revises:\n-- strata:upgrade\n"+slow[db.Dialect]+"\n-- strata:downgrade\n"), 0o644)
		first := exec.Command(bin, "upgrade")
		first.Dir = dir
		first.Env = append(os.Environ(), "STRATA_DATABASE_URL="+db.URL)
		var firstOut []byte
		done := make(chan error)
		go func() {
			var err error
			firstOut, err = first.CombinedOutput()
			done <- err
		}()
		// Wait until the first runner is inside its slow revision, holding the lock.
		for i := 0; !busy(t, db); i++ {
			if i == 500 {
				t.Fatal("the first runner never started its revision")
			}
			time.Sleep(10 * time.Millisecond)
		}
		second := exec.Command(bin, "upgrade", "--lock-timeout", "500ms")
		second.Dir = dir
		second.Env = first.Env
		out, err := second.CombinedOutput()
		if code := second.ProcessState.ExitCode(); err == nil || code != 2 {
			t.Errorf("second runner: exit %d, want 2\n%s\nfirst:\n%s", code, out, firstOut)
		}
		if !strings.Contains(string(out), "strata: waiting for the migration lock held by ") || !strings.Contains(string(out), "timed out waiting for the migration lock held by ") {
			t.Errorf("second runner did not say it waited and timed out:\n%s", out)
		}
		if err := <-done; err != nil {
			t.Errorf("first runner: %v\n%s", err, firstOut)
		}
	})
}

// busy reports whether a runner is executing the slow statement of
// TestLockWait (SQLite: whether the database is exclusively locked).
func busy(t *testing.T, db *testdb.DB) bool {
	t.Helper()
	switch db.Dialect {
	case dialect.Postgres:
		var n int
		err := db.DB.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(3)%' AND pid <> pg_backend_pid()").Scan(&n)
		return err == nil && n > 0
	case dialect.MySQL:
		var n int
		err := db.DB.QueryRow("SELECT count(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(3)%'").Scan(&n)
		return err == nil && n > 0
	}
	probe, err := sql.Open("sqlite", "file:"+db.Name+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	var n int
	err = probe.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&n)
	return err != nil && strings.Contains(err.Error(), "locked")
}
