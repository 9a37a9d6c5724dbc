package introspect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strata-db/strata/dialect"
)

// The database/sql driver names strata opens.
const (
	DriverPostgres = "postgres" // github.com/lib/pq
	DriverMySQL    = "mysql"    // github.com/go-sql-driver/mysql
	DriverSQLite   = "sqlite"   // modernc.org/sqlite
)

// URL is a parsed database URL.
type URL struct {
	Dialect dialect.Name
	// Driver is the database/sql driver name and DSN its connection string.
	Driver string
	DSN    string
	// Database is the database (PostgreSQL, MySQL) or file path (SQLite).
	Database string
	// Password is the password the URL carries, if any, so callers can scrub
	// it from messages they did not produce.
	Password string
	// Secrets are every credential the URL carries: the password and the
	// values of password-like query parameters (password=, sslpassword=).
	Secrets []string
	// ConnectTimeout bounds connecting, handshake included: the URL's
	// connect_timeout (seconds), or DefaultConnectTimeout.
	ConnectTimeout time.Duration

	redacted string
	raw      string
}

// Raw returns the URL as given, password included; never print it.
func (u *URL) Raw() string { return u.raw }

// String returns the URL with any password replaced by "xxxxx".
func (u *URL) String() string { return u.redacted }

// ParseURL parses a database URL: postgres:// or postgresql://,
// mysql:// or mariadb://, sqlite://relative.db or sqlite:///abs/path.db.
// Errors never contain the password.
func ParseURL(raw string) (*URL, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		if hint, ok := mysqlURLFor(raw); ok {
			return nil, fmt.Errorf("database url: %q is a Go MySQL driver DSN, not a URL; write it as %s", redactDSN(raw), hint)
		}
		return nil, fmt.Errorf("database url %q: want scheme://..., e.g. sqlite://strata.db or postgres://user@host/db", redactRaw(raw))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		return parseSQLite(rest)
	case "postgres", "postgresql":
		return parseNet(raw, dialect.Postgres)
	case "mysql", "mariadb", "maria":
		return parseNet(raw, dialect.MySQL)
	}
	return nil, fmt.Errorf("database url: unsupported scheme %q (want postgres, postgresql, mysql, mariadb or sqlite)", scheme)
}

func parseSQLite(rest string) (*URL, error) {
	path, query, _ := strings.Cut(rest, "?")
	if path == "" {
		return nil, errors.New("database url: sqlite:// needs a file path, e.g. sqlite://strata.db or sqlite:///var/lib/app.db")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("database url: bad query: %w", err)
	}
	// Foreign keys are on, as every other dialect enforces them.
	q.Add("_pragma", "foreign_keys(1)")
	// Other connections (the application's, a runner's revision) hold
	// SQLite's locks while they write: wait up to 5 s for them rather than
	// fail at once with "database is locked", unless the URL says how long.
	// (The migration lock is a file lock, waited for with --lock-timeout.)
	if !slices.ContainsFunc(q["_pragma"], func(p string) bool { return strings.HasPrefix(strings.ToLower(strings.TrimSpace(p)), "busy_timeout") }) {
		q.Add("_pragma", "busy_timeout(5000)")
	}
	dsn := "file:" + path + "?" + q.Encode()
	if path == ":memory:" {
		dsn = "file::memory:?" + q.Encode()
	}
	return &URL{
		Dialect:  dialect.SQLite,
		Driver:   DriverSQLite,
		DSN:      dsn,
		Database: path,
		redacted: "sqlite://" + rest,
		raw:      "sqlite://" + rest,
	}, nil
}

// DefaultConnectTimeout bounds connecting to a server that accepts the
// connection and never answers, unless the URL sets connect_timeout.
const DefaultConnectTimeout = 10 * time.Second

