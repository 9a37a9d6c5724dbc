package versions_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/versions"
)

// recorder opens connections with a real driver and keeps the text of
// every Exec sent through them, in order.
type recorder struct {
	d   driver.Driver
	dsn string
	mu  sync.Mutex
	log []string
}

func (r *recorder) Connect(context.Context) (driver.Conn, error) {
	c, err := r.d.Open(r.dsn)
	if err != nil {
		return nil, err
	}
	return recordingConn{c, r}, nil
}

func (r *recorder) Driver() driver.Driver { return r.d }

func (r *recorder) sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.log...)
}

type recordingConn struct {
	driver.Conn
	r *recorder
}

func (c recordingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.r.mu.Lock()
	c.r.log = append(c.r.log, query)
	c.r.mu.Unlock()
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c recordingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c recordingConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, o)
}

// recording opens db's database again through a recorder.
func recording(t *testing.T, db *testdb.DB) (*sql.DB, *recorder) {
	t.Helper()
	u, err := introspect.ParseURL(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{d: db.DB.Driver(), dsn: u.DSN}
	conn := sql.OpenDB(r)
	t.Cleanup(func() { conn.Close() })
	return conn, r
}

// commits returns the transactions in sent that commit a revision: from
// BEGIN to COMMIT, holding its history row (a round trip may carry
// several).
func commits(sent []string) []string {
	var out []string
	for _, s := range sent {
		var tx []string
		for _, p := range strings.Split(s, "\n;\n") {
			switch {
			case p == "BEGIN":
				tx = []string{p}
			case p == "COMMIT" && tx != nil:
				if t := strings.Join(append(tx, p), "\n;\n"); strings.Contains(t, "strata_version_history") {
					out = append(out, t)
				}
				tx = nil
			case tx != nil:
				tx = append(tx, p)
			}
		}
	}
	return out
}

const noWait = "SET LOCAL synchronous_commit = off"

// TestOneFlushPerRun: on PostgreSQL every revision of a run but the last
// commits without waiting for the WAL flush, and the last waits as usual,
// which flushes the earlier commits with it; a run that fails after lazy
// commits makes them durable itself before it reports the failure. Each
// revision still commits on its own: the failure leaves the revisions
// before it applied.
func TestOneFlushPerRun(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	ctx := context.Background()
	conn, rec := recording(t, db)
	fs := fstest.MapFS{}
	for _, r := range [][2]string{{"aaaa", ""}, {"bbbb", "aaaa"}, {"cccc", "bbbb"}} {
		up, down := table(r[0])
		fs[r[0]+"_x.sql"] = file(r[0], r[1], up, down)
	}
	m, err := versions.Open(ctx, conn, db.Dialect, fs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	got := commits(rec.sent())
	if len(got) != 3 {
		t.Fatalf("%d commits of revisions, want 3:\n%s", len(got), strings.Join(got, "\n----\n"))
	}
	for i, c := range got {
		if lazy := strings.Contains(c, noWait); lazy != (i < 2) {
			t.Errorf("commit %d of 3 has %q: %v, want %v:\n%s", i+1, noWait, lazy, i < 2, c)
		}
	}
	for _, s := range rec.sent() {
		if strings.Contains(s, "pg_current_xact_id") {
			t.Errorf("a run whose last commit waited for the flush flushed again: %q", s)
		}
	}

	// A second run: dddd and eeee commit lazily, ffff fails.
	for _, r := range [][2]string{{"dddd", "cccc"}, {"eeee", "dddd"}} {
		up, down := table(r[0])
		fs[r[0]+"_x.sql"] = file(r[0], r[1], up, down)
	}
	fs["ffff_x.sql"] = file("ffff", "eeee", "CREATE TABLE t_ffff (id int);\nSELECT * FROM missing_table;", "DROP TABLE t_ffff;")
	m, err = versions.Open(ctx, conn, db.Dialect, fs)
	if err != nil {
		t.Fatal(err)
	}
	before := len(rec.sent())
	if _, err := m.Upgrade(ctx, "head"); err == nil || !strings.Contains(err.Error(), "missing_table") {
		t.Fatalf("upgrade: %v; want the failure of ffff", err)
	}
	sent := rec.sent()[before:]
	got = commits(sent)
	if len(got) != 3 || !strings.Contains(got[0], noWait) || !strings.Contains(got[1], noWait) || strings.Contains(got[2], noWait) {
		t.Errorf("want dddd and eeee committing lazily and ffff, the last, waiting; got:\n%s", strings.Join(got, "\n----\n"))
	}
	flushed := -1
	for i, s := range sent {
		if strings.Contains(s, "pg_current_xact_id") {
			flushed = i
		}
	}
	if flushed < 0 || !strings.Contains(strings.Join(sent[:flushed], "\n"), "missing_table") {
		t.Errorf("no flush after the failing revision; sent:\n%s", strings.Join(sent, "\n----\n"))
	}
	if diff := cmp.Diff([]string{"eeee"}, current(t, m)); diff != "" {
		t.Errorf("version rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"t_aaaa", "t_bbbb", "t_cccc", "t_dddd", "t_eeee"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
}
