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
		Action: func(c *ucli.Context) error {
			if c.NArg() > 1 {
				return errors.New("init takes at most one directory")
			}
			dir := c.Args().First()
			if dir == "" {
				dir = "."
			}
			cfgPath := filepath.Join(dir, config.FileName)
			if _, err := os.Stat(cfgPath); err == nil {
				return fmt.Errorf("%s already exists; not overwriting it", cfgPath)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
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
