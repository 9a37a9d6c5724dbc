// Package render writes revision files: the stage between diff, which plans
// statements, and versions, which stores and runs them. It also writes Go
// models from an inspected schema (Models), the inverse of package model,
// for adopting an existing database. Output is byte-stable: the same
// revision or schema always renders to the same bytes.
package render

import (
	"bytes"
	"strings"
	"time"

	"github.com/strata-db/strata/diff"
	"github.com/strata-db/strata/versions"
)

// Revision renders r in the revision file format that versions.Parse reads.
func Revision(r *versions.Revision) []byte {
	var b bytes.Buffer
	header := func(key, val string) {
		b.WriteString("-- " + key + ":")
		if val != "" {
			b.WriteString(" " + val)
		}
		b.WriteByte('\n')
	}
	header("Message", strings.Join(strings.Fields(r.Message), " "))
	header("Revision", r.ID)
	header("Revises", strings.Join(r.Revises, ", "))
	header("Created", r.Created.UTC().Format(time.RFC3339))
	if len(r.BranchLabels) > 0 {
		header("Branch-Labels", strings.Join(r.BranchLabels, ", "))
	}
	if len(r.DependsOn) > 0 {
		header("Depends-On", strings.Join(r.DependsOn, ", "))
	}
	if r.NoTransaction {
		b.WriteString(versions.NoTransactionDirective + "\n")
	}
	section := func(marker, sql string) {
		b.WriteString("\n" + marker + "\n")
		if sql = strings.TrimSpace(sql); sql != "" {
			b.WriteString(sql + "\n")
		}
	}
	section(versions.UpgradeMarker, r.Upgrade.SQL)
	section(versions.DowngradeMarker, r.Downgrade.SQL)
	return b.Bytes()
}

// Statements renders planned statements, each ending in a semicolon, with
// its comment lines above it.
func Statements(stmts []diff.Stmt) string {
	return DialectStatements("", stmts) // no dialect: ";" after each
}
