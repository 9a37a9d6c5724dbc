package versions_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/versions"
)

// TestPgDumpRevision applies a pg_dump --schema-only of a schema with
// functions, a trigger, a view and a sequence as one revision. The dump
// empties search_path first; strata's own statements name their schema,
// so they still find the version table, and the next revision runs with
// the session as strata found it.
func TestPgDumpRevision(t *testing.T) {
	ctx := context.Background()
	src := testdb.New(t, dialect.Postgres)
	if _, err := src.DB.Exec(`
		CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, updated_at timestamptz NOT NULL DEFAULT now());
		CREATE TABLE audit (id bigserial PRIMARY KEY, account_id bigint REFERENCES accounts (id) ON DELETE CASCADE, what text);
		CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
		CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
		CREATE FUNCTION account_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM accounts $$;
		CREATE VIEW recent AS SELECT id, email FROM accounts WHERE updated_at > now() - interval '1 day';
		CREATE SEQUENCE invoice_numbers START 1000;
		COMMENT ON TABLE accounts IS 'who; signs in';`); err != nil {
		t.Fatal(err)
	}
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		if testdb.Required() {
			t.Fatal("STRATA_REQUIRE_DBS=1 and pg_dump is not installed (.ci/run installs postgresql-client)")
		}
		t.Skip("pg_dump is not installed")
	}
	dump, err := exec.Command(pgDump, "--schema-only", "--no-owner", "--no-privileges", "-d", src.URL).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dump), "set_config('search_path', '', false)") {
		t.Fatalf("the dump does not empty search_path:\n%s", dump)
	}
	fsys := fstest.MapFS{
		"aaaa_dump.sql":  file("aaaa", "", string(dump), "DROP VIEW public.recent;\nDROP TABLE public.audit;\nDROP TABLE public.accounts;\nDROP FUNCTION public.touch();\nDROP FUNCTION public.account_count();\nDROP SEQUENCE public.invoice_numbers;"),
		"bbbb_after.sql": file("bbbb", "aaaa", "CREATE TABLE after_dump (id int);", "DROP TABLE after_dump;"),
	}
	db := testdb.New(t, dialect.Postgres)
	m, err := versions.Open(ctx, db.DB, dialect.Postgres, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.DB.QueryRow("SELECT public.account_count()").Scan(&n); err != nil {
		t.Errorf("the dumped function: %v", err)
	}
	var schema string
	if err := db.DB.QueryRow("SELECT table_schema FROM information_schema.tables WHERE table_name = 'after_dump'").Scan(&schema); err != nil || schema != "public" {
		t.Errorf("the revision after the dump created its table in %q (%v), want public", schema, err)
	}
	if rows := current(t, m); len(rows) != 1 || rows[0] != "bbbb" {
		t.Errorf("version rows %v, want bbbb", rows)
	}
	if _, err := m.Downgrade(ctx, "base"); err != nil {
		t.Fatal(err)
	}
}

// TestSessionChangingRevisions: a revision that switches database (MySQL
// USE) or search_path and role (PostgreSQL) neither breaks strata's
// bookkeeping nor carries over to the next revision.
func TestSessionChangingRevisions(t *testing.T) {
	ctx := context.Background()
	for _, d := range []dialect.Name{dialect.Postgres, dialect.MySQL} {
		t.Run(string(d), func(t *testing.T) {
			db, other := testdb.New(t, d), testdb.New(t, d)
			change := "USE " + d.Quote(other.Name) + ";\nCREATE TABLE t_elsewhere (id int);"
			if d == dialect.Postgres {
				change = "CREATE SCHEMA elsewhere;\nSET search_path = elsewhere;\nCREATE TABLE t_elsewhere (id int);\nSET ROLE NONE;"
			}
			fsys := fstest.MapFS{
				"aaaa_x.sql": file("aaaa", "", change, "DROP TABLE t_elsewhere;"),
				"bbbb_x.sql": file("bbbb", "aaaa", "CREATE TABLE t_here (id int);", "DROP TABLE t_here;"),
			}
			m, err := versions.Open(ctx, db.DB, d, fsys)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if got := tables(t, db); strings.Join(got, ",") != "t_here" {
				t.Errorf("tables in the migrated database: %v, want t_here", got)
			}
			if rows := current(t, m); len(rows) != 1 || rows[0] != "bbbb" {
				t.Errorf("version rows %v, want bbbb", rows)
			}
		})
	}
}

// TestTerminatedBackend: a backend terminated under a revision is
// reported as the server ending the session, not "driver: bad connection".
func TestTerminatedBackend(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t, dialect.Postgres)
	fsys := fstest.MapFS{"aaaa_x.sql": file("aaaa", "", "CREATE TABLE t_aaaa (id int);\nSELECT pg_sleep(30);", "DROP TABLE t_aaaa;")}
	m, err := versions.Open(ctx, db.DB, dialect.Postgres, fsys)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for i := 0; i < 500; i++ {
			var n int
			db.DB.QueryRow("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()").Scan(&n)
			if n > 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	_, err = m.Upgrade(ctx, "head")
	// The statements go to the server together: the one running when the
	// session ended is not known.
	if err == nil || !strings.Contains(err.Error(), "failed in one of its 2 statements, sent together: "+versions.SessionEnded) {
		t.Fatalf("err = %v", err)
	}
	if got := tables(t, db); len(got) != 0 {
		t.Errorf("tables after the terminated revision: %v", got)
	}
}
