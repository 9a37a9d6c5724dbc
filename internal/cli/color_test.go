package cli

import (
	"bytes"
	"testing"
)

func TestPaint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+ table orders", "\x1b[32m+ table orders\x1b[0m"},
		{"- column a.b", "\x1b[31m- column a.b\x1b[0m"},
		{"~ column a.b: int → bigint", "\x1b[33m~ column a.b: int → bigint\x1b[0m"},
		{"CREATE TABLE x", "CREATE TABLE x"},
	}
	for _, tt := range tests {
		if got := paint(true, tt.in); got != tt.want {
			t.Errorf("paint(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := paint(false, tt.in); got != tt.in {
			t.Errorf("paint off changed %q to %q", tt.in, got)
		}
	}
}

func TestColorfulOnlyOnTerminal(t *testing.T) {
	// A buffer is not a terminal; NO_COLOR turns colour off everywhere.
	e := &env{stdout: &bytes.Buffer{}, lookup: func(string) (string, bool) { return "", false }}
	if e.colorful() {
		t.Error("colour on for a pipe")
	}
	e.lookup = func(k string) (string, bool) { return "1", k == "NO_COLOR" }
	if e.colorful() {
		t.Error("colour on with NO_COLOR")
	}
}
