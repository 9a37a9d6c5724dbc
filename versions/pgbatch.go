package versions

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/strata-db/strata/dialect"
)

// Runs of revisions on PostgreSQL. A revision in a transaction is one
// round trip (applyBatched); consecutive ones go several to a round trip,
// each still its own transaction with its version-table and history rows
// (BEGIN ... COMMIT, then RESET ALL, for each). PostgreSQL runs a
// multi-statement text in order and skips the rest at the first error, so
// the revisions committed are always the first k, which the history table
// says (each commits one row); the failing one was rolled back, and locate
// names its statement as for a revision sent alone.
const (
	pgRunMax   = 64
	pgRunBytes = 1 << 20
)

// stepKey names a step's section: a revision and a direction.
type stepKey struct {
	id string
	up bool
}

// splits returns a step's statements, split once a run: deciding whether
// steps go together (pgRun, stepGroup) reads the statements of steps that
// may then run alone.
func (m *Migrator) splits(st Step) ([]dialect.Stmt, error) {
	k := stepKey{st.Revision.ID, st.Up}
	if stmts, ok := m.split[k]; ok {
		return stmts, nil
	}
	stmts, err := m.d.Split(st.Section().SQL)
	if err != nil {
		return nil, err
	}
	if m.split == nil {
		m.split = map[stepKey][]dialect.Stmt{}
	}
	m.split[k] = stmts
	return stmts, nil
}

// pgRun returns how many of steps, from the first, go to the server in one
// round trip (0 or 1: none do), with their statements.
func (m *Migrator) pgRun(batch bool, steps []Step) (int, [][]dialect.Stmt) {
	if m.d != dialect.Postgres || !batch || len(steps) < 2 {
		return 0, nil
	}
	var all [][]dialect.Stmt
	bytes := 0
	for _, st := range steps {
		if st.Revision.NoTransaction || len(all) == pgRunMax {
			break
		}
		sec := st.Section()
		if len(all) > 0 && bytes+len(sec.SQL) > pgRunBytes {
			break
		}
		stmts, err := m.splits(st)
		if err != nil {
			break // apply reports it, for this step alone
		}
		all = append(all, stmts)
		bytes += len(sec.SQL)
	}
	if len(all) < 2 {
		return 0, nil
	}
	return len(all), all
}

// applyRun runs steps (see pgRun) in one round trip, numbering them from
// index of total in the log; last says the run's last step is among them,
// whose commit waits for the WAL flush (noWait). It returns how many
// committed.
func (m *Migrator) applyRun(ctx context.Context, conn *sql.Conn, steps []Step, stmts [][]dialect.Stmt, index, total int, last bool) (int, error) {
	bg := context.WithoutCancel(ctx)
	hist := m.table.ref(m.table.historyName())
	id := m.d.Quote("id")
	var base int64
	if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT COALESCE(max(%s), 0) FROM %s", id, hist)).Scan(&base); err != nil {
		return 0, fmt.Errorf("read %s: %w", m.table.historyName(), err)
	}
	books := make([][]string, len(steps))
	var parts []string
	for k, st := range steps {
		parts, books[k] = m.batchParts(parts, st, stmts[k], !last || k < len(steps)-1)
	}
	// A newline before each semicolon ends a trailing line comment.
	_, runErr := conn.ExecContext(ctx, strings.Join(parts, "\n;\n"))
	if runErr != nil {
		conn.ExecContext(bg, "ROLLBACK")
	}
	// The revisions that committed, with their durations (the server's).
	rows, err := conn.QueryContext(bg, fmt.Sprintf("SELECT %s FROM %s WHERE %s > $1 ORDER BY %s", m.d.Quote("duration_ms"), hist, id, id), base)
	var durs []time.Duration
	if err == nil {
		for rows.Next() {
			var ms int64
			if err = rows.Scan(&ms); err != nil {
				break
			}
			durs = append(durs, time.Duration(ms)*time.Millisecond)
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	if err != nil {
		if runErr != nil {
			return 0, fmt.Errorf("%s: revisions %s to %s were sent together and one failed: %w; which of them committed cannot be read (%w): strata current shows it", steps[0].Revision.Path, steps[0].Revision.ID, steps[len(steps)-1].Revision.ID, runErr, err)
		}
		return 0, fmt.Errorf("read %s: %w", m.table.historyName(), err)
	}
	done := min(len(durs), len(steps))
	if done > 0 {
		m.lazy = !last || done < len(steps)
	}
	for k := range done {
		m.log(Event{Step: steps[k], Duration: durs[k], Index: index + k, Total: total})
	}
	if runErr == nil && done == len(steps) {
		return done, nil
	}
	if runErr == nil {
		return done, fmt.Errorf("%s: %d of revisions %s to %s recorded, want %d", steps[0].Revision.Path, done, steps[0].Revision.ID, steps[len(steps)-1].Revision.ID, len(steps))
	}
	if done == len(steps) {
		return done, fmt.Errorf("revisions %s to %s committed, but the round trip failed after them: %w", steps[0].Revision.ID, steps[len(steps)-1].Revision.ID, runErr)
	}
	return done, m.locate(ctx, conn, steps[done], stmts[done], books[done], runErr)
}
