package versions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/strata-db/strata/dialect"
)

// Migrator applies and reverts the revisions of a Graph on one database.
type Migrator struct {
	db          *sql.DB
	d           dialect.Name
	graph       *Graph
	table       table
	log         func(Event)
	lockTimeout time.Duration
	wait        func(holder string)
	allowEdited bool
	// reset restores the session after each revision, and connID is the
	// run's connection on the server; both set by capture.
	reset  string
	connID int64
	notice func(string)
	// nextID is the history row id a run gives the next row it inserts
	// itself (0: unknown), and carry the record of a finished step that
	// goes with the next step's first round trip (see applyTracked).
	nextID int64
	carry  *carry
	// carryLost is how many steps' records were in a carry that an apply
	// failed to send.
	carryLost int
	// split holds the statements of the run's steps, split once (splits).
	split map[stepKey][]dialect.Stmt
	// tables is what the run knows of its database's tables, for groups
	// (see catalogTables); nil when it must read them.
	tables map[string]bool
	// more says another step of the run follows the one applying, and
	// lazy that a step committed without waiting for its WAL flush (see
	// noWait); runSteps makes such commits durable before it returns.
	more, lazy bool
	// plain says the run has sent no statement that may change its
	// session (MySQL): a group may go in lanes, on the run's connection
	// and lane (laneID on the server; see lanes.go), opened once
	// (laneTried).
	plain, laneTried bool
	lane             *sql.Conn
	laneID           int64
}

// carry is the version-table record of tracked steps whose statements
// all ran (one step, or a group's, see group.go), waiting to commit in one
// transaction with the history row of the next step, in the round trip
// that sends that step's first statement (MySQL, batch). It is sent on
// its own (flush) when no step follows or the next cannot take it.
type carry struct {
	stmts  []string // START TRANSACTION, the version-table statements and the history rows' ends
	steps  int      // how many steps it records
	what   string   // "FILE: all N statements of REV ran", for an error
	events []Event  // logged once the record is committed
}

// logged logs the events of a carry that committed (none when c is nil).
func (c *carry) logged(m *Migrator) {
	if c == nil {
		return
	}
	for _, ev := range c.events {
		m.log(ev)
	}
}

// Event reports one revision applied or reverted.
type Event struct {
	Step     Step
	Duration time.Duration
	// Index (from 1) and Total place the step in the run.
	Index, Total int
}

// Option configures a Migrator.
type Option func(*Migrator) error

// WithTable sets the version table name (default strata_version).
func WithTable(name string) Option {
	return func(m *Migrator) error {
		if name == "" || len(name) > 63 {
			return fmt.Errorf("version table name %q must be 1 to 63 characters", name)
		}
		m.table.name = name
		return nil
	}
}

// WithLog calls f after each revision is applied or reverted.
func WithLog(f func(Event)) Option {
	return func(m *Migrator) error {
		m.log = f
		return nil
	}
}

// WithLockTimeout sets how long Upgrade, Downgrade and Stamp wait for
// another runner's migration lock (default 5 minutes).
func WithLockTimeout(d time.Duration) Option {
	return func(m *Migrator) error {
		if d < 0 {
			return fmt.Errorf("lock timeout %s is negative", d)
		}
		m.lockTimeout = d
		return nil
	}
}

// WithAllowEdited lets Upgrade and Downgrade run although applied
// revision files were edited since; the acceptance is recorded in the
// history table.
func WithAllowEdited(allow bool) Option {
	return func(m *Migrator) error {
		m.allowEdited = allow
		return nil
	}
}

// WithNotice calls f with what a run waits for besides the lock (a
// statement from a run that stopped, still running on the server).
func WithNotice(f func(string)) Option {
	return func(m *Migrator) error {
		m.notice = f
		return nil
	}
}

// WithWait calls f, naming the holder, when the run has to wait for
// another runner's migration lock.
func WithWait(f func(holder string)) Option {
	return func(m *Migrator) error {
		m.wait = f
		return nil
	}
}

// Open loads the revisions in fsys and binds them to db, whose dialect is d.
// It does not touch the database: the version table is created by the first
// command that writes it.
func Open(ctx context.Context, db *sql.DB, d dialect.Name, fsys fs.FS, opts ...Option) (*Migrator, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("unknown dialect %q", d)
	}
	g, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	return NewMigrator(db, d, g, opts...)
}

