package versions

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Markers and directives of the revision file format.
const (
	UpgradeMarker   = "-- strata:upgrade"
	DowngradeMarker = "-- strata:downgrade"
	// NoTransactionDirective in the header runs a revision outside a
	// transaction (PostgreSQL CREATE INDEX CONCURRENTLY, for one).
	NoTransactionDirective = "-- strata:no-transaction"
)

// Revision is one revision file.
type Revision struct {
	ID            string
	Message       string
	Revises       []string // empty for a root; several for a merge
	Created       time.Time
	BranchLabels  []string
	DependsOn     []string
	NoTransaction bool
	Upgrade       Section
	Downgrade     Section

	// File is the file name within the versions directory.
	File string
	// Path names the file in messages: its path when loaded with LoadDir.
	Path string
	// Checksum is the SHA-256 of the file's bytes. The revisions table
	// stores it with Source; history rows written before ContentSum
	// existed hold it.
	Checksum string
	// ContentSum is the SHA-256 of what the revision does (contentSum),
	// recorded in the history table when the revision is applied so later
	// edits are noticed, while a checkout with CRLF line endings or an
	// added comment line is not an edit.
	ContentSum string
	// Source is the file's content, stored in the database when the
	// revision is applied so that it can be rolled back without the file.
	Source []byte

	parents  []*Revision // Revises, resolved
	deps     []*Revision // DependsOn, resolved
	children []*Revision // revisions whose Revises names this one
	rdeps    []*Revision // revisions whose DependsOn names this one
	index    int         // position in Graph.revs, for bitsets
}

// Section is the SQL text of the upgrade or downgrade part of a file.
type Section struct {
	SQL string
	// Line is the file line where SQL starts, for error messages.
	Line int
}

// IsMerge reports whether r revises more than one revision.
func (r *Revision) IsMerge() bool { return len(r.Revises) > 1 }

var (
	validID    = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)
	validLabel = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
)

// reserved words of the target grammar, never usable as ids or labels.
var reserved = map[string]bool{"head": true, "heads": true, "base": true, "current": true}

// ValidateID reports whether id can name a revision: 1 to 32 letters, digits
// or underscores, and not a word of the target grammar.
func ValidateID(id string) error {
	if !validID.MatchString(id) {
		return fmt.Errorf("revision id %q must be 1 to 32 letters, digits or underscores", id)
	}
	if reserved[strings.ToLower(id)] {
		return fmt.Errorf("revision id %q is a reserved word", id)
	}
	return nil
}

// ValidateLabel reports whether l can be a branch label.
func ValidateLabel(l string) error {
	if !validLabel.MatchString(l) || reserved[strings.ToLower(l)] {
		return fmt.Errorf("branch label %q must start with a letter, hold only letters, digits or underscores, and not be head, heads, base or current", l)
	}
	return nil
}

