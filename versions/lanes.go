package versions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/strata-db/strata/dialect"
)

// Lanes (MySQL). Most of the time of a CREATE TABLE goes to the server's
// disk syncs (its file, its definition, its dictionary commit), which two
// connections overlap: 1,000 tables on two connections took 0.72 to 0.75
// of their time on one. So a group (see group.go) made only of CREATE
// TABLE statements, of laneMin or more, goes in two lanes: the run's
// connection and a second one, each sending its share in one round trip.
// A statement naming a table another statement of the group creates (a
// foreign key's REFERENCES, LIKE) waits for it: the group runs in levels,
// a statement's level one more than that of the latest table it names, and
// a level starts when the one before has ended. A statement naming a
// table created after it in the group would fail run in order, so such a
// group runs in order, on one connection.
//
// The record says the group's statements were sent, naming both
// connections. Run in order, the statements that took effect would be the
// first n, and the next run would resume after them; in lanes any of them
// may have. So when a lane fails, or a run that stopped is resumed
// (settle), serial makes the outcome what running them in order would
// have left: it sends, in order, those that did not take effect, and
// when one of them fails drops the tables that the statements after it
// created in lanes (new and, as it checks, empty). The failure is then
// the first statement, in the revision's order, that fails when run in
// order, and a rerun resumes at it, as after a failure on one connection.
//
// A lane's connection comes from the pool and must be in the state the
// run's connection is: so lanes run only while the run has sent nothing but
// such groups' statements (plain; a SET or USE in a revision changes the
// run's session, not the lane's), and only when the lane is in the same
// database with the same session variables (settings).
const laneMin = 16

// perConnection are the session variables that differ between two
// connections whatever their settings: laneConn compares the others.
var perConnection = map[string]bool{"pseudo_thread_id": true, "rand_seed1": true, "rand_seed2": true, "timestamp": true,
	"insert_id": true, "last_insert_id": true, "identity": true, "last_gtid": true, "gtid_seq_no": true,
	"warning_count": true, "error_count": true, "in_transaction": true}

// settings returns the session variables of conn that two connections in
// the same state share.
func settings(ctx context.Context, conn *sql.Conn) (map[string]string, error) {
	rows, err := conn.QueryContext(ctx, "SHOW SESSION VARIABLES")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		if !perConnection[strings.ToLower(k)] {
			out[k] = v
		}
	}
	return out, rows.Err()
}

// laneLevels returns the statements (indexes into stmts) of each level of
// a group that may run in lanes, or nil when it may not.
func laneLevels(d dialect.Name, stmts []dialect.Stmt) [][]int {
	if d != dialect.MySQL || len(stmts) < laneMin {
		return nil
	}
	at := make(map[string]int, len(stmts))
	for k, s := range stmts {
		table, create, ok := groupTable(d, s.Text)
		// An executable comment (/*! ... */) is SQL the tokens skip.
		if !ok || !create || strings.Contains(s.Text, "/*!") {
			return nil
		}
		at[table] = k
	}
	level := make([]int, len(stmts))
	var levels [][]int
	for k, s := range stmts {
		for _, t := range tokenize(d, s.Text)[3:] {
			if t.str {
				continue
			}
			j, ok := at[t.ident()]
			switch {
			case !ok || j == k:
			case j > k:
				return nil
			default:
				level[k] = max(level[k], level[j]+1)
			}
		}
		if level[k] == len(levels) {
			levels = append(levels, nil)
		}
		levels[level[k]] = append(levels[level[k]], k)
	}
	return levels
}