// NewMigrator binds an already loaded graph to db.
func NewMigrator(db *sql.DB, d dialect.Name, g *Graph, opts ...Option) (*Migrator, error) {
	m := &Migrator{db: db, d: d, graph: g, table: table{d: d, name: DefaultTable}, log: func(Event) {},
		lockTimeout: DefaultLockTimeout, wait: func(string) {}, notice: func(string) {}}
	for _, o := range opts {
		if err := o(m); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Graph returns the revision graph.
func (m *Migrator) Graph() *Graph { return m.graph }

// Current returns the version table rows: the applied heads, sorted. It
// does not create the table; a missing table means nothing is applied.
func (m *Migrator) Current(ctx context.Context) ([]string, error) {
	return m.table.rows(ctx, m.db)
}

// applied reads the version table into the applied set, refusing when
// the database has revisions applied that the directory lacks.
func (m *Migrator) applied(ctx context.Context, q querier) (set, error) {
	v, err := m.view(ctx, q)
	if err != nil {
		return nil, err
	}
	return v.applied, v.usable()
}

// session opens the connection a run uses throughout, takes the migration
// lock on it and creates the version table. close releases both. batch
// reports whether the connection runs several statements in one Exec
// (lib/pq and pgx do; go-sql-driver/mysql with multiStatements=true, as
// the CLI opens it): the runner then sends the bookkeeping of a revision
// in one round trip.
func (m *Migrator) session(ctx context.Context) (conn *sql.Conn, close func(), batch bool, err error) {
	conn, unlock, err := m.lock(ctx)
	if err != nil {
		return nil, nil, false, err
	}
	close = func() {
		m.closeLane()
		unlock()
	}
	if err := m.capture(ctx, conn); err != nil {
		close()
		return nil, nil, false, err
	}
	create := m.table.creates()
	if m.d != dialect.SQLite {
		// The two statements in one Exec are the probe: without
		// multi-statement support MySQL rejects the text as a syntax
		// error and runs neither.
		if _, err := conn.ExecContext(ctx, strings.Join(create, ";\n")); err == nil {
			return conn, close, true, nil
		}
	}
	for _, stmt := range create {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			close()
			return nil, nil, false, fmt.Errorf("create version table %s: %w", m.table.name, err)
		}
	}
	return conn, close, false, nil
}

// capture records the schema (PostgreSQL) or database (MySQL) the run's
// connection starts in, which strata's own statements name from then on,
// and how to bring the session back to where it started after each
// revision: a revision that runs SET search_path, set_config, SET ROLE or
// USE changes the session, not strata's bookkeeping or the next revision.
func (m *Migrator) capture(ctx context.Context, conn *sql.Conn) error {
	var q string
	switch m.d {
	case dialect.Postgres:
		q, m.reset = "SELECT current_schema(), pg_backend_pid()", "RESET ALL"
	case dialect.MySQL:
		q = "SELECT DATABASE(), CONNECTION_ID()"
	default:
		return nil
	}
	var schema sql.NullString
	if err := conn.QueryRowContext(ctx, q).Scan(&schema, &m.connID); err != nil {
		return fmt.Errorf("read the current schema: %w", err)
	}
	m.table.schema = schema.String
	m.plain = m.d == dialect.MySQL
	if m.d == dialect.MySQL && schema.String != "" {
		m.reset = "USE " + m.d.Quote(schema.String)
	}
	return nil
}

// AtHeads reports whether every head of the graph is applied and nothing else is current.
func (m *Migrator) AtHeads(ctx context.Context) (bool, []string, error) {
	rows, err := m.Current(ctx)
	if err != nil {
		return false, nil, err
	}
	heads := m.graph.heads
	if len(rows) != len(heads) {
		return false, rows, nil
	}
	for i, h := range heads {
		if rows[i] != h.ID {
			return false, rows, nil
		}
	}
	return true, rows, nil
}

// Upgrade applies the revisions needed to reach target (default "head")
// and returns the steps it ran.
func (m *Migrator) Upgrade(ctx context.Context, target string) ([]Step, error) {
	return m.run(ctx, target, true)
}

// Downgrade reverts revisions down to target and returns the steps it ran.
func (m *Migrator) Downgrade(ctx context.Context, target string) ([]Step, error) {
	return m.run(ctx, target, false)
}

func (m *Migrator) run(ctx context.Context, target string, up bool) ([]Step, error) {
	if target == "" {
		if !up {
			return nil, errors.New("downgrade needs a target: a revision, -N or base")
		}
		target = "head"
	}
	t, err := ParseTarget(target)
	if err != nil {
		return nil, err
	}
	conn, done, batch, err := m.session(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	v, err := m.view(ctx, conn)
	if err != nil {
		return nil, err
	}
	if err := v.usable(); err != nil {
		return nil, err
	}
	applied := v.applied
	// The history says which applied files were edited since and which
	// revision, if any, is half-applied.
	hist, err := m.table.history(ctx, conn)
	if err != nil {
		return nil, err
	}
	m.nextID = 1
	for _, h := range hist {
		m.nextID = max(m.nextID, h.ID+1)
	}
	if err := m.checkEdited(ctx, conn, m.graph, hist, applied); err != nil {
		return nil, err
	}
	var change set
	if up {
		change, err = m.graph.upgradeSet(applied, t)
	} else {
		change, err = m.graph.downgradeSet(applied, t)
	}
	if err != nil {
		return nil, err
	}
	steps := m.graph.plan(m.table, applied, change, up)
	resume, err := m.resumable(m.graph, hist, steps)
	if err != nil {
		return nil, err
	}
	return m.runSteps(ctx, conn, batch, steps, resume, 0, len(steps))
}

// runSteps applies steps in order, numbering them from offset+1 of total
// in the log.
func (m *Migrator) runSteps(ctx context.Context, conn *sql.Conn, batch bool, steps []Step, resume map[string]*History, offset, total int) ([]Step, error) {
	// Only run, which reads the history just before, gives a nextID.
	defer func() { m.carry, m.carryLost, m.nextID, m.more, m.tables, m.split = nil, 0, 0, false, nil, nil }()
	applied, err := m.runEach(ctx, conn, batch, steps, resume, offset, total)
	if derr := m.durable(ctx, conn); derr != nil && err == nil {
		err = derr
	}
	return applied, err
}

// runEach is runSteps without the final flush of lazy commits.
func (m *Migrator) runEach(ctx context.Context, conn *sql.Conn, batch bool, steps []Step, resume map[string]*History, offset, total int) ([]Step, error) {
	for i := 0; i < len(steps); i++ {
		st := steps[i]
		m.more = i < len(steps)-1
		if (offset+i) > 0 && ctx.Err() != nil {
			if lost, err := m.flush(ctx, conn); err != nil {
				return steps[:i-lost], err
			}
			return steps[:i], fmt.Errorf("interrupted (%w) after %d of %d revisions; rerun to go on", context.Cause(ctx), offset+i, total)
		}
		if k, stmts := m.pgRun(batch, steps[i:]); k > 1 {
			ran, err := m.applyRun(ctx, conn, steps[i:i+k], stmts, offset+i+1, total, i+k == len(steps))
			if err == nil {
				i += k - 1
				continue
			}
			return m.stopped(ctx, conn, steps, i, ran, err)
		}
		k, stmts, err := m.stepGroup(ctx, conn, batch, steps[i:], resume)
		if err == nil && k > 1 {
			ran, err := m.applyGroup(ctx, conn, steps[i:i+k], stmts, offset+i+1, total)
			if err == nil {
				i += k - 1
				continue
			}
			return m.stopped(ctx, conn, steps, i, ran, err)
		}
		start := time.Now()
		if err == nil {
			err = m.apply(ctx, conn, batch, st, resume[st.Revision.ID])
		}
		if err != nil {
			return m.stopped(ctx, conn, steps, i, 0, err)
		}
		ev := Event{Step: st, Duration: time.Since(start), Index: offset + i + 1, Total: total}
		if m.carry != nil {
			m.carry.events = []Event{ev} // logged once the record commits
			continue
		}
		// A batched step restored the session in its last round trip.
		if !batch {
			if err := m.restore(ctx, conn); err != nil {
				return steps[:i+1], err
			}
		}
		m.log(ev)
	}
	if lost, err := m.flush(ctx, conn); err != nil {
		return steps[:len(steps)-lost], err
	}
	return steps, nil
}

// stopped ends a run whose step i failed with err after ran steps from i
// on were applied and recorded (a group's): it returns the steps applied,
// those whose records a carry held included once it commits.
func (m *Migrator) stopped(ctx context.Context, conn *sql.Conn, steps []Step, i, ran int, err error) ([]Step, error) {
	done := i + ran
	if m.carryLost > 0 {
		done = i - m.carryLost
	} else if lost, ferr := m.flush(ctx, conn); ferr != nil {
		// The step failed before it could send the carried record of the
		// steps before, which failed on its own.
		return steps[:i-lost], ferr
	}
	m.restore(ctx, conn)
	return steps[:done], err
}

// flush commits the carried record of the steps before on its own, with
// the statement restoring the session. On failure it reports how many
// steps the lost record held.
func (m *Migrator) flush(ctx context.Context, conn *sql.Conn) (int, error) {
	c := m.carry
	if c == nil {
		return 0, nil
	}
	m.carry = nil
	bg := context.WithoutCancel(ctx)
	if _, err := conn.ExecContext(bg, strings.Join(append(append(c.stmts, "COMMIT"), m.after()...), ";\n")); err != nil {
		conn.ExecContext(bg, "ROLLBACK")
		return c.steps, c.failed(err)
	}
	c.logged(m)
	return 0, nil
}

// failed is the error of a carried record that did not commit.
func (c *carry) failed(err error) error {
	return fmt.Errorf("%s, but recording them in the version table failed: %w", c.what, err)
}

// noWait returns the statement that lets a PostgreSQL step's commit return
// before its WAL record reaches the disk, when another step of the run
// follows: a run of many small revisions then costs one flush of the WAL,
// not one a revision. Each revision still commits on its own with its
// version-table change, so a crash of the server loses whole revisions
// from the end of the run, never part of one, and the version table
// stays true; the run's last commit waits for the flush as usual, which
// makes every earlier commit durable too (the WAL is flushed in order),
// and a run that stops early flushes them itself (durable). A crash of
// strata loses nothing: the server flushes them within a fraction of a
// second.
func (m *Migrator) noWait() []string {
	if m.d != dialect.Postgres || !m.more {
		return nil
	}
	return []string{pgNoWait}
}

// pgNoWait is the statement noWait returns.
const pgNoWait = "SET LOCAL synchronous_commit = off"

// committed notes that a step's transaction committed: lazily where noWait
// said so, or waiting for the flush, which makes the lazy commits before
// it durable too.
func (m *Migrator) committed() {
	m.lazy = m.d == dialect.Postgres && m.more
}

// durable waits until the commits noWait made lazy are on disk, before a
// run reports how it went: a transaction given an id commits with a WAL
// record that is flushed, with everything before it.
func (m *Migrator) durable(ctx context.Context, conn *sql.Conn) error {
	if !m.lazy {
		return nil
	}
	m.lazy = false
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), "BEGIN;\nSELECT pg_current_xact_id();\nCOMMIT"); err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return fmt.Errorf("wait for the applied revisions to reach the disk: %w", err)
	}
	return nil
}

