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

// Groups (MySQL). A DDL statement commits on its own on MySQL, so a
// revision run statement by statement pays, besides the statement, one
// commit for the record that it was sent: 500 one-table revisions cost
// 500 of those. Statements whose outcome the catalog tells exactly, and
// which do not depend on each other, go instead as a group: one record
// names them all as sent (the history row's started mark, a range), and
// they follow in the same round trip. MySQL runs a multi-statement text in
// order and stops at the first statement that fails, so the statements of
// a group that took effect are always its first n. After a failure, or
// after a run stopped (a crash, a lost connection), the catalog says how
// many (ranOf): each statement is checked beforehand not to have taken
// effect, and no two touch the same table, so one taking effect never
// shows as, or hides, another. The run records the group's end with the
// next record it sends, as it does a revision's (carry).
//
// What may join a group: CREATE TABLE (not TEMPORARY, IF NOT EXISTS or
// ... SELECT, which copies rows) and DROP TABLE of one table (not IF
// EXISTS), each naming its table without a database. Both are quick
// whatever the data, so a group stays short, and an interrupted run
// (which lets MySQL statements finish) waits for little. A group spans
// consecutive statements of a revision, or whole consecutive revisions
// made only of such statements, up to groupMax statements and groupBytes
// of text; never a revision that switches databases (USE), whose names
// the catalog would look up in the wrong place.
const (
	groupMax   = 250
	groupBytes = 1 << 20
)

// groupTable returns the table stmt creates (create) or drops, lower-cased,
// when stmt may join a group.
func groupTable(d dialect.Name, stmt string) (table string, create, ok bool) {
	if d != dialect.MySQL {
		return "", false, false
	}
	// The first tokens tell; a CREATE TABLE is read no further (it may be
	// long), a DROP TABLE whole (it is short).
	tk := tokenizeN(d, stmt, 5)
	if !tk.is(1, "table") || tk.is(2, "if") || len(tk.qualified(2)) != 1 {
		return "", false, false
	}
	switch {
	case tk.is(0, "create"):
		if hasWordFold(stmt, "select") {
			return "", false, false
		}
		return tk.name(2), true, true
	case tk.is(0, "drop"):
		if len(tokenize(d, stmt).names(2)) != 1 {
			return "", false, false
		}
		return tk.name(2), false, true
	}
	return "", false, false
}

// hasWordFold reports whether s holds word, in any case, not inside a
// longer word (anywhere: in a comment or a string too).
func hasWordFold(s, word string) bool {
	low := strings.ToLower(s)
	for i := 0; ; {
		j := strings.Index(low[i:], word)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(word)
		if (j == 0 || !isWord(low[j-1])) && (end == len(low) || !isWord(low[end])) {
			return true
		}
		i = end
	}
}

// switchesDatabase reports whether a statement of stmts is USE: names in
// the statements after it are not in the run's database.
func switchesDatabase(d dialect.Name, stmts []dialect.Stmt) bool {
	if d != dialect.MySQL {
		return false
	}
	for _, s := range stmts {
		if tokenizeN(d, s.Text, 1).is(0, "use") {
			return true
		}
	}
	return false
}

// grouper collects a group's statements, refusing one that would make the
// group too large or touch a table it already touches.
type grouper struct {
	d      dialect.Name
	tables map[string]bool
	want   []groupCheck
	n      int
	bytes  int
}

// groupCheck is a statement's table and whether it creates it: the
// catalog must show the table absent before a CREATE TABLE runs, present
// before a DROP TABLE.
type groupCheck struct {
	table  string
	create bool
}

func newGrouper(d dialect.Name) *grouper { return &grouper{d: d, tables: map[string]bool{}} }

// add takes stmt into the group, or reports false.
func (g *grouper) add(stmt string) bool {
	table, create, ok := groupTable(g.d, stmt)
	if !ok || g.tables[table] || g.n == groupMax || g.n > 0 && g.bytes+len(stmt) > groupBytes {
		return false
	}
	g.tables[table] = true
	g.want = append(g.want, groupCheck{table: table, create: create})
	g.n++
	g.bytes += len(stmt)
	return true
}

