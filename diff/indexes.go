package diff

import (
	"context"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// serverIndexExprs writes the expression parts of the desired indexes the
// way PostgreSQL writes them back, so that an unchanged index on an
// expression compares equal: PostgreSQL keeps lower(email) on a varchar
// column as lower((email)::text). As for check constraints, the server
// does the rewriting, on the scratch temporary table in a transaction it
// rolls back. Only indexes both sides have, whose expression texts differ,
// are rewritten; an expression that differs after the rewrite is a change.
func serverIndexExprs(ctx context.Context, drv migrate.Driver, d dialect.Name, current, desired *schema.Schema) error {
	if d != dialect.Postgres {
		return nil
	}
	type pair struct {
		idx     *schema.Index
		columns []*schema.Column
	}
	var pairs []pair
	currentTable := tableFinder(current)
	for _, tt := range desired.Tables {
		ft, ok := currentTable(tt.Name)
		if !ok {
			continue
		}
		for _, idx := range tt.Indexes {
			if fi, ok := ft.Index(idx.Name); ok && exprsDiffer(fi, idx) {
				pairs = append(pairs, pair{idx, columnUnion(ft, tt)})
			}
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	tx, done, err := session(ctx, drv)
	if err != nil {
		return err
	}
	defer done()
	q := d.Quote
	for _, p := range pairs {
		drop, err := createScratch(ctx, tx, d, p.columns)
		if err != nil {
			return fmt.Errorf("compare index %s: %w", p.idx.Name, err)
		}
		var parts []string
		for _, part := range p.idx.Parts {
			if part.X != nil {
				parts = append(parts, "("+exprText(part.X)+")")
			} else {
				parts = append(parts, q(part.C.Name))
			}
		}
		_, err = tx.ExecContext(ctx, fmt.Sprintf("CREATE INDEX %s ON pg_temp.%s (%s)", q(scratchTable+"_idx"), q(scratchTable), strings.Join(parts, ", ")))
		for i, part := range p.idx.Parts {
			if err != nil || part.X == nil {
				continue
			}
			var x string
			err = tx.QueryRowContext(ctx, fmt.Sprintf("SELECT pg_get_indexdef('pg_temp.%s'::regclass, %d, false)", q(scratchTable+"_idx"), i+1)).Scan(&x)
			part.X = &schema.RawExpr{X: x}
		}
		drop()
		if err != nil {
			return fmt.Errorf("compare index %s: %w", p.idx.Name, err)
		}
	}
	return nil
}

// exprsDiffer reports whether the indexes have expression parts at the
// same places, some with different texts.
func exprsDiffer(from, to *schema.Index) bool {
	if len(from.Parts) != len(to.Parts) {
		return false
	}
	differ := false
	for i, tp := range to.Parts {
		fp := from.Parts[i]
		if (fp.X == nil) != (tp.X == nil) {
			return false
		}
		if tp.X != nil && normText(exprText(fp.X)) != normText(exprText(tp.X)) {
			differ = true
		}
	}
	return differ
}

// exprText is the SQL text of an index part's expression.
func exprText(x schema.Expr) string {
	switch x := x.(type) {
	case *schema.RawExpr:
		return x.X
	case *schema.Literal:
		return x.V
	}
	return ""
}
