package render

import (
	"strings"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/diff"
)

// DialectStatements renders planned statements as Statements does, but a
// MySQL statement holding semicolons of its own (a trigger, procedure or
// function with a BEGIN ... END body) between DELIMITER lines, which
// strata and the mysql and mariadb clients all read as one statement.
func DialectStatements(d dialect.Name, stmts []diff.Stmt) string {
	var b strings.Builder
	for i, s := range stmts {
		if i > 0 && len(s.Comments) > 0 {
			b.WriteByte('\n')
		}
		for _, c := range s.Comments {
			b.WriteString("-- " + c + "\n")
		}
		b.WriteString(d.ClientStatement(s.SQL))
	}
	return b.String()
}
