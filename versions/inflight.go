package versions

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/strata-db/strata/dialect"
)

// A statement of a revision run outside a transaction commits on its own:
// if strata dies while it runs, the server may finish it, or not. So
// before sending such a statement the runner records in the history row
// that it started, and on which connection. A rerun that finds that mark
// waits while the connection still runs the statement, then asks the
// catalog whether it took effect (a table, column or index there or
// gone); when the catalog cannot tell, it stops and names the statement
// for strata resolve. No statement runs twice blindly.

// startedMark is the suffix of a running row's stmt_sums naming the
// statement (1-based) sent, or the statements sent together (a group, see
// group.go), and the connection (MySQL connection id, PostgreSQL backend
// pid) running them: ";started:3@41" or ";started:3-9@41"; a group sent
// in lanes (see lanes.go) names the second connection too:
// ";started:3-9@41+42".
const startedMark = ";started:"

// startedSums is the chain value recording that statements stmt to last
// (1-based) were sent on connection conn.
func startedSums(chain string, stmt, last int, conn int64) string {
	if last <= stmt {
		return fmt.Sprintf("%s%s%s%d@%d", chainPrefix, chain, startedMark, stmt, conn)
	}
	return fmt.Sprintf("%s%s%s%d-%d@%d", chainPrefix, chain, startedMark, stmt, last, conn)
}

// startedLanes is startedSums for a group sent in lanes, on connections
// conn and lane.
func startedLanes(chain string, stmt, last int, conn, lane int64) string {
	return fmt.Sprintf("%s+%d", startedSums(chain, stmt, last, conn), lane)
}

// parseStarted splits a chain value into the chain and the started mark.
func parseStarted(v string) (chain string, stmt, last int, conn, lane int64) {
	chain, mark, ok := strings.Cut(v, startedMark)
	if !ok {
		return chain, 0, 0, 0, 0
	}
	span, c, _ := strings.Cut(mark, "@")
	first, to, ranged := strings.Cut(span, "-")
	stmt, _ = strconv.Atoi(first)
	last = stmt
	if ranged {
		last, _ = strconv.Atoi(to)
	}
	c, l, _ := strings.Cut(c, "+")
	conn, _ = strconv.ParseInt(c, 10, 64)
	lane, _ = strconv.ParseInt(l, 10, 64)
	return chain, stmt, last, conn, lane
}

// UnknownOutcomeError: a statement was running outside a transaction when
// strata stopped, and nothing the server keeps says whether it took effect.
// For statements sent together (First < Last), the catalog could not tell
// which of them did.
type UnknownOutcomeError struct {
	Step  Step
	Index int // 0-based
	Stmt  string
	Line  int
	// First and Last (1-based) are the statements sent together, when
	// more than one; Why says what the catalog showed.
	First, Last int
	Why         string
}

func (e *UnknownOutcomeError) Error() string {
	if e.Last > e.First {
		return fmt.Sprintf("%s:%d: statements %d to %d of %s were sent together when strata stopped or one of them failed, and %s:\n  %s\n"+
			"check the database and make it match all of them or none, then run strata resolve %s --took-effect (all took effect: the next %s resumes after statement %d) or --no-effect (none did: the next %s runs them)",
			e.Step.Revision.Path, e.Line, e.First, e.Last, e.Step.Revision.ID, e.Why, firstLines(e.Stmt, 3), e.Step.Revision.ID, e.Step.direction(), e.Last, e.Step.direction())
	}
	return fmt.Sprintf("%s:%d: statement %d of %s was running when strata stopped, and whether it took effect cannot be told from the catalog:\n  %s\n"+
		"check the database, then run strata resolve %s --took-effect (it did: the next %s resumes after it) or --no-effect (it did not: the next %s runs it)",
		e.Step.Revision.Path, e.Line, e.Index+1, e.Step.Revision.ID, firstLines(e.Stmt, 3), e.Step.Revision.ID, e.Step.direction(), e.Step.direction())
}

