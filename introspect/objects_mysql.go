package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/strata-db/strata/dialect"
)

// myObjects reads the views, triggers, routines, events and (MariaDB)
// sequences of the connected database with SHOW CREATE, verbatim: the
// DEFINER, ALGORITHM and SQL SECURITY clauses stay, as the same user can
// replay them (another user needs the SET USER or SUPER privilege).
func myObjects(ctx context.Context, db *sql.DB) ([]Object, error) {
	type named struct{ kind, name, table string }
	var list []named
	lists := []struct {
		kind, query string
	}{
		{"sequence", `SELECT table_name, '' FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'SEQUENCE' ORDER BY table_name`},
		{"function", `SELECT routine_name, '' FROM information_schema.routines WHERE routine_schema = DATABASE() AND routine_type = 'FUNCTION' ORDER BY routine_name`},
		{"procedure", `SELECT routine_name, '' FROM information_schema.routines WHERE routine_schema = DATABASE() AND routine_type = 'PROCEDURE' ORDER BY routine_name`},
		{"view", `SELECT table_name, '' FROM information_schema.views WHERE table_schema = DATABASE() ORDER BY table_name`},
		// In the order the server fires them, which creating them in
		// this order keeps (SHOW CREATE TRIGGER omits FOLLOWS/PRECEDES).
		{"trigger", `SELECT trigger_name, event_object_table FROM information_schema.triggers WHERE trigger_schema = DATABASE()
ORDER BY event_object_table, event_manipulation, action_timing, action_order`},
		{"event", `SELECT event_name, '' FROM information_schema.events WHERE event_schema = DATABASE() ORDER BY event_name`},
	}
	for _, l := range lists {
		err := queryRows(ctx, db, l.query, func(rows *sql.Rows) error {
			var n named
			n.kind = l.kind
			err := rows.Scan(&n.name, &n.table)
			list = append(list, n)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("%ss: %w", l.kind, err)
		}
	}
	q := dialect.MySQL.Quote
	var objs []Object
	for i, n := range list {
		def, err := myShowCreate(ctx, db, n.kind, n.name)
		if err != nil {
			return nil, err
		}
		drop := "DROP " + strings.ToUpper(n.kind) + " " + q(n.name)
		x := Object{Kind: n.kind, Name: n.name, Table: n.table, Create: []string{def}, Drop: []string{drop}, key: n.kind + ":" + n.name}
		switch n.kind {
		case "sequence":
			x.rank = 0
		case "function", "procedure":
			x.rank = 1
		case "view":
			x.AfterTables, x.rank = true, 2
		case "trigger":
			// Keep the firing order among a table's triggers.
			x.AfterTables, x.rank = true, 3+i
		case "event":
			x.AfterTables, x.rank = true, 3+len(list)
		}
		objs = append(objs, x)
	}
	myViewDependencies(objs)
	return objs, nil
}

// myShowCreate returns the server's CREATE statement for an object.
func myShowCreate(ctx context.Context, db *sql.DB, kind, name string) (string, error) {
	rows, err := db.QueryContext(ctx, "SHOW CREATE "+strings.ToUpper(kind)+" "+dialect.MySQL.Quote(name))
	if err != nil {
		return "", fmt.Errorf("show create %s %s: %w", kind, name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	want := map[string]string{"view": "Create View", "sequence": "Create Table", "function": "Create Function",
		"procedure": "Create Procedure", "trigger": "SQL Original Statement", "event": "Create Event"}[kind]
	at := -1
	for i, c := range cols {
		if strings.EqualFold(c, want) {
			at = i
		}
	}
	if at == -1 || !rows.Next() {
		return "", fmt.Errorf("show create %s %s: no %q column (is the user allowed to see its definition?)", kind, name, want)
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return "", err
	}
	if !vals[at].Valid {
		return "", fmt.Errorf("show create %s %s: the definition is hidden from this user (it needs SHOW_ROUTINE or the object's definer)", kind, name)
	}
	return strings.TrimSuffix(strings.TrimSpace(vals[at].String), ";"), rows.Err()
}

// myViewDependencies orders views after the views (and functions) their
// definitions name: the server stores a view's query with every name
// quoted, so a quoted name is a reference (or, rarely, an alias equal to
// a view's name, which only adds an order constraint).
func myViewDependencies(objs []Object) {
	for i := range objs {
		if objs[i].Kind != "view" {
			continue
		}
		def := objs[i].Create[0]
		if at := strings.Index(strings.ToLower(def), " as "); at != -1 {
			def = def[at:] // past the view's own name
		}
		for _, o := range objs {
			if (o.Kind == "view" || o.Kind == "function") && o.key != objs[i].key && strings.Contains(def, dialect.MySQL.Quote(o.Name)) {
				objs[i].deps = append(objs[i].deps, o.key)
			}
		}
	}
}
