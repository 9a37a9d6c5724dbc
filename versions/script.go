package versions

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/strata-db/strata/dialect"
)

// Script writes, without connecting, the SQL script an upgrade (up) or
// downgrade from the revisions named by from to the target to would run,
// version-table statements included, so a DBA can review it or run it with
// psql, mariadb or sqlite3. from is "" or "base" for an empty database.
func Script(w io.Writer, g *Graph, d dialect.Name, tableName, from, to string, up bool) error {
	t := table{d: d, name: tableName}
	applied := g.newSet()
	if from != "" {
		ft, err := ParseTarget(from)
		if err != nil {
			return err
		}
		rs, err := g.targetRevisions(ft, nil)
		if err != nil {
			return err
		}
		applied = g.ancestors(rs...)
	}
	tt, err := ParseTarget(to)
	if err != nil {
		return err
	}
	var change set
	if up {
		change, err = g.upgradeSet(applied, tt)
	} else {
		change, err = g.downgradeSet(applied, tt)
	}
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	dir := "upgrade"
	if !up {
		dir = "downgrade"
	}
	if from == "" {
		from = "base"
	}
	fmt.Fprintf(bw, "-- strata %s %s:%s (%s)\n\n%s;\n%s;\n", dir, from, to, d, t.create(), t.createHistory())
	for _, st := range g.plan(t, applied, change, up) {
		hdir := DirUpgrade
		if !up {
			hdir = DirDowngrade
		}
		record := func(n int) string {
			return t.recordHistory(st.Revision.ID, hdir, st.Revision.Checksum, n, 0, "sql script")
		}
		if err := writeStep(bw, d, st, record); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func writeStep(w *bufio.Writer, d dialect.Name, st Step, record func(stmts int) string) error {
	r := st.Revision
	parents := strings.Join(r.Revises, ", ")
	if parents == "" {
		parents = "base"
	}
	if st.Up {
		fmt.Fprintf(w, "\n-- Running upgrade %s -> %s, %s\n", parents, r.ID, oneLine(r.Message))
	} else {
		fmt.Fprintf(w, "\n-- Running downgrade %s -> %s, %s\n", r.ID, parents, oneLine(r.Message))
	}
	stmts, err := d.Split(st.Section().SQL)
	if err != nil {
		return fmt.Errorf("%s: split statements: %w", r.Path, err)
	}
	tx := d.TransactionalDDL() && !r.NoTransaction
	stmts, fkOff := foreignKeysOff(d, tx, stmts)
	if fkOff {
		w.WriteString("PRAGMA foreign_keys = off;\n")
	}
	if tx {
		w.WriteString("BEGIN;\n")
	}
	for _, s := range stmts {
		w.WriteString(s.Text)
		if !strings.HasSuffix(s.Text, ";") {
			w.WriteByte(';')
		}
		w.WriteByte('\n')
	}
	for _, s := range append(st.Version, record(len(stmts))) {
		w.WriteString(s)
		w.WriteString(";\n")
	}
	if tx {
		w.WriteString("COMMIT;\n")
	}
	if fkOff {
		w.WriteString("PRAGMA foreign_keys = on;\n")
	}
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
