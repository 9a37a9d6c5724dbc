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
			&ucli.BoolFlag{Name: "from-db", Usage: "adopt the database at --database-url: also write its models and a baseline revision, and stamp it"},
			&ucli.StringFlag{Name: "out", Usage: "with --from-db: the models `DIR`, relative to DIR (default models)"},
			&ucli.StringFlag{Name: "package", Usage: "with --from-db: the models' Go package `NAME` (default: the directory's name)"},
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
			if !c.Bool("from-db") {
				for _, f := range []string{"out", "package"} {
					if c.IsSet(f) {
						return fmt.Errorf("--%s goes with --from-db", f)
					}
				}
			}
			switch {
			case err == nil && c.Bool("from-db"):
				return fmt.Errorf("%s already exists; not overwriting it (strata models --from-db and strata revision --baseline adopt a database in a configured project)", cfgPath)
			case err == nil && c.Bool("makefile"):
				return e.writeMakefile(dir)
			case err == nil:
				return fmt.Errorf("%s already exists; not overwriting it", cfgPath)
			case !errors.Is(err, fs.ErrNotExist):
				return err
			}
			if c.Bool("from-db") {
				return e.adopt(c, dir, cfgPath, c.Bool("makefile"))
			}
			return e.initProject(dir, cfgPath, c.Bool("makefile"))
		},
	}
}

// initProject writes the config, the versions directory and (makefile)
// strata.mk in dir. On failure (a full disk, say) it removes what it
// created, so nothing half-made is left.
func (e *env) initProject(dir, cfgPath string, makefile bool) (err error) {
	var created []string // removed, newest first, if a later step fails
	defer func() {
		if err != nil {
			for i := len(created) - 1; i >= 0; i-- {
				os.Remove(created[i])
			}
		}
	}()
	versions := filepath.Join(dir, config.DefaultVersionsDir)
	var missing []string
	for p := versions; ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil || filepath.Dir(p) == p {
			break
		}
		missing = append(missing, p)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil {
			return err
		}
		created = append(created, missing[i])
	}
	if makefile {
		path := filepath.Join(dir, "strata.mk")
		if err := writeNew(path, Makefile); err != nil {
			return err
		}
		created = append(created, path)
	}
	if err := writeNew(cfgPath, config.Template); err != nil {
		return err
	}
	if makefile {
		fmt.Fprintf(e.stdout, "wrote %s (add \"include strata.mk\" to your Makefile)\n", filepath.Join(dir, "strata.mk"))
	}
	fmt.Fprintf(e.stdout, "wrote %s\ncreated %s/\n", cfgPath, versions)
	return nil
}

// writeNew writes a new file, never over an existing one (O_EXCL), and
// removes it if the write fails.
func writeNew(path, data string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; not overwriting it", path)
	}
	if err != nil {
		return err
	}
	_, err = f.WriteString(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
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
	if err := writeNew(path, Makefile); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s (add \"include strata.mk\" to your Makefile)\n", path)
	return nil
}
