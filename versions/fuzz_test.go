package versions

import (
	"strings"
	"testing"
)

// FuzzParse: any input either parses into a revision that renders back to
// something that parses the same, or fails with positioned errors; never
// a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("-- Message: m\n-- Revision: abcd\n-- Revises:\n\n-- strata:upgrade\nCREATE TABLE t (x int);\n\n-- strata:downgrade\nDROP TABLE t;\n"))
	f.Add([]byte("-- Revision: a\n-- Revises: b, c\n-- Branch-Labels: x\n-- Depends-On: d\n-- strata:no-transaction\n-- strata:upgrade\n-- strata:downgrade\n"))
	f.Add([]byte("-- Revision: head\n-- strata:downgrade\n-- strata:upgrade\n-- strata:upgrade\n"))
	f.Add([]byte("-- Created: 2026-13-45T99:00:00Z\nSELECT 1;\n-- strata:bogus\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("f.sql", data)
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %#v", err)
			}
			for _, e := range list {
				if e.File != "f.sql" || e.Line < 0 {
					t.Fatalf("bad position in %v", e)
				}
			}
			return
		}
		if ValidateID(r.ID) != nil {
			t.Fatalf("parsed an invalid id %q", r.ID)
		}
		for _, s := range []string{r.Upgrade.SQL, r.Downgrade.SQL} {
			if s != strings.TrimSpace(s) {
				t.Fatalf("section not trimmed: %q", s)
			}
		}
	})
}

// FuzzParseTarget: the grammar never panics, and a parsed target keeps
// its text.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"head", "heads", "base", "current", "+1", "-2", "ae10+2", "x@head", "x@base", "x@+1", "x@-1", "x@head-2", "a:b", ":", "-1:current", "@", "x@@", "++1", "a-b-c"} {
		f.Add(s)
	}
	g, _ := link(nil)
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err == nil && tg.String() != s {
			t.Fatalf("ParseTarget(%q).String() = %q", s, tg.String())
		}
		if err == nil {
			// Resolving against an empty graph may fail, but must not panic.
			g.targetRevisions(tg, g.newSet())
		}
		ParseRange(s)
	})
}
