package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/versions"
)

// tags are the words describing r's place in the graph, and whether it is
// current.
func tags(r *versions.Revision, current map[string]bool) []string {
	tags := []string{}
	if len(r.Children()) == 0 {
		tags = append(tags, "head")
	}
	if len(r.Children()) > 1 {
		tags = append(tags, "branchpoint")
	}
	if r.IsMerge() {
		tags = append(tags, "mergepoint")
	}
	if len(r.Revises) == 0 {
		tags = append(tags, "base")
	}
	if current[r.ID] {
		tags = append(tags, "current")
	}
	return tags
}

// describe is the one-line (or, verbose, several-line) text for a revision.
func describe(p *project, r *versions.Revision, verbose bool, current map[string]bool) []string {
	tags := tags(r, current)
	first := r.ID
	if len(r.BranchLabels) > 0 {
		first += " [" + strings.Join(r.BranchLabels, ", ") + "]"
	}
	if len(tags) > 0 {
		first += " (" + strings.Join(tags, ", ") + ")"
	}
	if r.Message != "" {
		first += " " + r.Message
	}
	if !verbose {
		return []string{first}
	}
	lines := []string{first}
	add := func(k, v string) {
		if v != "" {
			lines = append(lines, fmt.Sprintf("    %-14s %s", k+":", v))
		}
	}
	revises := strings.Join(r.Revises, ", ")
	if revises == "" {
		revises = "(base)"
	}
	add("Revises", revises)
	var children []string
	for _, c := range r.Children() {
		children = append(children, c.ID)
	}
	add("Revised by", strings.Join(children, ", "))
	add("Depends-On", strings.Join(r.DependsOn, ", "))
	add("Created", r.Created.Format(time.RFC3339))
	add("File", r.Path)
	if r.NoTransaction {
		add("Transaction", "none (strata:no-transaction)")
	}
	return lines
}

func currentCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "current",
		Usage: "show the revisions applied to the database",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "check-heads", Usage: "exit 1 unless the database is at every head"},
			&ucli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show details"},
			formatFlag,
		},
		Action: func(c *ucli.Context) error {
			asJSON, err := wantJSON(c)
			if err != nil {
				return err
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			m, db, err := p.open(c.Context)
			if err != nil {
				return err
			}
			defer db.Close()
			at, rows, err := m.AtHeads(c.Context)
			if err != nil {
				return err
			}
			half, err := m.HalfApplied(c.Context)
			if err != nil {
				return err
			}
			if asJSON {
				doc := &currentJSON{Applied: []revisionJSON{}, NotInDirectory: []string{}, HalfApplied: []halfAppliedJSON{}, AtHeads: at && len(half) == 0}
				in, out := known(p, rows)
				for _, id := range in {
					r, _ := p.graph.Get(id)
					doc.Applied = append(doc.Applied, revisionDoc(r, nil))
				}
				doc.NotInDirectory = nonNil(out)
				for _, h := range half {
					doc.HalfApplied = append(doc.HalfApplied, halfAppliedJSON{Revision: h.Revision, Direction: h.Direction, Status: h.Status, Done: h.Done, Total: h.Total, Error: h.Error})
				}
				if err := e.printJSON(doc); err != nil {
					return err
				}
				if c.Bool("check-heads") && !doc.AtHeads {
					return negative("")
				}
				return nil
			}
			if len(rows) == 0 {
				fmt.Fprintln(e.stdout, "(no revision applied)")
			}
			for _, id := range rows {
				r, ok := p.graph.Get(id)
				if !ok {
					fmt.Fprintf(e.stdout, "%s %s\n", id, notHere(p))
					continue
				}
				for _, l := range describe(p, r, c.Bool("verbose"), nil) {
					fmt.Fprintln(e.stdout, l)
				}
			}
			for _, h := range half {
				fmt.Fprintf(e.stdout, "%s is half-applied: %s stopped: %s", h.Revision, h.Direction, h.Ran())
				if h.Error != "" {
					fmt.Fprintf(e.stdout, " (%s)", oneLine(h.Error))
				}
				if h.Status == versions.StatusFailed {
					fmt.Fprintf(e.stdout, "; fix it and rerun strata %s, or strata resolve %s\n", h.Direction, h.Revision)
				} else { // interrupted or killed
					fmt.Fprintf(e.stdout, "; rerun strata %s to resume at statement %d, or strata resolve %s\n", h.Direction, h.Done+1, h.Revision)
				}
			}
			if c.Bool("check-heads") && (!at || len(half) > 0) {
				var heads []string
				for _, h := range p.graph.Heads() {
					heads = append(heads, h.ID)
				}
				if len(heads) > 1 {
					return negative("database is not at head: there are several heads (%s): %s", orNone(heads), versions.HeadsRemedy)
				}
				return negative("database is not at head: heads are %s; run strata upgrade heads", orNone(heads))
			}
			return nil
		},
	}
}

// notHere describes a version-table row the directory lacks.
func notHere(p *project) string {
	return fmt.Sprintf("(not in %s: probably applied from another git branch; strata sync rolls it back)", p.dir)
}

// known splits version-table rows into those the directory has and the rest.
func known(p *project, rows []string) (in, out []string) {
	for _, id := range rows {
		if _, ok := p.graph.Get(id); ok {
			in = append(in, id)
		} else {
			out = append(out, id)
		}
	}
	return in, out
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "(none)"
	}
	return strings.Join(ids, ", ")
}

func headsCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "heads",
		Usage: "show the heads of the revision graph",
		Flags: []ucli.Flag{&ucli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show details"}, formatFlag},
		Action: func(c *ucli.Context) error {
			asJSON, err := wantJSON(c)
			if err != nil {
				return err
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			if asJSON {
				return e.printJSON(&headsJSON{Heads: revisionDocs(p.graph.Heads(), nil)})
			}
			return printRevisions(e.stdout, p, p.graph.Heads(), c.Bool("verbose"))
		},
	}
}

func printRevisions(w io.Writer, p *project, rs []*versions.Revision, verbose bool) error {
	for _, r := range rs {
		for _, l := range describe(p, r, verbose, nil) {
			if _, err := fmt.Fprintln(w, l); err != nil {
				return err
			}
		}
	}
	return nil
}

func branchesCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "branches",
		Usage: "show the branch points of the revision graph",
		Flags: []ucli.Flag{&ucli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show details"}},
		Action: func(c *ucli.Context) error {
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			for _, r := range p.graph.BranchPoints() {
				for _, l := range describe(p, r, c.Bool("verbose"), nil) {
					fmt.Fprintln(e.stdout, l)
				}
				for _, ch := range r.Children() {
					fmt.Fprintf(e.stdout, "    -> %s %s\n", ch.ID, ch.Message)
				}
			}
			return nil
		},
	}
}

func historyCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "history",
		Usage: "draw the revision graph, newest first",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "rev-range", Aliases: []string{"r"}, Usage: "only revisions in `START:END` (either may be empty; current needs the database)"},
			&ucli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show details"},
			&ucli.BoolFlag{Name: "indicate-current", Aliases: []string{"i"}, Usage: "mark the revisions applied to the database"},
			formatFlag,
		},
		Action: func(c *ucli.Context) error {
			asJSON, err := wantJSON(c)
			if err != nil {
				return err
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			var start, end *versions.Target
			if r := c.String("rev-range"); r != "" {
				if start, end, err = versions.ParseRange(r); err != nil {
					return err
				}
			}
			needDB := c.Bool("indicate-current") || isCurrent(start) || isCurrent(end)
			var rows, stranded []string
			if needDB {
				m, db, err := p.open(c.Context)
				if err != nil {
					return err
				}
				defer db.Close()
				if rows, err = m.Current(c.Context); err != nil {
					return err
				}
				rows, stranded = known(p, rows)
				if rows == nil {
					rows = []string{}
				}
			}
			revs, err := p.graph.Range(start, end, rows)
			if err != nil {
				return err
			}
			current := map[string]bool{}
			if c.Bool("indicate-current") {
				for _, id := range rows {
					current[id] = true
				}
			}
			if asJSON {
				return e.printJSON(&historyJSON{Revisions: revisionDocs(revs, current), NotInDirectory: nonNil(stranded)})
			}
			if err := versions.DrawHistory(e.stdout, revs, func(r *versions.Revision) []string {
				return describe(p, r, c.Bool("verbose"), current)
			}); err != nil {
				return err
			}
			for _, id := range stranded {
				fmt.Fprintf(e.stdout, "%s (current) %s\n", id, notHere(p))
			}
			return nil
		},
	}
}

func isCurrent(t *versions.Target) bool {
	return t != nil && t.Kind == versions.TargetCurrent
}

func showCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "show one revision: its links and its SQL",
		ArgsUsage: "REV",
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return errors.New("show needs exactly one revision")
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			r, err := p.graph.Resolve(c.Args().First())
			if err != nil {
				return err
			}
			for _, l := range describe(p, r, true, nil) {
				fmt.Fprintln(e.stdout, l)
			}
			for _, s := range []struct {
				name string
				sec  versions.Section
			}{{"upgrade", r.Upgrade}, {"downgrade", r.Downgrade}} {
				fmt.Fprintf(e.stdout, "\n-- %s\n", s.name)
				if s.sec.SQL != "" {
					fmt.Fprintln(e.stdout, s.sec.SQL)
				}
			}
			return nil
		},
	}
}

func stampCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "stamp",
		Usage:     "set the version table to REV... without running any revision",
		ArgsUsage: "REV... (or heads, or base)",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "purge", Usage: "replace the rows even if they name revisions not in the directory"},
			lockTimeoutFlag,
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() == 0 {
				return errors.New("stamp needs at least one revision (or heads, or base)")
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			m, db, err := p.open(c.Context, e.lockOptions(c)...)
			if err != nil {
				return err
			}
			defer db.Close()
			if c.Bool("purge") {
				rows, err := m.Current(c.Context)
				if err != nil {
					return err
				}
				if _, gone := known(p, rows); len(gone) > 0 {
					fmt.Fprintf(e.stderr, "strata: warning: --purge forgets %s, which %s not in %s; the schema changes they made stay in the database (strata sync would roll them back instead)\n",
						strings.Join(gone, ", "), map[bool]string{true: "is", false: "are"}[len(gone) == 1], p.dir)
				}
			}
			rows, err := m.Stamp(c.Context, slices.DeleteFunc(c.Args().Slice(), func(s string) bool { return s == "base" }), c.Bool("purge"))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "stamped %s\n", orNone(rows))
			return nil
		},
	}
}