// connectTimeout reads connect_timeout (whole seconds, as libpq has it;
// 0 waits without end) from q.
func connectTimeout(q url.Values, shown string) (time.Duration, error) {
	v := q.Get("connect_timeout")
	if v == "" {
		return DefaultConnectTimeout, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("database url %s: connect_timeout=%q is not a number of seconds", shown, v)
	}
	return time.Duration(n) * time.Second, nil
}

// ErrAmbiguousURL: a database URL whose password holds an unencoded
// character that moves where the URL's parts begin.
var ErrAmbiguousURL = errors.New("database url is ambiguous: a password holding /, #, ? or @ must be percent-encoded (%2F, %23, %3F, %40); the URL is not shown")

// secretParam reports whether a query parameter carries a credential.
func secretParam(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "password") || k == "pass" || k == "pwd"
}

func parseNet(raw string, d dialect.Name) (*URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("database url %q is malformed", redactRaw(raw))
	}
	// An unencoded /, ? or # in the password makes url.Parse take the rest
	// for a path, a query or a fragment, and the password for a port:
	// refuse what cannot be read one way only, without echoing it. (An @
	// in a query needs encoding then too.)
	_, rest, _ := strings.Cut(raw, "://")
	if u.Fragment != "" || u.RawFragment != "" || u.User == nil && strings.Contains(rest, "@") || strings.Contains(u.Host, "@") {
		return nil, ErrAmbiguousURL
	}
	pw, _ := u.User.Password()
	out := &URL{Dialect: d, Password: pw, raw: raw, Database: strings.TrimPrefix(u.Path, "/")}
	if pw != "" {
		out.Secrets = append(out.Secrets, pw)
	}
	q := u.Query()
	shown := *u
	shownQ := url.Values{}
	for k, vs := range q {
		for _, v := range vs {
			if secretParam(k) && v != "" {
				out.Secrets = append(out.Secrets, v)
				v = "xxxxx"
			}
			shownQ.Add(k, v)
		}
	}
	shown.RawQuery = shownQ.Encode()
	if u.RawQuery == "" {
		shown.RawQuery = ""
	}
	out.redacted = shown.Redacted()
	if out.Database == "" {
		return nil, fmt.Errorf("database url %s: no database name in the path", out.redacted)
	}
	if out.ConnectTimeout, err = connectTimeout(q, out.redacted); err != nil {
		return nil, err
	}
	if d == dialect.Postgres {
		out.Driver = DriverPostgres
		u.Scheme = "postgres"
		if !q.Has("sslmode") {
			// Local and CI servers rarely speak TLS; prefer it where offered.
			q.Set("sslmode", "prefer")
		}
		if !q.Has("connect_timeout") {
			// lib/pq applies it to the TCP connect and the handshake.
			q.Set("connect_timeout", strconv.Itoa(int(DefaultConnectTimeout/time.Second)))
		}
		u.RawQuery = q.Encode()
		out.DSN = u.String()
		return out, nil
	}
	out.Driver = DriverMySQL
	host := u.Host
	if host == "" {
		host = "127.0.0.1:3306"
	} else if u.Port() == "" {
		host += ":3306"
	}
	// go-sql-driver calls it timeout, and would take connect_timeout for a
	// server variable to set.
	q.Del("connect_timeout")
	if out.ConnectTimeout > 0 {
		q.Set("timeout", out.ConnectTimeout.String())
	}
	q.Set("parseTime", "true")
	// Several statements in one Exec let the runner record a revision in
	// one round trip; revision files are still run statement by statement.
	q.Set("multiStatements", "true")
	var userinfo string
	if u.User != nil {
		userinfo = u.User.Username()
		if pw != "" {
			userinfo += ":" + pw
		}
		userinfo += "@"
	}
	out.DSN = fmt.Sprintf("%stcp(%s)/%s?%s", userinfo, host, out.Database, q.Encode())
	return out, nil
}

// goDSN matches a go-sql-driver/mysql DSN: [user[:password]@]tcp(host)/db[?params].
var goDSN = regexp.MustCompile(`^(?:([^:@/]*)(?::([^@]*))?@)?tcp\(([^)]*)\)/([^?]*)(\?.*)?$`)

