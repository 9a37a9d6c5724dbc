package cli

import (
	"errors"
	"fmt"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/render"
	"github.com/strata-db/strata/versions"
)

func revisionCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "revision",
		Usage: "write a new empty revision on top of the current head",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "message", Aliases: []string{"m"}, Usage: "what the revision does", Required: true},
			&ucli.StringFlag{Name: "head", Usage: "build on `REV` instead of the single head (base: a new root)"},
			&ucli.BoolFlag{Name: "splice", Usage: "allow --head to name a revision that is not a head, starting a branch"},
			&ucli.StringSliceFlag{Name: "branch-label", Usage: "label the new branch `LABEL` (repeatable)"},
			&ucli.StringSliceFlag{Name: "depends-on", Usage: "revision or label `REV` this one depends on (repeatable)"},
			&ucli.StringFlag{Name: "rev-id", Usage: "use `ID` instead of a random revision id"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("revision takes no arguments (got %q); quote the message: -m \"...\"", c.Args().First())
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			r, err := versions.New(p.graph, versions.NewOptions{
				Message:      c.String("message"),
				Head:         c.String("head"),
				Splice:       c.Bool("splice"),
				BranchLabels: c.StringSlice("branch-label"),
				DependsOn:    c.StringSlice("depends-on"),
				ID:           c.String("rev-id"),
			})
			if err != nil {
				return err
			}
			return e.write(p, r)
		},
	}
}

func mergeCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "merge",
		Usage:     "write a revision that merges several heads into one",
		ArgsUsage: "REV... | heads",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "message", Aliases: []string{"m"}, Usage: "what the merge is for", Required: true},
			&ucli.StringSliceFlag{Name: "branch-label", Usage: "label `LABEL` for the merged branch (repeatable)"},
			&ucli.StringFlag{Name: "rev-id", Usage: "use `ID` instead of a random revision id"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() == 0 {
				return errors.New("merge needs the revisions to merge, or heads")
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			r, err := versions.NewMerge(p.graph, c.Args().Slice(), versions.NewOptions{
				Message:      c.String("message"),
				BranchLabels: c.StringSlice("branch-label"),
				ID:           c.String("rev-id"),
			})
			if err != nil {
				return err
			}
			return e.write(p, r)
		},
	}
}

// write renders r into the versions directory and reports the file.
func (e *env) write(p *project, r *versions.Revision) error {
	path, err := versions.Create(p.dir, r, render.Revision(r))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", path)
	return nil
}
