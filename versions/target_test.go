package versions

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in      string
		want    Target
		wantErr string
	}{
		{in: "head", want: Target{Kind: TargetHead}},
		{in: "heads", want: Target{Kind: TargetHeads}},
		{in: "base", want: Target{Kind: TargetBase}},
		{in: "current", want: Target{Kind: TargetCurrent}},
		{in: "ae1027a6acf", want: Target{Kind: TargetRev, Rev: "ae1027a6acf"}},
		{in: "+2", want: Target{Kind: TargetRev, Delta: 2}},
		{in: "-1", want: Target{Kind: TargetRev, Delta: -1}},
		{in: "ae10+2", want: Target{Kind: TargetRev, Rev: "ae10", Delta: 2}},
		{in: "ae10-3", want: Target{Kind: TargetRev, Rev: "ae10", Delta: -3}},
		{in: "cart@head", want: Target{Kind: TargetHead, Label: "cart"}},
		{in: "cart@heads", want: Target{Kind: TargetHeads, Label: "cart"}},
		{in: "cart@base", want: Target{Kind: TargetBase, Label: "cart"}},
		{in: "cart@+1", want: Target{Kind: TargetRev, Label: "cart", Delta: 1}},
		{in: "cart@-2", want: Target{Kind: TargetRev, Label: "cart", Delta: -2}},
		{in: "cart@head-2", want: Target{Kind: TargetHead, Label: "cart", Delta: -2}},
		{in: "", wantErr: "empty revision target"},
		{in: "+0", wantErr: `target "+0": step count must be between 1 and 1000000`},
		{in: "a b", wantErr: `target "a b" is not a revision, branch label, head, heads, base, +N or -N`},
		{in: "cart@", wantErr: `target "cart@": nothing after @ (want head, heads, base, +N or -N)`},
		{in: "cart@xyz", wantErr: `target "cart@xyz": after @ only head, heads, base, +N or -N`},
		{in: "x@y@head", wantErr: `target "x@y@head": after @ only head, heads, base, +N or -N`},
		{in: "base+1", wantErr: `target "base+1": a step needs a revision or head`},
		{in: "current-1", wantErr: `target "current-1": current takes no label or step`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTarget(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreUnexported(Target{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// branchy: aaaa - bbbb - cccc < dddd[feat] - eeee
//
//	< ffff - gggg
var branchy = []string{"aaaa:", "bbbb:aaaa", "cccc:bbbb", "dddd:cccc;label=feat", "eeee:dddd", "ffff:cccc", "gggg:ffff", "abcd1111:gggg;label=tail", "abcd2222:abcd1111"}

func TestUpgradeSet(t *testing.T) {
	g := mustLoad(t, branchy...)
	tests := []struct {
		applied []string // version table rows
		target  string
		want    []string
		wantErr string
		is      error
	}{
		{nil, "heads", []string{"aaaa", "abcd1111", "abcd2222", "bbbb", "cccc", "dddd", "eeee", "ffff", "gggg"}, "", nil},
		{nil, "head", nil, "multiple heads are present for 'head' (abcd2222, eeee): " + HeadsRemedy + "; or name a revision, LABEL@head to narrow to one branch, or heads for all", ErrMultipleHeads},
		{nil, "feat@head", []string{"aaaa", "bbbb", "cccc", "dddd", "eeee"}, "", nil},
		{[]string{"bbbb"}, "dddd", []string{"cccc", "dddd"}, "", nil},
		{[]string{"bbbb"}, "+1", []string{"cccc"}, "", nil},
		{[]string{"bbbb"}, "+2", nil, `"+2" is ambiguous: cccc is a branch point to dddd, ffff; use LABEL@+N`, ErrAmbiguous},
		{nil, "+1", []string{"aaaa"}, "", nil},
		{[]string{"cccc"}, "feat@+2", []string{"dddd", "eeee"}, "", nil},
		{[]string{"eeee"}, "tail@+1", []string{"ffff"}, "", nil}, // the branch reaches back to the branch point
		{[]string{"eeee"}, "tail@+3", []string{"abcd1111", "ffff", "gggg"}, "", nil},
		{[]string{"eeee", "gggg"}, "+1", nil, `"+1" is ambiguous: several revisions are current (eeee, gggg); use LABEL@+1 or name a revision`, ErrAmbiguous},
		{nil, "bbbb+1", []string{"aaaa", "bbbb", "cccc"}, "", nil},
		{nil, "abcd", nil, `"abcd" is ambiguous: it starts abcd1111, abcd2222`, ErrAmbiguous},
		{nil, "abc", nil, `no revision or branch label "abc" (a prefix needs at least 4 characters)`, ErrRevisionNotFound},
		{nil, "abcd2", []string{"aaaa", "abcd1111", "abcd2222", "bbbb", "cccc", "ffff", "gggg"}, "", nil},
		{nil, "zzzz", nil, `no revision or branch label "zzzz"`, ErrRevisionNotFound},
		{[]string{"eeee"}, "-1", nil, `upgrade target "-1" steps down; use downgrade`, nil},
		{[]string{"eeee"}, "eeee", []string{}, "", nil},
		{nil, "gggg+3", nil, `"gggg+3" goes past the head abcd2222`, ErrRevisionNotFound},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.applied, ",")+"/"+tt.target, func(t *testing.T) {
			applied, err := g.appliedSet(tt.applied)
			if err != nil {
				t.Fatal(err)
			}
			tg, err := ParseTarget(tt.target)
			if err != nil {
				t.Fatal(err)
			}
			got, err := g.upgradeSet(applied, tg)
			checkSet(t, g, got, err, tt.want, tt.wantErr, tt.is)
		})
	}
}

func checkSet(t *testing.T, g *Graph, got set, err error, want []string, wantErr string, is error) {
	t.Helper()
	if wantErr != "" {
		if err == nil || err.Error() != wantErr {
			t.Fatalf("err = %v, want %q", err, wantErr)
		}
		if is != nil && !errors.Is(err, is) {
			t.Errorf("errors.Is(err, %v) = false", is)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if want == nil {
		want = []string{}
	}
	if diff := cmp.Diff(want, revIDs(g.members(got))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDowngradeSet(t *testing.T) {
	g := mustLoad(t, branchy...)
	d := mustLoad(t, diamond...)
	tests := []struct {
		g       *Graph
		applied []string
		target  string
		want    []string
		wantErr string
	}{
		{g, []string{"eeee", "abcd2222"}, "base", []string{"aaaa", "abcd1111", "abcd2222", "bbbb", "cccc", "dddd", "eeee", "ffff", "gggg"}, ""},
		{g, []string{"eeee", "abcd2222"}, "cccc", []string{"abcd1111", "abcd2222", "dddd", "eeee", "ffff", "gggg"}, ""},
		{g, []string{"eeee", "abcd2222"}, "feat@base", []string{"dddd", "eeee"}, ""},
		{g, []string{"eeee", "abcd2222"}, "tail@-1", []string{"abcd2222"}, ""},
		{g, []string{"eeee", "abcd2222"}, "feat@-1", []string{"eeee"}, ""},
		{g, []string{"eeee", "abcd2222"}, "-1", nil, `"-1" is ambiguous: several revisions are current (abcd2222, eeee); use LABEL@-1 or name a revision`},
		{g, []string{"eeee"}, "-2", []string{"dddd", "eeee"}, ""},
		{g, []string{"eeee"}, "-9", nil, `"-9": only 5 revisions are applied`},
		{g, []string{"eeee"}, "gggg", nil, "downgrade target gggg is not applied; downgrade goes only to an applied revision (see strata current)"},
		{g, []string{"eeee"}, "+1", nil, `downgrade target "+1" steps up; use upgrade`},
		{g, []string{"eeee"}, "eeee-2", []string{"dddd", "eeee"}, ""},
		{d, []string{"mmmm"}, "-1", []string{"mmmm"}, ""},
		{d, []string{"mmmm"}, "bbbb", []string{"mmmm"}, ""}, // cccc is on another branch: kept
		{d, []string{"mmmm"}, "mmmm-1", nil, `"mmmm-1" is ambiguous: mmmm merges bbbb, cccc; name the revision`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.applied, ",")+"/"+tt.target, func(t *testing.T) {
			applied, err := tt.g.appliedSet(tt.applied)
			if err != nil {
				t.Fatal(err)
			}
			tg, err := ParseTarget(tt.target)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tt.g.downgradeSet(applied, tg)
			checkSet(t, tt.g, got, err, tt.want, tt.wantErr, nil)
		})
	}
}

func TestRange(t *testing.T) {
	g := mustLoad(t, branchy...)
	tests := []struct {
		rng     string
		current []string
		want    []string
		wantErr string
	}{
		{":", nil, []string{"eeee", "dddd", "abcd2222", "abcd1111", "gggg", "ffff", "cccc", "bbbb", "aaaa"}, ""},
		{"cccc:", nil, []string{"eeee", "dddd", "abcd2222", "abcd1111", "gggg", "ffff", "cccc"}, ""},
		{":dddd", nil, []string{"dddd", "cccc", "bbbb", "aaaa"}, ""},
		{"bbbb:feat@head", nil, []string{"eeee", "dddd", "cccc", "bbbb"}, ""},
		{"current:", []string{"gggg"}, []string{"abcd2222", "abcd1111", "gggg"}, ""},
		{"-1:current", []string{"gggg"}, []string{"gggg", "ffff"}, ""},
		{"current:", nil, nil, `"current" needs a database connection`},
		{"base:bbbb", nil, []string{"bbbb", "aaaa"}, ""},
		{"nope", nil, nil, `range "nope": want START:END (either may be empty)`},
	}
	for _, tt := range tests {
		t.Run(tt.rng, func(t *testing.T) {
			start, end, err := ParseRange(tt.rng)
			var got []*Revision
			if err == nil {
				got, err = g.Range(start, end, tt.current)
			}
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, revIDs(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
