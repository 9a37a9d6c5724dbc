package cli

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/diff"
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

// inspectOptions selects the tables strata manages.
func (p *project) inspectOptions() introspect.Options {
	return introspect.Options{Include: p.cfg.Include, Exclude: p.cfg.Exclude, Skip: versions.OwnTables(p.cfg.VersionTable)}
}

// declared loads the models' schema for the project's dialect, keeping
// only the tables include/exclude select.
func (p *project) declared(ctx context.Context) (*schema.Schema, error) {
	patterns := p.cfg.Models
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	realm, err := model.Load(ctx, p.modelDir(), patterns, p.url.Dialect)
	if err != nil {
		return nil, err
	}
	s := realm.Schemas[0]
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

// autogenerate plans the migration from the database db to the models. On
// a terminal it shows each phase while it runs and ends with a timing line.
func (e *env) autogenerate(ctx context.Context, p *project, db *sql.DB, ask bool) (*diff.Migration, error) {
	ph := e.phases()
	// Loading the models is CPU here and in `go list`; inspecting is
	// mostly waiting for the server. They run side by side.
	ph.begin("loading models and inspecting the database")
	type loaded struct {
		s   *schema.Schema
		d   time.Duration
		err error
	}
	models := make(chan loaded, 1)
	go func() {
		start := time.Now()
		s, err := p.declared(ctx)
		models <- loaded{s, time.Since(start), err}
	}()
	start := time.Now()
	drv, current, err := e.inspect(ctx, p, db)
	took := time.Since(start)
	m := <-models
	if m.err != nil {
		return nil, m.err
	}
	if err != nil {
		return nil, err
	}
	desired := m.s
	ph.rename(fmt.Sprintf("loading models (%s) and inspecting the database (%s), together", round(m.d), round(took)))
	var o diff.Options
	if ask && e.terminal() {
		o.Ask = func(table, from, to string) (bool, error) {
			ph.bar.clear()
			return e.askRename(table, from, to)
		}
	}
	ph.begin(fmt.Sprintf("comparing %d tables with %d models", len(current.Tables), len(desired.Tables)))
	mig, err := diff.Plan(ctx, drv, p.url.Dialect, current, desired, o)
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
// the current one and a final timing line.
type phases struct {
	bar   *progress
	start time.Time
	cur   string
	at    time.Time
	done  []string
	out   io.Writer
}

func (e *env) phases() *phases {
	now := time.Now()
	return &phases{bar: newProgress(e.stderr, e.showProgress), start: now, at: now, out: e.stderr}
}

func (ph *phases) begin(name string) {
	ph.finish()
	ph.cur, ph.at = name, time.Now()
	if ph.bar.on {
		fmt.Fprintf(ph.out, "\r\x1b[K%s…", name)
		ph.bar.shown = true
	}
}

func (ph *phases) finish() {
	if ph.cur != "" {
		ph.done = append(ph.done, fmt.Sprintf("%s %s", ph.cur, round(time.Since(ph.at))))
		ph.cur = ""
	}
}

// rename gives the current phase a new name in the timing line.
func (ph *phases) rename(name string) {
	if ph.cur != "" {
		ph.cur = name
	}
}

func (ph *phases) end() {
	ph.finish()
	ph.bar.clear()
	if ph.bar.on {
		fmt.Fprintf(ph.out, "autogenerate took %s (%s)\n", round(time.Since(ph.start)), strings.Join(ph.done, ", "))
	}
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
	m, db, err := p.open(c.Context)
	if err != nil {
		return err
	}
	defer db.Close()
	at, _, err := m.AtHeads(c.Context)
	if err != nil {
		return err
	}
	if !at {
		return errors.New("database is not up to date; run `strata upgrade head`")
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
