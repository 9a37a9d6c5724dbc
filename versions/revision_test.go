package versions

import (
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParse(t *testing.T) {
	full := `-- Message: add users
-- Revision: 1a2b3c4d5e6f
-- Revises: aaaa, bbbb
-- Created: 2026-11-25T21:47:49Z
-- Branch-Labels: billing
-- Depends-On: cccc
-- strata:no-transaction
-- a free comment

-- strata:upgrade

CREATE TABLE users (id int);
CREATE INDEX CONCURRENTLY users_id ON users (id);

-- strata:downgrade
DROP TABLE users;
`
	got, err := Parse("1a2b3c4d5e6f_add_users.sql", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	want := &Revision{
		ID: "1a2b3c4d5e6f", Message: "add users", Revises: []string{"aaaa", "bbbb"},
		Created:      time.Date(2026, 11, 25, 21, 47, 49, 0, time.UTC),
		BranchLabels: []string{"billing"}, DependsOn: []string{"cccc"}, NoTransaction: true,
		Upgrade:   Section{SQL: "CREATE TABLE users (id int);\nCREATE INDEX CONCURRENTLY users_id ON users (id);", Line: 12},
		Downgrade: Section{SQL: "DROP TABLE users;", Line: 16},
		File:      "1a2b3c4d5e6f_add_users.sql",
		Path:      "1a2b3c4d5e6f_add_users.sql",
		Checksum:  fmt.Sprintf("%x", sha256.Sum256([]byte(full))),
		Source:    []byte(full),
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Revision{}), cmpopts.IgnoreFields(Revision{}, "ContentSum")); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// TestContentSum: line endings, blank lines, trailing blanks, comment
// lines and the Message and Created headers leave ContentSum alone (while
// Checksum, of the bytes, changes); any change to a statement, a link or
// the transaction directive changes it.
func TestContentSum(t *testing.T) {
	const base = "-- Message: one\n-- Revision: aaaa\n-- Revises: zzzz\n-- Created: 2026-01-01T00:00:00Z\n\n" +
		"-- strata:upgrade\nCREATE TABLE t (\n  id int\n);\n\n-- strata:downgrade\nDROP TABLE t;\n"
	sum := func(t *testing.T, text string) (checksum, content string) {
		t.Helper()
		r, err := Parse("aaaa_one.sql", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return r.Checksum, r.ContentSum
	}
	baseRaw, baseContent := sum(t, base)
	same := map[string]string{
		"CRLF":                  strings.ReplaceAll(base, "\n", "\r\n"),
		"CR before LF on some":  strings.Replace(base, "int\n", "int\r\n", 1),
		"comment line added":    strings.Replace(base, "DROP TABLE", "-- dropped on downgrade\nDROP TABLE", 1),
		"comment in upgrade":    strings.Replace(base, "  id int", "  -- the key\n  id int", 1),
		"free header comment":   strings.Replace(base, "-- Revises: zzzz\n", "-- Revises: zzzz\n-- reviewed by ann\n", 1),
		"message reworded":      strings.Replace(base, "Message: one", "Message: create t", 1),
		"blank lines, trailing": strings.Replace(base, "DROP TABLE t;\n", "\nDROP TABLE t;   \n\n", 1),
		"no final newline":      strings.TrimSuffix(base, "\n"),
	}
	for name, text := range same {
		raw, content := sum(t, text)
		if raw == baseRaw {
			t.Errorf("%s: Checksum unchanged; the case tests nothing", name)
		}
		if content != baseContent {
			t.Errorf("%s: ContentSum changed", name)
		}
	}
	differ := map[string]string{
		"statement changed":   strings.Replace(base, "id int", "id bigint", 1),
		"statement added":     strings.Replace(base, "DROP TABLE t;", "DROP TABLE t;\nDROP TABLE u;", 1),
		"statement commented": strings.Replace(base, "DROP TABLE t;", "-- DROP TABLE t;", 1),
		"indentation":         strings.Replace(base, "  id int", "id int", 1),
		"revises":             strings.Replace(base, "Revises: zzzz", "Revises: yyyy", 1),
		"no transaction":      strings.Replace(base, "\n-- strata:upgrade", "-- strata:no-transaction\n-- strata:upgrade", 1),
		"moved to downgrade":  strings.Replace(strings.Replace(base, "DROP TABLE t;", "", 1), "-- strata:downgrade", "DROP TABLE t;\n-- strata:downgrade", 1),
	}
	for name, text := range differ {
		if _, content := sum(t, text); content == baseContent {
			t.Errorf("%s: ContentSum unchanged", name)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"no headers", "-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:1: missing header "-- Revision: <id>"`,
			`f.sql:1: missing header "-- Revises: <ids>" (empty for a first revision)`}},
		{"no markers", "-- Revision: abcd\n-- Revises:\n", []string{
			`f.sql:2: missing "-- strata:upgrade" marker`,
			`f.sql:2: missing "-- strata:downgrade" marker`}},
		{"bad id", "-- Revision: ab-cd\n-- Revises:\n-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:1: revision id "ab-cd" must be 1 to 32 letters, digits or underscores`}},
		{"reserved id", "-- Revision: head\n-- Revises:\n-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:1: revision id "head" is a reserved word`}},
		{"unknown header", "-- Revision: abcd\n-- Revises:\n-- Revisd: x\n-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:3: unknown header "Revisd" (known: Message, Revision, Revises, Created, Branch-Labels, Depends-On)`}},
		{"duplicate header", "-- Revision: abcd\n-- Revises:\n-- Revision: abce\n-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:3: duplicate header "Revision" (first at line 1)`}},
		{"bad time", "-- Revision: abcd\n-- Revises:\n-- Created: yesterday\n-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:3: Created: "yesterday" is not an RFC 3339 time`}},
		{"sql in header", "-- Revision: abcd\n-- Revises:\nDROP TABLE x;\n-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:3: SQL before the "-- strata:upgrade" marker`}},
		{"markers swapped", "-- Revision: abcd\n-- Revises:\n-- strata:downgrade\n-- strata:upgrade\n", []string{
			`f.sql:4: "-- strata:upgrade" must come before "-- strata:downgrade" (line 3)`}},
		{"unknown directive", "-- Revision: abcd\n-- Revises:\n-- strata:notx\n-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:3: unknown directive "-- strata:notx" (known: -- strata:no-transaction, -- strata:upgrade, -- strata:downgrade)`}},
		{"revises itself", "-- Revision: abcd\n-- Revises: abcd\n-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:2: revision abcd revises itself`}},
		{"bad label", "-- Revision: abcd\n-- Revises:\n-- Branch-Labels: 1x\n-- strata:upgrade\n-- strata:downgrade\n", []string{
			`f.sql:3: branch label "1x" must start with a letter, hold only letters, digits or underscores, and not be head, heads, base or current`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.sql", []byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	tests := []struct{ msg, want string }{
		{"Add users table", "abcd_add_users_table.sql"},
		{"  fix: O'Brien's \"quotes\"; DROP  ", "abcd_fix_o_brien_s_quotes_drop.sql"},
		{"one two three four five six seven eight nine ten", "abcd_one_two_three_four_five_six_seven_eight.sql"},
		{"supercalifragilisticexpialidocious_and_more_words", "abcd_supercalifragilisticexpialidocious_and.sql"},
		{"ünïcödé ☃", "abcd_n_c_d.sql"},
		{"!!!", "abcd_revision.sql"},
	}
	for _, tt := range tests {
		got := FileName(&Revision{ID: "abcd", Message: tt.msg})
		if got != tt.want {
			t.Errorf("FileName(%q) = %q, want %q", tt.msg, got, tt.want)
		}
		if slug := strings.TrimSuffix(strings.TrimPrefix(got, "abcd_"), ".sql"); len(slug) > MaxSlug {
			t.Errorf("slug %q longer than %d", slug, MaxSlug)
		}
	}
}

// TestParseBOM: a file saved with a UTF-8 byte order mark parses; its
// checksum is still the file's.
func TestParseBOM(t *testing.T) {
	data := []byte("\xef\xbb\xbf-- Revision: abcd\n-- Revises:\n-- strata:upgrade\nSELECT 1;\n-- strata:downgrade\n")
	r, err := Parse("f.sql", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "abcd" || r.Upgrade.SQL != "SELECT 1;" || r.Checksum != fmt.Sprintf("%x", sha256.Sum256(data)) {
		t.Errorf("got id %q, upgrade %q, checksum %s", r.ID, r.Upgrade.SQL, r.Checksum)
	}
}

// TestParseFlood: a SQL dump dropped in the directory reports its first
// problems, what it lacks, and a count of the rest, not a line each.
func TestParseFlood(t *testing.T) {
	dump := strings.Repeat("INSERT INTO t VALUES (1);\n", 100_000)
	_, err := Parse("dump.sql", []byte(dump))
	list, ok := err.(ErrorList)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	if len(list) != MaxFileErrors+5 {
		t.Fatalf("%d problems listed, want %d", len(list), MaxFileErrors+5)
	}
	last := list[len(list)-1].Error()
	if want := fmt.Sprintf("dump.sql:100000: %d more problems in this file not listed", 100_000-MaxFileErrors); !strings.HasPrefix(last, want) {
		t.Errorf("last = %q, want prefix %q", last, want)
	}
	for _, want := range []string{`missing header "-- Revision: <id>"`, `missing "-- strata:upgrade" marker`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the problems lack %q", want)
		}
	}
}

// TestCreateClaimsID: twenty writers of one revision id with different
// messages at once: exactly one file is written.
func TestCreateClaimsID(t *testing.T) {
	dir := t.TempDir()
	const writers = 20
	errs := make(chan error, writers)
	for i := range writers {
		go func() {
			r := &Revision{ID: "abcd1234", Message: fmt.Sprintf("writer %d", i)}
			_, err := Create(dir, r, []byte(fmt.Sprintf("-- Revision: abcd1234\n-- Revises:\n-- Message: writer %d\n-- strata:upgrade\n-- strata:downgrade\n", i)))
			errs <- err
		}()
	}
	ok := 0
	for range writers {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case !strings.Contains(err.Error(), "revision id abcd1234 is already used by "):
			t.Errorf("unexpected error: %v", err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 1 || len(entries) != 1 {
		names := []string{}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%d writers succeeded, files %v; want exactly one", ok, names)
	}
}
