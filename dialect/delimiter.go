package dialect

import (
	"strconv"
	"strings"

	"ariga.io/atlas/sql/migrate"
)

// ClientDelimiter returns the statement delimiter the dialect's own
// command-line client needs after stmt: ";", except for a MySQL statement
// holding a semicolon of its own (a trigger, procedure or function with
// a BEGIN ... END body), which the mysql and mariadb clients would cut
// there; it gets a DELIMITER it does not contain. psql keeps dollar-quoted
// and BEGIN ATOMIC bodies whole, and sqlite3 trigger bodies.
func (d Name) ClientDelimiter(stmt string) string {
	if d != MySQL || !strings.Contains(stmt, ";") {
		return ";"
	}
	// The client's view: quotes and comments hide semicolons, BEGIN does not.
	sc := &migrate.Scanner{ScannerOptions: migrate.ScannerOptions{BackslashEscapes: true, HashComments: true}}
	stmts, err := sc.Scan(strings.TrimSuffix(strings.TrimSpace(stmt), ";"))
	if err == nil && len(stmts) <= 1 {
		return ";"
	}
	for i := 0; ; i++ {
		delim := "//"
		if i > 0 {
			delim = "$" + strconv.Itoa(i) + "$"
		}
		if !strings.Contains(stmt, delim) {
			return delim
		}
	}
}

// ClientStatement writes stmt for the dialect's command-line client: with
// its delimiter, and in DELIMITER lines when that is not ";".
func (d Name) ClientStatement(stmt string) string {
	stmt = strings.TrimSuffix(strings.TrimSpace(stmt), ";")
	delim := d.ClientDelimiter(stmt)
	if delim == ";" {
		return stmt + ";\n"
	}
	return "DELIMITER " + delim + "\n" + stmt + delim + "\nDELIMITER ;\n"
}