// ready returns how many of the group's statements, from the first, may
// run as a group now: those before the first whose table the catalog does
// not show as it must be before it runs.
func (m *Migrator) ready(ctx context.Context, q querier, g *grouper) (int, error) {
	if g.n < 2 {
		return g.n, nil
	}
	present, err := m.catalogTables(ctx, q)
	if err != nil {
		return 0, err
	}
	for i, w := range g.want {
		if present[w.table] == w.create {
			return i, nil
		}
	}
	return g.n, nil
}

// catalogTables returns the tables (and views) of the run's database,
// lower-cased: read once, then kept up to date by the groups that run
// until a statement runs alone, whose effect on them is not modelled, or
// the run ends (sent).
func (m *Migrator) catalogTables(ctx context.Context, q querier) (map[string]bool, error) {
	if m.tables != nil {
		return m.tables, nil
	}
	rows, err := q.QueryContext(ctx, "SELECT lower(table_name) FROM information_schema.tables WHERE table_schema = COALESCE(NULLIF(?, ''), DATABASE())", m.table.schema)
	if err != nil {
		return nil, fmt.Errorf("read the catalog: %w", err)
	}
	defer rows.Close()
	present := map[string]bool{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("read the catalog: %w", err)
		}
		present[t] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the catalog: %w", err)
	}
	m.tables = present
	return present, nil
}

// sent notes what sending stmts did to the tables the run knows (see
// catalogTables): a group that ran whole (err nil, more than one
// statement) made the tables it creates and dropped those it drops; after
// anything else (a statement alone, whose effect is not modelled, or a
// failure) they must be read again.
func (m *Migrator) sent(stmts []dialect.Stmt, err error) {
	if m.tables == nil {
		return
	}
	if err != nil || len(stmts) < 2 {
		m.tables = nil
		return
	}
	for _, s := range stmts {
		if table, create, _ := groupTable(m.d, s.Text); create {
			m.tables[table] = true
		} else {
			delete(m.tables, table)
		}
	}
}

// groupEnd returns where the group of a step's statements starting at
// statement i ends (exclusive), or i+1 when statement i goes alone.
func (m *Migrator) groupEnd(ctx context.Context, q querier, stmts []dialect.Stmt, i int) (int, error) {
	g := newGrouper(m.d)
	for j := i; j < len(stmts) && g.add(stmts[j].Text); j++ {
	}
	n, err := m.ready(ctx, q, g)
	if err != nil || n < 2 {
		return i + 1, err
	}
	return i + n, nil
}

// stepGroup returns how many of steps, from the first, run as one group
// (0 or 1: none do), with their statements. Each must be fresh (not
// resumed) and made only of statements that may join a group.
func (m *Migrator) stepGroup(ctx context.Context, q querier, batch bool, steps []Step, resume map[string]*History) (int, [][]dialect.Stmt, error) {
	if m.d != dialect.MySQL || !batch || m.nextID == 0 || len(steps) < 2 {
		return 0, nil, nil
	}
	g := newGrouper(m.d)
	var all [][]dialect.Stmt
	var ends []int // statements in the group after each step
	for _, st := range steps {
		if resume[st.Revision.ID] != nil {
			break
		}
		stmts, err := m.splits(st)
		if err != nil || len(stmts) == 0 || switchesDatabase(m.d, stmts) {
			break
		}
		whole := true
		for _, s := range stmts {
			if !g.add(s.Text) {
				whole = false
				break
			}
		}
		if !whole {
			break
		}
		all = append(all, stmts)
		ends = append(ends, g.n)
	}
	if len(all) < 2 {
		return 0, nil, nil
	}
	n, err := m.ready(ctx, q, g)
	if err != nil {
		return 0, nil, err
	}
	k := 0
	for k < len(ends) && ends[k] <= n {
		k++
	}
	if k < 2 {
		return 0, nil, nil
	}
	return k, all[:k], nil
}

