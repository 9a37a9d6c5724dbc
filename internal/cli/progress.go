package cli

import (
	"fmt"
	"io"
	"time"
)

// progress draws a one-line counter with rate and ETA on a terminal
// (stderr), redrawn in place and at most ten times a second; it draws
// nothing when off.
type progress struct {
	w     io.Writer
	on    bool
	start time.Time
	drawn time.Time
	now   func() time.Time
	shown bool
}

func newProgress(w io.Writer, on bool) *progress {
	return &progress{w: w, on: on, now: time.Now, start: time.Now()}
}

// update shows that done of total units are finished.
func (p *progress) update(what string, done, total int) {
	if !p.on || total < 2 {
		return
	}
	now := p.now()
	if done < total && now.Sub(p.drawn) < 100*time.Millisecond {
		return
	}
	p.drawn = now
	elapsed := now.Sub(p.start)
	line := fmt.Sprintf("%s %d/%d", what, done, total)
	if elapsed > 0 && done > 0 {
		rate := float64(done) / elapsed.Seconds()
		eta := time.Duration(float64(total-done) / rate * float64(time.Second))
		line += fmt.Sprintf("  %.0f/s  ETA %s", rate, eta.Round(time.Second))
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.shown = true
}

// clear removes the counter line, before other output is printed.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
