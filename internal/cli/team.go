package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/versions"
)

func syncCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "sync",
		Usage: "make the database match this checkout: roll back revisions applied from other git branches (from their stored text), then upgrade to every head",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "sql", Usage: "print the SQL script instead of running it (reads the database, changes nothing)"},
			&ucli.BoolFlag{Name: "dry-run", Usage: "list the steps without running them"},
			allowEditedFlag,
			lockTimeoutFlag,
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("sync takes no arguments (got %q)", c.Args().First())
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			start := time.Now()
			bar, log := e.stepLog("sync")
			m, db, err := p.open(c.Context, append(e.lockOptions(c), versions.WithLog(log), versions.WithAllowEdited(c.Bool("allow-edited")))...)
			if err != nil {
				return err
			}
			defer db.Close()
			switch {
			case c.Bool("sql"):
				return m.SyncScript(c.Context, e.stdout)
			case c.Bool("dry-run"):
				plan, err := m.PlanSync(c.Context)
				if err != nil {
					return err
				}
				steps := plan.Steps()
				if len(steps) == 0 {
					e.inSync(p)
				}
				for _, st := range steps {
					fmt.Fprintf(e.stdout, "would %s\n", st)
				}
				return nil
			}
			steps, err := m.Sync(c.Context)
			bar.clear()
			if err != nil {
				return err
			}
			if len(steps) == 0 {
				e.inSync(p)
				return nil
			}
			fmt.Fprintf(e.stdout, "%d revision(s) in %s\n", len(steps), round(time.Since(start)))
			return nil
		},
	}
}

// inSync says that sync has nothing to do.
func (e *env) inSync(p *project) {
	fmt.Fprintf(e.stdout, "nothing to do; the database matches %s (heads %s)\n", p.dir, joinIDs(p.graph.Heads()))
}

func rebaseCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "rebase",
		Usage:     "after a git merge left two heads, put your branch on top of the other one (linear history)",
		ArgsUsage: "[REV]",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "onto", Usage: "put the branch on `REV` (default: the other head)"},
			&ucli.BoolFlag{Name: "dry-run", Usage: "say what would move and check for conflicts, changing nothing"},
			allowEditedFlag,
			lockTimeoutFlag,
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 1 {
				return fmt.Errorf("rebase takes at most one revision, the head of the branch to move (got %d)", c.NArg())
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			bar, log := e.stepLog("rebase")
			m, db, err := p.open(c.Context, append(e.lockOptions(c), versions.WithLog(log), versions.WithAllowEdited(c.Bool("allow-edited")))...)
			if err != nil {
				return err
			}
			defer db.Close()
			o := versions.RebaseOptions{Rev: c.Args().First(), Onto: c.String("onto"), DryRun: c.Bool("dry-run")}
			plan, _, err := m.Rebase(c.Context, p.dir, o)
			bar.clear()
			if plan != nil {
				for _, u := range plan.Unread {
					fmt.Fprintf(e.stderr, "strata: warning: the conflict check cannot tell what this statement changes; review it: %s\n", u)
				}
			}
			if err != nil {
				return err
			}
			moved := make([]string, len(plan.Moved))
			for i, r := range plan.Moved {
				moved[i] = r.ID
			}
			if o.DryRun {
				fmt.Fprintf(e.stdout, "would move %s onto %s: %s gets Revises: %s; no conflicts found\n", strings.Join(moved, ", "), plan.Onto.ID, plan.First.File, plan.Onto.ID)
				return nil
			}
			fmt.Fprintf(e.stdout, "rebased %s onto %s: %s now revises %s\n", strings.Join(moved, ", "), plan.Onto.ID, filepath.Join(p.dir, plan.First.File), plan.Onto.ID)
			var heads []string
			for _, h := range m.Graph().Heads() {
				heads = append(heads, h.ID)
			}
			return e.writeHead(p, heads)
		},
	}
}

// writeHead rewrites the head file (linear = true) when the graph has one
// head, heads.
func (e *env) writeHead(p *project, heads []string) error {
	if !p.cfg.Linear || len(heads) != 1 {
		return nil
	}
	if err := versions.WriteHead(p.dir, heads[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", filepath.Join(p.dir, versions.HeadFile))
	return nil
}

// newHeads returns the heads the graph will have once r is added.
func newHeads(g *versions.Graph, r *versions.Revision) []string {
	out := []string{r.ID}
	for _, h := range g.Heads() {
		if !slices.Contains(r.Revises, h.ID) {
			out = append(out, h.ID)
		}
	}
	return out
}

// multipleHeads is the error for a command that needs one head.
func multipleHeads(heads []*versions.Revision) error {
	return fmt.Errorf("multiple heads (%s): %s", joinIDs(heads), versions.HeadsRemedy)
}

// upToDate refuses a command that compares the models with the database
// unless the directory has one head and the database is at it.
func (p *project) upToDate(ctx context.Context, m *versions.Migrator) error {
	if heads := p.graph.Heads(); len(heads) > 1 {
		return multipleHeads(heads)
	}
	at, _, err := m.AtHeads(ctx)
	if err != nil {
		return err
	}
	if at {
		return nil
	}
	if err := m.Stranded(ctx); err != nil {
		return err
	}
	return errors.New("database is not up to date; run `strata upgrade head`")
}
