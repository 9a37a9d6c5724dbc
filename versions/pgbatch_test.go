package versions_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/versions"
)

// TestPostgresRuns: on PostgreSQL consecutive revisions go to the server
// several to a round trip, each its own transaction with its version-table
// and history rows, and each logged with its own duration; when one fails
// the ones before it stay applied, it is rolled back and named as if sent
// alone, and the ones after it are not run.
func TestPostgresRuns(t *testing.T) {
	db := testdb.New(t, dialect.Postgres)
	ctx := context.Background()
	conn, rec := recording(t, db)
	var logged []string
	log := versions.WithLog(func(ev versions.Event) {
		logged = append(logged, fmt.Sprintf("%d/%d %s", ev.Index, ev.Total, ev.Step.Revision.ID))
	})
	m, err := versions.Open(ctx, conn, db.Dialect, chainOf("CREATE TABLE t_a (id int);", "CREATE TABLE t_b (id int);\nINSERT INTO t_b VALUES (1);", "CREATE TABLE t_c (id int);"), log)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if got := sentWith(rec.sent(), []string{"CREATE TABLE t_a (id int)", "CREATE TABLE t_b (id int)", "INSERT INTO t_b VALUES (1)", "CREATE TABLE t_c (id int)"}); len(got) != 1 || strings.Count(got[0], "COMMIT") != 3 {
		t.Errorf("the three revisions were not one round trip of three transactions:\n%s", strings.Join(rec.sent(), "\n----\n"))
	}
	if diff := cmp.Diff([]string{"1/3 g001", "2/3 g002", "3/3 g003"}, logged); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"upgrade g001 done 1/1", "upgrade g002 done 2/2", "upgrade g003 done 1/1"}, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}

	// g005 fails: g004 stays applied, g005 is rolled back, g006 never runs.
	logged = nil
	m, err = versions.Open(ctx, conn, db.Dialect, chainOf("CREATE TABLE t_a (id int);", "CREATE TABLE t_b (id int);\nINSERT INTO t_b VALUES (1);", "CREATE TABLE t_c (id int);",
		"CREATE TABLE t_d (id int);", "CREATE TABLE t_e (id int);\nINSERT INTO t_e VALUES ('x');", "CREATE TABLE t_f (id int);"), log)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Upgrade(ctx, "head")
	var se *versions.StmtError
	if !errors.As(err, &se) || se.Step.Revision.ID != "g005" || se.Index != 1 || !se.RolledBack {
		t.Fatalf("upgrade: %v; want statement 2 of g005 failing, rolled back", err)
	}
	if diff := cmp.Diff([]string{"1/3 g004"}, logged); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"g004"}, current(t, m)); diff != "" {
		t.Errorf("version rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"t_a", "t_b", "t_c", "t_d"}, tables(t, db)); diff != "" {
		t.Errorf("tables (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"upgrade g001 done 1/1", "upgrade g002 done 2/2", "upgrade g003 done 1/1", "upgrade g004 done 1/1"}, historyRows(t, m)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}
