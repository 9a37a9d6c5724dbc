package versions

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/strata-db/strata/dialect"
)

// DefaultTable is the version table's default name.
const DefaultTable = "strata_version"

// table writes the SQL for the version table: one row per applied head.
// Ids are validated ([A-Za-z0-9_]), so statements carry them as literals and
// the live runner and the --sql script run the same text.
type table struct {
	d    dialect.Name
	name string
	// schema, once a run has connected, is the schema (PostgreSQL) or
	// database (MySQL) strata's tables live in, captured before any
	// revision runs: a revision's SET search_path, set_config or USE
	// cannot redirect strata's own statements.
	schema string
}

// ref returns the quoted name of one of strata's tables, qualified with
// the captured schema when there is one.
func (t table) ref(name string) string {
	if t.schema == "" {
		return t.d.Quote(name)
	}
	return t.d.Quote(t.schema) + "." + t.d.Quote(name)
}

// named returns t's description of another of strata's tables.
func (t table) named(name string) table {
	return table{d: t.d, name: name, schema: t.schema}
}

func (t table) create() string {
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s varchar(32) NOT NULL, CONSTRAINT %s PRIMARY KEY (%s))",
		t.ref(t.name), t.d.Quote("version_num"), t.d.Quote(t.name+"_pkc"), t.d.Quote("version_num"))
}

func (t table) insert(id string) string {
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", t.ref(t.name), t.d.Quote("version_num"), t.d.Literal(id))
}

func (t table) update(from, to string) string {
	return fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s = %s", t.ref(t.name), t.d.Quote("version_num"), t.d.Literal(to), t.d.Quote("version_num"), t.d.Literal(from))
}

func (t table) delete(id string) string {
	return fmt.Sprintf("DELETE FROM %s WHERE %s = %s", t.ref(t.name), t.d.Quote("version_num"), t.d.Literal(id))
}

func (t table) deleteAll() string {
	return "DELETE FROM " + t.ref(t.name)
}

// exists reports whether the version table exists in the current schema.
func (t table) exists(ctx context.Context, db querier) (bool, error) {
	var q string
	args := []any{t.name, t.schema}
	switch t.d {
	case dialect.Postgres:
		// The catalog, not information_schema: a new connection's first
		// query on information_schema's views takes ~10 ms of cache loading.
		q = "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = COALESCE(NULLIF($2, ''), current_schema()) AND c.relname = $1 AND c.relkind IN ('r', 'p')"
	case dialect.MySQL:
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = COALESCE(NULLIF(?, ''), DATABASE()) AND table_name = ?"
		args = []any{t.schema, t.name}
	default:
		q = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
		args = args[:1]
	}
	var n int
	if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return false, fmt.Errorf("look for version table %s: %w", t.name, err)
	}
	return n > 0, nil
}

