package versions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/strata-db/strata/dialect"
)

// ErrLockTimeout: another runner held the migration lock for longer than
// the lock timeout.
var ErrLockTimeout = errors.New("timed out waiting for the migration lock")

// DefaultLockTimeout is how long a runner waits for another to finish.
const DefaultLockTimeout = 5 * time.Minute

// lock opens the connection a run uses and takes the database-level
// migration lock on it for the whole run, so one runner at a time applies
// revisions: pg_advisory_lock on PostgreSQL, GET_LOCK on MySQL, an OS
// file lock beside the database file on SQLite. All are released if the
// process dies. m.wait is called once, with the holder, if the lock is
// taken; after the lock timeout the run gives up with ErrLockTimeout.
func (m *Migrator) lock(ctx context.Context) (*sql.Conn, func(), error) {
	deadline := time.Now().Add(m.lockTimeout)
	waited := false
	delay := 20 * time.Millisecond
	var conn *sql.Conn
	for {
		var (
			ok      bool
			err     error
			holder  = func(context.Context) string { return "another process" }
			release func(context.Context)
		)
		if conn == nil {
			// On SQLite merely connecting reads the schema, which a
			// commit in another connection can briefly block.
			conn, err = m.db.Conn(ctx)
		}
		if conn != nil {
			var try func(context.Context) (bool, error)
			try, holder, release = m.lockFuncs(conn)
			ok, err = try(ctx)
		}
		switch {
		case ok:
			return conn, func() {
				release(context.WithoutCancel(ctx))
				conn.Close()
			}, nil
		case err != nil && !(m.d == dialect.SQLite && isBusy(err)):
			if conn != nil {
				conn.Close()
			}
			return nil, nil, fmt.Errorf("migration lock: %w", err)
		}
		if !waited {
			waited = true
			m.wait(holder(ctx))
		}
		if time.Now().After(deadline) {
			if conn != nil {
				conn.Close()
			}
			return nil, nil, fmt.Errorf("%w held by %s (waited %s; see --lock-timeout)", ErrLockTimeout, holder(ctx), m.lockTimeout)
		}
		select {
		case <-ctx.Done():
			if conn != nil {
				conn.Close()
			}
			return nil, nil, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, time.Second)
	}
}

// lockKey names the lock after the version table, so projects sharing a
// server but not a table do not wait for each other.
func (m *Migrator) lockKey() int64 {
	h := fnv.New64a()
	h.Write([]byte("strata:" + m.table.name))
	return int64(h.Sum64())
}