// after returns the statement restoring the session that a batched step
// sends after its commit, in the same round trip (see capture).
func (m *Migrator) after() []string {
	if m.reset == "" {
		return nil
	}
	return []string{m.reset}
}

// restore brings the run's session back to where it started (see capture).
func (m *Migrator) restore(ctx context.Context, conn *sql.Conn) error {
	if m.reset == "" {
		return nil
	}
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), m.reset); err != nil {
		return fmt.Errorf("restore the session after a revision (%s): %w", m.reset, err)
	}
	return nil
}

// resumable checks the revisions left half-applied by a run outside a
// transaction: the run may go on only by resuming them, as its first
// steps and in the same direction. (A run stopped in a group of whole
// revisions, see group.go, leaves each of them half-applied.)
func (m *Migrator) resumable(g *Graph, hist []History, steps []Step) (map[string]*History, error) {
	half := halfApplied(hist)
	lead := map[string]Step{}
	for _, st := range steps[:min(len(half), len(steps))] {
		lead[st.Revision.ID] = st
	}
	for id, h := range half {
		r, ok := g.byID[id]
		if !ok {
			return nil, errorf(ErrRevisionNotFound, "revision %s is half-applied (statements 1 to %d of its %s ran) but not in the versions directory (probably from another git branch); check out its branch and rerun strata %s there to finish it, or undo those statements by hand and run strata resolve %s --rolled-back",
				id, h.Done, h.Direction, h.Direction, id)
		}
		st, first := lead[r.ID]
		if !first || st.Up != (h.Direction == DirUpgrade) {
			return nil, &HalfAppliedError{Revision: r, Progress: *h}
		}
	}
	return half, nil
}

// apply runs one step: in a transaction with its version-table change where
// the dialect can roll DDL back and the revision allows it; otherwise one
// statement at a time on a single connection.
func (m *Migrator) apply(ctx context.Context, conn *sql.Conn, batch bool, st Step, resume *History) error {
	start := time.Now()
	sec := st.Section()
	stmts, err := m.splits(st)
	if err != nil {
		return fmt.Errorf("%s: split statements: %w", st.Revision.Path, err)
	}
	transactional := m.d.TransactionalDDL() && !st.Revision.NoTransaction
	if !transactional {
		return m.applyTracked(ctx, conn, batch, st, stmts, resume, start)
	}
	stmts, fkOff := foreignKeysOff(m.d, transactional, stmts)
	if batch && !fkOff {
		return m.applyBatched(ctx, conn, st, stmts)
	}
	if fkOff {
		// SQLite ignores the pragma inside a transaction, and a table
		// rebuild with foreign keys on would cascade deletes into the
		// tables referencing it.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = off"); err != nil {
			return err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = on")
	}
	tx, err := m.begin(ctx, conn)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.Text); err != nil {
			return &StmtError{Step: st, Index: i, Total: len(stmts), Stmt: s.Text, Line: stmtLine(sec, s), RolledBack: true, Err: err}
		}
	}
	if fkOff {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return fmt.Errorf("%s: %s: %w; the revision was rolled back", st.Revision.Path, st.Revision.ID, err)
		}
	}
	record := m.table.recordHistory(st.Revision.ID, st.direction(), st.Revision.ContentSum, len(stmts), time.Since(start), "")
	for _, s := range append(append(m.noWait(), st.bookkeeping()...), record) {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: update version table: %w", st.Revision.Path, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit %s: %w; the revision was rolled back", st.Revision.Path, st.Revision.ID, err)
	}
	m.committed()
	return nil
}

