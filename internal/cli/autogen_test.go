package cli

import (
	"bytes"
	"context"
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
)

// newProject writes a Go module with models and a strata.toml pointing at
// dbURL in a temp dir and returns the config path.
func newProject(t *testing.T, dbURL, models string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":           "module example.com/app\n\ngo 1.26\n",
		"strata.toml":      "database_url = \"" + dbURL + "\"\nmodels = [\"./models\"]\n",
		"models/models.go": models,
		"migrations/.keep": "",
	}
	testdb.WriteFiles(t, dir, files)
	return filepath.Join(dir, "strata.toml")
}

func writeFile(t *testing.T, path, body string) { testdb.WriteFile(t, path, body) }

// result is one CLI run.
type result struct {
	code           int
	stdout, stderr string
}

// strata runs the CLI in-process with a config file; terminal makes it
// believe stdin and stderr are a terminal, answering with stdin.
func strata(t *testing.T, cfg, stdin string, terminal bool, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		lookup:   noEnvURL,
		terminal: func() bool { return terminal }, scratchName: randomScratchName}
	code := e.run(context.Background(), append([]string{"--config", cfg}, args...))
	return result{code, out.String(), errOut.String()}
}

func mustRun(t *testing.T, cfg string, args ...string) result {
	t.Helper()
	r := strata(t, cfg, "", false, args...)
	if r.code != ExitOK {
		t.Fatalf("strata %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

const personV1 = `package models

//strata:table
type Person struct {
	ID   int64  ` + "`strata:\"pk;autoincrement\"`" + `
	Name string ` + "`strata:\"size:50\"`" + `
}
`

const personV2 = `package models

//strata:table
type Person struct {
	ID       int64  ` + "`strata:\"pk;autoincrement\"`" + `
	FullName string ` + "`strata:\"size:50\"`" + `
}
`

// TestRenameQuestion drives the interactive question through an injected
// terminal: "y" renames, keeping the data; "n" drops and adds.
func TestRenameQuestion(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		cfg := newProject(t, db.URL, personV1)
		mustRun(t, cfg, "revision", "--autogenerate", "-m", "v1", "--rev-id", "r1")
		mustRun(t, cfg, "upgrade")
		if _, err := db.DB.Exec("INSERT INTO person (name) VALUES ('Ada')"); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(filepath.Dir(cfg), "models/models.go"), personV2)

		no := strata(t, cfg, "n\n", true, "diff")
		if no.code != ExitNegative || !strings.Contains(no.stdout, "- column person.name\n+ column person.full_name") {
			t.Fatalf("diff never asks and shows drop+add; got exit %d:\n%s%s", no.code, no.stdout, no.stderr)
		}
		r := strata(t, cfg, "n\n", true, "revision", "--autogenerate", "-m", "no", "--rev-id", "rno")
		wantErr := "Was person.name renamed to person.full_name? [y/N] " +
			"strata: warning: drops column person.name and its data; it cannot be restored\n" +
			"strata: warning: adds person.full_name NOT NULL without a default; fails if the table has rows\n"
		if r.code != ExitOK || r.stderr != wantErr {
			t.Fatalf("answer n: exit %d, stderr %q, want %q", r.code, r.stderr, wantErr)
		}
		if !strings.Contains(r.stdout, "- column person.name\n+ column person.full_name") {
			t.Errorf("answer n: want drop and add, got:\n%s", r.stdout)
		}
		os.Remove(filepath.Join(filepath.Dir(cfg), "migrations", "rno_no.sql"))

		r = strata(t, cfg, "y\n", true, "revision", "--autogenerate", "-m", "yes", "--rev-id", "ryes")
		if r.code != ExitOK || r.stderr != "Was person.name renamed to person.full_name? [y/N] " {
			t.Fatalf("answer y: exit %d, stderr %q", r.code, r.stderr)
		}
		if want := "~ column person.name → person.full_name (renamed)\nwrote "; !strings.HasPrefix(r.stdout, want) {
			t.Errorf("answer y: stdout %q, want it to start %q", r.stdout, want)
		}
		mustRun(t, cfg, "upgrade")
		var name string
		if err := db.DB.QueryRow("SELECT full_name FROM person").Scan(&name); err != nil || name != "Ada" {
			t.Errorf("after the rename: full_name = %q, %v; want Ada", name, err)
		}
		mustRun(t, cfg, "check")
		mustRun(t, cfg, "downgrade", "-1")
		if err := db.DB.QueryRow("SELECT name FROM person").Scan(&name); err != nil || name != "Ada" {
			t.Errorf("after the downgrade: name = %q, %v; want Ada", name, err)
		}
	})
}

