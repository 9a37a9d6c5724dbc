package versions_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/versions"
)

// TestSQLiteWaiterKeepsNoLock: a runner waiting for SQLite's lock keeps no
// lock of its own between tries. A reader holds a shared lock, so the
// runner's BEGIN EXCLUSIVE fails; the reader must then still be able to
// write (take the RESERVED lock) while the runner waits. A runner that
// kept the lock its failed try got on the way blocks that write, and two
// such runners block each other for ever (as eight processes racing for
// the lock once did).
func TestSQLiteWaiterKeepsNoLock(t *testing.T) {
	db := testdb.New(t, dialect.SQLite)
	ctx := context.Background()
	reader, err := sql.Open("sqlite", "file:"+db.Name+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	rc, err := reader.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	for _, q := range []string{"BEGIN", "SELECT count(*) FROM sqlite_master"} {
		if _, err := rc.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}

	up, down := table("one")
	waiting := make(chan struct{})
	m, err := versions.Open(ctx, db.DB, db.Dialect, fstest.MapFS{"aaaa_one.sql": file("aaaa", "", up, down)},
		versions.WithLockTimeout(30*time.Second), versions.WithWait(func(string) { close(waiting) }))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := m.Upgrade(ctx, "head")
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("the runner did not wait for the reader's lock: %v", err)
	}

	// The runner retries at most every second, and a try holds RESERVED
	// for microseconds; a write that meets one retries.
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, err = rc.ExecContext(ctx, "CREATE TABLE probe (x int)")
		if err == nil || !strings.Contains(err.Error(), "locked") || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("the reader could not write while the runner waited (the runner kept a lock): %v", err)
	}
	for {
		_, err = rc.ExecContext(ctx, "COMMIT")
		if err == nil || !strings.Contains(err.Error(), "locked") || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("the reader could not commit while the runner waited: %v", err)
	}
	rc.Close()
	if err := <-done; err != nil {
		t.Fatalf("the runner, once the reader was done: %v", err)
	}
	if diff := cmp.Diff([]string{"t_one"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
}
