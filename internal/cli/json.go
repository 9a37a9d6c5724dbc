package cli

import (
	"encoding/json"
	"fmt"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/diff"
	"github.com/strata-db/strata/versions"
)

// jsonVersion is the format_version of every JSON document strata prints.
// It goes up only when a field changes meaning or goes away; new fields
// may appear without it.
const jsonVersion = 1

// formatFlag is --format for the commands that print text or JSON.
var formatFlag = &ucli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text or json (see JSON output in the README)"}

// wantJSON reports whether --format asks for JSON.
func wantJSON(c *ucli.Context) (bool, error) {
	switch f := c.String("format"); f {
	case "text":
		return false, nil
	case "json":
		return true, nil
	default:
		return false, fmt.Errorf("unknown format %q (want text or json)", f)
	}
}

// printJSON writes doc, indented, with format_version set.
func (e *env) printJSON(doc interface{ setVersion() }) error {
	doc.setVersion()
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// versioned is embedded first in every JSON document.
type versioned struct {
	FormatVersion int `json:"format_version"`
}

func (v *versioned) setVersion() { v.FormatVersion = jsonVersion }

// revisionJSON is a revision in JSON documents.
type revisionJSON struct {
	ID            string   `json:"id"`
	Message       string   `json:"message"`
	Revises       []string `json:"revises"`
	DependsOn     []string `json:"depends_on"`
	BranchLabels  []string `json:"branch_labels"`
	Created       string   `json:"created,omitempty"`
	File          string   `json:"file"`
	NoTransaction bool     `json:"no_transaction"`
	// Tags are head, branchpoint, mergepoint, base and current, as the
	// text output shows them.
	Tags []string `json:"tags"`
}

func revisionDoc(r *versions.Revision, current map[string]bool) revisionJSON {
	j := revisionJSON{
		ID: r.ID, Message: r.Message, Revises: nonNil(r.Revises), DependsOn: nonNil(r.DependsOn),
		BranchLabels: nonNil(r.BranchLabels), File: r.Path, NoTransaction: r.NoTransaction, Tags: tags(r, current),
	}
	if !r.Created.IsZero() {
		j.Created = r.Created.UTC().Format(time.RFC3339)
	}
	return j
}

func revisionDocs(rs []*versions.Revision, current map[string]bool) []revisionJSON {
	out := []revisionJSON{}
	for _, r := range rs {
		out = append(out, revisionDoc(r, current))
	}
	return out
}

// halfAppliedJSON is a revision a failure or a kill left half-applied.
type halfAppliedJSON struct {
	Revision  string `json:"revision"`
	Direction string `json:"direction"`
	Status    string `json:"status"`
	Done      int    `json:"statements_done"`
	Total     int    `json:"statements_total"`
	Error     string `json:"error,omitempty"`
}

// currentJSON is `strata current --format json`.
type currentJSON struct {
	versioned
	// Applied are the version table's rows the directory has.
	Applied []revisionJSON `json:"applied"`
	// NotInDirectory are the rows it lacks (applied from another branch).
	NotInDirectory []string          `json:"not_in_directory"`
	HalfApplied    []halfAppliedJSON `json:"half_applied"`
	// AtHeads: the database is at every head, nothing half-applied.
	AtHeads bool `json:"at_heads"`
}

// headsJSON is `strata heads --format json`.
type headsJSON struct {
	versioned
	Heads []revisionJSON `json:"heads"`
}

// historyJSON is `strata history --format json`.
type historyJSON struct {
	versioned
	// Revisions are those in the range, newest first.
	Revisions []revisionJSON `json:"revisions"`
	// NotInDirectory are applied revisions the directory lacks (with -i
	// or a range naming current).
	NotInDirectory []string `json:"not_in_directory"`
}

// checkJSON is `strata check --format json`.
type checkJSON struct {
	versioned
	// OK is true when models, revisions and database agree (exit 0).
	OK bool `json:"ok"`
	// Problem names why not: drift, multiple_heads, linear, not_at_head,
	// edited or not_in_directory; empty when OK.
	Problem string `json:"problem,omitempty"`
	// Message is the text strata check prints.
	Message string `json:"message"`
	// Models is false when the project has no Go models to compare.
	Models bool `json:"models"`
	// Changes are the differences, for drift.
	Changes []diff.Change `json:"changes"`
}

// diffJSON is `strata diff --format json`.
type diffJSON struct {
	versioned
	Changes []diff.Change `json:"changes"`
	// Upgrade and Downgrade are the statements revision --autogenerate
	// would write.
	Upgrade   []string `json:"upgrade"`
	Downgrade []string `json:"downgrade"`
	Warnings  []string `json:"warnings"`
}
