package introspect_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
)

// objectSchemas are, per dialect, a schema's objects that need nothing
// (before), its tables, and its objects that need the tables (after);
// want lists Objects' answer, in order, as "kind name [on table]".
var objectSchemas = map[dialect.Name]struct {
	before, tables, after string
	want                  []string
}{
	dialect.Postgres: {
		before: `
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE DOMAIN email_address AS citext CONSTRAINT email_at CHECK (VALUE ~ '@');
CREATE DOMAIN positive AS integer NOT NULL DEFAULT 1 CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TYPE money_pair AS (amount numeric(12,2), currency text COLLATE "C");
CREATE TYPE float_range AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE SEQUENCE order_no_seq AS bigint INCREMENT BY 5 START WITH 100 CACHE 1;
CREATE SEQUENCE ticket_seq;
CREATE FUNCTION valid_code(c text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT length(c) > 2 $$;
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.active := true; -- a comment; with a semicolon
  RETURN NEW;
END
$$;
CREATE PROCEDURE touch(n integer) LANGUAGE plpgsql AS $$ BEGIN PERFORM n; END $$;
CREATE AGGREGATE text_concat(text) (sfunc = textcat, stype = text, initcond = '');
CREATE FUNCTION log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;`,
		tables: `
CREATE TABLE users (id bigint PRIMARY KEY, email email_address NOT NULL, mood mood, score positive, name text COLLATE ci, active boolean NOT NULL DEFAULT true);
CREATE TABLE orders (id bigint PRIMARY KEY DEFAULT nextval('order_no_seq'), user_id bigint REFERENCES users (id), code text CHECK (valid_code(code)), total numeric(12,2), pair money_pair, span float_range);
CREATE TABLE tickets (id serial PRIMARY KEY, no integer, seq bigint GENERATED ALWAYS AS IDENTITY);`,
		after: `
ALTER SEQUENCE ticket_seq OWNED BY tickets.no;
CREATE FUNCTION order_count(u users) RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM orders WHERE user_id = u.id; END;
CREATE VIEW active_users AS SELECT id, email FROM users WHERE active;
CREATE VIEW active_emails AS SELECT email FROM active_users;
CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id WITH NO DATA;
CREATE UNIQUE INDEX order_totals_user ON order_totals (user_id);
CREATE TRIGGER users_audit BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION audit();
CREATE RULE orders_no_delete AS ON DELETE TO orders DO INSTEAD NOTHING;
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_orders ON orders FOR SELECT TO PUBLIC USING (user_id > 0);
CREATE STATISTICS orders_stats (dependencies) ON user_id, total FROM orders;
CREATE EVENT TRIGGER log_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION log_ddl();`,
		want: []string{
			"extension citext", "collation ci", "domain email_address", "domain positive", "range type float_range", "type money_pair",
			"sequence order_no_seq", "sequence ticket_seq", "function audit()", "function log_ddl()", "function valid_code(c text)",
			"procedure touch(IN n integer)", "aggregate text_concat(text)",
			"function order_count(u users)", "materialized view order_totals", "view active_users", "view active_emails",
			"sequence owner ticket_seq on tickets", "row level security orders on orders", "rule orders_no_delete on orders",
			"trigger users_audit on users", "policy own_orders on orders", "statistics orders_stats on orders", "event trigger log_ddl",
		},
	},
	dialect.MySQL: {
		before: `
CREATE SEQUENCE ticket_seq START WITH 100 INCREMENT BY 5;
CREATE FUNCTION valid_code(c varchar(20)) RETURNS boolean DETERMINISTIC RETURN char_length(c) > 2;
CREATE PROCEDURE log_note(IN n varchar(200))
BEGIN
  IF n <> '' THEN
    INSERT INTO audit_log (note) VALUES (n); -- ; in a comment
  END IF;
END;`,
		tables: `
CREATE TABLE users (id bigint PRIMARY KEY, email varchar(200) NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE TABLE audit_log (id bigint AUTO_INCREMENT PRIMARY KEY, note varchar(200), ticket bigint DEFAULT nextval(ticket_seq));`,
		after: `
CREATE VIEW active_users AS SELECT id, email FROM users WHERE active AND valid_code(email);
CREATE VIEW active_emails AS SELECT email FROM active_users;
CREATE TRIGGER users_audit BEFORE INSERT ON users FOR EACH ROW
BEGIN
  IF NEW.email = '' THEN
    SET NEW.active = false;
  END IF;
  CALL log_note(NEW.email);
END;
CREATE TRIGGER users_lower BEFORE INSERT ON users FOR EACH ROW SET NEW.email = lower(NEW.email);
CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit_log;`,
		want: []string{
			"sequence ticket_seq", "function valid_code", "procedure log_note",
			"view active_users", "view active_emails", "trigger users_audit on users", "trigger users_lower on users", "event purge_audit",
		},
	},
	dialect.SQLite: {
		tables: `
CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL, active integer NOT NULL DEFAULT 1);
CREATE TABLE audit_log (id integer PRIMARY KEY, note text);`,
		after: `
CREATE VIEW active_users AS SELECT id, email FROM users WHERE active;
CREATE VIEW active_emails AS SELECT email FROM active_users;
CREATE TRIGGER users_audit AFTER INSERT ON users
BEGIN
  INSERT INTO audit_log (note) VALUES (CASE WHEN NEW.email = '' THEN 'empty; email' ELSE NEW.email END);
END;
CREATE TRIGGER active_insert INSTEAD OF INSERT ON active_users BEGIN INSERT INTO users (id, email) VALUES (NEW.id, NEW.email); END;`,
		want: []string{"view active_users", "view active_emails", "trigger users_audit on users", "trigger active_insert on active_users"},
	},
}

