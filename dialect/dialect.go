// Package dialect names the SQL dialects strata speaks and holds the few facts
// every stage needs about them: how to quote an identifier, how to write a
// bind parameter, how long a name may be and how a script splits into
// statements. It is shared by model, introspect, diff and versions.
package dialect

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/sqlite"
)

// Name identifies a SQL dialect.
type Name string

// The dialects strata supports.
const (
	Postgres Name = "postgres"
	MySQL    Name = "mysql" // MySQL and MariaDB
	SQLite   Name = "sqlite"
)

// All lists the supported dialects in a fixed order.
var All = []Name{Postgres, MySQL, SQLite}

// Parse returns the dialect named s; it accepts the aliases used in URLs and flags.
func Parse(s string) (Name, error) {
	switch strings.ToLower(s) {
	case "postgres", "postgresql", "pg":
		return Postgres, nil
	case "mysql", "mariadb", "maria":
		return MySQL, nil
	case "sqlite", "sqlite3":
		return SQLite, nil
	}
	return "", fmt.Errorf("unknown dialect %q (want postgres, mysql or sqlite)", s)
}

// Valid reports whether d is one of the supported dialects.
func (d Name) Valid() bool {
	return d == Postgres || d == MySQL || d == SQLite
}

// Quote quotes an identifier so that any name, including keywords and names
// holding quotes or semicolons, is taken literally.
func (d Name) Quote(ident string) string {
	if d == MySQL {
		return "`" + strings.ReplaceAll(ident, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// Placeholder returns the bind parameter for the n-th (1-based) argument.
func (d Name) Placeholder(n int) string {
	if d == Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// Literal renders s as a SQL string literal.
func (d Name) Literal(s string) string {
	var b strings.Builder
	d.WriteLiteral(&b, s)
	return b.String()
}

// WriteLiteral writes Literal(s) to b, copying s once: a quote is
// doubled, and on MySQL a backslash too (strings.Replacer, which writes
// the 860 KB of a revision of 1,000 tables in about 1.7 ms).
func (d Name) WriteLiteral(b *strings.Builder, s string) {
	r := quoteDoubler
	if d == MySQL {
		r = mysqlDoubler
	}
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	r.WriteString(b, s)
	b.WriteByte('\'')
}

var (
	quoteDoubler = strings.NewReplacer("'", "''")
	mysqlDoubler = strings.NewReplacer("'", "''", `\`, `\\`)
)

// MaxIdentLen is the longest identifier the dialect keeps without truncation.
// SQLite has no limit; strata uses PostgreSQL's so names stay portable.
func (d Name) MaxIdentLen() int {
	if d == MySQL {
		return 64
	}
	return 63
}

// TransactionalDDL reports whether DDL statements can be rolled back.
func (d Name) TransactionalDDL() bool {
	return d != MySQL
}

// Stmt is one statement of a script, with the byte offset where it starts.
type Stmt struct {
	Pos  int
	Text string
}

// Split splits a script into statements the way the dialect's own client
// would: PostgreSQL dollar-quoted bodies, quoted semicolons, comments and
// BEGIN ... END blocks stay inside their statement. It uses Atlas's lexer.
func (d Name) Split(script string) ([]Stmt, error) {
	var (
		stmts []*migrate.Stmt
		err   error
	)
	switch {
	case !mentionsBegin(script):
		// Atlas's scanner tries its BEGIN-block patterns with a regexp at
		// every character (about 70 ns a byte: 54 ms for a 766 KB
		// revision of 1,000 tables). They match only where "BEGIN" and a
		// space are, so without one the driver's own scanner with them
		// off splits the same, many times faster.
		opts, ok := scanOptions[d]
		if !ok {
			return nil, fmt.Errorf("unknown dialect %q", d)
		}
		opts.MatchBegin, opts.MatchBeginAtomic = false, false
		if d == Postgres {
			script = blankRestrict(script)
		}
		stmts, err = (&migrate.Scanner{ScannerOptions: opts}).Scan(script)
	case d == Postgres:
		stmts, err = (*postgres.Driver)(nil).ScanStmts(blankRestrict(script))
	case d == MySQL:
		stmts, err = (*mysql.Driver)(nil).ScanStmts(script)
	case d == SQLite:
		stmts, err = (*sqlite.Driver)(nil).ScanStmts(script)
	default:
		return nil, fmt.Errorf("unknown dialect %q", d)
	}
	if err != nil {
		return nil, err
	}
	out := make([]Stmt, 0, len(stmts))
	for _, s := range stmts {
		out = append(out, Stmt{Pos: s.Pos, Text: s.Text})
	}
	return out, nil
}

// scanOptions are the options each Atlas driver's ScanStmts gives its
// scanner (sql/postgres, sql/mysql, sql/sqlite driver_oss.go and
// driver.go at the pinned version); TestSplitFastPath checks that Split
// agrees with ScanStmts.
var scanOptions = map[Name]migrate.ScannerOptions{
	Postgres: {MatchBegin: true, MatchBeginAtomic: true, MatchDollarQuote: true, EscapedStringExt: true},
	MySQL:    {MatchBegin: true, BackslashEscapes: true, HashComments: true},
	SQLite:   {MatchBegin: true},
}

// mentionsBegin reports whether script holds "begin", in any case,
// followed by a space, tab or line break: where Atlas's scanner's BEGIN,
// BEGIN ATOMIC and BEGIN TRY patterns ((?i)\s*BEGIN\s+...) could match.
func mentionsBegin(script string) bool {
	low := strings.ToLower(script)
	for i := 0; ; {
		j := strings.Index(low[i:], "begin")
		if j < 0 {
			return false
		}
		i += j + len("begin")
		if i < len(low) && strings.IndexByte(" \t\n\r\f\v", low[i]) >= 0 {
			return true
		}
	}
}

// psqlRestrict matches the \restrict and \unrestrict lines pg_dump writes
// around a dump since PostgreSQL 17.6, 16.10, 15.14: psql meta-commands
// guarding psql alone, not SQL.
var psqlRestrict = regexp.MustCompile(`(?m)^\\(un)?restrict[ \t]+[A-Za-z0-9]+[ \t]*\r?$`)

// blankRestrict blanks pg_dump's \restrict lines, keeping every offset.
func blankRestrict(script string) string {
	if !strings.Contains(script, "restrict") {
		return script
	}
	return psqlRestrict.ReplaceAllStringFunc(script, func(m string) string { return strings.Repeat(" ", len(m)) })
}

// EachOutside calls f with the index of each byte of s that is outside
// quotes ('...', "..." and `...`, the quotes themselves included) and the
// depth of parentheses around it: an opening parenthesis is at the depth
// outside it, its closing one at the depth inside. f returns false to stop.
func EachOutside(s string, f func(i, depth int) bool) {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			}
			continue
		}
		if c == '\'' || c == '"' || c == '`' {
			quote = c
			continue
		}
		if c == ')' {
			depth--
		}
		if !f(i, depth+boolInt(c == ')')) {
			return
		}
		if c == '(' {
			depth++
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// OneLine returns stmt trimmed and on one line: each line break outside
// quotes, with the white space after it, becomes one space.
func OneLine(stmt string) string {
	stmt = strings.TrimSpace(stmt)
	var breaks []int
	EachOutside(stmt, func(i, _ int) bool {
		if stmt[i] == '\r' || stmt[i] == '\n' {
			breaks = append(breaks, i)
		}
		return true
	})
	if len(breaks) == 0 {
		return stmt
	}
	var b strings.Builder
	at := 0
	for _, i := range breaks {
		if i < at {
			continue // white space after an earlier break
		}
		b.WriteString(stmt[at:i])
		if s := b.String(); len(s) == 0 || s[len(s)-1] != ' ' {
			b.WriteByte(' ')
		}
		at = i
		for at < len(stmt) && strings.IndexByte(" \t\r\n", stmt[at]) >= 0 {
			at++
		}
	}
	b.WriteString(stmt[at:])
	return b.String()
}

// ClosingParen returns the index of the parenthesis that closes the one
// at s[0], skipping quoted strings and identifiers, or -1.
func ClosingParen(s string) int {
	end := -1
	EachOutside(s, func(i, depth int) bool {
		if s[i] == ')' && depth == 1 {
			end = i
			return false
		}
		return true
	})
	return end
}

// SplitOutside splits s at each sep that is outside parentheses and quotes
// ('...', "..." and `...`), as a list of SQL expressions or of tag items
// splits.
func SplitOutside(s string, sep byte) []string {
	var parts []string
	start := 0
	EachOutside(s, func(i, depth int) bool {
		if s[i] == sep && depth == 0 {
			parts = append(parts, s[start:i])
			start = i + 1
		}
		return true
	})
	return append(parts, s[start:])
}