// applyBatched runs a step in a transaction like apply, in one round trip
// whatever its size: BEGIN, every statement, the version-table statements
// and COMMIT go together, so that applying a revision costs what the
// server takes to run it and not a round trip per statement. The history
// row's duration is the server's, from BEGIN to the row. When the batch
// fails the transaction is rolled back, and locate finds what to report.
func (m *Migrator) applyBatched(ctx context.Context, conn *sql.Conn, st Step, stmts []dialect.Stmt) error {
	parts, books := m.batchParts(nil, st, stmts, len(m.noWait()) > 0)
	// A newline before each semicolon ends a trailing line comment.
	if _, err := conn.ExecContext(ctx, strings.Join(parts, "\n;\n")); err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return m.locate(ctx, conn, st, stmts, books, err)
	}
	m.committed()
	return nil
}

// batchParts appends to parts a step's transaction as applyBatched sends
// it: BEGIN, its statements, the lazy-commit setting when lazy (see
// noWait), the version-table and history rows (books, returned for
// locate), COMMIT and the statement restoring the session.
func (m *Migrator) batchParts(parts []string, st Step, stmts []dialect.Stmt, lazy bool) ([]string, []string) {
	record := m.table.recordHistorySQL(st.Revision.ID, st.direction(), st.Revision.ContentSum, len(stmts), pgTxMillis, "")
	books := append(st.bookkeeping(), record)
	parts = append(parts, "BEGIN")
	for _, s := range stmts {
		parts = append(parts, bare(s.Text))
	}
	if lazy {
		parts = append(parts, pgNoWait)
	}
	return append(append(append(parts, books...), "COMMIT"), m.after()...), books
}

// locate finds what failed in a batched step, after the batch's
// transaction was rolled back: it runs the statements again one at a time
// in a transaction of its own, which it always rolls back, and reports the
// first that fails as the batch's failure; when they all run, it runs the
// version-table statements (books) and checks deferred constraints, which
// the batch's COMMIT would have, and reports the first of those that
// fails. When it cannot (the session ended, the run was cancelled) or
// nothing fails (the failure was not a statement's own, such as a lock
// timeout), it reports the batch's error with no statement.
func (m *Migrator) locate(ctx context.Context, conn *sql.Conn, st Step, stmts []dialect.Stmt, books []string, batchErr error) error {
	failed := func() error {
		return &StmtError{Step: st, Index: -1, Total: len(stmts), Line: st.Section().Line, RolledBack: true, Err: batchErr}
	}
	if ctx.Err() != nil {
		return failed()
	}
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return failed()
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	for i, s := range stmts {
		if _, err := conn.ExecContext(ctx, s.Text); err != nil {
			if ctx.Err() != nil {
				return failed()
			}
			return &StmtError{Step: st, Index: i, Total: len(stmts), Stmt: s.Text, Line: stmtLine(st.Section(), s), RolledBack: true, Err: err}
		}
	}
	for _, s := range append(books, "SET CONSTRAINTS ALL IMMEDIATE") {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			if ctx.Err() != nil {
				return failed()
			}
			return fmt.Errorf("%s: record %s in the version table and commit: %w; the revision was rolled back", st.Revision.Path, st.Revision.ID, batchErr)
		}
	}
	return failed()
}