// settle finds out how many of the statements resume.Started to
// resume.StartedTo of a half-applied step, sent when the run stopped,
// took effect: it waits while the connection that ran them is still
// running them, then reads the catalog. Statements sent in lanes (on two
// connections, see lanes.go) are brought to what a run in order would
// have left (serial) first.
func (m *Migrator) settle(ctx context.Context, conn *sql.Conn, st Step, stmts []dialect.Stmt, resume *History) (int, error) {
	i, to := resume.Started-1, max(resume.StartedTo, resume.Started)
	if err := m.waitGone(ctx, conn, resume.Conn, st, i); err != nil {
		return 0, err
	}
	if resume.Lane == 0 {
		return m.ranOf(ctx, conn, st, stmts, i, to)
	}
	if err := m.waitGone(ctx, conn, resume.Lane, st, i); err != nil {
		return 0, err
	}
	// Sent in lanes: any of them may have taken effect. From here this
	// run's connection sends them (serial), so the record names it, and
	// still says lanes.
	mark := startedLanes(resume.Chain, i+1, to, m.connID, resume.Lane)
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), m.table.progressStmt(resume.ID, st, StatusRunning, resume.Done, len(stmts), mark, 0)); err != nil {
		return 0, fmt.Errorf("%s: record the settling of statements %d to %d: %w", st.Revision.Path, i+1, to, err)
	}
	n, _, err := m.serial(ctx, conn, st, stmts, i, to)
	return n, err
}

// ranOf tells from the catalog how many of statements from to to-1
// (0-based), sent in one round trip, took effect. The server runs them in
// order and stops at the first that fails, so those that did are the
// first n; a catalog showing any other pattern, or a statement whose
// outcome it cannot show, is an UnknownOutcomeError.
func (m *Migrator) ranOf(ctx context.Context, q querier, st Step, stmts []dialect.Stmt, from, to int) (int, error) {
	took, err := m.tookEach(ctx, q, st, stmts, from, to)
	if err != nil {
		return 0, err
	}
	n := 0
	for k, ok := range took {
		if !ok {
			continue
		}
		if n != k {
			i := from + k
			return 0, &UnknownOutcomeError{Step: st, Index: i, Stmt: stmts[i].Text, Line: stmtLine(st.Section(), stmts[i]), First: from + 1, Last: to,
				Why: fmt.Sprintf("the catalog shows that statement %d took effect but statement %d, sent before it, did not", i+1, from+n+1)}
		}
		n++
	}
	return n, nil
}

// tookEach tells from the catalog which of statements from to to-1
// (0-based) took effect.
func (m *Migrator) tookEach(ctx context.Context, q querier, st Step, stmts []dialect.Stmt, from, to int) ([]bool, error) {
	took := make([]bool, to-from)
	for i := from; i < to; i++ {
		check := outcomeCheck(m.d, stmts[i].Text)
		if check == nil {
			return nil, &UnknownOutcomeError{Step: st, Index: i, Stmt: stmts[i].Text, Line: stmtLine(st.Section(), stmts[i]), First: from + 1, Last: to,
				Why: fmt.Sprintf("the catalog cannot tell whether statement %d took effect", i+1)}
		}
		ok, err := check(ctx, q, m.table.schema)
		if err != nil {
			return nil, err
		}
		took[i-from] = ok
	}
	return took, nil
}