// laneConn returns the run's second connection, opening it on first use,
// or nil when lanes may not run: the session has changed (plain), the
// pool has no connection to spare at once, or the new connection's
// settings differ from the run's.
func (m *Migrator) laneConn(ctx context.Context, conn *sql.Conn) *sql.Conn {
	if !m.plain {
		return nil
	}
	if m.lane != nil || m.laneTried {
		return m.lane
	}
	m.laneTried = true
	if m.db.Stats().MaxOpenConnections == 1 {
		return nil
	}
	// A pool the application keeps busy would make the run wait: run on
	// one connection instead.
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	lane, err := m.db.Conn(cctx)
	if err != nil {
		return nil
	}
	var schema sql.NullString
	var id int64
	ok := lane.QueryRowContext(ctx, "SELECT DATABASE(), CONNECTION_ID()").Scan(&schema, &id) == nil && schema.String == m.table.schema
	if ok {
		mine, err1 := settings(ctx, conn)
		theirs, err2 := settings(ctx, lane)
		ok = err1 == nil && err2 == nil && maps.Equal(mine, theirs)
	}
	if !ok {
		lane.Close()
		return nil
	}
	m.lane, m.laneID = lane, id
	return lane
}

// closeLane returns the lane's connection to the pool.
func (m *Migrator) closeLane() {
	if m.lane != nil {
		m.lane.Close()
	}
	m.lane, m.laneID, m.laneTried = nil, 0, false
}

// lanes returns the levels of a group that goes in lanes now, or nil.
func (m *Migrator) lanes(ctx context.Context, conn *sql.Conn, grouping bool, stmts []dialect.Stmt) [][]int {
	if !grouping || !m.plain || len(stmts) < laneMin {
		return nil
	}
	levels := laneLevels(m.d, stmts)
	if levels == nil || m.laneConn(ctx, conn) == nil {
		return nil
	}
	return levels
}

