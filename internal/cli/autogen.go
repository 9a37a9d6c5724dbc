package cli

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/diff"
	"github.com/strata-db/strata/internal/config"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/model"
	"github.com/strata-db/strata/render"
	"github.com/strata-db/strata/versions"
)

// modelDir is where model package patterns are resolved: the config
// file's directory, or the working directory without one.
func (p *project) modelDir() string {
	if p.cfg.Path != "" {
		return filepath.Dir(p.cfg.Path)
	}
	return "."
}

// tableRule says which structs are tables, for the configured ORM.
func tableRule(cfg *config.Config) string {
	if cfg.ORM == "gorm" {
		return "with orm = \"gorm\" a struct is a table when an AutoMigrate call is given it (or, with no such call, when it has gorm tags, embeds gorm.Model or has a TableName method) or its doc comment has //strata:table"
	}
	return "a struct is a table when its doc comment has //strata:table"
}

// modelOptions are the model.Load options the configuration asks for,
// with warn receiving the load's warnings and loads cached in cache (none
// when empty).
func modelOptions(cfg *config.Config, cache string, warn func(*model.Error)) []model.Option {
	opts := []model.Option{model.WithWarnings(warn)}
	if cache != "" {
		opts = append(opts, model.WithCache(cache))
	}
	if cfg.ORM == "gorm" {
		opts = append(opts, model.WithGORM(model.GORMNaming{TablePrefix: cfg.GORMTablePrefix, SingularTable: cfg.GORMSingularTable}))
	}
	return opts
}

// modelCache is the directory model loads are cached in: strata/models in
// the user cache directory, or none when STRATA_NO_CACHE is set or there
// is no such directory.
func (e *env) modelCache() string {
	if v, ok := e.lookup("STRATA_NO_CACHE"); ok && v != "" {
		return ""
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "strata", "models")
}

// inspectOptions selects the tables strata manages.
func (p *project) inspectOptions() introspect.Options {
	return introspect.Options{Include: p.cfg.Include, Exclude: p.cfg.Exclude, Skip: versions.OwnTables(p.cfg.VersionTable)}
}

// modelLoad is a load of the models running in the background.
type modelLoad struct {
	done   chan struct{}
	cancel context.CancelFunc
	s      *schema.Schema
	took   time.Duration
	err    error
	// warns are the load's warnings, printed once it is waited for.
	warns []*model.Error
}