// Parse parses the contents of the revision file named file (a path, in
// messages). Every problem
// found is returned in an ErrorList, each with its line.
func Parse(file string, data []byte) (*Revision, error) {
	sum := sha256.Sum256(data)
	r := &Revision{File: file, Path: file, Checksum: hex.EncodeToString(sum[:]), Source: data}
	var errs ErrorList
	more := 0 // problems past MaxFileErrors, counted, not listed
	add := func(line int, format string, args ...any) {
		errs = append(errs, &FileError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	fail := func(line int, format string, args ...any) {
		if len(errs) == MaxFileErrors {
			more++
			return
		}
		add(line, format, args...)
	}
	seen := map[string]int{}
	var (
		section   *Section
		body      strings.Builder
		upLine    int
		downLine  int
		lineNo    int
		haveRev   bool
		haveParen bool
	)
	flush := func() {
		if section != nil {
			section.SQL = strings.TrimSpace(body.String())
			body.Reset()
		}
	}
	// A UTF-8 byte order mark (some Windows editors write one) is not SQL.
	text := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	sc := bufio.NewScanner(bytes.NewReader(text))
	// A buffer sized to the file, not the 64 KiB default: Load parses
	// thousands of small files.
	sc.Buffer(make([]byte, 0, min(len(data)+1, 64*1024)), 64*1024*1024)
	for sc.Scan() {
		lineNo++
		// A section's lines are copied once, into body, from the
		// scanner's buffer: a string a line cost a revision of 1,000
		// tables 21,000 allocations.
		line := sc.Bytes()
		trimmedLine := bytes.TrimSpace(line)
		switch {
		case string(trimmedLine) == UpgradeMarker:
			if upLine != 0 {
				fail(lineNo, "second %q marker (first at line %d)", UpgradeMarker, upLine)
				continue
			}
			if downLine != 0 {
				fail(lineNo, "%q must come before %q (line %d)", UpgradeMarker, DowngradeMarker, downLine)
			}
			flush()
			body.Grow(len(data)) // a section is at most the file: no regrowth
			upLine, section = lineNo, &r.Upgrade
			r.Upgrade.Line = lineNo + 1
			continue
		case string(trimmedLine) == DowngradeMarker:
			if downLine != 0 {
				fail(lineNo, "second %q marker (first at line %d)", DowngradeMarker, downLine)
				continue
			}
			flush()
			body.Grow(len(data))
			downLine, section = lineNo, &r.Downgrade
			r.Downgrade.Line = lineNo + 1
			continue
		}
		if section != nil {
			if body.Len() == 0 && len(trimmedLine) == 0 {
				section.Line = lineNo + 1 // SQL starts after leading blank lines
				continue
			}
			body.Write(line)
			body.WriteByte('\n')
			continue
		}
		// Header.
		trimmed := string(trimmedLine)
		switch {
		case trimmed == "":
			continue
		case trimmed == NoTransactionDirective:
			r.NoTransaction = true
			continue
		case strings.HasPrefix(trimmed, "-- strata:"):
			fail(lineNo, "unknown directive %q (known: %s, %s, %s)", trimmed, NoTransactionDirective, UpgradeMarker, DowngradeMarker)
			continue
		case !strings.HasPrefix(trimmed, "--"):
			fail(lineNo, "SQL before the %q marker", UpgradeMarker)
			continue
		}
		key, val, ok := headerField(trimmed)
		if !ok {
			continue // a free comment
		}
		lower := strings.ToLower(key)
		if prev, dup := seen[lower]; dup {
			fail(lineNo, "duplicate header %q (first at line %d)", key, prev)
			continue
		}
		seen[lower] = lineNo
		switch lower {
		case "message":
			r.Message = val
		case "revision":
			haveRev = true
			if err := ValidateID(val); err != nil {
				fail(lineNo, "%v", err)
			}
			r.ID = val
		case "revises":
			haveParen = true
			r.Revises = splitList(val)
			for _, id := range r.Revises {
				if err := ValidateID(id); err != nil {
					fail(lineNo, "Revises: %v", err)
				}
			}
		case "created":
			t, err := time.Parse(time.RFC3339, val)
			if err != nil {
				fail(lineNo, "Created: %q is not an RFC 3339 time", val)
			}
			r.Created = t
		case "branch-labels":
			r.BranchLabels = splitList(val)
			for _, l := range r.BranchLabels {
				if err := ValidateLabel(l); err != nil {
					fail(lineNo, "%v", err)
				}
			}
		case "depends-on":
			r.DependsOn = splitList(val)
		default:
			fail(lineNo, "unknown header %q (known: Message, Revision, Revises, Created, Branch-Labels, Depends-On)", key)
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		add(lineNo, "read: %v", err)
	}
	if !haveRev {
		add(1, "missing header \"-- Revision: <id>\"")
	}
	if !haveParen {
		add(1, "missing header \"-- Revises: <ids>\" (empty for a first revision)")
	}
	if upLine == 0 {
		add(lineNo, "missing %q marker", UpgradeMarker)
	}
	if downLine == 0 {
		add(lineNo, "missing %q marker", DowngradeMarker)
	}
	for _, p := range r.Revises {
		if p == r.ID && r.ID != "" {
			add(seen["revises"], "revision %s revises itself", r.ID)
		}
	}
	if more > 0 {
		errs = append(errs, &FileError{File: file, Line: lineNo, Msg: fmt.Sprintf("%d more problems in this file not listed (is it a revision file? it needs the header and the %q and %q markers)", more, UpgradeMarker, DowngradeMarker)})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	r.ContentSum = contentSum(r)
	return r, nil
}

// MaxFileErrors is how many problems of one file Parse lists; it counts
// the rest, so a stray SQL dump does not print a million lines.
const MaxFileErrors = 10

// contentSum is the SHA-256 of a revision's links, its transaction
// directive and its statements, line by line, leaving out what git or a
// reviewer changes without changing what runs: line endings, trailing
// blanks, blank lines, comment lines and the Message and Created headers.
// (A comment line inside a multi-line string literal is left out too.)
func contentSum(r *Revision) string {
	// Written line by line: no copy of the text. A hash takes no
	// strings, so each line becomes bytes on its way in; a large
	// revision's lines go through a buffer instead, where a conversion a
	// line cost 1,000 tables 21,000 allocations.
	d := sha256.New()
	h := io.Writer(d)
	var buffered *bufio.Writer
	if len(r.Upgrade.SQL)+len(r.Downgrade.SQL) > 64<<10 {
		buffered = bufio.NewWriterSize(d, 32<<10)
		h = buffered
	}
	fmt.Fprintf(h, "revision %s\nrevises %s\ndepends-on %s\nno-transaction %t\n",
		r.ID, strings.Join(r.Revises, ","), strings.Join(r.DependsOn, ","), r.NoTransaction)
	for _, sec := range []Section{r.Upgrade, r.Downgrade} {
		io.WriteString(h, UpgradeMarker+"\n") // a separator no kept line can equal
		for line := range strings.SplitSeq(sec.SQL, "\n") {
			line = strings.TrimRight(line, " \t\r")
			if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "--") {
				continue
			}
			io.WriteString(h, line)
			h.Write(newline)
		}
	}
	if buffered != nil {
		buffered.Flush() // a hash does not fail
	}
	return hex.EncodeToString(d.Sum(nil))
}

var newline = []byte{'\n'}

// headerField splits a header comment "-- Key: value" into key and value.
// The key is a letter then letters or hyphens. It matches the pattern
// ^--\s*([A-Za-z][A-Za-z-]*):\s*(.*?)\s*$ without a regexp, which cost
// half of Load's time on large directories.
func headerField(line string) (key, val string, ok bool) {
	const space = "\t\n\f\r " // \s in RE2 syntax
	rest, ok := strings.CutPrefix(line, "--")
	if !ok {
		return "", "", false
	}
	rest = strings.TrimLeft(rest, space)
	n := 0
	for n < len(rest) && (isLetter(rest[n]) || n > 0 && rest[n] == '-') {
		n++
	}
	if n == 0 || n == len(rest) || rest[n] != ':' {
		return "", "", false
	}
	return rest[:n], strings.Trim(rest[n+1:], space), true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// splitList splits a header value on commas and spaces.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(f) == 0 {
		return nil
	}
	return f
}
