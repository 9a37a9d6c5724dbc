package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/dialect"
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
	// conn is the connection loadProjectWith started, until open takes
	// it.
	conn *connecting
}

// connecting is a connection made in the background.
type connecting struct {
	done   chan struct{}
	cancel context.CancelFunc
	db     *sql.DB
	err    error
}

// loadProject loads the configuration and the revision graph.
func (e *env) loadProject(c *ucli.Context) (*project, error) {
	return e.loadProjectWith(c, false)
}

// loadProjectWith is loadProject; with connect, for a command that
// connects to the database whatever the revisions hold, connecting starts
// before the revisions are read, beside them, and the caller defers
// release.
func (e *env) loadProjectWith(c *ucli.Context, connect bool) (_ *project, err error) {
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
	if connect {
		// A URL that does not parse is reported below, after the
		// revisions, as without connect. A SQLite file is not opened
		// early: opening creates it, and revisions that do not load must
		// leave the database untouched (connecting to a server and
		// leaving touches nothing).
		if u, err := e.parseURL(cfg.DatabaseURL); err == nil && u.Dialect != dialect.SQLite {
			p.startConnect(c.Context, u)
		}
		defer func() {
			if err != nil {
				p.release()
			}
		}()
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

// startConnect connects to u in the background; open takes the result.
func (p *project) startConnect(ctx context.Context, u *introspect.URL) {
	ctx, cancel := context.WithCancel(ctx)
	cn := &connecting{done: make(chan struct{}), cancel: cancel}
	p.conn = cn
	go func() {
		defer close(cn.done)
		cn.db, cn.err = introspect.Open(ctx, u)
	}()
}

// release gives up a connection started early that open did not take: the
// attempt is cancelled, and the connection closed once made, without
// waiting for it.
func (p *project) release() {
	cn := p.conn
	if cn == nil {
		return
	}
	p.conn = nil
	cn.cancel()
	go func() {
		<-cn.done
		if cn.db != nil {
			cn.db.Close()
		}
	}()
}

// open connects to the database, or takes the connection started early,
// and returns a migrator on it.
func (p *project) open(ctx context.Context, opts ...versions.Option) (*versions.Migrator, *sql.DB, error) {
	var (
		db  *sql.DB
		err error
	)
	if cn := p.conn; cn != nil {
		// Made with the command's context, as ctx is: a signal ends it.
		p.conn = nil
		<-cn.done
		db, err = cn.db, cn.err
	} else {
		db, err = introspect.Open(ctx, p.url)
	}
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
