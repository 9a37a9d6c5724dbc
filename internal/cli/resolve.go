package cli

import (
	"errors"
	"fmt"

	ucli "github.com/urfave/cli/v2"
)

func resolveCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "resolve",
		Usage:     "settle a half-applied revision (a statement failed outside a transaction)",
		ArgsUsage: "REV --applied | --rolled-back",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "applied", Usage: "the rest of the revision was applied by hand: record it as applied"},
			&ucli.BoolFlag{Name: "rolled-back", Usage: "what ran was undone by hand: the next upgrade starts at its first statement"},
			lockTimeoutFlag,
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 || c.Bool("applied") == c.Bool("rolled-back") {
				return errors.New("resolve needs one revision and exactly one of --applied or --rolled-back")
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
