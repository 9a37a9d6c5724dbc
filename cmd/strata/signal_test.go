//go:build unix

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
)

// startUpgrade writes a line of revisions, slow then next1, next2..., with
// the upgrade SQL given, and starts `strata upgrade head` on them; it
// returns the command, its combined output and a channel that receives its
// error when it exits.
func startUpgrade(t *testing.T, db *testdb.DB, ups ...string) (dir string, cmd *exec.Cmd, out *bytes.Buffer, done chan error) {
	t.Helper()
	bin, err := exec.LookPath("strata")
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	mig := filepath.Join(dir, "migrations")
	os.MkdirAll(mig, 0o755)
	parent := ""
	for i, up := range ups {
		id := "slow"
		if i > 0 {
			id = fmt.Sprintf("next%d", i)
		}
		body := "-- Revision: " + id + "\n-- Revises: " + parent + "\n-- strata:upgrade\n" + up + "\n-- strata:downgrade\n"
		if err := os.WriteFile(filepath.Join(mig, id+"_x.sql"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		parent = id
	}
	cmd = exec.Command(bin, "upgrade", "head")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "STRATA_DATABASE_URL="+db.URL)
	out = &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done = make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return dir, cmd, out, done
}

// waitFor polls probe until it is true, failing the test after 30 s.
func waitFor(t *testing.T, what string, probe func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !probe(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// exited waits for the command started by startUpgrade to exit and
// returns its exit code.
func exited(t *testing.T, done chan error, out *bytes.Buffer) int {
	t.Helper()
	select {
	case err := <-done:
		return exitCode(err)
	case <-time.After(60 * time.Second):
		t.Fatalf("strata did not exit after the signal:\n%s", out)
		return -1
	}
}

// terminate sends SIGTERM to the command started by startUpgrade once the
// probe query counts its slow statement running, and waits for it to exit:
// with code 2, having said at once that it was stopping.
func terminate(t *testing.T, db *testdb.DB, probe string, cmd *exec.Cmd, done chan error, out *bytes.Buffer) {
	t.Helper()
	waitFor(t, "the revision's slow statement", func() bool { return countRows(t, db, probe) > 0 })
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := exited(t, done, out); code != 2 {
		t.Errorf("exit %d after SIGTERM, want 2\n%s", code, out)
	}
	if !strings.HasPrefix(out.String(), "strata: interrupted: stopping (") {
		t.Errorf("strata did not say first that it was stopping:\n%s", out)
	}
}

func countRows(t *testing.T, db *testdb.DB, q string) int {
	t.Helper()
	var n int
	if err := db.DB.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTerminatePostgres: SIGTERM, as a deploy system stops a migration
// job, cancels the statement running on the server and rolls the revision
// back before strata exits 2; killed outright, strata would leave the
// server running the statement, in its transaction and holding the lock.
func TestTerminatePostgres(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	// A transactional revision reaches the server as one batch of its
	// statements: the slow one is somewhere in the query text.
	const sleeping = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%SELECT pg_sleep(60)%' AND query NOT LIKE '%pg_stat_activity%' AND pid <> pg_backend_pid()"
	_, cmd, out, done := startUpgrade(t, db, "CREATE TABLE t_a (id int);\nSELECT pg_sleep(60);")
	terminate(t, db, sleeping, cmd, done, out)
	if !strings.Contains(out.String(), "the revision was rolled back; the version table is unchanged") {
		t.Errorf("output does not say the revision was rolled back:\n%s", out)
	}
	if n := countRows(t, db, sleeping); n != 0 {
		t.Errorf("%d backends still run the revision's statement after strata exited", n)
	}
	if n := countRows(t, db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"); n != 0 {
		t.Errorf("%d advisory locks still held after strata exited", n)
	}
	if n := countRows(t, db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 't_a'"); n != 0 {
		t.Error("t_a exists: the revision was not rolled back")
	}
}

// TestInterruptMySQLFinishesStatement: MySQL cannot roll DDL back and goes
// on running a statement whose client has gone, so on SIGTERM strata lets
// the running statement finish, records it, and stops before the next
// one; the next upgrade resumes there.
func TestInterruptMySQLFinishesStatement(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	const sleeping = "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE 'SELECT SLEEP(2)%'"
	dir, cmd, out, done := startUpgrade(t, db, "CREATE TABLE t_a (id int);\nSELECT SLEEP(2);\nCREATE TABLE t_b (id int);")
	terminate(t, db, sleeping, cmd, done, out)
	if !strings.Contains(out.String(), "interrupted after statement 2 of 3 of slow (terminated signal received); those ran and are recorded: rerun strata upgrade to resume at statement 3") {
		t.Errorf("output does not say where the run stopped:\n%s", out)
	}
	tables := "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = "
	if countRows(t, db, tables+"'t_a'") != 1 || countRows(t, db, tables+"'t_b'") != 0 {
		t.Error("want t_a created and t_b not")
	}
	run := func(args ...string) string { return rerun(t, cmd, dir, args...) }
	if got := run("current"); !strings.Contains(got, "slow is half-applied: upgrade stopped: statements 1 to 2 of 3 ran; rerun strata upgrade to resume at statement 3, or strata resolve slow") {
		t.Errorf("strata current:\n%s", got)
	}
	run("upgrade", "head")
	if countRows(t, db, tables+"'t_b'") != 1 {
		t.Error("the resumed upgrade did not create t_b")
	}
}

// rerun runs strata again, with args, as cmd ran it; it must succeed.
func rerun(t *testing.T, cmd *exec.Cmd, dir string, args ...string) string {
	t.Helper()
	c := exec.Command(cmd.Path, args...)
	c.Dir = dir
	c.Env = cmd.Env
	b, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("strata %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return string(b)
}

// TestInterruptMySQLBetweenRevisions: interrupted in the last statement of
// a revision, strata on MySQL lets it finish, records the revision as
// applied (the record is not cancelled with the run), and stops before
// the next revision.
func TestInterruptMySQLBetweenRevisions(t *testing.T) {
	db := testdb.New(t, dialect.MySQL)
	const sleeping = "SELECT count(*) FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE 'SELECT SLEEP(2)%'"
	dir, cmd, out, done := startUpgrade(t, db, "CREATE TABLE t_a (id int);\nSELECT SLEEP(2);", "CREATE TABLE t_b (id int);")
	terminate(t, db, sleeping, cmd, done, out)
	if !strings.Contains(out.String(), "interrupted (terminated signal received) after 1 of 2 revisions; rerun to go on") {
		t.Errorf("output does not say where the run stopped:\n%s", out)
	}
	if got := rerun(t, cmd, dir, "current"); got != "slow (base)\n" {
		t.Errorf("strata current = %q, want slow applied and nothing half-applied", got)
	}
	rerun(t, cmd, dir, "upgrade", "head")
	if got := rerun(t, cmd, dir, "current"); got != "next1 (head)\n" {
		t.Errorf("strata current after the rerun = %q, want next1 (head)", got)
	}
}
