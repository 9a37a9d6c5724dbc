package diff_test

import (
	"strings"
	"testing"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
)

// TestExpressionIndexOnVarchar: PostgreSQL keeps lower(token) on a
// varchar column as lower((token)::text); strata compares the expression
// as the server writes it, so the unchanged index diffs to nothing, and a
// changed one is still a change.
func TestExpressionIndexOnVarchar(t *testing.T) {
	p := newProject(t, testdb.New(t, dialect.Postgres))
	index := func(fn string) string {
		return itemWith([]string{"index item_token_idx ((" + fn + "(token)))"}, `Token string «strata:"size:40"»`)
	}
	p.setModels(index("lower"))
	p.mustRun(0, "revision", "--autogenerate", "-m", "v1")
	p.mustRun(0, "upgrade", "head")
	p.mustRun(0, "diff")
	p.mustRun(0, "check")

	p.setModels(index("upper"))
	if out := p.mustRun(1, "diff"); !strings.Contains(out, "item_token_idx") {
		t.Errorf("diff after the expression changed does not show the index:\n%s", out)
	}
	p.mustRun(0, "revision", "--autogenerate", "-m", "v2")
	p.mustRun(0, "upgrade", "head")
	p.mustRun(0, "check")
}