const cascadeV1 = `package models

//strata:table
type Parent struct {
	ID    int64  ` + "`strata:\"pk\"`" + `
	Label string ` + "`strata:\"size:20\"`" + `
	Extra string ` + "`strata:\"size:20;default:'x'\"`" + `
}

//strata:table
type Child struct {
	ID       int64 ` + "`strata:\"pk\"`" + `
	ParentID int64 ` + "`strata:\"fk:parent.id;ondelete:CASCADE\"`" + `
}
`

// Dropping a column rebuilds the table on SQLite; rows of a table that
// references it with ON DELETE CASCADE must survive.
const cascadeV2 = `package models

//strata:table
type Parent struct {
	ID    int64  ` + "`strata:\"pk\"`" + `
	Label *string ` + "`strata:\"size:20\"`" + `
}

//strata:table
type Child struct {
	ID       int64 ` + "`strata:\"pk\"`" + `
	ParentID int64 ` + "`strata:\"fk:parent.id;ondelete:CASCADE\"`" + `
}
`

func TestSQLiteRebuildKeepsCascadingRows(t *testing.T) {
	db := testdb.New(t, dialect.SQLite)
	cfg := newProject(t, db.URL, cascadeV1)
	mustRun(t, cfg, "revision", "--autogenerate", "-m", "v1", "--rev-id", "r1")
	mustRun(t, cfg, "upgrade")
	for _, q := range []string{
		"INSERT INTO parent (id, label) VALUES (1, 'a'), (2, 'b')",
		"INSERT INTO child (id, parent_id) VALUES (10, 1), (11, 1), (12, 2)",
	} {
		if _, err := db.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(filepath.Dir(cfg), "models/models.go"), cascadeV2)
	mustRun(t, cfg, "revision", "--autogenerate", "-m", "v2", "--rev-id", "r2")
	body, err := os.ReadFile(filepath.Join(filepath.Dir(cfg), "migrations", "r2_v2.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "INSERT INTO `new_parent`") {
		t.Fatalf("the revision does not rebuild parent, so it proves nothing:\n%s", body)
	}
	for _, dir := range []string{"upgrade", "downgrade"} {
		target := "head"
		if dir == "downgrade" {
			target = "r1"
		}
		mustRun(t, cfg, dir, target)
		if n := count(t, db.DB, "child"); n != 3 {
			t.Errorf("after %s: %d child rows, want 3", dir, n)
		}
		if n := count(t, db.DB, "parent"); n != 2 {
			t.Errorf("after %s: %d parent rows, want 2", dir, n)
		}
	}
	var fk int
	if err := db.DB.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign keys left %d (%v), want on", fk, err)
	}
}

func count(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReplayDropsScratchDatabase: check --replay leaves no database
// behind, also when a revision fails.
func TestReplayDropsScratchDatabase(t *testing.T) {
	for _, d := range []dialect.Name{dialect.Postgres, dialect.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			db := testdb.New(t, d)
			cfg := newProject(t, db.URL, personV1)
			mustRun(t, cfg, "revision", "--autogenerate", "-m", "v1", "--rev-id", "r1")
			replay := func(wantCode int) {
				t.Helper()
				var out, errOut bytes.Buffer
				name := randomScratchName()
				created := false
				e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, lookup: noEnvURL,
					terminal:    func() bool { return false },
					scratchName: func() string { created = true; return name }}
				if code := e.run(context.Background(), []string{"--config", cfg, "check", "--replay"}); code != wantCode {
					t.Fatalf("check --replay: exit %d, want %d\n%s%s", code, wantCode, out.String(), errOut.String())
				}
				if !created {
					t.Fatal("check --replay made no scratch database")
				}
				if exists(t, db, name) {
					t.Errorf("scratch database %s was left behind", name)
				}
			}
			replay(ExitOK)
			writeFile(t, filepath.Join(filepath.Dir(cfg), "migrations", "r2_bad.sql"),
				"-- Revision: r2\n-- Revises: r1\n-- strata:upgrade\nSELECT * FROM missing;\n-- strata:downgrade\n")
			replay(ExitError)
		})
	}
}

// noEnvURL hides STRATA_DATABASE_URL so the config file decides.
func noEnvURL(k string) (string, bool) {
	if k == "STRATA_DATABASE_URL" {
		return "", false
	}
	return os.LookupEnv(k)
}

