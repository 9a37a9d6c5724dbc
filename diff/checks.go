package diff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// checkPair is a check constraint both sides have, by name.
type checkPair struct {
	table    string
	from, to *schema.Check
	// columns the expressions may refer to: those of both tables.
	columns []*schema.Column
}

// changedChecks returns the check constraints, "table.name", whose
// expression differs from the database (current, inspected) to the models
// (desired). Atlas's differ compares check expressions only on schemas
// normalized through a dev database, and the databases rewrite them:
// PostgreSQL adds casts and parentheses, MariaDB quotes names and drops
// parentheses. So strata has the database rewrite the declared expression,
// on a scratch temporary table in a transaction it rolls back, and compares
// that. SQLite keeps the text as written.
func changedChecks(ctx context.Context, drv migrate.Driver, d dialect.Name, current, desired *schema.Schema) (map[string]bool, error) {
	var pairs []checkPair
	currentTable := tableFinder(current)
	for _, tt := range desired.Tables {
		ft, ok := currentTable(tt.Name)
		if !ok {
			continue
		}
		for _, tc := range tt.Checks() {
			for _, fc := range ft.Checks() {
				if fc.Name == tc.Name && tc.Name != "" && normText(fc.Expr) != normText(tc.Expr) {
					pairs = append(pairs, checkPair{table: tt.Name, from: fc, to: tc, columns: columnUnion(ft, tt)})
				}
			}
		}
	}
	changed := make(map[string]bool)
	if len(pairs) == 0 {
		return changed, nil
	}
	if d == dialect.SQLite {
		for _, p := range pairs {
			changed[p.key()] = true
		}
		return changed, nil
	}
	tx, done, err := session(ctx, drv)
	if err != nil {
		return nil, err
	}
	defer done()
	for _, p := range pairs {
		x, err := rewrite(ctx, tx, d, p)
		if err != nil {
			return nil, fmt.Errorf("compare check %s: %w", p.key(), err)
		}
		if normText(x) != normText(p.from.Expr) {
			changed[p.key()] = true
		}
	}
	return changed, nil
}

func (p checkPair) key() string { return p.table + "." + p.to.Name }

// normText is a check expression without outer parentheses and with single
// spaces: equal texts are equal expressions everywhere.
func normText(x string) string {
	x = strings.Join(strings.Fields(x), " ")
	for len(x) > 1 && x[0] == '(' && dialect.ClosingParen(x) == len(x)-1 {
		x = strings.TrimSpace(x[1 : len(x)-1])
	}
	return x
}

func columnUnion(a, b *schema.Table) []*schema.Column {
	cols := append([]*schema.Column(nil), b.Columns...)
	for _, c := range a.Columns {
		if _, ok := b.Column(c.Name); !ok {
			cols = append(cols, c)
		}
	}
	return cols
}

// session returns a transaction on the database of drv, so a temporary
// table lives from one statement to the next, and the function ending it.
func session(ctx context.Context, drv migrate.Driver) (*sql.Tx, func(), error) {
	var eq schema.ExecQuerier
	switch drv := drv.(type) {
	case *postgres.Driver:
		eq = drv.ExecQuerier
	case *mysql.Driver:
		eq = drv.ExecQuerier
	}
	b, ok := eq.(interface {
		BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
	})
	if !ok {
		return nil, nil, errors.New("compare check constraints: the driver is not on a database connection pool")
	}
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("compare check constraints: %w", err)
	}
	return tx, func() { tx.Rollback() }, nil
}

// scratchTable is the temporary table expressions are rewritten on.
const scratchTable = "strata_check_scratch"

// rewrite returns the expression of p's desired check as the database
// writes it back, to compare with the inspected one.
func rewrite(ctx context.Context, tx *sql.Tx, d dialect.Name, p checkPair) (string, error) {
	q := d.Quote
	drop, err := createScratch(ctx, tx, d, p.columns)
	if err != nil {
		return "", err
	}
	defer drop()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s)", q(scratchTable), q(scratchTable), p.to.Expr)); err != nil {
		return "", err
	}
	var def string
	if d == dialect.Postgres {
		err := tx.QueryRowContext(ctx, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'pg_temp."+scratchTable+"'::regclass AND contype = 'c'").Scan(&def)
		return strings.TrimPrefix(def, "CHECK "), err
	}
	var table string
	if err := tx.QueryRowContext(ctx, "SHOW CREATE TABLE "+q(scratchTable)).Scan(&table, &def); err != nil {
		return "", err
	}
	for _, line := range strings.Split(def, "\n") {
		line = strings.TrimSuffix(strings.TrimSpace(line), ",")
		if x, ok := strings.CutPrefix(line, "CONSTRAINT "+q(scratchTable)+" CHECK "); ok {
			return x, nil
		}
	}
	return "", fmt.Errorf("no check in SHOW CREATE TABLE:\n%s", def)
}

// createScratch creates the scratch temporary table with the columns and
// returns the function dropping it.
func createScratch(ctx context.Context, tx *sql.Tx, d dialect.Name, columns []*schema.Column) (func(), error) {
	q := d.Quote
	format := postgres.FormatType
	if d == dialect.MySQL {
		format = mysql.FormatType
	}
	var defs []string
	for _, c := range columns {
		t, err := format(c.Type.Type)
		if err != nil {
			return nil, err
		}
		defs = append(defs, q(c.Name)+" "+t)
	}
	if _, err := tx.ExecContext(ctx, "CREATE TEMPORARY TABLE "+q(scratchTable)+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return nil, err
	}
	drop := "DROP TEMPORARY TABLE " + q(scratchTable)
	if d == dialect.Postgres {
		drop = "DROP TABLE pg_temp." + q(scratchTable)
	}
	return func() { tx.ExecContext(context.WithoutCancel(ctx), drop) }, nil
}

// checkChanges adds the changes of the checks in changed that the differ
// did not report. MariaDB cannot modify a check in place (no DROP CHECK):
// it is dropped and added again.
func checkChanges(d dialect.Name, from, to *schema.Schema, changed map[string]bool, changes []schema.Change) []schema.Change {
	fromTable := tableFinder(from)
	for _, tt := range to.Tables {
		ft, ok := fromTable(tt.Name)
		if !ok {
			continue
		}
		for _, tc := range tt.Checks() {
			if !changed[tt.Name+"."+tc.Name] {
				continue
			}
			for _, fc := range ft.Checks() {
				if fc.Name != tc.Name {
					continue
				}
				var mt *schema.ModifyTable
				mt, changes = modifyTable(changes, tt)
				if d == dialect.MySQL {
					mt.Changes = append(mt.Changes, &schema.DropCheck{C: fc}, &schema.AddCheck{C: tc})
				} else {
					mt.Changes = append(mt.Changes, &schema.ModifyCheck{From: fc, To: tc})
				}
			}
		}
	}
	return changes
}
