// Command strata manages database schema revisions for Go applications:
// it writes revision files, applies and reverts them, and (with
// autogenerate) derives them from Go struct models. See README.md.
package main

import (
	"io"
	"log"
	"os"

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

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
