// Command strata manages database schema revisions for Go applications:
// it writes revision files, applies and reverts them, and (with
// autogenerate) derives them from Go struct models. See README.md.
package main

import (
	"io"
	"log"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/go-sql-driver/mysql"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/strata-db/strata/internal/cli"
)

func init() {
	// The MySQL driver logs some failures itself ("[mysql] … packets.go:58
	// unexpected EOF") before it returns the error strata reports with what
	// to do; stderr keeps to strata's own lines.
	mysql.SetLogger(log.New(io.Discard, "", 0))
}

// startHeap is the heap size at which the first garbage collection runs,
// unless GOGC is set. A run allocates a few tens of MiB reading models and
// catalogs, nearly all of it live until the end; collecting it every 4 MiB
// (the runtime's starting goal) costs a fifth of a check's CPU time and
// frees little. After the first collection the runtime's usual pacing
// (GOGC=100) applies, so a large run's peak memory grows by at most this
// much. The go command's compiler starts the same way
// (cmd/compile/internal/base.AdjustStartingHeap).
const startHeap = 64 << 20

func init() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	// The runtime's first goal is 4 MiB x GOGC/100.
	debug.SetGCPercent(100 * startHeap / (4 << 20))
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) { debug.SetGCPercent(100) })
}

// gcSentinel is unreachable from the start: its finalizer runs after the
// first collection. (Its size keeps it out of the tiny allocator, whose
// blocks are freed together.)
type gcSentinel struct{ _ [16]byte }

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