func exists(t *testing.T, db *testdb.DB, name string) bool {
	t.Helper()
	q := "SELECT count(*) FROM pg_database WHERE datname = $1"
	if db.Dialect == dialect.MySQL {
		q = "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?"
	}
	var n int
	if err := db.DB.QueryRow(q, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// TestNoModelTables: models that declare no table (a wrong pattern, or
// forgotten //strata:table directives) against a database with tables
// are an error, not a revision that drops every table.
func TestNoModelTables(t *testing.T) {
	db := testdb.New(t, dialect.SQLite)
	cfg := newProject(t, db.URL, personV1)
	mustRun(t, cfg, "revision", "--autogenerate", "-m", "v1", "--rev-id", "r1")
	mustRun(t, cfg, "upgrade")
	writeFile(t, filepath.Join(filepath.Dir(cfg), "models/models.go"), "package models\n\ntype Person struct {\n\tID int64\n}\n")
	for _, args := range [][]string{{"revision", "--autogenerate", "-m", "oops"}, {"check"}, {"diff"}} {
		r := strata(t, cfg, "", false, args...)
		want := "strata: the models (./models) declare no tables, but the database has 1: comparing them would drop every table;"
		if r.code != ExitError || !strings.HasPrefix(r.stderr, want) {
			t.Errorf("strata %s: exit %d, stderr %q; want exit %d and %q", strings.Join(args, " "), r.code, r.stderr, ExitError, want)
		}
	}
	entries, err := os.ReadDir(filepath.Join(filepath.Dir(cfg), "migrations"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 { // .keep and r1
		t.Errorf("migrations holds %d files, want .keep and r1_v1.sql", len(entries))
	}
}

// TestAutogenerateErrorClearsPhase: on a terminal, an error ends the
// phase line ("loading models…") before it is printed, so it stands on a
// line of its own.
func TestAutogenerateErrorClearsPhase(t *testing.T) {
	db := testdb.New(t, dialect.SQLite)
	cfg := newProject(t, db.URL, "package models\n\n//strata:table\ntype P struct {\n\tID int64 `strata:\"bogus\"`\n}\n")
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, lookup: noEnvURL,
		terminal: func() bool { return true }, showProgress: true, scratchName: randomScratchName}
	code := e.run(context.Background(), []string{"--config", cfg, "revision", "--autogenerate", "-m", "x"})
	want := "\r\x1b[Kloading models and inspecting the database…\r\x1b[K" +
		"strata: models/models.go:5:20: unknown option \"bogus\" in strata tag\n"
	if code != ExitError || errOut.String() != want {
		t.Errorf("exit %d, stderr %q; want exit %d, stderr %q", code, errOut.String(), ExitError, want)
	}
}

// TestCheckReleasesEarlyConnection: check and upgrade start connecting
// before they read the revisions; when the revisions stop them first (two
// heads, a file that does not parse), they report that at once, abandoning
// the connection attempt, rather than waiting for a server that accepts
// and never answers (for up to connect_timeout, here ten minutes).
func TestCheckReleasesEarlyConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c // and never answer
		}
	}()
	cfg := newProject(t, "postgres://u@"+ln.Addr().String()+"/app?sslmode=disable&connect_timeout=600", personV1)
	for _, id := range []string{"aaa", "bbb"} {
		writeFile(t, filepath.Join(filepath.Dir(cfg), "migrations", id+"_root.sql"),
			"-- Message: root\n-- Revision: "+id+"\n-- Revises:\n-- Created: 2026-01-01T00:00:00Z\n\n-- strata:upgrade\nSELECT 1;\n\n-- strata:downgrade\nSELECT 1;\n")
	}
	done := make(chan result, 1)
	go func() { done <- strata(t, cfg, "", false, "check") }()
	var r result
	select {
	case r = <-done:
	case <-time.After(time.Minute):
		t.Fatal("check waits for a server that does not answer")
	}
	if r.code != ExitNegative || !strings.Contains(r.stdout+r.stderr, "multiple heads") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and multiple heads", r.code, r.stdout, r.stderr, ExitNegative)
	}
	select {
	case c := <-accepted:
		c.Close()
	default: // abandoned before it was made
	}
	// upgrade starts connecting too; a revision that does not parse stops
	// it first.
	writeFile(t, filepath.Join(filepath.Dir(cfg), "migrations", "ccc_broken.sql"), "-- strata:upgrade\nSELECT 1;\n")
	go func() { done <- strata(t, cfg, "", false, "upgrade") }()
	select {
	case r = <-done:
	case <-time.After(time.Minute):
		t.Fatal("upgrade waits for a server that does not answer")
	}
	if r.code != ExitError || !strings.Contains(r.stderr, "ccc_broken.sql") {
		t.Errorf("upgrade: exit %d, stderr %q; want exit %d and the broken file named", r.code, r.stderr, ExitError)
	}
}