func (m *Migrator) lockFuncs(conn *sql.Conn) (try func(context.Context) (bool, error), holder func(context.Context) string, release func(context.Context)) {
	switch m.d {
	case dialect.Postgres:
		key := m.lockKey()
		try = func(ctx context.Context) (ok bool, err error) {
			err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok)
			return ok, err
		}
		holder = func(ctx context.Context) string {
			var pid int
			var addr, app sql.NullString
			// A bigint advisory key is stored as two 32-bit halves.
			err := conn.QueryRowContext(ctx, `SELECT l.pid, host(a.client_addr), a.application_name
				FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
				WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
				AND l.classid::bigint = $1 AND l.objid::bigint = $2 LIMIT 1`,
				int64(uint32(uint64(key)>>32)), int64(uint32(uint64(key)))).Scan(&pid, &addr, &app)
			if err != nil {
				return "another runner"
			}
			return fmt.Sprintf("PostgreSQL backend %d (client %s)", pid, orUnknown(addr))
		}
		release = func(ctx context.Context) { conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", key) }
	case dialect.MySQL:
		name := m.mysqlLockPrefix()
		try = func(ctx context.Context) (bool, error) {
			var got sql.NullInt64
			err := conn.QueryRowContext(ctx, "SELECT GET_LOCK("+mysqlLockName+", 0)", name).Scan(&got)
			return got.Valid && got.Int64 == 1, err
		}
		holder = func(ctx context.Context) string {
			var id int64
			var host sql.NullString
			err := conn.QueryRowContext(ctx, `SELECT p.id, p.host FROM information_schema.processlist p
				WHERE p.id = IS_USED_LOCK(`+mysqlLockName+`)`, name).Scan(&id, &host)
			if err != nil {
				return "another runner"
			}
			return fmt.Sprintf("MySQL connection %d (%s)", id, orUnknown(host))
		}
		release = func(ctx context.Context) { conn.ExecContext(ctx, "DO RELEASE_LOCK("+mysqlLockName+")", name) }
	default:
		// SQLite has no lock a connection can hold across transactions
		// without also shutting out every other connection (and, on a WAL
		// database, without waiting for all of them to close), so the lock
		// is an OS file lock (flock, LockFileEx) on the database's path plus
		// LockSuffix: other connections, the application's included, go on
		// reading and writing between revisions, as on the other dialects.
		// The OS drops the lock if the process dies.
		var (
			fl       *fileLock
			lockPath string // known once the first try has read the file name
		)
		try = func(ctx context.Context) (bool, error) {
			// Other connections may use the database all through the run:
			// wait for SQLite's own locks instead of failing, as long as the
			// connection says (the CLI's URL: 5 s, or the URL's own), or
			// 10 s if it would not wait at all.
			var busy int
			if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
				return false, err
			}
			if busy == 0 {
				if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 10000"); err != nil {
					return false, err
				}
			}
			var file string
			if err := conn.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
				return false, err
			}
			if file == "" {
				return true, nil // in memory, out of any other process's reach
			}
			lockPath = file + LockSuffix
			l, ok, err := tryFileLock(lockPath)
			if err != nil || !ok {
				return false, err
			}
			fl = l
			host, err := os.Hostname()
			if err != nil {
				host = "an unknown host"
			}
			// Only for the message of a runner that waits.
			os.WriteFile(fl.path(), []byte(fmt.Sprintf("process %d on %s", os.Getpid(), host)), 0o600)
			return true, nil
		}
		holder = func(context.Context) string {
			if lockPath != "" {
				if b, err := os.ReadFile(lockPath); err == nil && len(b) > 0 {
					return string(b)
				}
			}
			return "another process"
		}
		release = func(context.Context) {
			if fl != nil {
				fl.release()
			}
		}
	}
	return try, holder, release
}

// mysqlLockName is the name of the MySQL lock, given mysqlLockPrefix: per
// version table and database, and within MySQL's limit of 64 characters
// for a lock name, which a database name alone may reach.
const mysqlLockName = "CONCAT(?, CRC32(DATABASE()))"

func (m *Migrator) mysqlLockPrefix() string {
	return fmt.Sprintf("strata:%x:", uint64(m.lockKey()))
}

func orUnknown(s sql.NullString) string {
	if s.Valid && s.String != "" {
		return s.String
	}
	return "local"
}

// LockSuffix names the file whose OS lock is the migration lock of a SQLite
// database: its path plus LockSuffix. It exists while a runner holds the
// lock and says which process that is.
const LockSuffix = ".strata-lock"

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY")
}

// fileLock is an OS file lock (flock, LockFileEx) on a file that exists
// only while the lock is held: the holder removes it before unlocking, so
// a lock won on a file no longer at its path is no lock. The OS releases
// it if the process dies; a file left behind is taken over.
type fileLock struct{ fl *flock.Flock }

// tryFileLock tries once to take the lock at path.
func tryFileLock(path string) (*fileLock, bool, error) {
	fl := flock.New(path)
	ok, err := fl.TryLock()
	if err != nil || !ok {
		return nil, false, err
	}
	held, err1 := fl.Stat()
	onDisk, err2 := os.Stat(path)
	if err1 != nil || err2 != nil || !os.SameFile(held, onDisk) {
		fl.Unlock()
		return nil, false, nil
	}
	return &fileLock{fl: fl}, true, nil
}

func (l *fileLock) path() string { return l.fl.Path() }

func (l *fileLock) release() {
	os.Remove(l.fl.Path())
	l.fl.Unlock()
}