// mysqlURLFor returns the mysql:// URL for a Go MySQL DSN, its password
// shown as xxxxx, and whether raw is one.
func mysqlURLFor(raw string) (string, bool) {
	m := goDSN.FindStringSubmatch(raw)
	if m == nil {
		return "", false
	}
	user := m[1]
	if m[2] != "" {
		user += ":xxxxx"
	}
	if user != "" {
		user += "@"
	}
	return "mysql://" + user + m[3] + "/" + m[4] + m[5], true
}

// redactDSN hides the password of a Go MySQL DSN.
func redactDSN(raw string) string {
	if m := goDSN.FindStringSubmatchIndex(raw); m != nil && m[4] >= 0 && m[5] > m[4] {
		return raw[:m[4]] + "xxxxx" + raw[m[5]:]
	}
	return raw
}

// redactRaw hides the userinfo of a URL that did not parse.
func redactRaw(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		if strings.Contains(raw, "@") {
			return "xxxxx"
		}
		return raw
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		return scheme + "://xxxxx@" + rest[at+1:]
	}
	return raw
}

// Open opens and pings the database at u. SQLite gets a single connection so
// that connection-level settings (PRAGMA foreign_keys) and in-memory
// databases behave.
func Open(ctx context.Context, u *URL) (*sql.DB, error) {
	db, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		return nil, fmt.Errorf("open %s: %s", u, u.Scrub(err.Error()))
	}
	if u.Dialect == dialect.SQLite {
		db.SetMaxOpenConns(1)
	}
	if err := ping(ctx, db, u.ConnectTimeout); err != nil && !(u.Dialect == dialect.SQLite && strings.Contains(err.Error(), "SQLITE_BUSY")) {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %s%s", u, u.Scrub(err.Error()), connectHint(u, err))
	}
	return db, nil
}

// ping connects, giving up after timeout (0: none) or when ctx ends,
// whether or not the driver watches ctx during its handshake: a server
// that accepts the connection and never answers must not hold strata,
// nor keep it from stopping on a signal.
func ping(ctx context.Context, db *sql.DB, timeout time.Duration) error {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, timeout, fmt.Errorf("no answer within %s (set connect_timeout in the URL to wait longer)", timeout))
		defer cancel()
	}
	done := make(chan error, 1)
	go func() { done <- db.PingContext(ctx) }()
	select {
	case err := <-done:
		if err != nil && ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return err
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// Scrub replaces every credential of u in s with "xxxxx".
func (u *URL) Scrub(s string) string {
	for _, secret := range u.Secrets {
		s = Scrub(s, secret)
	}
	return s
}

// connectHint says what to do about a failed connection whose driver
// error does not say it.
func connectHint(u *URL, err error) string {
	msg := err.Error()
	server := map[dialect.Name]string{dialect.Postgres: "a PostgreSQL", dialect.MySQL: "a MySQL or MariaDB"}[u.Dialect]
	switch {
	case strings.Contains(msg, "connection refused"):
		return "; nothing listens there: is the server running, and are the host and port right?"
	case server != "" && (msg == "invalid connection" || strings.Contains(msg, "EOF") || strings.Contains(msg, "connection reset by peer") ||
		strings.Contains(msg, "unknown response for startup")):
		return fmt.Sprintf("; the server broke off the handshake: is it %s server (the URL says %s), and is the port right?", server, strings.SplitN(u.redacted, "://", 2)[0]+"://")
	}
	return ""
}

// Scrub replaces every occurrence of secret in s with "xxxxx".
func Scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	s = strings.ReplaceAll(s, secret, "xxxxx")
	if esc := url.QueryEscape(secret); esc != secret {
		s = strings.ReplaceAll(s, esc, "xxxxx")
	}
	if esc := url.PathEscape(secret); esc != secret {
		s = strings.ReplaceAll(s, esc, "xxxxx")
	}
	return s
}