// startModels starts loading the models in the background, once, so that
// the load (CPU here and in `go list`) overlaps connecting to and
// inspecting the database (mostly waiting for the server). Every caller
// defers stopModels.
func (p *project) startModels(ctx context.Context) {
	if p.models != nil {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	l := &modelLoad{done: make(chan struct{}), cancel: cancel}
	p.models = l
	go func() {
		defer close(l.done)
		start := time.Now()
		l.s, l.err = p.loadDeclared(ctx, func(w *model.Error) { l.warns = append(l.warns, w) })
		l.took = time.Since(start)
	}()
}

// stopModels cancels a load still running and waits for it to end.
func (p *project) stopModels() {
	if p.models != nil {
		p.models.cancel()
		<-p.models.done
	}
}

// dbInspection is an inspection of the database running in the
// background.
type dbInspection struct {
	db     *sql.DB
	done   chan struct{}
	cancel context.CancelFunc
	drv    migrate.Driver
	s      *schema.Schema
	took   time.Duration
	err    error
	// objs are the objects strata does not manage (warnUnmanaged), listed
	// beside the inspection when listing; objsDone closes when they are.
	listing  bool
	objsDone chan struct{}
	objs     []introspect.Object
	objsErr  error
}

// startInspect starts inspecting db in the background as soon as it is
// connected, so that reading the version table (Verify, AtHeads,
// upToDate) runs beside it rather than before it. Every caller defers
// stopInspect.
func (e *env) startInspect(ctx context.Context, p *project, db *sql.DB, objects bool) {
	ctx, cancel := context.WithCancel(ctx)
	in := &dbInspection{db: db, done: make(chan struct{}), cancel: cancel, objsDone: make(chan struct{})}
	p.inspection = in
	go func() {
		defer close(in.done)
		start := time.Now()
		in.drv, in.s, in.err = e.inspect(ctx, p, db)
		in.took = time.Since(start)
	}()
	if !objects {
		close(in.objsDone)
		return
	}
	in.listing = true
	go func() {
		defer close(in.objsDone)
		in.objs, in.objsErr = introspect.Objects(ctx, db, p.url.Dialect, p.inspectOptions())
	}()
}

// stopInspect cancels an inspection still running and waits for it to
// end.
func (p *project) stopInspect() {
	if p.inspection != nil {
		p.inspection.cancel()
		<-p.inspection.done
		<-p.inspection.objsDone
	}
}

// current returns db's schema: the background inspection's when one of
// db was started, else a new one; and how long it took.
func (e *env) current(ctx context.Context, p *project, db *sql.DB) (migrate.Driver, *schema.Schema, time.Duration, error) {
	if in := p.inspection; in != nil && in.db == db {
		<-in.done
		return in.drv, in.s, in.took, in.err
	}
	start := time.Now()
	drv, s, err := e.inspect(ctx, p, db)
	return drv, s, time.Since(start), err
}

// declared returns the models' schema, waiting for the load startModels
// began (or starting it), and how long the load took.
func (p *project) declared(ctx context.Context) (*schema.Schema, time.Duration, error) {
	p.startModels(ctx)
	<-p.models.done
	return p.models.s, p.models.took, p.models.err
}

// modelPatterns are the package patterns of the models, ./... by default.
func (p *project) modelPatterns() []string { return model.Patterns(p.cfg.Models) }

// loadDeclared loads the models' schema for the project's dialect, keeping
// only the tables include/exclude select.
func (p *project) loadDeclared(ctx context.Context, warn func(*model.Error)) (*schema.Schema, error) {
	if p.cfg.NoModels() {
		return nil, &noModelsError{why: "models = [] in the configuration"}
	}
	realm, err := model.Load(ctx, p.modelDir(), p.modelPatterns(), p.url.Dialect, modelOptions(p.cfg, p.modelCache, warn)...)
	byDefault := slices.Equal(p.modelPatterns(), model.Patterns(nil))
	if errors.Is(err, model.ErrNoPackages) && byDefault {
		return nil, &noModelsError{why: "no Go module here"}
	}
	if err != nil {
		return nil, err
	}
	s := realm.Schemas[0]
	if len(s.Tables) == 0 && byDefault {
		why := "no struct in ./... has a //strata:table comment"
		if p.cfg.ORM == "gorm" {
			why = "no struct in ./... is a table; " + tableRule(p.cfg)
		}
		return nil, &noModelsError{why: why}
	}
	o := p.inspectOptions()
	var kept []*schema.Table
	for _, t := range s.Tables {
		ok, err := o.Match(t.Name)
		if err != nil {
			return nil, err
		}
		if ok {
			kept = append(kept, t)
		}
	}
	s.Tables = kept
	return s, nil
}

// noModelsError says the project declares no Go models (a team that
// writes its revisions by hand), and why strata concludes so.
type noModelsError struct{ why string }

func (e *noModelsError) Error() string {
	return fmt.Sprintf("there are no Go models to compare with the database (%s); write revisions by hand with strata revision, or declare models (see Models in the README)", e.why)
}

// autogenerate plans the migration from the database db to the models. On
// a terminal it shows each phase while it runs and ends with a timing line.
func (e *env) autogenerate(ctx context.Context, p *project, db *sql.DB, ask bool) (_ *diff.Migration, err error) {
	ph := e.phases()
	defer func() {
		if err != nil {
			ph.bar.clear() // the error goes on a line of its own
		}
	}()
	ph.begin("loading models and inspecting the database")
	p.startModels(ctx) // if the command has not already
	drv, current, took, err := e.current(ctx, p, db)
	desired, loadTook, merr := p.declared(ctx)
	for _, w := range p.models.warns {
		ph.bar.clear()
		fmt.Fprintf(e.stderr, "strata: warning: %s\n", w)
	}
	if merr != nil {
		return nil, merr
	}
	if err != nil {
		return nil, err
	}
	if len(desired.Tables) == 0 && len(current.Tables) > 0 {
		// Most often a wrong models pattern or forgotten //strata:table
		// directives; the plan would drop every table.
		return nil, fmt.Errorf("the models (%s) declare no tables, but the database has %d: comparing them would drop every table;"+
			" %s, and models in the config names the packages."+
			" To drop them all, write that revision by hand (strata revision)", strings.Join(p.modelPatterns(), " "), len(current.Tables), tableRule(p.cfg))
	}
	ph.rename(fmt.Sprintf("loading models (%s) and inspecting the database (%s), at once,", round(loadTook), round(took)))
	var o diff.Options
	if ask && e.terminal() {
		o.Ask = func(table, from, to string) (bool, error) {
			ph.bar.clear()
			start := time.Now()
			defer func() { ph.wait(time.Since(start)) }()
			return e.askRename(table, from, to)
		}
	}
	ph.begin(fmt.Sprintf("comparing %d tables with %d models", len(current.Tables), len(desired.Tables)))
	mig, err := diff.Plan(ctx, drv, p.url.Dialect, current, desired, o)
	if err == nil {
		err = p.keepObjects(ctx, db, mig)
	}
	ph.end()
	return mig, err
}

// inspect reads the database's schema, with the project's include and
// exclude patterns.
func (e *env) inspect(ctx context.Context, p *project, db *sql.DB) (migrate.Driver, *schema.Schema, error) {
	drv, err := introspect.Driver(db, p.url.Dialect)
	if err != nil {
		return nil, nil, err
	}
	s, err := introspect.Inspect(ctx, drv, db, p.url.Dialect, p.inspectOptions())
	return drv, s, err
}

// phases times the phases of a long operation and, on a terminal, shows
// the current one and ends with a timing line naming the command. The
// phases are back to back, so they add up to the total; time spent
// waiting for an answer at a question is a phase of its own.
type phases struct {
	bar     *progress
	command string
	now     func() time.Time
	cur     string
	at      time.Time
	waited  time.Duration // answering questions, during cur
	waiting time.Duration // answering questions, in all
	done    []phase
	out     io.Writer
}

type phase struct {
	name string
	took time.Duration
}

func (e *env) phases() *phases {
	// The first phase runs from the start of the command.
	return &phases{bar: newProgress(e.stderr, e.showProgress), command: e.command, now: time.Now, out: e.stderr,
		cur: "reading revisions and connecting", at: e.started}
}

func (ph *phases) begin(name string) {
	ph.finish()
	ph.cur = name
	if ph.bar.on {
		fmt.Fprintf(ph.out, "\r\x1b[K%s…", name)
		ph.bar.shown = true
	}
}

// finish ends the current phase where the next begins.
func (ph *phases) finish() {
	now := ph.now()
	if ph.cur != "" {
		ph.done = append(ph.done, phase{ph.cur, round(now.Sub(ph.at) - ph.waited)})
		ph.cur = ""
	}
	ph.at, ph.waited = now, 0
}

// rename gives the current phase a new name in the timing line.
func (ph *phases) rename(name string) {
	if ph.cur != "" {
		ph.cur = name
	}
}

// wait records time spent waiting for an answer during the current phase.
func (ph *phases) wait(d time.Duration) {
	ph.waited += d
	ph.waiting += d
}

func (ph *phases) end() {
	ph.finish()
	if ph.waiting > 0 {
		ph.done = append(ph.done, phase{"waiting for your answers", round(ph.waiting)})
	}
	ph.bar.clear()
	if ph.bar.on {
		fmt.Fprintln(ph.out, ph.line())
	}
}

// line is the timing line: the total is the sum of the phases shown.
func (ph *phases) line() string {
	var total time.Duration
	parts := make([]string, len(ph.done))
	for i, p := range ph.done {
		total += p.took
		parts[i] = fmt.Sprintf("%s %s", p.name, p.took)
	}
	return fmt.Sprintf("strata %s took %s: %s", ph.command, total, strings.Join(parts, "; "))
}

// askRename asks Django's question on the terminal.
func (e *env) askRename(table, from, to string) (bool, error) {
	fmt.Fprintf(e.stderr, "Was %s.%s renamed to %s.%s? [y/N] ", table, from, table, to)
	if e.answers == nil {
		e.answers = bufio.NewReader(e.stdin)
	}
	line, err := e.answers.ReadString('\n')
	if err != nil && line == "" {
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// warn prints the plan's warnings on stderr.
func (e *env) warn(m *diff.Migration) {
	for _, w := range m.Warnings {
		fmt.Fprintf(e.stderr, "strata: warning: %s\n", w)
	}
}

// writeAutogenerated is `strata revision --autogenerate`.
func (e *env) writeAutogenerated(c *ucli.Context, p *project, o versions.NewOptions) error {
	p.startModels(c.Context)
	defer p.stopModels()
	m, db, err := p.open(c.Context)
	if err != nil {
		return err
	}
	defer db.Close()
	e.startInspect(c.Context, p, db, false)
	defer p.stopInspect()
	if err := p.upToDate(c.Context, m); err != nil {
		return err
	}
	mig, err := e.autogenerate(c.Context, p, db, true)
	if err != nil {
		return err
	}
	if mig.Empty() {
		fmt.Fprintln(e.stdout, "no changes detected")
		return nil
	}
	r, err := versions.New(p.graph, o)
	if err != nil {
		return err
	}
	r.Upgrade.SQL = render.Statements(mig.Upgrade)
	r.Downgrade.SQL = render.Statements(mig.Downgrade)
	e.warn(mig)
	for _, s := range mig.Summary {
		fmt.Fprintln(e.stdout, s)
	}
	return e.write(p, r)
}