// applyGroup runs whole steps as one group (see stepGroup), numbering
// them from index of total in the log: one round trip sends the record of
// the step before (carry) and a history row per step naming its
// statements as sent, in one transaction, then every statement, with the
// server's clock read between steps for their durations. The group's
// record goes with the next round trip (carry). It returns how many steps
// ran and are recorded.
func (m *Migrator) applyGroup(ctx context.Context, conn *sql.Conn, steps []Step, stmts [][]dialect.Stmt, index, total int) (int, error) {
	bg := context.WithoutCancel(ctx)
	start := time.Now()
	first := m.nextID
	c := m.carry
	m.carry = nil
	parts := []string{"START TRANSACTION"}
	if c != nil {
		parts = append([]string(nil), c.stmts...)
	}
	// One INSERT of all the steps' rows: a statement each cost the server
	// 15 ms for 500 revisions.
	marks := make([]string, len(steps))
	rows := make([]string, len(steps))
	for k, st := range steps {
		marks[k] = startedSums("", 1, len(stmts[k]), m.connID)
		rows[k] = m.table.progressValues(first+int64(k), st, StatusRunning, 0, len(stmts[k]), marks[k], 0)
	}
	parts = append(parts, m.table.insertProgressHead(true)+strings.Join(rows, ", "))
	parts = append(append(parts, "COMMIT"), m.after()...)
	parts = append(parts, "SET @strata_at0 = SYSDATE(6)")
	for k := range steps {
		for _, s := range stmts[k] {
			parts = append(parts, bare(s.Text))
		}
		parts = append(parts, fmt.Sprintf("SET @strata_at%d = SYSDATE(6)", k+1))
	}
	span := fmt.Sprintf("revisions %s to %s", steps[0].Revision.ID, steps[len(steps)-1].Revision.ID)
	// A statement runs to its end on MySQL (see applyTracked): bg.
	runErr := execParts(bg, conn, true, parts)
	for _, s := range stmts {
		m.sent(s, runErr)
	}
	if runErr != nil {
		if err := m.unstarted(bg, conn, c, first, marks[0], runErr, steps[0].Revision.Path+": record the start of "+span); err != nil {
			return 0, err
		}
	}
	m.nextID += int64(len(steps))
	c.logged(m)
	if runErr != nil {
		return m.groupFailed(bg, conn, steps, stmts, first, index, total, start, runErr)
	}
	durs, err := m.groupDurations(bg, conn, len(steps))
	if err != nil {
		// The rows still say the statements were sent: the next run
		// settles them from the catalog.
		return 0, fmt.Errorf("%s ran, but reading their durations failed: %w; rerun to record them", span, err)
	}
	done := &carry{stmts: []string{"START TRANSACTION"}, steps: len(steps),
		what: fmt.Sprintf("%s: all statements of %s ran", steps[len(steps)-1].Revision.Path, span)}
	// The steps' records, in one transaction: the version table's
	// changes (a linear chain's folded into one statement), the stored
	// files (one REPLACE where it can), and the history rows marked done
	// (one upsert of all of them, where an UPDATE each cost the server
	// 14 ms for 500 revisions).
	done.stmts = append(done.stmts, m.table.foldVersions(steps)...)
	if store, together := m.table.storeAll(steps); together {
		done.stmts = append(done.stmts, store)
	} else {
		for _, st := range steps {
			done.stmts = append(done.stmts, st.stored()...)
		}
	}
	rows = make([]string, len(steps))
	for k, st := range steps {
		rows[k] = m.table.progressValues(first+int64(k), st, StatusDone, len(stmts[k]), len(stmts[k]), groupChain(stmts[k]), durs[k])
		done.events = append(done.events, Event{Step: st, Duration: durs[k], Index: index + k, Total: total})
	}
	done.stmts = append(done.stmts, m.table.upsertProgress(rows))
	m.carry = done
	return len(steps), nil
}

// groupDone is the record of a step of a group whose statements all ran.
func (m *Migrator) groupDone(id int64, st Step, stmts []dialect.Stmt, d time.Duration) string {
	return m.table.progressStmt(id, st, StatusDone, len(stmts), len(stmts), groupChain(stmts), d)
}

