package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/internal/config"
)

func initCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "init",
		Usage:     "write strata.toml and the versions directory",
		ArgsUsage: "[DIR]",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "makefile", Usage: "also write strata.mk, make targets for the team workflow (alone when strata.toml exists)"},
		},
		Action: func(c *ucli.Context) error {
			if c.NArg() > 1 {
				return errors.New("init takes at most one directory")
			}
			dir := c.Args().First()
			if dir == "" {
				dir = "."
			}
			cfgPath := filepath.Join(dir, config.FileName)
			_, err := os.Stat(cfgPath)
			switch {
			case err == nil && c.Bool("makefile"):
				return e.writeMakefile(dir)
			case err == nil:
				return fmt.Errorf("%s already exists; not overwriting it", cfgPath)
			case !errors.Is(err, fs.ErrNotExist):
				return err
			}
			if c.Bool("makefile") {
				if err := e.writeMakefile(dir); err != nil {
					return err
				}
			}
			versions := filepath.Join(dir, config.DefaultVersionsDir)
			if err := os.MkdirAll(versions, 0o755); err != nil {
				return err
			}
			// O_EXCL: a config created meanwhile is never overwritten.
			f, err := os.OpenFile(cfgPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			if _, err := f.WriteString(config.Template); err != nil {
				f.Close()
				os.Remove(cfgPath)
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "wrote %s\ncreated %s/\n", cfgPath, versions)
			return nil
		},
	}
}

// Makefile is strata.mk, which `strata init --makefile` writes.
const Makefile = `# strata.mk: shortcuts for the team's database workflow, written by
# strata init --makefile. Include it from your Makefile:
#
#     include strata.mk
#
# make db-revision m="add orders"   write a revision from the models
# make db-upgrade                   apply every revision
# make db-downgrade                 revert the last revision
# make db-history                   the revision graph, current marked
# make db-sync                      after a git checkout: match this branch
# make db-check                     the pre-commit gate
# make db-rebase                    after a git merge left two heads

STRATA ?= strata

.PHONY: db-revision db-upgrade db-downgrade db-history db-sync db-check db-rebase

db-revision:
	@test -n "$(m)" || { echo 'usage: make db-revision m="what the revision does"' >&2; exit 2; }
	$(STRATA) revision --autogenerate -m "$(m)"

db-upgrade:
	$(STRATA) upgrade head

db-downgrade:
	$(STRATA) downgrade -1

db-history:
	$(STRATA) history -i

db-sync:
	$(STRATA) sync

db-check:
	$(STRATA) check

db-rebase:
	$(STRATA) rebase
`

// writeMakefile writes dir/strata.mk, never over an existing file.
func (e *env) writeMakefile(dir string) error {
	path := filepath.Join(dir, "strata.mk")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; not overwriting it", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(Makefile); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (add \"include strata.mk\" to your Makefile)\n", path)
	return nil
}
