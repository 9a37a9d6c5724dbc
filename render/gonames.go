package render

import (
	"go/build"
	"go/token"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/jinzhu/inflection"
)

// initialisms are the words golint spells in capitals (its commonInitialisms).
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true, "EOF": true, "GUID": true,
	"HTML": true, "HTTP": true, "HTTPS": true, "ID": true, "IP": true, "JSON": true, "LHS": true, "QPS": true,
	"RAM": true, "RHS": true, "RPC": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "TCP": true,
	"TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true, "UUID": true, "URI": true, "URL": true,
	"UTF8": true, "VM": true, "XML": true, "XMPP": true, "XSRF": true, "XSS": true,
}

// words splits a database name into words at anything that is not a letter
// or digit and at lower-to-upper case changes: user_id, userId and
// "User ID" all give [user id].
func words(s string) []string {
	var (
		out []string
		cur []rune
	)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && len(cur) > 0:
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || unicode.IsUpper(prev) && nextLower {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// goName returns the exported Go identifier for a database name: user_id →
// UserID, http_url → HTTPURL, 2fa → X2fa. It is "" when the name has no
// letter or digit at all; the namer then picks a fallback.
func goName(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		up := strings.ToUpper(w)
		if initialisms[up] || initialisms[strings.TrimRight(up, "0123456789")] {
			b.WriteString(up) // ID, and ID2 as golint spells it
			continue
		}
		rs := []rune(strings.ToLower(w))
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	name := b.String()
	// An identifier starting with a digit, or with a letter that has no
	// upper case (and so is not exported), gets a leading X.
	if r := []rune(name); len(r) > 0 && !unicode.IsUpper(r[0]) {
		name = "X" + name
	}
	return name
}

// singular returns a table name with its last word in the singular, the
// name of the Go type for one row: order_items → order_item, people →
// person (GORM's inflection rules, the reverse of its table names).
func singular(table string) string {
	ws := words(table)
	if len(ws) == 0 {
		return table
	}
	last := ws[len(ws)-1]
	if one := inflection.Singular(strings.ToLower(last)); one != "" && one != strings.ToLower(last) {
		ws[len(ws)-1] = one
	}
	return strings.Join(ws, "_")
}

// namer hands out unique Go identifiers in one scope. The first claimant of
// a name keeps it; later ones get 2, 3, ... appended, so the result depends
// only on the order of the claims, which callers keep deterministic.
type namer struct {
	used map[string]bool
}

func newNamer(reserved ...string) *namer {
	n := &namer{used: make(map[string]bool)}
	for _, r := range reserved {
		n.used[r] = true
	}
	return n
}

// claim returns a free identifier for the database name s, fallback when s
// yields none.
func (n *namer) claim(s, fallback string) string {
	base := goName(s)
	if base == "" {
		base = fallback
	}
	name := base
	for i := 2; n.used[name] || !token.IsIdentifier(name); i++ {
		name = base + strconv.Itoa(i)
	}
	n.used[name] = true
	return name
}

// buildContexts are two platforms that share no GOOS or GOARCH: a file
// that both build is constrained by neither its name's OS nor its arch.
var buildContexts = func() []build.Context {
	var out []build.Context
	for _, p := range [][2]string{{"linux", "amd64"}, {"windows", "arm64"}} {
		c := build.Default
		c.GOOS, c.GOARCH = p[0], p[1]
		c.BuildTags = nil
		c.OpenFile = func(string) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader("package p\n")), nil
		}
		out = append(out, c)
	}
	return out
}()

// fileName returns the lower-case file stem for a database name, avoiding
// what the go tool would ignore or constrain: a leading _ or ., and a _test,
// _GOOS or _GOARCH suffix (sales_windows.go builds only on Windows).
func fileName(s string) string {
	ws := words(s)
	for i, w := range ws {
		ws[i] = strings.ToLower(w)
	}
	stem := strings.Join(ws, "_")
	if stem == "" {
		stem = "table"
	}
	if strings.HasSuffix(stem, "_test") || !buildsEverywhere(stem+".go") {
		stem += "_table"
	}
	return stem
}

func buildsEverywhere(name string) bool {
	for _, c := range buildContexts {
		if ok, err := c.MatchFile(".", name); err != nil || !ok {
			return false
		}
	}
	return true
}
