package versions

import (
	"context"
	"database/sql"

	"github.com/strata-db/strata/dialect"
)

// txn is a transaction on the run's connection.
type txn interface {
	querier
	Commit() error
	Rollback() error
}

// begin starts a transaction on conn. On SQLite it is BEGIN IMMEDIATE,
// which takes the write lock (waiting the busy timeout for it) before the
// first statement. A plain BEGIN reads first, and a statement that then
// needs to write fails at once with "database is locked", without waiting,
// if another connection wrote in between; the migration lock keeps other
// runners out, but not the application.
func (m *Migrator) begin(ctx context.Context, conn *sql.Conn) (txn, error) {
	if m.d != dialect.SQLite {
		return conn.BeginTx(ctx, nil)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return nil, err
	}
	return &immediateTx{Conn: conn, ctx: ctx, open: true}, nil
}

// immediateTx is a SQLite transaction begun by hand, as database/sql
// cannot say BEGIN IMMEDIATE.
type immediateTx struct {
	*sql.Conn
	ctx  context.Context
	open bool
}

// Commit commits, or rolls back if the commit fails (a deferred foreign
// key, a busy database): SQLite leaves the transaction open then.
func (t *immediateTx) Commit() error {
	if !t.open {
		return sql.ErrTxDone
	}
	t.open = false
	_, err := t.Conn.ExecContext(t.ctx, "COMMIT")
	if err != nil {
		t.Conn.ExecContext(context.WithoutCancel(t.ctx), "ROLLBACK")
	}
	return err
}

func (t *immediateTx) Rollback() error {
	if !t.open {
		return sql.ErrTxDone
	}
	t.open = false
	_, err := t.Conn.ExecContext(context.WithoutCancel(t.ctx), "ROLLBACK")
	return err
}
