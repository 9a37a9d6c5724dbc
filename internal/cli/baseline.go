package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/diff"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/render"
	"github.com/strata-db/strata/versions"
)

// warnUnmanaged prints one warning line naming the objects of the database
// strata does not manage (views, triggers, functions, ...), which no
// generated revision touches. A failure to list them is a warning too: it
// must not change what diff or check answer. The list comes from the
// background inspection of db when there is one (startInspect).
func (e *env) warnUnmanaged(ctx context.Context, p *project, db *sql.DB) {
	var objs []introspect.Object
	var err error
	if in := p.inspection; in != nil && in.db == db && in.listing {
		<-in.objsDone
		objs, err = in.objs, in.objsErr
	} else {
		objs, err = introspect.Objects(ctx, db, p.url.Dialect, p.inspectOptions())
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "strata: warning: %v\n", err)
		return
	}
	if w := introspect.UnmanagedWarning(objs); w != "" {
		fmt.Fprintf(e.stderr, "strata: warning: %s\n", w)
	}
}

// keepObjects has a migration keep the database's views, triggers and
// other objects where its table changes would break them: SQLite table
// rebuilds, PostgreSQL column type changes (diff.KeepObjects).
func (p *project) keepObjects(ctx context.Context, db *sql.DB, mig *diff.Migration) error {
	if !diff.MayBreakObjects(p.url.Dialect, mig) {
		return nil
	}
	// Every one, also on tables include/exclude leave out: a trigger on
	// one of those may name a rebuilt table.
	objs, err := introspect.Objects(ctx, db, p.url.Dialect, introspect.Options{Skip: versions.OwnTables(p.cfg.VersionTable)})
	if err != nil {
		return err
	}
	diff.KeepObjects(p.url.Dialect, mig, objs)
	return nil
}

// writeBaseline is `strata revision --baseline`: a revision creating the
// live schema from nothing, written, then the database stamped at it. On
// a failure after the file is written, the file is removed again.
func (e *env) writeBaseline(c *ucli.Context, p *project, o versions.NewOptions) error {
	ctx := c.Context
	if n := len(p.graph.Revisions()); n > 0 && o.Head == "" {
		return fmt.Errorf("%s already has %d revision(s): a baseline starts the history; pass --head REV to attach it to REV (the revisions up to REV must then not create what the baseline creates)", p.dir, n)
	}
	m, db, err := p.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := m.Current(ctx)
	if err != nil {
		return err
	}
	if len(rows) > 0 && o.Head == "" {
		return fmt.Errorf("the database is already at revision %s; a baseline is for a database strata has not managed yet", orNone(rows))
	}
	drv, live, err := e.inspect(ctx, p, db)
	if err != nil {
		return err
	}
	mig, _, err := e.planBaseline(ctx, p, db, drv, live)
	if err != nil {
		return err
	}
	r, path, err := e.createBaseline(ctx, p, db, o, mig, rows)
	if err != nil {
		return err
	}
	e.warn(mig)
	for _, s := range mig.Summary {
		fmt.Fprintln(e.stdout, s)
	}
	fmt.Fprintf(e.stdout, "wrote %s\nstamped %s\n", path, r.ID)
	return e.writeHead(p, newHeads(p.graph, r))
}

// planBaseline plans the migration creating live, the schema of db that
// drv inspected, from nothing: its tables and the objects the vocabulary
// does not declare, which it also returns. live is modified.
func (e *env) planBaseline(ctx context.Context, p *project, db *sql.DB, drv migrate.Driver, live *schema.Schema) (*diff.Migration, []introspect.Object, error) {
	objs, err := introspect.BaselineObjects(ctx, db, p.url.Dialect, p.inspectOptions())
	if err != nil {
		return nil, nil, err
	}
	mig, err := diff.Baseline(ctx, drv, p.url.Dialect, live, objs)
	if errors.Is(err, diff.ErrNothingToBaseline) {
		return nil, nil, fmt.Errorf("%w (is %s the right database?)", err, p.url)
	}
	return mig, objs, err
}

// createBaseline writes the baseline revision of mig and stamps db, which
// is at the revisions current, at it. On a failure after the file is
// written, the file is removed again.
func (e *env) createBaseline(ctx context.Context, p *project, db *sql.DB, o versions.NewOptions, mig *diff.Migration, current []string) (*versions.Revision, string, error) {
	r, err := versions.New(p.graph, o)
	if err != nil {
		return nil, "", err
	}
	// Stamping sets the version table to the baseline: every revision the
	// database is at must come before it, or stamping would forget it.
	before := map[string]bool{}
	var walk func(ids []string)
	walk = func(ids []string) {
		for _, id := range ids {
			if rev, ok := p.graph.Get(id); ok && !before[id] {
				before[id] = true
				walk(revisionIDs(rev.Parents()))
				walk(revisionIDs(rev.Dependencies()))
			}
		}
	}
	walk(append(slices.Clone(r.Revises), r.DependsOn...))
	for _, id := range current {
		if !before[id] {
			return nil, "", fmt.Errorf("the database is at revision %s, which the baseline would not come after; stamping it would forget %s: pass --head %s", id, id, id)
		}
	}
	r.Upgrade.SQL = render.DialectStatements(p.url.Dialect, mig.Upgrade)
	r.Downgrade.SQL = render.DialectStatements(p.url.Dialect, mig.Downgrade)
	path, err := versions.Create(p.dir, r, render.Revision(r))
	if err != nil {
		return nil, "", err
	}
	undo := func(err error) (*versions.Revision, string, error) {
		if rerr := os.Remove(path); rerr != nil {
			return nil, "", fmt.Errorf("%w; removing %s failed too: %v", err, path, rerr)
		}
		return nil, "", fmt.Errorf("%w; removed %s again, the database is not stamped", err, path)
	}
	if err := e.runPostWrite(p, path); err != nil {
		return undo(err)
	}
	// Stamp with the file as written (and as the hook left it).
	g, err := versions.LoadDir(p.dir)
	if err != nil {
		return undo(err)
	}
	sm, err := versions.NewMigrator(db, p.url.Dialect, g, versions.WithTable(p.cfg.VersionTable))
	if err != nil {
		return undo(err)
	}
	if _, err := sm.Stamp(ctx, []string{r.ID}, false); err != nil {
		return undo(fmt.Errorf("stamp: %w", err))
	}
	return r, path, nil
}

func revisionIDs(rs []*versions.Revision) []string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}
