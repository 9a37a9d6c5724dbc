package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/internal/config"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/versions"
)

// project is what most commands start from: the configuration, the
// directory of revisions, and (when a command needs it) the database.
type project struct {
	cfg *config.Config
	// dir is the versions directory, resolved against the config file's
	// directory.
	dir   string
	graph *versions.Graph
	url   *introspect.URL
	// models is the background load of the models, once started, and
	// modelCache the directory it is cached in (none when empty).
	models     *modelLoad
	modelCache string
	// inspection is the background inspection of the database, once
	// started.
	inspection *dbInspection
}

// loadProject loads the configuration and the revision graph.
func (e *env) loadProject(c *ucli.Context) (*project, error) {
	cfg, err := e.loadConfig(c)
	if err != nil {
		return nil, err
	}
	p := &project{cfg: cfg, dir: cfg.VersionsDir, modelCache: e.modelCache()}
	if !filepath.IsAbs(p.dir) && cfg.Path != "" {
		p.dir = filepath.Join(filepath.Dir(cfg.Path), p.dir)
	}
	if fi, err := os.Stat(p.dir); err != nil {
		return nil, fmt.Errorf("versions directory %s does not exist (run strata init, or set versions_dir in %s)", p.dir, config.FileName)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("versions directory %s is a file, not a directory (set versions_dir in %s to the directory of revision files)", p.dir, config.FileName)
	}
	g, err := versions.LoadDir(p.dir)
	if err != nil {
		return nil, err
	}
	p.graph = g
	if p.url, err = e.parseURL(cfg.DatabaseURL); err != nil {
		return nil, err
	}
	return p, nil
}

// open connects to the database and returns a migrator on it.
func (p *project) open(ctx context.Context, opts ...versions.Option) (*versions.Migrator, *sql.DB, error) {
	db, err := introspect.Open(ctx, p.url)
	if err != nil {
		return nil, nil, err
	}
	m, err := versions.NewMigrator(db, p.url.Dialect, p.graph, append([]versions.Option{versions.WithTable(p.cfg.VersionTable)}, opts...)...)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return m, db, nil
}
