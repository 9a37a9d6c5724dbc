package versions

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Sentinel errors callers can branch on with errors.Is.
var (
	// ErrMultipleHeads: a target or command needs one head and there are several.
	ErrMultipleHeads = errors.New("multiple heads")
	// ErrRevisionNotFound: a target names no revision or branch label.
	ErrRevisionNotFound = errors.New("revision not found")
	// ErrAmbiguous: a prefix or relative step matches several revisions.
	ErrAmbiguous = errors.New("ambiguous revision")
	// ErrCycle: the Revises links form a cycle.
	ErrCycle = errors.New("cycle")
)

// sentinelError is a message that errors.Is matches against a sentinel
// without repeating the sentinel's text.
type sentinelError struct {
	msg      string
	sentinel error
}

func (e *sentinelError) Error() string { return e.msg }
func (e *sentinelError) Unwrap() error { return e.sentinel }

// errorf formats a message and marks it as an instance of sentinel.
func errorf(sentinel error, format string, args ...any) error {
	return &sentinelError{msg: fmt.Sprintf(format, args...), sentinel: sentinel}
}

// FileError is a problem with one revision file, at a line when known.
type FileError struct {
	File string
	Line int // 0 when the problem is with the file as a whole
	Msg  string
	Err  error // an underlying sentinel, if any
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap returns the underlying sentinel error, if any.
func (e *FileError) Unwrap() error { return e.Err }

// ErrorList is every problem found in a pass over a directory, sorted by
// file and line, printed one per line.
type ErrorList []*FileError

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors, so errors.Is finds a sentinel in any of them.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		return l[i].Line < l[j].Line
	})
}

// errText is err's message, in plain words where the driver's are not:
// database/sql says only "driver: bad connection" when the server ended
// the session under a statement.
func errText(err error) string {
	if errors.Is(err, driver.ErrBadConn) {
		return SessionEnded
	}
	return err.Error()
}

// SessionEnded says in plain words what database/sql's "driver: bad
// connection" means under a statement.
const SessionEnded = "the database server ended the session (its backend was terminated, the server restarted, or the connection dropped)"
