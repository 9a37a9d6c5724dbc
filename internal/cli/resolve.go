package cli

import (
	"errors"
	"fmt"

	ucli "github.com/urfave/cli/v2"
)

func resolveCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "resolve",
		Usage:     "settle a half-applied revision (a statement failed, or was running when strata stopped, outside a transaction)",
		ArgsUsage: "REV --applied | --rolled-back | --took-effect | --no-effect",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "applied", Usage: "the rest of the revision was applied by hand: record it as applied"},
			&ucli.BoolFlag{Name: "rolled-back", Usage: "what ran was undone by hand: the next upgrade starts at its first statement"},
			&ucli.BoolFlag{Name: "took-effect", Usage: "the statement in doubt (all those sent together) took effect: the next run resumes after it"},
			&ucli.BoolFlag{Name: "no-effect", Usage: "the statement in doubt (none of those sent together) did not take effect: the next run runs it"},
			lockTimeoutFlag,
		},
		Action: func(c *ucli.Context) error {
			n := 0
			for _, f := range []string{"applied", "rolled-back", "took-effect", "no-effect"} {
				if c.Bool(f) {
					n++
				}
			}
			if c.NArg() != 1 || n != 1 {
				return errors.New("resolve needs one revision and exactly one of --applied, --rolled-back, --took-effect or --no-effect")
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
			if c.Bool("took-effect") || c.Bool("no-effect") {
				r, err := m.ResolveStatement(c.Context, c.Args().First(), c.Bool("took-effect"))
				if err != nil {
					return err
				}
				how := "did not take effect; the next run runs it"
				if c.Bool("took-effect") {
					how = "took effect; the next run resumes after it"
				}
				fmt.Fprintf(e.stdout, "resolved %s: the statement in doubt %s\n", r.ID, how)
				return nil
			}
			r, err := m.Resolve(c.Context, c.Args().First(), c.Bool("applied"))
			if err != nil {
				return err
			}
			how := "rolled back; the next upgrade runs it from its first statement"
			if c.Bool("applied") {
				how = "applied"
			}
			fmt.Fprintf(e.stdout, "resolved %s as %s\n", r.ID, how)
			return nil
		},
	}
}
