package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/versions"
)

func upgradeCommand(e *env) *ucli.Command {
	return runCommand(e, true)
}

func downgradeCommand(e *env) *ucli.Command {
	return runCommand(e, false)
}

func runCommand(e *env, up bool) *ucli.Command {
	name, usage, args := "upgrade", "apply revisions up to TARGET (default head)", "[TARGET]"
	if !up {
		name, usage, args = "downgrade", "revert revisions down to TARGET (a revision, -N or base)", "TARGET"
	}
	return &ucli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: args,
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "sql", Usage: "print the SQL script instead of running it (no connection); TARGET may be START:END"},
			allowEditedFlag,
			lockTimeoutFlag,
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 1 {
				return fmt.Errorf("%s takes one target, got %d", name, c.NArg())
			}
			target := c.Args().First()
			if target == "" && !up {
				return errors.New("downgrade needs a target: a revision, -N or base")
			}
			if target == "" {
				target = "head"
			}
			// Connecting starts beside reading the revisions, unless the
			// run prints SQL instead.
			p, err := e.loadProjectWith(c, !c.Bool("sql") && !strings.Contains(target, ":"))
			if err != nil {
				return err
			}
			defer p.release()
			if c.Bool("sql") {
				from, to, ranged := strings.Cut(target, ":")
				if !ranged {
					from, to = "", target
					if !up {
						return errors.New("downgrade --sql needs a range START:END, since it cannot read the current revision")
					}
				}
				return versions.Script(e.stdout, p.graph, p.url.Dialect, p.cfg.VersionTable, from, to, up)
			}
			if strings.Contains(target, ":") {
				return fmt.Errorf("a range %q is only allowed with --sql", target)
			}
			start := time.Now()
			var steps []versions.Step
			bar, log := e.stepLog(name)
			m, db, err := p.open(c.Context, append(e.lockOptions(c), versions.WithLog(log), versions.WithAllowEdited(c.Bool("allow-edited")))...)
			if err != nil {
				return err
			}
			defer db.Close()
			if up {
				steps, err = m.Upgrade(c.Context, target)
			} else {
				steps, err = m.Downgrade(c.Context, target)
			}
			bar.clear()
			if err != nil {
				return err
			}
			if len(steps) == 0 {
				fmt.Fprintf(e.stdout, "nothing to %s; the database is already at %s\n", name, target)
				return nil
			}
			fmt.Fprintf(e.stdout, "%d revision(s) in %s\n", len(steps), round(time.Since(start)))
			return nil
		},
	}
}

// stepLog returns a progress bar (on a terminal) and a log that prints
// each step run as "upgrade A -> B, message (duration)".
func (e *env) stepLog(what string) (*progress, func(versions.Event)) {
	bar := newProgress(e.stderr, e.showProgress)
	return bar, func(ev versions.Event) {
		bar.clear()
		defer bar.update(what, ev.Index, ev.Total)
		fmt.Fprintf(e.stdout, "%s (%s)\n", ev.Step, round(ev.Duration))
	}
}

// allowEditedFlag is --allow-edited, shared by the commands that run revisions.
var allowEditedFlag = &ucli.BoolFlag{Name: "allow-edited", Usage: "run although applied revision files were edited (recorded in the history table)"}

// lockTimeoutFlag is --lock-timeout, shared by the commands that take the migration lock.
var lockTimeoutFlag = &ucli.DurationFlag{Name: "lock-timeout", Value: versions.DefaultLockTimeout,
	Usage: "how long to wait for another runner's migration lock"}

// lockOptions apply --lock-timeout and say on stderr when the run waits
// for another runner.
func (e *env) lockOptions(c *ucli.Context) []versions.Option {
	return []versions.Option{
		versions.WithLockTimeout(c.Duration("lock-timeout")),
		versions.WithWait(func(holder string) {
			fmt.Fprintf(e.stderr, "strata: waiting for the migration lock held by %s\n", holder)
		}),
		versions.WithNotice(func(msg string) { fmt.Fprintf(e.stderr, "strata: %s\n", msg) }),
	}
}

func round(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(time.Millisecond)
}
