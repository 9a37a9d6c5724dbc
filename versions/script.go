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
	if from == "" {
		from = "base"
	}
	dir := "upgrade"
	if !up {
		dir = "downgrade"
	}
	return writeScript(w, t, fmt.Sprintf("strata %s %s:%s (%s)", dir, from, to, d), g.plan(t, applied, change, up))
}

// writeScript writes steps as a script titled title: strata's own tables
// first, then each step with its bookkeeping.
func writeScript(w io.Writer, t table, title string, steps []Step) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "-- %s\n\n", title)
	for _, c := range t.creates() {
		bw.WriteString(c + ";\n")
	}
	for _, st := range steps {
		if err := writeStep(bw, t, st); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func writeStep(w *bufio.Writer, t table, st Step) error {
	d, r := t.d, st.Revision
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
		w.WriteString(d.ClientStatement(s.Text))
	}
	record := t.recordHistory(r.ID, st.direction(), r.ContentSum, len(stmts), 0, "sql script")
	for _, s := range append(st.bookkeeping(), record) {
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