// TestObjectsReplay creates every kind of object, lists them, drops them
// all with their Drop statements, creates them again from their Create
// statements in the listed order on the emptied database, and lists them
// again: the same objects, the same definitions.
func TestObjectsReplay(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		sc := objectSchemas[db.Dialect]
		run(t, db, sc.before+sc.tables+sc.after)
		objs, err := introspect.Objects(ctx, db.DB, db.Dialect, introspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sc.want, describe(objs)); diff != "" {
			t.Fatalf("Objects (-want +got):\n%s", diff)
		}
		for _, x := range objs {
			if len(x.Create) == 0 || len(x.Drop) == 0 {
				t.Errorf("%s %s: no Create or Drop statements", x.Kind, x.Name)
			}
		}

		// What uses users, directly or through a view: PostgreSQL's catalogs tell.
		want := map[dialect.Name][]string{dialect.Postgres: {"function order_count(u users)", "view active_users", "view active_emails"}}[db.Dialect]
		if diff := cmp.Diff(want, describe(introspect.Dependents(objs, []string{"users"})), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Dependents(users) (-want +got):\n%s", diff)
		}

		// Drop: the objects after the tables, the tables, the others.
		var after, before []introspect.Object
		for _, x := range objs {
			if x.AfterTables {
				after = append(after, x)
			} else {
				before = append(before, x)
			}
		}
		if db.Dialect == dialect.Postgres {
			base, err := introspect.BaselineObjects(ctx, db.DB, db.Dialect, introspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if i := slices.IndexFunc(base, func(x introspect.Object) bool { return x.Kind == "enum type" }); i == -1 ||
				!base[i].Managed || base[i].Create[0] != "CREATE TYPE mood AS ENUM ('sad', 'happy')" || base[i].AfterTables {
				t.Fatalf("BaselineObjects lacks the enum type mood before the tables: %v", describe(base))
			}
			before = slices.DeleteFunc(base, func(x introspect.Object) bool { return x.AfterTables })
		}
		for _, x := range slices.Backward(after) {
			run(t, db, strings.Join(x.Drop, ";\n"))
		}
		for _, n := range []string{"orders", "tickets", "audit_log", "users"} {
			run(t, db, "DROP TABLE IF EXISTS "+n)
		}
		for _, x := range slices.Backward(before) {
			run(t, db, strings.Join(x.Drop, ";\n"))
		}
		if left, err := introspect.BaselineObjects(ctx, db.DB, db.Dialect, introspect.Options{}); err != nil || len(left) > 0 {
			t.Fatalf("after dropping everything: %v, %v", describe(left), err)
		}

		// Replay from the definitions alone.
		for _, x := range before {
			for _, s := range x.Create {
				run(t, db, s)
			}
		}
		run(t, db, sc.tables)
		for _, x := range after {
			for _, s := range x.Create {
				run(t, db, s)
			}
		}
		again, err := introspect.Objects(ctx, db.DB, db.Dialect, introspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(objs, again, cmpopts.IgnoreUnexported(introspect.Object{})); diff != "" {
			t.Errorf("replayed objects differ (-first +replayed):\n%s", diff)
		}
	})
}

// TestObjectsSelection: objects on a table (or a view) follow the
// include and exclude patterns; free-standing ones are always listed.
func TestObjectsSelection(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		sc := objectSchemas[db.Dialect]
		run(t, db, sc.before+sc.tables+sc.after)
		objs, err := introspect.Objects(ctx, db.DB, db.Dialect, introspect.Options{Exclude: []string{"users", "active_users"}})
		if err != nil {
			t.Fatal(err)
		}
		want := slices.DeleteFunc(slices.Clone(sc.want), func(s string) bool {
			return strings.HasSuffix(s, " on users") || strings.HasSuffix(s, " on active_users") || s == "view active_users"
		})
		if diff := cmp.Diff(want, describe(objs)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestUnmanagedWarning(t *testing.T) {
	objs := []introspect.Object{
		{Kind: "view", Name: "active_users"},
		{Kind: "trigger", Name: "users_audit", Table: "users"},
		{Kind: "enum type", Name: "mood", Managed: true},
		{Kind: "sequence owner", Name: "s", Table: "t", Part: true},
		{Kind: "row level security", Name: "orders", Table: "orders"},
		{Kind: "function", Name: "audit()"},
	}
	got := introspect.UnmanagedWarning(objs)
	want := "not managed by strata (left untouched): view active_users, trigger users_audit on users, row level security orders, function audit()"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := introspect.UnmanagedWarning(objs[2:4]); got != "" {
		t.Errorf("only managed and part objects: got %q, want no warning", got)
	}
}

func describe(objs []introspect.Object) []string {
	out := []string{}
	for _, x := range objs {
		s := x.Kind + " " + x.Name
		if x.Table != "" {
			s += " on " + x.Table
		}
		out = append(out, s)
	}
	return out
}

// run executes a script statement by statement, split as strata splits
// revisions, on one connection; on PostgreSQL without checking function
// bodies, so functions come first whatever tables their SQL bodies name.
func run(t *testing.T, db *testdb.DB, script string) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if db.Dialect == dialect.Postgres {
		if _, err := conn.ExecContext(ctx, "SET check_function_bodies = false"); err != nil {
			t.Fatal(err)
		}
	}
	stmts, err := db.Dialect.Split(script)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s.Text); err != nil {
			t.Fatalf("%s: %v", s.Text, err)
		}
	}
}
