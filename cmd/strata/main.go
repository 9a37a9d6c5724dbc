// Command strata manages database schema revisions for Go applications:
// it writes revision files, applies and reverts them, and (with
// autogenerate) derives them from Go struct models. See README.md.
package main

import (
	"os"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"

	"github.com/strata-db/strata/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
