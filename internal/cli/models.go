package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

// modelsCommand prints the schema the model packages declare, so a team can
// review what its structs mean before generating a revision.
func modelsCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "models",
		Usage: "print the schema the Go models declare, as CREATE TABLE statements or JSON; or, with --from-db, write the models of the database",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "dialect", Usage: "`DIALECT` to print for: postgres, mysql or sqlite (default: the configured database's)"},
			&ucli.StringFlag{Name: "format", Value: "sql", Usage: "output `FORMAT`: sql or json"},
			&ucli.BoolFlag{Name: "from-db", Usage: "write Go models declaring the configured database's schema"},
			&ucli.StringFlag{Name: "out", Usage: "with --from-db: `DIR` to write into (default: the models directory of the config, else ./models)"},
			&ucli.StringFlag{Name: "package", Usage: "with --from-db: Go package `NAME` (default: that of the Go files in DIR, else DIR's base name)"},
			&ucli.BoolFlag{Name: "force", Usage: "with --from-db: overwrite existing files"},
		},
		Action: func(c *ucli.Context) error {
			if c.Bool("from-db") {
				return e.modelsFromDB(c)
			}
			for _, f := range []string{"out", "package", "force"} {
				if c.IsSet(f) {
					return fmt.Errorf("--%s goes with --from-db", f)
				}
			}
			format := c.String("format")
			if format != "sql" && format != "json" {
				return fmt.Errorf("unknown format %q (want sql or json)", format)
			}
			cfg, err := e.loadConfig(c)
			if err != nil {
				return err
			}
			if cfg.NoModels() {
				return errors.New("models = [] in the configuration: this project declares no Go models")
			}
			var d dialect.Name
			if c.IsSet("dialect") {
				d, err = dialect.Parse(c.String("dialect"))
			} else {
				d, err = e.configuredDialect(cfg.DatabaseURL)
			}
			if err != nil {
				return err
			}
			dir := "."
			if cfg.Path != "" {
				dir = filepath.Dir(cfg.Path)
			}
			patterns := model.Patterns(cfg.Models)
			realm, err := model.Load(c.Context, dir, patterns, d, modelOptions(cfg, e.modelCache(), func(w *model.Error) {
				fmt.Fprintf(e.stderr, "strata: warning: %s\n", w)
			})...)
			if err != nil {
				return err
			}
			if len(realm.Schemas[0].Tables) == 0 {
				fmt.Fprintf(e.stderr, "strata: warning: the models (%s) declare no tables; %s\n", strings.Join(patterns, " "), tableRule(cfg))
			}
			var out []byte
			if format == "json" {
				out, err = model.JSON(realm, d)
			} else {
				var s string
				s, err = model.SQL(realm, d)
				out = []byte(s)
			}
			if err != nil {
				return err
			}
			_, err = e.stdout.Write(out)
			return err
		},
	}
}

// configuredDialect is the dialect of the configured database URL.
func (e *env) configuredDialect(raw string) (dialect.Name, error) {
	u, err := e.parseURL(raw)
	if err != nil {
		return "", err
	}
	return u.Dialect, nil
}
