package versions

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// TargetKind says what a target names.
type TargetKind int

// Target kinds.
const (
	TargetRev     TargetKind = iota // a revision id, prefix or label, maybe with ±N
	TargetHead                      // head, or LABEL@head
	TargetHeads                     // heads, or LABEL@heads
	TargetBase                      // base, or LABEL@base
	TargetCurrent                   // current (history ranges and show only)
)

// Target is a parsed revision target, in Alembic's grammar:
//
//	head  heads  base  current
//	REV   (a full id, a prefix of at least 4 characters, or a branch label)
//	+N  -N  REV+N  REV-N
//	LABEL@head  LABEL@heads  LABEL@base  LABEL@+N  LABEL@-N  LABEL@head-N
type Target struct {
	Kind  TargetKind
	Label string // before the @, if any
	Rev   string // the revision reference for TargetRev; "" means current
	Delta int    // relative steps: +N up, -N down
	raw   string
}

func (t Target) String() string { return t.raw }

var (
	targetWord = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	relative   = regexp.MustCompile(`^(.*?)([+-])([0-9]+)$`)
)

// ParseTarget parses a target. It checks only the grammar; Graph methods
// resolve it.
func ParseTarget(s string) (Target, error) {
	t := Target{raw: s}
	if s == "" {
		return t, fmt.Errorf("empty revision target")
	}
	body := s
	if l, rest, ok := strings.Cut(s, "@"); ok {
		if !targetWord.MatchString(l) {
			return t, fmt.Errorf("target %q: bad branch label or revision %q before @", s, l)
		}
		t.Label, body = l, rest
		if body == "" {
			return t, fmt.Errorf("target %q: nothing after @ (want head, heads, base, +N or -N)", s)
		}
	}
	if m := relative.FindStringSubmatch(body); m != nil {
		n, err := strconv.Atoi(m[3])
		if err != nil || n == 0 || n > 1_000_000 {
			return t, fmt.Errorf("target %q: step count must be between 1 and 1000000", s)
		}
		if m[2] == "-" {
			n = -n
		}
		t.Delta, body = n, m[1]
		switch {
		case body == "":
			t.Kind = TargetRev // relative to current (or to the label's current head)
			return t, nil
		case body == "head" && t.Label != "":
			t.Kind = TargetHead
			return t, nil
		case t.Label != "":
			return t, fmt.Errorf("target %q: after @ only head, heads, base, +N, -N or head-N", s)
		}
	}
	switch body {
	case "head":
		t.Kind = TargetHead
	case "heads":
		t.Kind = TargetHeads
	case "base":
		t.Kind = TargetBase
	case "current":
		if t.Label != "" || t.Delta != 0 {
			return t, fmt.Errorf("target %q: current takes no label or step", s)
		}
		t.Kind = TargetCurrent
	default:
		if t.Label != "" {
			return t, fmt.Errorf("target %q: after @ only head, heads, base, +N or -N", s)
		}
		if !targetWord.MatchString(body) {
			return t, fmt.Errorf("target %q is not a revision, branch label, head, heads, base, +N or -N", s)
		}
		t.Kind, t.Rev = TargetRev, body
	}
	if t.Delta != 0 && t.Kind != TargetRev && t.Kind != TargetHead {
		return t, fmt.Errorf("target %q: a step needs a revision or head", s)
	}
	return t, nil
}

// ParseRange parses a history range START:END; either side may be empty
// (base and heads).
func ParseRange(s string) (start, end *Target, err error) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return nil, nil, fmt.Errorf("range %q: want START:END (either may be empty)", s)
	}
	if a != "" {
		t, err := ParseTarget(a)
		if err != nil {
			return nil, nil, err
		}
		start = &t
	}
	if b != "" {
		t, err := ParseTarget(b)
		if err != nil {
			return nil, nil, err
		}
		end = &t
	}
	return start, end, nil
}