// laneGroup runs statements i to end-1 of a tracked step, a group, in
// lanes: first, alone, the record that they were sent (the step's history
// row, inserted with the carried record when first, or its update), then
// the lanes. When a lane fails, serial settles the outcome, and the
// failure is recorded as on one connection. It returns the row's id.
func (m *Migrator) laneGroup(ctx context.Context, conn *sql.Conn, first bool, id int64, st Step, stmts []dialect.Stmt, i, end int, levels [][]int, chain string, start time.Time) (int64, error) {
	bg := context.WithoutCancel(ctx)
	mark := startedLanes(chain, i+1, end, m.connID, m.laneID)
	var parts []string
	var c *carry
	if first {
		id = m.nextID
		parts, c = m.startRow(id, st, len(stmts), mark, start)
	} else {
		parts = []string{m.table.progressStmt(id, st, StatusRunning, i, len(stmts), mark, time.Since(start))}
	}
	if err := execParts(bg, conn, true, parts); err != nil {
		what := fmt.Sprintf("%s: record the start of statement %d", st.Revision.Path, i+1)
		if !first {
			return 0, fmt.Errorf("%s: %w", what, err)
		}
		if lost := m.unstarted(bg, conn, c, id, mark, err, what); lost != nil {
			return 0, lost
		}
		// The record committed; what followed it failed, before any
		// statement was sent: the next run finds none took effect.
		m.nextID++
		c.logged(m)
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	if first {
		m.nextID++
		c.logged(m)
	}
	// A statement runs to its end on MySQL (see applyTracked): bg.
	runErr := m.runLanes(bg, conn, stmts[i:end], levels)
	m.sent(stmts[i:end], runErr)
	if runErr == nil {
		return id, nil
	}
	n, failed, err := m.serial(bg, conn, st, stmts, i, end)
	if err != nil {
		return 0, fmt.Errorf("%s: a statement of %s failed: %w; settling the statements sent with it: %w", st.Revision.Path, st.Revision.ID, runErr, err)
	}
	if failed == nil {
		return id, nil // they all took effect when run again in order
	}
	return 0, m.stmtFailed(bg, conn, id, st, stmts, i+n, start, failed)
}

// runLanes sends stmts level by level, each level's share alternately to
// conn and to the lane, and stops after a level in which either failed.
func (m *Migrator) runLanes(ctx context.Context, conn *sql.Conn, stmts []dialect.Stmt, levels [][]int) error {
	for _, lv := range levels {
		var mine, theirs []string
		for n, k := range lv {
			if n%2 == 0 {
				mine = append(mine, bare(stmts[k].Text))
			} else {
				theirs = append(theirs, bare(stmts[k].Text))
			}
		}
		var wg sync.WaitGroup
		var laneErr error
		if len(theirs) > 0 {
			wg.Go(func() { laneErr = execParts(ctx, m.lane, true, theirs) })
		}
		err := execParts(ctx, conn, true, mine)
		wg.Wait()
		if err := errors.Join(err, laneErr); err != nil {
			return err
		}
	}
	return nil
}

// serial makes the outcome of statements from to to-1 (0-based), sent in
// lanes, what running them in order would have left (see Lanes): it
// returns how many of them, from the first, took effect, and the error of
// the next, which failed when run again in order.
func (m *Migrator) serial(ctx context.Context, conn *sql.Conn, st Step, stmts []dialect.Stmt, from, to int) (int, error, error) {
	bg := context.WithoutCancel(ctx)
	took, err := m.tookEach(bg, conn, st, stmts, from, to)
	if err != nil {
		return 0, nil, err
	}
	var missing []int
	var parts []string
	for k, ok := range took {
		if !ok {
			missing = append(missing, from+k)
			parts = append(parts, bare(stmts[from+k].Text))
		}
	}
	if len(missing) == 0 {
		return to - from, nil, nil
	}
	m.tables = nil
	runErr := execParts(bg, conn, true, parts)
	if runErr == nil {
		return to - from, nil, nil
	}
	// MySQL stopped at the first that failed.
	failed := -1
	for _, i := range missing {
		now, err := m.tookEach(bg, conn, st, stmts, i, i+1)
		if err != nil {
			return 0, nil, err
		}
		if !now[0] {
			failed = i
			break
		}
	}
	if failed < 0 {
		return 0, nil, fmt.Errorf("%s: statements %d to %d of %s took effect when run again in order, but the round trip failed: %w; rerun to record them", st.Revision.Path, from+1, to, st.Revision.ID, runErr)
	}
	// The tables the statements after it created go, last first (a
	// foreign key names an earlier table), once none of them holds rows.
	var drop []int
	for i := to - 1; i > failed; i-- {
		if took[i-from] {
			drop = append(drop, i)
		}
	}
	for _, i := range drop {
		if err := m.newTable(bg, conn, st, stmts, i, failed, false); err != nil {
			return 0, nil, err
		}
	}
	for _, i := range drop {
		if err := m.newTable(bg, conn, st, stmts, i, failed, true); err != nil {
			return 0, nil, err
		}
	}
	return failed - from, runErr, nil
}

// newTable checks that the table statement i created in lanes, ahead of
// statement failed, holds no rows, or drops it.
func (m *Migrator) newTable(ctx context.Context, conn *sql.Conn, st Step, stmts []dialect.Stmt, i, failed int, drop bool) error {
	name := m.d.Quote(tokenizeN(m.d, stmts[i].Text, 3)[2].text)
	unknown := func(why string) error {
		return &UnknownOutcomeError{Step: st, Index: i, Stmt: stmts[i].Text, Line: stmtLine(st.Section(), stmts[i]), First: failed + 1, Last: i + 1,
			Why: fmt.Sprintf("statement %d, sent on a second connection, took effect while statement %d, before it, did not and now fails; %s", i+1, failed+1, why)}
	}
	if drop {
		if _, err := conn.ExecContext(ctx, "DROP TABLE "+name); err != nil {
			return unknown(fmt.Sprintf("dropping its table failed: %v", err))
		}
		return nil
	}
	var one int
	switch err := conn.QueryRowContext(ctx, "SELECT 1 FROM "+name+" LIMIT 1").Scan(&one); {
	case err == nil:
		return unknown("its table has rows now, so strata does not drop it")
	case !errors.Is(err, sql.ErrNoRows):
		return unknown(fmt.Sprintf("reading its table failed: %v", err))
	}
	return nil
}
