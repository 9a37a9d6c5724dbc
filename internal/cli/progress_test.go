package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true)
	clock := p.start
	p.now = func() time.Time { return clock }
	clock = clock.Add(2 * time.Second)
	p.update("upgrade", 10, 40)
	if got, want := b.String(), "\r\x1b[Kupgrade 10/40  5/s  ETA 6s"; got != want {
		t.Errorf("first draw = %q, want %q", got, want)
	}
	b.Reset()
	clock = clock.Add(50 * time.Millisecond)
	p.update("upgrade", 11, 40)
	if b.Len() != 0 {
		t.Errorf("redrawn within 100ms: %q", b.String())
	}
	p.update("upgrade", 40, 40) // the last step is always drawn
	p.clear()
	if got := b.String(); got != "\r\x1b[Kupgrade 40/40  20/s  ETA 0s\r\x1b[K" {
		t.Errorf("final draw and clear = %q", got)
	}
}

func TestProgressOff(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, false)
	p.update("upgrade", 1, 10)
	p.clear()
	if b.Len() != 0 {
		t.Errorf("drew %q when off", b.String())
	}
}

// TestPhasesLine: the timing line names the command, its phases are back
// to back and add up to the total, and time spent answering a question is
// its own phase, not part of the one it interrupted.
func TestPhasesLine(t *testing.T) {
	var b bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	e := &env{stderr: &b, showProgress: true, command: "revision", started: clock}
	ph := e.phases()
	ph.now = func() time.Time { return clock }
	clock = clock.Add(30 * time.Millisecond)
	ph.begin("loading models and inspecting the database")
	clock = clock.Add(400 * time.Millisecond)
	ph.begin("comparing 2 tables with 3 models")
	clock = clock.Add(5 * time.Second) // 4.9 s of it at the question
	ph.wait(4900 * time.Millisecond)
	ph.end()
	want := "strata revision took 5.43s: reading revisions and connecting 30ms; loading models and inspecting the database 400ms; " +
		"comparing 2 tables with 3 models 100ms; waiting for your answers 4.9s\n"
	if got := b.String()[strings.LastIndex(b.String(), "\x1b[K")+3:]; got != want {
		t.Errorf("timing line = %q, want %q", got, want)
	}
}