// rows returns the ids in the version table, sorted; none if it does not exist.
func (t table) rows(ctx context.Context, db querier) ([]string, error) {
	ok, err := t.exists(ctx, db)
	if err != nil || !ok {
		return nil, err
	}
	rs, err := db.QueryContext(ctx, "SELECT "+t.d.Quote("version_num")+" FROM "+t.ref(t.name))
	if err != nil {
		return nil, fmt.Errorf("read version table %s: %w", t.name, err)
	}
	defer rs.Close()
	out := []string{}
	for rs.Next() {
		var id string
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	sort.Strings(out)
	return out, rs.Err()
}

// querier is what the version table needs of *sql.DB, *sql.Conn and *sql.Tx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Step is one revision applied or reverted, with the version-table
// statements that record it.
type Step struct {
	Revision *Revision
	Up       bool
	// Version holds the version-table statements of the step.
	Version []string
	// books is the version table the step was planned for, whose
	// revisions table stores the revision's file (up) or forgets it
	// (down); zero for a step that stores nothing.
	books table
	// from and to are the version rows the step turns one into the other
	// ("" for none); when Version is one statement it does just that (an
	// UPDATE, an INSERT or a DELETE), so that a run of such steps can be
	// recorded as one statement (foldVersions).
	from, to string
}

// bookkeeping returns the statements that commit with the step: the
// version table's and the stored file's. The stored file's statement,
// as long as the file, is written here, when the step's statements have
// run, not when the step is planned: a revision of 1,000 tables spent
// 20 ms on it before its first statement could go.
func (s Step) bookkeeping() []string {
	return append(append(make([]string, 0, len(s.Version)+1), s.Version...), s.stored()...)
}

// stored returns the statements that store the step's revision file or
// forget it.
func (s Step) stored() []string {
	if s.books.d == "" {
		return nil
	}
	return s.books.store(s.Revision, s.Up)
}

// foldVersions returns the version-table statements of steps run one after
// another in one transaction: those of a stretch of steps each moving the
// row the one before it wrote (a linear chain, up or down) become one
// statement moving the row from where the stretch found it to where it
// leaves it. 500 linear revisions take one UPDATE instead of 500.
func (t table) foldVersions(steps []Step) []string {
	var out []string
	open := false // out's last statement is a fold of moves ending at at
	var from, at string
	for _, st := range steps {
		if open && len(st.Version) == 1 && st.from != "" && st.from == at {
			// A run goes one way: up, every step leaves a row (to is
			// set); down, every step starts from one (from is set), so
			// a fold is never a row inserted and deleted again.
			at = st.to
			out[len(out)-1] = t.move(from, at)
			continue
		}
		out = append(out, st.Version...)
		open, from, at = len(st.Version) == 1, st.from, st.to
	}
	return out
}

// move is the statement turning version row from into to, one of them ""
// for none.
func (t table) move(from, to string) string {
	switch {
	case from == "":
		return t.insert(to)
	case to == "":
		return t.delete(from)
	}
	return t.update(from, to)
}

// direction is the history table's name for the step's direction.
func (s Step) direction() string {
	if s.Up {
		return DirUpgrade
	}
	return DirDowngrade
}

// Section returns the SQL the step runs.
func (s Step) Section() Section {
	if s.Up {
		return s.Revision.Upgrade
	}
	return s.Revision.Downgrade
}

// plan orders the revisions of change (ancestors first when up, descendants
// first when down) and works out each step's version-table statements with
// Alembic's semantics: a new branch inserts a row, a linear step updates it,
// crossing a merge deletes all parents' rows but one and updates that one,
// and going down through a merge or branch point does the reverse.
func (g *Graph) plan(t table, applied, change set, up bool) []Step {
	cur := append(set(nil), applied...)
	order := g.topo()
	var steps []Step
	visit := func(r *Revision) {
		var stmts []string
		var from, to string
		if up {
			var was []string // parents that were rows
			for _, p := range r.parents {
				if isHead(cur, p) {
					was = append(was, p.ID)
				}
			}
			cur[r.index] = true
			to = r.ID
			if len(was) == 0 {
				stmts = append(stmts, t.insert(r.ID))
			} else {
				from = was[0]
				for _, p := range was[1:] {
					stmts = append(stmts, t.delete(p))
				}
				stmts = append(stmts, t.update(was[0], r.ID))
			}
		} else {
			cur[r.index] = false
			var now []string // parents that become rows
			for _, p := range r.parents {
				if cur.has(p) && isHead(cur, p) {
					now = append(now, p.ID)
				}
			}
			from = r.ID
			if len(now) == 0 {
				stmts = append(stmts, t.delete(r.ID))
			} else {
				to = now[0]
				stmts = append(stmts, t.update(r.ID, now[0]))
				for _, p := range now[1:] {
					stmts = append(stmts, t.insert(p))
				}
			}
		}
		steps = append(steps, Step{Revision: r, Up: up, Version: stmts, books: t, from: from, to: to})
	}
	if up {
		for _, r := range order {
			if change.has(r) {
				visit(r)
			}
		}
	} else {
		for i := len(order) - 1; i >= 0; i-- {
			if change.has(order[i]) {
				visit(order[i])
			}
		}
	}
	return steps
}

// isHead reports whether r is applied and no applied revision revises it.
func isHead(applied set, r *Revision) bool {
	if !applied.has(r) {
		return false
	}
	for _, c := range r.children {
		if applied.has(c) {
			return false
		}
	}
	return true
}
