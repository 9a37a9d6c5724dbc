package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/internal/config"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/render"
	"github.com/strata-db/strata/versions"
)

// adopt is `strata init --from-db`: strata.toml, the models package of the
// live schema, a baseline revision, and the database stamped at it. Every
// check and every query comes first; then the files are written and the
// database stamped, and a failure there removes what was written.
func (e *env) adopt(c *ucli.Context, dir, cfgPath string, makefile bool) error {
	ctx := c.Context
	if !inGoModule(dir) {
		return fmt.Errorf("%s is not inside a Go module (no go.mod there or above): run go mod init first, the models are a package of it", dir)
	}
	raw, fromEnv := c.String("database-url"), false
	if !c.IsSet("database-url") {
		raw, fromEnv = e.lookup("STRATA_DATABASE_URL")
	}
	if raw == "" {
		return errors.New("init --from-db reads the database at --database-url URL (or STRATA_DATABASE_URL); none is given")
	}
	u, err := e.parseURL(raw)
	if err != nil {
		return err
	}
	out := c.String("out")
	if out == "" {
		out = "models"
	}
	modelsDir := filepath.Join(dir, out)
	if err := emptyOrMissing(modelsDir, "the models directory", "pass --out DIR to write the models elsewhere"); err != nil {
		return err
	}
	versionsDir := filepath.Join(dir, config.DefaultVersionsDir)
	if err := emptyOrMissing(versionsDir, "the versions directory", "strata revision --baseline --head REV attaches a baseline to existing revisions"); err != nil {
		return err
	}
	pkg, err := modelsPackage(modelsDir, c.String("package"))
	if err != nil {
		return err
	}
	cfg := config.Default()
	cfg.Path, cfg.DatabaseURL = cfgPath, raw
	cfg.Models = []string{"./" + filepath.ToSlash(filepath.Clean(out))}
	p := &project{cfg: cfg, dir: versionsDir, graph: &versions.Graph{}, url: u}
	shown := raw
	if fromEnv || len(u.Secrets) > 0 {
		// Never a password in a file meant for git.
		shown = "${STRATA_DATABASE_URL}"
	}
	cfgText, err := configText(shown, cfg.Models[0])
	if err != nil {
		return err
	}

	db, err := introspect.Open(ctx, u)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := versions.NewMigrator(db, u.Dialect, p.graph, versions.WithTable(cfg.VersionTable))
	if err != nil {
		return err
	}
	if rows, err := m.Current(ctx); err != nil {
		return err
	} else if len(rows) > 0 {
		return fmt.Errorf("the database is already at revision %s: strata manages it already; run strata init (without --from-db) and copy its revisions", orNone(rows))
	}
	drv, live, err := e.inspect(ctx, p, db)
	if err != nil {
		return err
	}
	models, warns, err := render.Models(live, u.Dialect, pkg)
	if errors.Is(err, render.ErrNoTables) {
		return fmt.Errorf("the database has no tables: nothing to adopt (is %s the right database?)", u)
	}
	if err != nil {
		return err
	}
	nTables := len(live.Tables)
	mig, objs, err := e.planBaseline(ctx, p, db, drv, live)
	if err != nil {
		return err
	}
	for _, w := range warns {
		fmt.Fprintf(e.stderr, "strata: warning: %s\n", w)
	}
	if w := introspect.UnmanagedWarning(objs); w != "" {
		fmt.Fprintf(e.stderr, "strata: warning: %s\n", w)
	}
	e.warn(mig)

	var created []string // removed, newest first, if a later step fails
	done := false
	defer func() {
		if !done {
			for i := len(created) - 1; i >= 0; i-- {
				os.Remove(created[i])
			}
		}
	}()
	for _, d := range []string{versionsDir, modelsDir} {
		made, err := mkdirs(d)
		created = append(created, made...)
		if err != nil {
			return err
		}
	}
	written, err := writeAll(modelsDir, models, false)
	created = append(created, written...)
	if err != nil {
		return err
	}
	if makefile {
		path := filepath.Join(dir, "strata.mk")
		if err := writeNew(path, Makefile); err != nil {
			return err
		}
		created = append(created, path)
		written = append(written, path)
	}
	if err := writeNew(cfgPath, cfgText); err != nil {
		return err
	}
	created = append(created, cfgPath)
	r, path, err := e.createBaseline(ctx, p, db, versions.NewOptions{Message: "baseline"}, mig, nil)
	if err != nil {
		return err
	}
	done = true
	fmt.Fprintf(e.stdout, "wrote %s\n", cfgPath)
	for _, w := range written {
		fmt.Fprintf(e.stdout, "wrote %s\n", w)
	}
	fmt.Fprintf(e.stdout, "wrote %s\nstamped %s: %s adopted, models in package %s\n", path, r.ID, plural(nTables, "table"), pkg)
	if shown != raw {
		fmt.Fprintf(e.stdout, "strata.toml reads the database URL from STRATA_DATABASE_URL\n")
	}
	return nil
}

// mkdirs creates dir and its missing parents, and returns those it
// created, outermost first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for p := dir; ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil || filepath.Dir(p) == p {
			break
		}
		missing = append(missing, p)
	}
	var made []string
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil {
			return made, err
		}
		made = append(made, missing[i])
	}
	return made, nil
}

// emptyOrMissing refuses a directory that exists and holds anything.
func emptyOrMissing(dir, what, hint string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s %s already exists and is not empty; nothing written (%s)", what, dir, hint)
	}
	return nil
}

// configText is the template of strata init with the database URL and
// the models package of an adoption.
func configText(url, models string) (string, error) {
	u, err := toml.Marshal(map[string]string{"database_url": url})
	if err != nil {
		return "", err
	}
	m, err := toml.Marshal(map[string][]string{"models": {models}})
	if err != nil {
		return "", err
	}
	text := config.Template
	for _, r := range [][2]string{
		{"database_url = \"" + config.DefaultDatabaseURL + "\"\n", string(u)},
		{"models = [\"./...\"]\n", string(m)},
	} {
		if !strings.Contains(text, r[0]) {
			return "", fmt.Errorf("config template lacks %q", r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	return text, nil
}

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
