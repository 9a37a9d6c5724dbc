package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/introspect"
)

// dbCmds are the script commands that reach the database behind strata's
// back, as a team's own tools would:
//
//	dbexec FILE     runs FILE's statements on $STRATA_DATABASE_URL
//	dbobjects       prints the objects strata does not manage there, with
//	                their definitions (introspect.Objects)
//	dbcreate VAR    creates another fresh database, its URL in $VAR and
//	                its name (SQLite: file path) in $VAR_NAME
var dbCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"dbexec": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: dbexec FILE")
		}
		d, db := openScriptDB(ts)
		defer db.Close()
		stmts, err := d.Split(ts.ReadFile(args[0]))
		ts.Check(err)
		for _, s := range stmts {
			if _, err := db.ExecContext(context.Background(), s.Text); err != nil {
				if neg {
					return
				}
				ts.Fatalf("%s: %v", s.Text, err)
			}
		}
		if neg {
			ts.Fatalf("dbexec %s succeeded", args[0])
		}
	},
	"dbobjects": func(ts *testscript.TestScript, neg bool, args []string) {
		d, db := openScriptDB(ts)
		defer db.Close()
		objs, err := introspect.Objects(context.Background(), db, d, introspect.Options{})
		ts.Check(err)
		fmt.Fprintf(ts.Stdout(), "%d objects\n", len(objs))
		for _, x := range objs {
			fmt.Fprintf(ts.Stdout(), "-- %s %s", x.Kind, x.Name)
			if x.Table != "" {
				fmt.Fprintf(ts.Stdout(), " on %s", x.Table)
			}
			fmt.Fprintf(ts.Stdout(), " (after tables: %t)\n%s;\n", x.AfterTables, strings.Join(x.Create, ";\n"))
		}
	},
	"dbcreate": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: dbcreate VAR")
		}
		d, err := dialect.Parse(ts.Getenv("DIALECT"))
		ts.Check(err)
		dir := ts.MkAbs(args[0])
		ts.Check(os.MkdirAll(dir, 0o755))
		db, cleanup, err := testdb.Create(d, dir)
		ts.Check(err)
		db.DB.Close()
		ts.Defer(func() { ts.Check(cleanup()) })
		ts.Setenv(args[0], db.URL)
		ts.Setenv(args[0]+"_NAME", db.Name)
	},
}

func openScriptDB(ts *testscript.TestScript) (dialect.Name, *sql.DB) {
	u, err := introspect.ParseURL(ts.Getenv("STRATA_DATABASE_URL"))
	ts.Check(err)
	db, err := introspect.Open(context.Background(), u)
	ts.Check(err)
	return u.Dialect, db
}
