package introspect

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/strata-db/strata/dialect"
)

// Object is a schema object strata's tag vocabulary does not declare (a
// view, trigger, function, extension, ...), or a PostgreSQL enum type for
// a baseline. It carries the server's own definition.
type Object struct {
	// Kind names the kind of object: "view", "materialized view",
	// "trigger", "function", "procedure", "aggregate", "extension",
	// "domain", "sequence", "type", "rule", "policy", "row level security",
	// "event trigger", "event", "statistics", "collation", "enum type", ...
	Kind string
	// Name is the object's name as warnings show it; a function's carries
	// its argument types, e.g. add(integer, integer).
	Name string
	// Table is the table (or view) a trigger, rule, policy or sequence
	// ownership belongs to; "" for a free-standing object.
	Table string
	// Create holds the statements that create the object, verbatim as the
	// server prints them where it does, without a final semicolon. Empty
	// when strata cannot write the definition (Why says what it is).
	Create []string
	// Drop holds the statements that drop it again.
	Drop []string
	// AfterTables marks an object created after the tables because it
	// needs them (a view, a trigger, a sequence's OWNED BY); the others
	// come before the tables, which may need them (a domain column type,
	// a sequence or a function in a default).
	AfterTables bool
	// Part marks an object that completes another one (a sequence's OWNED
	// BY) and is not named in warnings of its own.
	Part bool
	// Managed marks a kind the tag vocabulary declares (PostgreSQL enum
	// types); only BaselineObjects lists it.
	Managed bool

	key    string   // catalog identity, for the dependency order
	deps   []string // keys of the objects (or "tables") this one needs
	tables []string // the tables it needs (PostgreSQL)
	rank   int      // order among objects whose dependencies allow either
}

// Objects lists the objects of the connected schema that strata does not
// manage, in an order in which their Create statements run: the objects
// with AfterTables false first, then (after the tables) the rest. A
// trigger, rule, policy or sequence ownership is listed when o selects its
// table; a view or materialized view when o selects its name; the other
// objects always (they belong to no table).
func Objects(ctx context.Context, db *sql.DB, d dialect.Name, o Options) ([]Object, error) {
	all, err := listObjects(ctx, db, d, o)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(x Object) bool { return x.Managed }), nil
}

// BaselineObjects is Objects with the managed objects a baseline creates
// itself because the table plan does not: PostgreSQL enum types, before
// the domains and types that may use them.
func BaselineObjects(ctx context.Context, db *sql.DB, d dialect.Name, o Options) ([]Object, error) {
	return listObjects(ctx, db, d, o)
}

func listObjects(ctx context.Context, db *sql.DB, d dialect.Name, o Options) ([]Object, error) {
	var (
		objs []Object
		err  error
	)
	switch d {
	case dialect.Postgres:
		objs, err = pgObjects(ctx, db)
	case dialect.MySQL:
		objs, err = myObjects(ctx, db)
	case dialect.SQLite:
		objs, err = sqliteObjects(ctx, db)
	default:
		return nil, fmt.Errorf("unknown dialect %q", d)
	}
	if err != nil {
		return nil, fmt.Errorf("list schema objects: %w", err)
	}
	var kept []Object
	for _, x := range objs {
		name := x.Table
		if name == "" && (x.Kind == "view" || x.Kind == "materialized view") {
			name = x.Name
		}
		if name != "" {
			ok, err := o.Match(name)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		kept = append(kept, x)
	}
	return order(kept), nil
}

// tablesKey is the dependency key standing for every table: an object
// that needs a table comes after them.
const tablesKey = "tables"

// order sorts objects so each comes after what it needs: the objects
// needing no table first, then the others, each part in dependency order,
// ties broken by rank, kind and name. A dependency cycle (which the
// server itself would not allow) falls back to that order.
func order(objs []Object) []Object {
	byKey := map[string]int{}
	for i, x := range objs {
		if x.key != "" {
			byKey[x.key] = i
		}
	}
	// An object needing one created after the tables comes after them too.
	for changed := true; changed; {
		changed = false
		for i := range objs {
			if objs[i].AfterTables {
				continue
			}
			for _, k := range objs[i].deps {
				if j, ok := byKey[k]; k == tablesKey || ok && objs[j].AfterTables {
					objs[i].AfterTables, changed = true, true
					break
				}
			}
		}
	}
	less := func(a, b *Object) int {
		if a.AfterTables != b.AfterTables {
			if a.AfterTables {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Table, b.Table), cmp.Compare(a.Name, b.Name))
	}
	idx := make([]int, len(objs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return less(&objs[a], &objs[b]) })
	out := make([]Object, 0, len(objs))
	done := make([]bool, len(objs))
	// Kahn's algorithm, always taking the first ready object in sort order.
	for len(out) < len(objs) {
		picked := -1
		for _, i := range idx {
			if done[i] {
				continue
			}
			ready := true
			for _, k := range objs[i].deps {
				if j, ok := byKey[k]; ok && j != i && !done[j] {
					ready = false
					break
				}
			}
			if ready {
				picked = i
				break
			}
		}
		if picked == -1 { // a cycle: take the first left
			for _, i := range idx {
				if !done[i] {
					picked = i
					break
				}
			}
		}
		done[picked] = true
		out = append(out, objs[picked])
	}
	return out
}

// Dependents returns the objects of objs (as Objects lists them, in
// that order) that use one of tables, directly or through other objects
// of objs: what must go before a column of those tables changes type and
// come back after (PostgreSQL refuses to change a column a view, rule or
// policy uses). Only PostgreSQL's catalogs tell; elsewhere it returns none.
func Dependents(objs []Object, tables []string) []Object {
	byKey := map[string]int{}
	for i, x := range objs {
		if x.key != "" {
			byKey[x.key] = i
		}
	}
	hit := make([]bool, len(objs))
	for changed := true; changed; {
		changed = false
		for i, x := range objs {
			if hit[i] {
				continue
			}
			uses := slices.ContainsFunc(x.tables, func(t string) bool { return slices.Contains(tables, t) })
			for _, k := range x.deps {
				if j, ok := byKey[k]; ok && hit[j] {
					uses = true
				}
			}
			if uses {
				hit[i], changed = true, true
			}
		}
	}
	var out []Object
	for i, x := range objs {
		if hit[i] {
			out = append(out, x)
		}
	}
	return out
}

// UnmanagedWarning is the one-line warning naming the objects strata does
// not manage, by kind and name, or "" when there are none: the same line
// for diff, check and models --from-db.
func UnmanagedWarning(objs []Object) string {
	var names []string
	for _, x := range objs {
		if x.Managed || x.Part {
			continue
		}
		n := x.Kind + " " + x.Name
		if x.Table != "" && x.Kind != "row level security" {
			n += " on " + x.Table
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return ""
	}
	return "not managed by strata (left untouched): " + strings.Join(names, ", ")
}

// queryRows runs q and calls scan for each row.
func queryRows(ctx context.Context, db *sql.DB, q string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
