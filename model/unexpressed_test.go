package model_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/model"
)

// TestUnexpressed creates, per dialect, what the vocabulary cannot declare,
// and what it can, and asserts that Unexpressed names exactly the former.
func TestUnexpressed(t *testing.T) {
	cases := map[dialect.Name]struct {
		ddl  []string
		want []string
	}{
		dialect.Postgres: {
			ddl: []string{
				`CREATE SCHEMA other_` + "strata_unexpressed",
				`CREATE TABLE other_strata_unexpressed.ref (id int PRIMARY KEY)`,
				`CREATE TABLE a (id int PRIMARY KEY, at date, n int CHECK (n > 0) NO INHERIT, r int REFERENCES other_strata_unexpressed.ref (id), name text COLLATE "C")`,
				`CREATE INDEX a_at_brin ON a USING brin (at) WITH (pages_per_range = 16)`,
				`CREATE INDEX a_n_idx ON a (n NULLS FIRST)`,
				`CREATE INDEX a_name_idx ON a (name text_pattern_ops DESC)`,
				`COMMENT ON INDEX a_n_idx IS 'hot'`,
				`CREATE TABLE m (id int, at date) PARTITION BY RANGE (at)`,
				`CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY HASH (id)`,
				`CREATE TABLE other_strata_unexpressed.m_2025 PARTITION OF m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')`,
				`CREATE TABLE m_rest PARTITION OF m DEFAULT`,
			},
			want: []string{
				`table "a": check "a_n_check" is NO INHERIT`,
				`table "a": index "a_at_brin" has storage parameters`,
				`table "a": index "a_n_idx" has a comment`,
				`table "a": index "a_n_idx" part 1 has a NULLS FIRST/LAST order other than the default`,
				`table "a": foreign key "a_r_fkey" references other_strata_unexpressed.ref, in another schema`,
				`table "m": partition "m_2024" is partitioned itself`,
				`table "m": partition other_strata_unexpressed.m_2025 is in another schema`,
			},
		},
		dialect.MySQL: {
			ddl: []string{
				"CREATE TABLE a (id int PRIMARY KEY, n int NOT NULL AUTO_INCREMENT, body text, UNIQUE KEY a_n (n), FULLTEXT KEY a_body (body) COMMENT 'search') ENGINE=MyISAM",
				"CREATE TABLE b (id int PRIMARY KEY AUTO_INCREMENT, at datetime DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP) ENGINE=InnoDB",
			},
			want: []string{
				`table "a": has ENGINE=MyISAM, not the server's default`,
				`table "a": column "n" is AUTO_INCREMENT but not the whole primary key`,
				`table "a": index "a_body" has a comment`,
			},
		},
	}
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		tc, ok := cases[db.Dialect]
		if !ok {
			t.Skip("SQLite: the vocabulary declares all Atlas reads")
		}
		if db.Dialect == dialect.Postgres {
			t.Cleanup(func() { db.DB.Exec(`DROP SCHEMA other_strata_unexpressed CASCADE`) })
		}
		for _, stmt := range tc.ddl {
			if _, err := db.DB.Exec(stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		s, err := introspect.Inspect(context.Background(), db.Driver(t), db.DB, db.Dialect, introspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, model.Unexpressed(s, db.Dialect)); diff != "" {
			t.Errorf("Unexpressed (-want +got):\n%s", diff)
		}
	})
}
