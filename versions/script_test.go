package versions_test

import (
	"bytes"
	"context"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/versions"
)

// scriptFS is the diamond with statements that stress the splitter:
// quoted semicolons, comments, and (PostgreSQL) a dollar-quoted body.
func scriptFS(d dialect.Name) fstest.MapFS {
	fs := diamondFS()
	up := "-- a comment; with a semicolon\nCREATE TABLE t_quotes (id int, note varchar(20) DEFAULT 'a;b');\nINSERT INTO t_quotes (id) VALUES (1);"
	if d == dialect.Postgres {
		up += "\nCREATE FUNCTION f_semi() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;"
	}
	fs["bbbb_x.sql"] = file("bbbb", "aaaa", up, "DROP TABLE t_quotes;")
	if d == dialect.Postgres {
		fs["bbbb_x.sql"] = file("bbbb", "aaaa", up, "DROP FUNCTION f_semi();\nDROP TABLE t_quotes;")
	}
	return fs
}

// TestScriptMatchesUpgrade feeds the --sql script to the dialect's own
// client and checks it leaves the same schema and version table as the
// runner does.
func TestScriptMatchesUpgrade(t *testing.T) {
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			fs := scriptFS(d)
			g, err := versions.Load(fs)
			if err != nil {
				t.Fatal(err)
			}
			live, viaClient := testdb.New(t, d), testdb.New(t, d)
			m, err := versions.NewMigrator(live.DB, d, g)
			if err != nil {
				t.Fatal(err)
			}
			mc, err := versions.NewMigrator(viaClient.DB, d, g)
			if err != nil {
				t.Fatal(err)
			}
			run := func(from, to string, up bool) {
				t.Helper()
				var script bytes.Buffer
				if err := versions.Script(&script, g, d, versions.DefaultTable, from, to, up); err != nil {
					t.Fatal(err)
				}
				cmd := viaClient.Client(t)
				cmd.Stdin = &script
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s: %v\n%s\nscript:\n%s", cmd.Path, err, out, script.String())
				}
			}
			compare := func() {
				t.Helper()
				testdb.SameSchema(t, live, viaClient)
				if diff := cmp.Diff(current(t, m), current(t, mc)); diff != "" {
					t.Errorf("version rows (-live +client):\n%s", diff)
				}
			}
			if _, err := m.Upgrade(ctx, "bbbb"); err != nil {
				t.Fatal(err)
			}
			run("", "bbbb", true)
			compare()
			if _, err := m.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			run("bbbb", "head", true)
			compare()
			if _, err := m.Downgrade(ctx, "aaaa"); err != nil {
				t.Fatal(err)
			}
			run("mmmm", "aaaa", false)
			compare()
			if rows := current(t, m); len(rows) != 1 || rows[0] != "aaaa" {
				t.Errorf("after downgrade: %v", rows)
			}
		})
	}
}