// inTx runs stmts in one transaction, in one round trip when batch, and
// then the statements after (in the same round trip when batch).
func (m *Migrator) inTx(ctx context.Context, conn *sql.Conn, batch bool, stmts []string, after ...string) error {
	if batch {
		_, err := conn.ExecContext(ctx, "START TRANSACTION;\n"+strings.Join(append(append(stmts, "COMMIT"), after...), ";\n"))
		if err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
		return err
	}
	tx, err := m.begin(ctx, conn)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, s := range after {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func stmtLine(sec Section, s dialect.Stmt) int {
	return sec.Line + strings.Count(sec.SQL[:s.Pos], "\n")
}

// applyTracked runs a step outside a transaction (MySQL commits DDL on
// its own; no-transaction revisions ask for it), recording after each
// statement how many ran and their checksums, so a failure or a crash
// leaves an exact account and a rerun resumes after the last statement
// that ran, once it has verified those statements are unchanged. On
// PostgreSQL each statement commits with its record (stepAtomic).
func (m *Migrator) applyTracked(ctx context.Context, conn *sql.Conn, batch bool, st Step, stmts []dialect.Stmt, resume *History, start time.Time) error {
	sec := st.Section()
	var (
		id    int64 // the history row, once there is one
		chain string
		from  int
		err   error
	)
	if resume != nil {
		if resume.Total != len(stmts) || resume.Done > len(stmts) {
			return fmt.Errorf("%s: revision %s is half-applied with %d of %d statements run, but the file now has %d statements; restore it, or strata resolve %s", st.Revision.Path, st.Revision.ID, resume.Done, resume.Total, len(stmts), st.Revision.ID)
		}
		for i := 0; i < resume.Done; i++ {
			if len(resume.Sums) == resume.Done && stmtSum(stmts[i].Text) != resume.Sums[i] {
				return fmt.Errorf("%s:%d: statement %d of %s already ran and has been edited since; only statements not yet run (%d to %d) may change; restore it, or strata resolve %s",
					st.Revision.Path, stmtLine(sec, stmts[i]), i+1, st.Revision.ID, resume.Done+1, resume.Total, st.Revision.ID)
			}
			chain = chainSum(chain, stmts[i].Text)
		}
		if len(resume.Sums) != resume.Done && chain != resume.Chain {
			return fmt.Errorf("%s: one of statements 1 to %d of %s, which already ran, has been edited since; only statements not yet run (%d to %d) may change; restore them, or strata resolve %s",
				st.Revision.Path, resume.Done, st.Revision.ID, resume.Done+1, resume.Total, st.Revision.ID)
		}
		id, from = resume.ID, resume.Done
	}
	bg := context.WithoutCancel(ctx)
	if resume != nil && resume.Started == from+1 && from < len(stmts) {
		// The run that stopped had sent statement from+1 (and the rest of
		// its group): which took effect?
		took, err := m.settle(ctx, conn, st, stmts, resume)
		if err != nil {
			return err
		}
		chain, from = chainOver(chain, stmts[from:from+took]), from+took
		if _, err := conn.ExecContext(bg, m.table.progressStmt(id, st, StatusRunning, from, len(stmts), chainPrefix+chain, time.Since(start))); err != nil {
			return fmt.Errorf("%s: record the outcome of statement %d: %w", st.Revision.Path, resume.Started, err)
		}
	}
	// On MySQL a fresh step whose first statement is not DML sends its
	// history row, marked as having sent statement 1, with that statement
	// in one round trip, inside the transaction that commits the carried
	// record of the step before (carry). The row's id is chosen here, as
	// the lock keeps other runs out, so that no round trip asks for it.
	carried := m.d == dialect.MySQL && batch && resume == nil && m.nextID > 0 && len(stmts) > 0 && !isDML(m.d, stmts[0].Text)
	if !carried {
		if lost, err := m.flush(ctx, conn); err != nil {
			m.carryLost = lost
			return err
		}
	}
	// Statements that may go as a group (see group.go) do, on MySQL.
	grouping := m.d == dialect.MySQL && batch && !switchesDatabase(m.d, stmts)
	for k := 0; m.plain && k < len(stmts); k++ {
		_, _, ok := groupTable(m.d, stmts[k].Text)
		m.plain = ok // else its session may change from here on
	}
	if id == 0 && !carried {
		// The history row exists before the first statement is sent, so a
		// stop at any moment leaves a record of what was under way.
		if id, err = m.table.record(bg, conn, 0, st, StatusRunning, 0, len(stmts), chainPrefix, time.Since(start), ""); err != nil {
			return fmt.Errorf("%s: record the start of %s: %w", st.Revision.Path, st.Revision.ID, err)
		}
		if m.nextID > 0 {
			m.nextID = max(m.nextID, id+1)
		}
	}
	// MySQL goes on running a statement whose client has gone (the driver
	// can only close the connection), so a cancelled statement would leave
	// its outcome unknown: there each statement runs to its end, and an
	// interrupted run stops before the next one (interrupted).
	stmtCtx := ctx
	if m.d == dialect.MySQL {
		stmtCtx = bg
	}
	// Each statement goes to the server after the record that it started
	// (in one round trip when batch: MySQL runs the two in order, each
	// committing on its own, and stops at the first error). The record of
	// its end goes with the next statement. On MySQL a statement that
	// only changes rows commits in one transaction with its record instead,
	// so its outcome is never in doubt. (PostgreSQL runs a batch as one
	// implicit transaction, so there stepAtomic does this for every
	// statement that a transaction block allows.)
	pending := ""
	for i := from; i < len(stmts); i++ {
		s := stmts[i]
		if ctx.Err() != nil && i > from {
			return m.interrupted(ctx, conn, id, st, stmts, i, pending)
		}
		if batch && m.d == dialect.Postgres {
			done, err := m.stepAtomic(ctx, conn, id, st, stmts, i, chain, start)
			if err != nil {
				return err
			}
			chain = chainSum(chain, s.Text)
			if done {
				return nil
			}
			continue
		}
		end := i + 1
		if grouping && !isDML(m.d, s.Text) {
			if end, err = m.groupEnd(bg, conn, stmts, i); err != nil {
				return fmt.Errorf("%s: %w", st.Revision.Path, err)
			}
		}
		next := chainOver(chain, stmts[i:end])
		levels := m.lanes(bg, conn, grouping, stmts[i:end])
		if levels != nil || carried && i == 0 {
			if levels != nil {
				id, err = m.laneGroup(ctx, conn, carried && i == 0, id, st, stmts, i, end, levels, chain, start)
			} else {
				id, err = m.startCarried(ctx, conn, st, stmts, end, start)
			}
			if err != nil {
				return err
			}
			chain, i = next, end-1
			if end == len(stmts) {
				break
			}
			pending = m.table.progressStmt(id, st, StatusRunning, end, len(stmts), chainPrefix+chain, time.Since(start))
			continue
		}
		var parts []string
		dml := m.d == dialect.MySQL && isDML(m.d, s.Text)
		want := startedSums(chain, i+1, end, m.connID)
		if dml {
			if pending != "" {
				parts = append(parts, pending)
			}
			parts = append(parts, "START TRANSACTION", bare(s.Text), m.table.progressStmt(id, st, StatusRunning, i+1, len(stmts), chainPrefix+next, time.Since(start)), "COMMIT")
		} else {
			parts = []string{m.table.progressStmt(id, st, StatusRunning, i, len(stmts), want, time.Since(start))}
			for _, g := range stmts[i:end] {
				parts = append(parts, bare(g.Text))
			}
		}
		err := execParts(stmtCtx, conn, batch, parts)
		m.sent(stmts[i:end], err)
		if err != nil {
			if dml {
				conn.ExecContext(bg, "ROLLBACK")
			}
			if !dml && m.table.sumsOf(bg, conn, id) != want {
				return fmt.Errorf("%s: record the start of statement %d: %w", st.Revision.Path, i+1, err)
			}
			return m.groupStmtFailed(bg, conn, id, st, stmts, i, end, start, err)
		}
		pending = ""
		chain, i = next, end-1
		if end == len(stmts) {
			break // the last one is recorded with the version table below
		}
		if !dml {
			pending = m.table.progressStmt(id, st, StatusRunning, end, len(stmts), chainPrefix+chain, time.Since(start))
		}
	}
	// The version table and the history row change together. The
	// statements have run: an interruption must not keep that from the
	// record, or the next run would run the last one again.
	done := m.table.progressStmt(id, st, StatusDone, len(stmts), len(stmts), chainPrefix+chain, time.Since(start))
	if carried {
		m.carry = &carry{stmts: append(append([]string{"START TRANSACTION"}, st.bookkeeping()...), done), steps: 1,
			what: fmt.Sprintf("%s: all %d statements of %s ran", st.Revision.Path, len(stmts), st.Revision.ID)}
		return nil
	}
	if err := m.inTx(bg, conn, batch, append(st.bookkeeping(), done), m.after()...); err != nil {
		return fmt.Errorf("%s: all %d statements of %s ran, but recording them in the version table failed: %w", st.Revision.Path, len(stmts), st.Revision.ID, err)
	}
	return nil
}

// startCarried sends a fresh step's history row, marked as having sent
// statements 1 to end (a group, see group.go, or just the first), and
// those statements in one round trip; when a carried record is waiting,
// the row commits with it in one transaction, and the session is restored
// before the statements. It returns the row's id.
func (m *Migrator) startCarried(ctx context.Context, conn *sql.Conn, st Step, stmts []dialect.Stmt, end int, start time.Time) (int64, error) {
	bg := context.WithoutCancel(ctx)
	id := m.nextID
	mark := startedSums("", 1, end, m.connID)
	parts, c := m.startRow(id, st, len(stmts), mark, start)
	for _, s := range stmts[:end] {
		parts = append(parts, bare(s.Text))
	}
	// A statement runs to its end on MySQL (see applyTracked): bg.
	err := execParts(bg, conn, true, parts)
	m.sent(stmts[:end], err)
	if err == nil {
		m.nextID++
		c.logged(m)
		return id, nil
	}
	// MySQL stopped at the first error: whether the row (and with it the
	// carried record) committed tells a statement's failure from the
	// record's.
	if lost := m.unstarted(bg, conn, c, id, mark, err, st.Revision.Path+": record the start of statement 1"); lost != nil {
		return 0, lost
	}
	m.nextID++
	c.logged(m)
	return 0, m.groupStmtFailed(bg, conn, id, st, stmts, 0, end, start, err)
}

// startRow returns the statements inserting a fresh step's history row id
// (of total statements), marked mark, and the carried record they commit
// with, which they take: the carry's transaction, the row, COMMIT and the
// statement restoring the session; the row alone when nothing is carried.
func (m *Migrator) startRow(id int64, st Step, total int, mark string, start time.Time) ([]string, *carry) {
	row := m.table.insertProgress(id, st, StatusRunning, 0, total, mark, time.Since(start))
	c := m.carry
	m.carry = nil
	if c == nil {
		return []string{row}, nil
	}
	return append(append(append([]string(nil), c.stmts...), row, "COMMIT"), m.after()...), c
}

// unstarted tells, after a round trip that sent a carried record c, the
// start record marking history row id with mark, and statements, and
// failed with err (MySQL stopped at the first error), whether the start
// record committed. If it did not, no statement ran: it returns the error
// to report, the carry's (whose steps are then lost) or the record's
// (what). It returns nil when statements ran and the failure is one of
// theirs.
func (m *Migrator) unstarted(ctx context.Context, conn *sql.Conn, c *carry, id int64, mark string, err error, what string) error {
	conn.ExecContext(ctx, "ROLLBACK")
	if m.table.sumsOf(ctx, conn, id) == mark {
		return nil
	}
	if c != nil {
		m.carryLost = c.steps
		return c.failed(err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// groupStmtFailed records the failure of statements from to end-1 of a
// tracked step, sent together after the record that they were: MySQL ran
// them in order up to the one that failed, which the catalog tells when
// they were a group (ranOf). When it cannot tell, the record stays as
// sent, for the next run to settle.
func (m *Migrator) groupStmtFailed(ctx context.Context, conn *sql.Conn, id int64, st Step, stmts []dialect.Stmt, from, end int, start time.Time, err error) error {
	at := from
	if end > from+1 {
		n, rerr := m.ranOf(ctx, conn, st, stmts, from, end)
		if rerr != nil {
			return fmt.Errorf("%s: a statement of %s failed: %w; which one cannot be told: %w", st.Revision.Path, st.Revision.ID, err, rerr)
		}
		at += n
		if at == end {
			return fmt.Errorf("%s: statements %d to %d of %s all took effect, but the round trip failed: %w; rerun to record them", st.Revision.Path, from+1, end, st.Revision.ID, err)
		}
	}
	return m.stmtFailed(ctx, conn, id, st, stmts, at, start, err)
}

// execParts runs parts in order, stopping at the first error: in one round
// trip when batch.
func execParts(ctx context.Context, conn *sql.Conn, batch bool, parts []string) error {
	if batch {
		// A newline before each semicolon ends a trailing line comment.
		_, err := conn.ExecContext(ctx, strings.Join(parts, "\n;\n"))
		return err
	}
	for _, p := range parts {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// bare returns a statement without its closing semicolon, to join others.
func bare(stmt string) string {
	return strings.TrimRightFunc(strings.TrimSuffix(strings.TrimRightFunc(stmt, unicode.IsSpace), ";"), unicode.IsSpace)
}

// interrupted ends a tracked step cancelled after statement i-1, whose
// record is committed or, batched, pending: the history row says i of
// them ran, so the next run resumes at statement i+1 (1-based).
func (m *Migrator) interrupted(ctx context.Context, conn *sql.Conn, id int64, st Step, stmts []dialect.Stmt, i int, pending string) error {
	if pending != "" {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), pending); err != nil {
			return fmt.Errorf("%s: interrupted after statement %d of %d of %s, and recording that failed: %w; strata current shows how far the history says it got", st.Revision.Path, i, len(stmts), st.Revision.ID, err)
		}
	}
	return fmt.Errorf("%s: interrupted after statement %d of %d of %s (%w); those ran and are recorded: rerun strata %s to resume at statement %d",
		st.Revision.Path, i, len(stmts), st.Revision.ID, context.Cause(ctx), st.direction(), i+1)
}

// stmtFailed records that statement i of a tracked step failed, after i
// statements ran, with each one's checksum, so that a resumed run can name
// the one edited, and returns the error to report.
func (m *Migrator) stmtFailed(ctx context.Context, conn *sql.Conn, id int64, st Step, stmts []dialect.Stmt, i int, start time.Time, err error) error {
	sums := make([]string, i)
	for k := range sums {
		sums[k] = stmtSum(stmts[k].Text)
	}
	m.table.record(ctx, conn, id, st, StatusFailed, i, len(stmts), strings.Join(sums, ","), time.Since(start), err.Error())
	s := stmts[i]
	return &StmtError{Step: st, Index: i, Total: len(stmts), Stmt: s.Text, Line: stmtLine(st.Section(), s), Err: err, Hint: m.invalidIndexes(ctx, conn, s.Text)}
}

// concurrentIndex matches the statements after whose failure PostgreSQL
// leaves an invalid index behind.
var concurrentIndex = regexp.MustCompile(`(?is)^\s*(create\s+(unique\s+)?index|reindex)\b.*\bconcurrently\b`)

// invalidIndexes names, after a failed CREATE INDEX CONCURRENTLY or REINDEX
// CONCURRENTLY on PostgreSQL, the invalid indexes in the database: the
// failure leaves its index there, still maintained on every write but
// never used, and a rerun of the statement fails on its name.
func (m *Migrator) invalidIndexes(ctx context.Context, q querier, stmt string) string {
	if m.d != dialect.Postgres || !concurrentIndex.MatchString(stmt) {
		return ""
	}
	rows, err := q.QueryContext(ctx, `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`)
	if err != nil {
		return ""
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	drop := "DROP INDEX CONCURRENTLY <name>"
	if len(names) == 1 {
		drop = "DROP INDEX CONCURRENTLY " + names[0]
	}
	return fmt.Sprintf("PostgreSQL leaves an invalid index behind when a concurrent index build fails; invalid indexes now: %s; drop the one this statement left (%s) before rerunning",
		strings.Join(names, ", "), drop)
}

// stepAtomic runs statement i of a tracked step on PostgreSQL in one
// transaction with its progress record, in one round trip, and with the
// version-table change when it is the last statement: the record can then
// never disagree with the schema, whatever stops the run, and each
// statement costs one commit, as in psql's autocommit. chain covers the
// statements before i. It reports whether the step is recorded finished.
// A statement PostgreSQL refuses in a transaction block (CREATE INDEX
// CONCURRENTLY, VACUUM, ...) runs alone, its record after it (the last
// one's by applyTracked, with the version table).
func (m *Migrator) stepAtomic(ctx context.Context, conn *sql.Conn, id int64, st Step, stmts []dialect.Stmt, i int, chain string, start time.Time) (bool, error) {
	s := stmts[i]
	bg := context.WithoutCancel(ctx)
	prev := chain
	chain = chainSum(chain, s.Text)
	last := i+1 == len(stmts)
	status := StatusRunning
	if last {
		status = StatusDone
	}
	record := m.table.progressStmt(id, st, status, i+1, len(stmts), chainPrefix+chain, time.Since(start))
	parts := []string{"BEGIN", s.Text, record}
	if last {
		parts = append(parts[:2], append(st.bookkeeping(), record)...)
	}
	parts = append(parts, "COMMIT")
	if last {
		parts = append(parts, m.after()...)
	}
	// A newline before each semicolon ends a statement's trailing line comment.
	_, err := conn.ExecContext(ctx, strings.Join(parts, "\n;\n"))
	if err == nil {
		return last, nil
	}
	conn.ExecContext(bg, "ROLLBACK")
	var se interface{ SQLState() string }
	if !errors.As(err, &se) || se.SQLState() != "25001" {
		// The statement and its record went back together: i statements ran.
		return false, m.stmtFailed(bg, conn, id, st, stmts, i, start, err)
	}
	// Not in a transaction block (SQLSTATE 25001): alone, after the record
	// that it started, then the record of its end.
	if _, err := conn.ExecContext(bg, m.table.progressStmt(id, st, StatusRunning, i, len(stmts), startedSums(prev, i+1, i+1, m.connID), time.Since(start))); err != nil {
		return false, fmt.Errorf("%s: record the start of statement %d: %w", st.Revision.Path, i+1, err)
	}
	if _, err := conn.ExecContext(ctx, s.Text); err != nil {
		return false, m.stmtFailed(bg, conn, id, st, stmts, i, start, err)
	}
	if last {
		return false, nil // applyTracked records it with the version table
	}
	if _, err = m.table.record(bg, conn, id, st, StatusRunning, i+1, len(stmts), chainPrefix+chain, time.Since(start), ""); err != nil {
		return false, fmt.Errorf("%s: record progress after statement %d: %w", st.Revision.Path, i+1, err)
	}
	return false, nil
}

// foreignKeysOff recognises a SQLite revision that switches foreign keys
// off and on around its statements (Atlas plans table rebuilds so). Inside
// a transaction the pragmas do nothing, so they are taken out of the
// statements and the runner applies them around the transaction.
func foreignKeysOff(d dialect.Name, transactional bool, stmts []dialect.Stmt) ([]dialect.Stmt, bool) {
	if d != dialect.SQLite || !transactional {
		return stmts, false
	}
	pragma := func(s dialect.Stmt) string {
		return strings.TrimSuffix(strings.ToLower(strings.Join(strings.Fields(s.Text), "")), ";")
	}
	off := false
	for _, s := range stmts {
		if pragma(s) == "pragmaforeign_keys=off" {
			off = true
		}
	}
	if !off {
		return stmts, false
	}
	kept := make([]dialect.Stmt, 0, len(stmts))
	for _, s := range stmts {
		if p := pragma(s); p != "pragmaforeign_keys=off" && p != "pragmaforeign_keys=on" {
			kept = append(kept, s)
		}
	}
	return kept, true
}

// foreignKeyCheck fails if rows violate a foreign key, as they may after a
// rebuild done with foreign keys off.
func foreignKeyCheck(ctx context.Context, ex querier) error {
	rows, err := ex.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var (
			table, parent string
			rowid         sql.NullInt64
			fkid          int
		)
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return err
		}
		bad = append(bad, fmt.Sprintf("%s row %d references a missing %s row", table, rowid.Int64, parent))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(bad) > 0 {
		return fmt.Errorf("foreign key check failed: %s", strings.Join(bad, "; "))
	}
	return nil
}

// checkEdited stops a run when applied revision files were edited, or,
// with WithAllowEdited, records that the edits were accepted.
func (m *Migrator) checkEdited(ctx context.Context, conn *sql.Conn, g *Graph, hist []History, applied set) error {
	edited, err := m.table.edited(ctx, conn, g, hist, applied)
	if err != nil {
		return err
	}
	if len(edited) == 0 {
		return nil
	}
	if !m.allowEdited {
		return &EditedError{Revisions: edited}
	}
	for _, r := range edited {
		stmt := m.table.recordHistory(r.ID, DirAcceptEdit, r.ContentSum, 0, 0, "--allow-edited")
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("record accepted edit of %s: %w", r.ID, err)
		}
	}
	return nil
}

// StmtError reports a statement of a revision that failed.
type StmtError struct {
	Step Step
	// Index is the 0-based index of the failing statement, or -1 when the
	// statements went to the server together and which one failed is not
	// known (the session ended or the run was cancelled under them, or
	// none failed when run again; see locate).
	Index int
	Total int
	Stmt  string
	Line  int // file line where the statement starts
	// RolledBack is true when the revision ran in a transaction, so none of
	// its statements took effect.
	RolledBack bool
	Err        error
	// Hint, if not empty, is what the database left behind that the
	// error alone does not say.
	Hint string
}

func (e *StmtError) Error() string {
	dir := "upgrade"
	if !e.Step.Up {
		dir = "downgrade"
	}
	var b strings.Builder
	if e.Index < 0 {
		fmt.Fprintf(&b, "%s:%d: %s of %s failed in one of its %d statements, sent together: %s",
			e.Step.Revision.Path, e.Line, dir, e.Step.Revision.ID, e.Total, errText(e.Err))
	} else {
		fmt.Fprintf(&b, "%s:%d: %s of %s failed at statement %d of %d: %s\n  %s",
			e.Step.Revision.Path, e.Line, dir, e.Step.Revision.ID, e.Index+1, e.Total, errText(e.Err), firstLines(e.Stmt, 3))
	}
	switch {
	case e.RolledBack:
		b.WriteString("\nthe revision was rolled back; the version table is unchanged")
		if lockTableFull(e.Err) {
			b.WriteString("\nPostgreSQL's lock table is full: one transaction holds at most about max_locks_per_transaction × (max_connections + max_prepared_transactions) locks," +
				" and each table a revision creates takes several; raise max_locks_per_transaction (a server restart), split the revision," +
				" or run it statement by statement with -- strata:no-transaction")
		}
	case e.Index == 0:
		fmt.Fprintf(&b, "\nno statement of this revision ran; the version table is unchanged; fix the statement and rerun strata %s", dir)
	default:
		fmt.Fprintf(&b, "\nstatements 1 to %d of this revision already ran and were not rolled back (no transactional DDL); the version table is unchanged;"+
			" fix statement %d and rerun strata %s to resume there, or settle it with strata resolve %s", e.Index, e.Index+1, dir, e.Step.Revision.ID)
	}
	if e.Hint != "" {
		b.WriteString("\n" + e.Hint)
	}
	return b.String()
}

// Unwrap returns the database error.
func (e *StmtError) Unwrap() error { return e.Err }

// lockTableFull reports whether err is PostgreSQL's "out of shared memory"
// (SQLSTATE 53200), which a transaction taking more locks than the lock
// table holds gets. lib/pq and pgx errors both have SQLState.
func lockTableFull(err error) bool {
	var se interface{ SQLState() string }
	return errors.As(err, &se) && se.SQLState() == "53200"
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n  ")
}

// Stamp sets the version table to the given targets without running any
// revision. "base" (or no target) empties it. With purge, rows naming
// revisions that are not in the directory are dropped instead of refused.
func (m *Migrator) Stamp(ctx context.Context, targets []string, purge bool) ([]string, error) {
	var rs []*Revision
	for _, s := range targets {
		t, err := ParseTarget(s)
		if err != nil {
			return nil, err
		}
		if t.Delta != 0 {
			return nil, fmt.Errorf("stamp target %q: relative targets are not allowed", s)
		}
		got, err := m.graph.targetRevisions(t, nil)
		if err != nil {
			return nil, err
		}
		rs = append(rs, got...)
	}
	conn, done, _, err := m.session(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	if !purge {
		if _, err := m.applied(ctx, conn); err != nil {
			return nil, fmt.Errorf("%w\n(strata stamp --purge replaces the rows regardless, leaving the schema changes of the revisions it forgets in the database)", err)
		}
	}
	stored, err := m.table.storedMetas(ctx, conn)
	if err != nil {
		return nil, err
	}
	now := m.graph.ancestors(rs...)
	heads := m.graph.headsOf(now)
	tx, err := m.begin(ctx, conn)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	stmts := []string{m.table.deleteAll()}
	out := []string{}
	for _, h := range heads {
		stmts = append(stmts, m.table.insert(h.ID), m.table.recordHistory(h.ID, DirStamp, h.ContentSum, 0, 0, ""))
		out = append(out, h.ID)
	}
	// The stored files follow the new applied set, as after an upgrade.
	for id := range stored {
		if r, ok := m.graph.byID[id]; !ok || !now.has(r) {
			stmts = append(stmts, m.table.store(&Revision{ID: id}, false)...)
		}
	}
	for _, r := range m.graph.members(now) {
		if meta, ok := stored[r.ID]; !ok || meta.checksum != r.Checksum || !sameLinks(meta.revises, r.Revises) {
			stmts = append(stmts, m.table.store(r, true)...)
		}
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("stamp: %w", err)
		}
	}
	return out, tx.Commit()
}
