//go:build unix

package model_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process and its waited-for
// children (the go command) have used: under a loaded machine it moves far
// less than wall time.
func cpuTime() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
