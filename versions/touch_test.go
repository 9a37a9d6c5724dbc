package versions

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
)

func TestTouches(t *testing.T) {
	tests := []struct {
		d    dialect.Name
		stmt string
		want []string // "w table users", "r column users.email", ...; nil with ok false
	}{
		{dialect.Postgres, `CREATE TABLE "public"."Orders" (id bigint PRIMARY KEY)`, []string{"w table orders"}},
		{dialect.Postgres, `DROP TABLE IF EXISTS a, b CASCADE`, []string{"w table a", "w table b"}},
		{dialect.Postgres, `ALTER TABLE "users" ADD COLUMN "nickname" varchar(40) NULL`, []string{"w column users.nickname", "r table users"}},
		{dialect.Postgres, `ALTER TABLE users ALTER COLUMN email TYPE text, DROP COLUMN IF EXISTS age`,
			[]string{"w column users.email", "r table users", "w column users.age", "r table users"}},
		{dialect.Postgres, `ALTER TABLE users RENAME COLUMN email TO mail`, []string{"w column users.email", "w column users.mail", "r table users"}},
		{dialect.Postgres, `ALTER TABLE users RENAME TO accounts`, []string{"w table users", "w table accounts", "r table users"}},
		{dialect.Postgres, `ALTER TABLE orders ADD CONSTRAINT orders_user_fkey FOREIGN KEY (user_id) REFERENCES users (id)`,
			[]string{"w constraint orders_user_fkey", "r column orders.user_id", "r table orders"}},
		{dialect.Postgres, `CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON ONLY public.users USING btree (lower(email), "Name" DESC)`,
			[]string{"w index users_email_key", "r table users", "r column users.email", "r column users.name"}},
		{dialect.Postgres, `DROP INDEX CONCURRENTLY IF EXISTS users_email_key`, []string{"w index users_email_key"}},
		{dialect.Postgres, `ALTER INDEX a_idx RENAME TO b_idx`, []string{"w index a_idx", "w index b_idx"}},
		{dialect.Postgres, `COMMENT ON COLUMN users.email IS 'it''s; the mail'`, []string{"w column users.email", "r table users"}},
		{dialect.Postgres, `CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ ALTER TABLE x DROP COLUMN y $$ LANGUAGE sql`, []string{"w function f"}},
		{dialect.Postgres, `CREATE TYPE mood AS ENUM ('a', 'b')`, []string{"w type mood"}},
		{dialect.Postgres, `INSERT INTO audit (what) VALUES ('x')`, []string{"r table audit"}},
		{dialect.Postgres, `UPDATE ONLY users SET email = lower(email)`, []string{"r table users"}},
		{dialect.Postgres, `-- a comment\nSET search_path = x`, []string{}},
		{dialect.Postgres, `DO $$ BEGIN PERFORM 1; END $$`, nil},
		{dialect.MySQL, "ALTER TABLE `users` MODIFY COLUMN `email` varchar(320) NOT NULL, CHANGE `nick` `nickname` text", []string{"w column users.email", "r table users", "w column users.nick", "w column users.nickname", "r table users"}},
		{dialect.MySQL, "ALTER TABLE `users` DROP INDEX `users_email_key`, ADD UNIQUE INDEX `k2` (`email`)",
			[]string{"w index users_email_key", "r table users", "r table users", "w index k2", "r column users.email", "r table users"}},
		{dialect.MySQL, "ALTER TABLE t COMMENT 'x', CHARSET utf8mb4", []string{"r table t", "w option comment of t", "r table t", "r table t", "w option charset of t", "r table t"}},
		{dialect.MySQL, "RENAME TABLE a TO b", []string{"w table a", "w table b"}},
		{dialect.SQLite, `CREATE TABLE "new_users" ("id" integer NOT NULL)`, []string{"w table new_users"}},
		{dialect.SQLite, `INSERT INTO "new_users" ("id") SELECT "id" FROM "users"`, []string{"r table new_users"}},
	}
	for _, tt := range tests {
		t.Run(tt.stmt, func(t *testing.T) {
			got, ok := touches(tt.d, tt.stmt)
			if tt.want == nil {
				if ok {
					t.Fatalf("ok with %v, want unknown", got)
				}
				return
			}
			if !ok {
				t.Fatal("not understood")
			}
			out := []string{}
			for _, tc := range got {
				rw := "r "
				if tc.write {
					rw = "w "
				}
				out = append(out, rw+tc.obj.String())
			}
			if diff := cmp.Diff(tt.want, out); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestConflicts(t *testing.T) {
	rev := func(id, sql string) *Revision {
		return &Revision{ID: id, Path: id + ".sql", Upgrade: Section{SQL: sql, Line: 5}}
	}
	tests := []struct {
		name         string
		mine, theirs string
		want         []string
	}{
		{"different columns of one table", "ALTER TABLE users ADD COLUMN a int;", "ALTER TABLE users ADD COLUMN b int;", nil},
		{"the same column", "ALTER TABLE users ADD COLUMN a int;", "ALTER TABLE users ADD COLUMN a text;", []string{"column users.a"}},
		{"a column and an index on it", "ALTER TABLE users ALTER COLUMN email TYPE text;", "CREATE INDEX e ON users (email);", []string{"column users.email"}},
		{"two indexes on one column", "CREATE INDEX a ON users (email);", "CREATE UNIQUE INDEX b ON users (email);", nil},
		{"a dropped table and a new column in it", "DROP TABLE users;", "ALTER TABLE users ADD COLUMN x int;", []string{"table users"}},
		{"new tables", "CREATE TABLE a (id int);", "CREATE TABLE b (id int);", nil},
		{"the same new table", "CREATE TABLE a (id int);", "CREATE TABLE a (x int);", []string{"table a"}},
		{"rows into a table the other renames", "INSERT INTO t VALUES (1);", "ALTER TABLE t RENAME TO u;", []string{"table t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, err := newFootprint(dialect.Postgres, []*Revision{rev("mine", tt.mine)})
			if err != nil {
				t.Fatal(err)
			}
			ft, err := newFootprint(dialect.Postgres, []*Revision{rev("theirs", tt.theirs)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range conflicts(fm, ft) {
				got = append(got, c.Object)
				if c.Mine != "mine" || c.Theirs != "theirs" {
					t.Errorf("%s: revisions %s, %s", c.Object, c.Mine, c.Theirs)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// A statement strata cannot read is reported with its file and line.
	f, err := newFootprint(dialect.Postgres, []*Revision{rev("r1", "CREATE TABLE a (id int);\nDO $$ BEGIN END $$;")})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.unknown) != 1 || !strings.HasPrefix(f.unknown[0], "r1.sql:6: DO $$") {
		t.Errorf("unknown = %v", f.unknown)
	}
}