// waitGone waits while connection id (from an earlier run) is still open
// on the server: the statement it was sent goes on after its client died.
func (m *Migrator) waitGone(ctx context.Context, q querier, id int64, st Step, i int) error {
	var probe string
	switch m.d {
	case dialect.Postgres:
		probe = "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND pid <> pg_backend_pid()"
	case dialect.MySQL:
		probe = "SELECT count(*) FROM information_schema.processlist WHERE id = ? AND id <> CONNECTION_ID()"
	default:
		return nil // in-process: it died with the runner
	}
	said := false
	for {
		var n int
		if err := q.QueryRowContext(ctx, probe, id).Scan(&n); err != nil {
			return fmt.Errorf("look for connection %d, which ran statement %d of %s: %w", id, i+1, st.Revision.ID, err)
		}
		if n == 0 {
			return nil
		}
		if !said {
			said = true
			m.notice(fmt.Sprintf("statement %d of %s is still running on the server (connection %d, from the run that stopped); waiting for it to end", i+1, st.Revision.ID, id))
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// outcomeCheck returns how to tell from the catalog whether stmt took
// effect, or nil when the catalog cannot tell. Statements that do the
// same when run again (IF [NOT] EXISTS, VACUUM, ANALYZE, REINDEX) report
// false, so the rerun runs them.
func outcomeCheck(d dialect.Name, stmt string) func(context.Context, querier, string) (bool, error) {
	tk := tokenize(d, stmt)
	rerun := func(context.Context, querier, string) (bool, error) { return false, nil }
	exists := func(kind, table, name string, want bool) func(context.Context, querier, string) (bool, error) {
		return func(ctx context.Context, q querier, schema string) (bool, error) {
			ok, err := catalogHas(ctx, q, d, schema, kind, table, name)
			return ok == want, err
		}
	}
	switch {
	case tk.is(0, "vacuum", "analyze", "reindex", "refresh"):
		return rerun
	case tk.is(0, "create") && tk.is(tk.skip(1, "temporary", "temp", "unlogged"), "table"):
		i := tk.skip(1, "temporary", "temp", "unlogged") + 1
		if tk.is(i, "if") {
			return rerun
		}
		return exists("table", tk.name(i), "", true)
	case tk.is(0, "drop") && tk.is(1, "table"):
		if tk.is(2, "if") {
			return rerun
		}
		names := tk.names(2)
		if len(names) != 1 {
			return nil
		}
		return exists("table", names[0], "", false)
	case tk.is(0, "create") && tk.is(tk.skip(1, "unique"), "index"):
		i := tk.skip(tk.skip(1, "unique")+1, "concurrently")
		if tk.is(i, "if") || tk.is(i, "on") {
			return rerun
		}
		on := tk.indexOf("on")
		if on < 0 {
			return nil
		}
		return exists("index", tk.name(tk.skip(on+1, "only")), tk.name(i), true)
	case tk.is(0, "drop") && tk.is(1, "index"):
		i := tk.skip(2, "concurrently")
		if tk.is(i, "if") {
			return rerun
		}
		table := ""
		if on := tk.indexOf("on"); on > 0 {
			table = tk.name(on + 1)
		}
		return exists("index", table, tk.name(i), false)
	case tk.is(0, "alter") && tk.is(1, "table"):
		i := tk.skip(2, "only", "if", "exists")
		table := tk.name(i)
		clauses := tk.clauses(tk.after(i))
		if len(clauses) != 1 {
			return nil
		}
		c := clauses[0]
		switch {
		case c.is(0, "add") && !c.is(1, "constraint", "primary", "unique", "foreign", "check", "index", "key", "fulltext", "spatial"):
			j := c.skip(1, "column")
			if c.is(j, "if") {
				return rerun
			}
			return exists("column", table, c.name(j), true)
		case c.is(0, "drop") && !c.is(1, "constraint", "primary", "foreign", "check", "index", "key"):
			j := c.skip(1, "column")
			if c.is(j, "if") {
				return rerun
			}
			return exists("column", table, c.name(j), false)
		case c.is(0, "rename") && c.is(1, "to"):
			return exists("table", c.name(2), "", true)
		}
	case tk.is(0, "rename") && tk.is(1, "table"):
		if n := tk.names(2); len(n) == 2 {
			return exists("table", n[1], "", true)
		}
	}
	return nil
}

// catalogHas reports whether the table, the column of a table, or the index
// (of a table, where the dialect scopes index names by table) exists.
func catalogHas(ctx context.Context, q querier, d dialect.Name, schema, kind, table, name string) (bool, error) {
	var query string
	var args []any
	switch d {
	case dialect.Postgres:
		switch kind {
		case "table":
			query, args = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = COALESCE(NULLIF($1, ''), current_schema()) AND lower(c.relname) = $2 AND c.relkind IN ('r', 'p')", []any{schema, table}
		case "column":
			query, args = "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = COALESCE(NULLIF($1, ''), current_schema()) AND lower(c.relname) = $2 AND lower(a.attname) = $3 AND a.attnum > 0 AND NOT a.attisdropped", []any{schema, table, name}
		default:
			// An invalid index (a failed concurrent build) did not take effect.
			query, args = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_index i ON i.indexrelid = c.oid WHERE n.nspname = COALESCE(NULLIF($1, ''), current_schema()) AND lower(c.relname) = $2 AND i.indisvalid", []any{schema, name}
		}
	case dialect.MySQL:
		switch kind {
		case "table":
			query, args = "SELECT count(*) FROM information_schema.tables WHERE table_schema = COALESCE(NULLIF(?, ''), DATABASE()) AND lower(table_name) = ?", []any{schema, table}
		case "column":
			query, args = "SELECT count(*) FROM information_schema.columns WHERE table_schema = COALESCE(NULLIF(?, ''), DATABASE()) AND lower(table_name) = ? AND lower(column_name) = ?", []any{schema, table, name}
		default:
			query, args = "SELECT count(*) FROM information_schema.statistics WHERE table_schema = COALESCE(NULLIF(?, ''), DATABASE()) AND lower(table_name) = ? AND lower(index_name) = ?", []any{schema, table, name}
		}
	default:
		switch kind {
		case "table":
			query, args = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND lower(name) = ?", []any{table}
		case "column":
			query, args = "SELECT count(*) FROM pragma_table_info(?) WHERE lower(name) = ?", []any{table, name}
		default:
			query, args = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND lower(name) = ?", []any{name}
		}
	}
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return false, fmt.Errorf("read the catalog: %w", err)
	}
	return n > 0, nil
}

// isDML reports whether stmt changes rows only, so that on MySQL it can
// commit in one transaction with its progress record (InnoDB).
func isDML(d dialect.Name, stmt string) bool {
	tk := tokenizeN(d, stmt, 1)
	return tk.is(0, "insert", "update", "delete", "replace")
}

// Notes on history rows settled by ResolveStatement.
const (
	noteTookEffect = "resolved --took-effect"
	noteNoEffect   = "resolved --no-effect"
)

// ResolveStatement settles the statement a stopped run had sent, whose
// outcome the catalog could not tell (UnknownOutcomeError): took records
// that it took effect, so the next run resumes after it; otherwise the
// next run runs it. Statements sent together are settled together.
func (m *Migrator) ResolveStatement(ctx context.Context, ref string, took bool) (*Revision, error) {
	r, err := m.graph.Resolve(ref)
	if err != nil {
		return nil, err
	}
	conn, done, h, err := m.halfRow(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	defer done()
	if h == nil || h.Started == 0 {
		return nil, fmt.Errorf("no statement of revision %s is in doubt; nothing to resolve (see strata current)", r.ID)
	}
	st := Step{Revision: r, Up: h.Direction == DirUpgrade}
	stmts, err := m.d.Split(st.Section().SQL)
	if err != nil {
		return nil, fmt.Errorf("%s: split statements: %w", r.Path, err)
	}
	last := max(h.StartedTo, h.Started)
	if last > len(stmts) {
		return nil, fmt.Errorf("%s: statement %d of %s was in doubt, but the file now has %d statements; restore it", r.Path, last, r.ID, len(stmts))
	}
	chain, ran, note := h.Chain, h.Done, noteNoEffect
	if took {
		// Statements sent together: all of them took effect.
		chain, ran, note = chainOver(chain, stmts[h.Started-1:last]), last, noteTookEffect
	}
	qt, p := m.d.Quote, m.d.Placeholder
	stmt := fmt.Sprintf("UPDATE %s SET %s = %s, %s = %s, %s = %s WHERE %s = %s",
		m.table.ref(m.table.historyName()), qt("stmts_done"), p(1), qt("stmt_sums"), p(2), qt("note"), p(3), qt("id"), p(4))
	if _, err := conn.ExecContext(ctx, stmt, ran, chainPrefix+chain, note, h.ID); err != nil {
		return nil, fmt.Errorf("resolve %s: %w", r.ID, err)
	}
	return r, nil
}
