package cli

import (
	"bytes"
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