// groupChain is the history row's checksums of a step of a group whose
// statements all ran.
func groupChain(stmts []dialect.Stmt) string { return chainPrefix + chainOver("", stmts) }

// groupDurations reads the server's clock readings a group's round trip
// took between its steps (@strata_at0 to @strata_atN).
func (m *Migrator) groupDurations(ctx context.Context, q querier, n int) ([]time.Duration, error) {
	if n == 0 {
		return nil, nil
	}
	cols := make([]string, n)
	for k := range cols {
		cols[k] = fmt.Sprintf("TIMESTAMPDIFF(MICROSECOND, @strata_at%d, @strata_at%d)", k, k+1)
	}
	var v sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT CONCAT_WS(',', "+strings.Join(cols, ", ")+")").Scan(&v); err != nil {
		return nil, err
	}
	out := make([]time.Duration, n)
	for k, f := range strings.SplitN(v.String, ",", n) {
		us, _ := strconv.ParseInt(f, 10, 64)
		out[k] = time.Duration(us) * time.Microsecond
	}
	return out, nil
}

// groupFailed records a group of steps in which a statement failed: the
// catalog says which (ranOf); the steps before it are recorded done, its
// step failed after the statements before it, and the steps after it,
// which never started, lose their rows. When the catalog cannot say, the
// rows stay as they are, naming the statements sent, for the next run.
func (m *Migrator) groupFailed(ctx context.Context, conn *sql.Conn, steps []Step, stmts [][]dialect.Stmt, first int64, index, total int, start time.Time, runErr error) (int, error) {
	failed, at := -1, 0
	for k, st := range steps {
		n, err := m.ranOf(ctx, conn, st, stmts[k], 0, len(stmts[k]))
		if err != nil {
			return 0, fmt.Errorf("%s: a statement failed: %w; which one cannot be told: %w", st.Revision.Path, runErr, err)
		}
		switch {
		case failed < 0 && n < len(stmts[k]):
			failed, at = k, n
		case failed >= 0 && n > 0:
			return 0, &UnknownOutcomeError{Step: st, Index: 0, Stmt: stmts[k][0].Text, Line: stmtLine(st.Section(), stmts[k][0]), First: 1, Last: len(stmts[k]),
				Why: fmt.Sprintf("the catalog shows its statement 1 took effect although a statement of %s, sent before it, did not", steps[failed].Revision.ID)}
		}
	}
	if failed < 0 {
		return 0, fmt.Errorf("%s: the statements of revisions %s to %s all took effect, but the round trip failed: %w; rerun to record them", steps[0].Revision.Path, steps[0].Revision.ID, steps[len(steps)-1].Revision.ID, runErr)
	}
	durs, err := m.groupDurations(ctx, conn, failed)
	if err != nil {
		durs = make([]time.Duration, failed) // not known; the records matter more
	}
	parts := []string{"START TRANSACTION"}
	for k := range failed {
		parts = append(append(parts, steps[k].bookkeeping()...), m.groupDone(first+int64(k), steps[k], stmts[k], durs[k]))
	}
	if failed+1 < len(steps) {
		q := m.d.Quote
		parts = append(parts, fmt.Sprintf("DELETE FROM %s WHERE %s BETWEEN %d AND %d", m.table.ref(m.table.historyName()), q("id"), first+int64(failed+1), first+int64(len(steps)-1)))
	}
	if err := execParts(ctx, conn, true, append(parts, "COMMIT")); err != nil {
		conn.ExecContext(ctx, "ROLLBACK")
		return 0, fmt.Errorf("%s: statement %d of %s failed: %w; recording what ran before it failed: %w; rerun to record it", steps[failed].Revision.Path, at+1, steps[failed].Revision.ID, runErr, err)
	}
	for k := range failed {
		m.log(Event{Step: steps[k], Duration: durs[k], Index: index + k, Total: total})
	}
	return failed, m.stmtFailed(ctx, conn, first+int64(failed), steps[failed], stmts[failed], at, start, runErr)
}
