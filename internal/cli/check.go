package cli

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/diff"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/render"
	"github.com/strata-db/strata/versions"
)

func diffCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "diff",
		Usage: "show what revision --autogenerate would write, without writing it (exit 1 when there are changes)",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "text (summary and SQL), sql or json"},
		},
		Action: func(c *ucli.Context) error {
			format := c.String("format")
			if format != "text" && format != "sql" && format != "json" {
				return fmt.Errorf("unknown format %q (want text, sql or json)", format)
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			p.startModels(c.Context)
			defer p.stopModels()
			m, db, err := p.open(c.Context)
			if err != nil {
				return err
			}
			defer db.Close()
			e.startInspect(c.Context, p, db, true)
			defer p.stopInspect()
			if err := p.upToDate(c.Context, m); err != nil {
				return err
			}
			mig, err := e.autogenerate(c.Context, p, db, false)
			if err != nil {
				return err
			}
			e.warnUnmanaged(c.Context, p, db)
			if err := e.printDiff(mig, format); err != nil {
				return err
			}
			if mig.Empty() {
				return nil
			}
			e.warn(mig)
			return negative("")
		},
	}
}

// printDiff writes a migration in one of diff's formats.
func (e *env) printDiff(mig *diff.Migration, format string) error {
	switch format {
	case "json":
		doc := &diffJSON{Changes: nonNil(mig.Changes), Warnings: nonNil(mig.Warnings), Upgrade: []string{}, Downgrade: []string{}}
		for _, s := range mig.Upgrade {
			doc.Upgrade = append(doc.Upgrade, s.SQL)
		}
		for _, s := range mig.Downgrade {
			doc.Downgrade = append(doc.Downgrade, s.SQL)
		}
		return e.printJSON(doc)
	case "sql":
		_, err := fmt.Fprint(e.stdout, render.Statements(mig.Upgrade))
		return err
	}
	if mig.Empty() {
		fmt.Fprintln(e.stdout, "no changes detected")
		return nil
	}
	color := e.colorful()
	for _, s := range mig.Summary {
		fmt.Fprintln(e.stdout, paint(color, s))
	}
	fmt.Fprintln(e.stdout)
	_, err := fmt.Fprint(e.stdout, render.Statements(mig.Upgrade))
	return err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// colorful reports whether output goes to a terminal and NO_COLOR is unset.
func (e *env) colorful() bool {
	if v, ok := e.lookup("NO_COLOR"); ok && v != "" {
		return false
	}
	return isTerminal(e.stdout)
}

// paint colours a summary line by its first character.
func paint(on bool, s string) string {
	if !on || s == "" {
		return s
	}
	code := map[byte]string{'+': "32", '-': "31", '~': "33"}[s[0]]
	if code == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func checkCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "check",
		Usage: "exit 1 unless models, revisions and database agree (the pre-commit and CI gate)",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "replay", Usage: "apply every revision to a scratch database instead of reading the live one"},
			&ucli.StringFlag{Name: "dev-url", Usage: "server `URL` for --replay's scratch database (default: the configured server)"},
			formatFlag,
		},
		Action: func(c *ucli.Context) error {
			asJSON, err := wantJSON(c)
			if err != nil {
				return err
			}
			p, err := e.loadProjectWith(c, !c.Bool("replay"))
			if err != nil {
				return err
			}
			defer p.release()
			res, err := e.check(c, p)
			if err != nil {
				return err
			}
			if asJSON {
				if err := e.printJSON(res); err != nil {
					return err
				}
				if !res.OK {
					return negative("")
				}
				return nil
			}
			if !res.OK {
				return negative("%s", res.Message)
			}
			fmt.Fprintln(e.stdout, res.Message)
			return nil
		},
	}
}

// check is strata check: the verdict, or an error (exit 2).
func (e *env) check(c *ucli.Context, p *project) (*checkJSON, error) {
	no := func(problem string, format string, args ...any) (*checkJSON, error) {
		return &checkJSON{Problem: problem, Message: fmt.Sprintf(format, args...), Models: true, Changes: []diff.Change{}}, nil
	}
	if p.cfg.Linear {
		if err := versions.CheckHead(p.dir, p.graph); err != nil {
			return no("linear", "%v", err)
		}
	}
	if heads := p.graph.Heads(); len(heads) > 1 {
		return no("multiple_heads", "%v", multipleHeads(heads))
	}
	p.startModels(c.Context)
	defer p.stopModels()
	if c.Bool("replay") {
		return e.replay(c, p)
	}
	m, db, err := p.open(c.Context)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	e.startInspect(c.Context, p, db, true)
	defer p.stopInspect()
	if err := m.Verify(c.Context); err != nil {
		switch {
		case errors.Is(err, versions.ErrEdited):
			return no("edited", "%v", err)
		case errors.Is(err, versions.ErrStranded):
			return no("not_in_directory", "%v", err)
		}
		return nil, err
	}
	at, rows, err := m.AtHeads(c.Context)
	if err != nil {
		return nil, err
	}
	if !at {
		return no("not_at_head", "database is not at head: it is at %s, the head is %s; run strata upgrade head", orNone(rows), joinIDs(p.graph.Heads()))
	}
	res, err := e.report(c.Context, p, db)
	if err == nil {
		e.warnUnmanaged(c.Context, p, db)
	}
	return res, err
}

// report diffs the models against db: drift is a negative verdict.
func (e *env) report(ctx context.Context, p *project, db *sql.DB) (*checkJSON, error) {
	mig, err := e.autogenerate(ctx, p, db, false)
	var none *noModelsError
	if errors.As(err, &none) {
		return &checkJSON{OK: true, Message: fmt.Sprintf("revisions and database agree; no Go models to compare (%s)", none.why), Changes: []diff.Change{}}, nil
	}
	if err != nil {
		return nil, err
	}
	if mig.Empty() {
		return &checkJSON{OK: true, Message: "models, revisions and database agree", Models: true, Changes: []diff.Change{}}, nil
	}
	return &checkJSON{Problem: "drift", Models: true, Changes: mig.Changes,
		Message: "the models differ from the revisions; run strata revision --autogenerate:\n" + strings.Join(mig.Summary, "\n")}, nil
}

func joinIDs(rs []*versions.Revision) string {
	return orNone(revisionIDs(rs))
}

// replay applies every revision to a scratch database and compares the
// result with the models. The scratch database is always dropped, also on
// error or interrupt.
func (e *env) replay(c *ucli.Context, p *project) (*checkJSON, error) {
	ctx := c.Context
	scratch, drop, err := e.scratch(ctx, p, c.String("dev-url"))
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := drop(); err != nil {
			fmt.Fprintf(e.stderr, "strata: warning: %v\n", err)
		}
	}()
	m, err := versions.NewMigrator(scratch, p.url.Dialect, p.graph, versions.WithTable(p.cfg.VersionTable))
	if err != nil {
		return nil, err
	}
	if _, err := m.Upgrade(ctx, "heads"); err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	return e.report(ctx, p, scratch)
}

// scratch creates an empty database for replay: in-memory for SQLite, a
// temporary database on the server for PostgreSQL and MySQL.
func (e *env) scratch(ctx context.Context, p *project, devURL string) (*sql.DB, func() error, error) {
	u := p.url
	if devURL != "" {
		var err error
		if u, err = e.parseURL(devURL); err != nil {
			return nil, nil, err
		}
		if u.Dialect != p.url.Dialect {
			return nil, nil, fmt.Errorf("--dev-url is %s but the database is %s", u.Dialect, p.url.Dialect)
		}
	}
	if u.Dialect == dialect.SQLite {
		mem, err := introspect.ParseURL("sqlite://:memory:")
		if err != nil {
			return nil, nil, err
		}
		db, err := introspect.Open(ctx, mem)
		if err != nil {
			return nil, nil, err
		}
		return db, db.Close, nil
	}
	admin, err := introspect.Open(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	name := e.scratchName()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+u.Dialect.Quote(name)); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("create scratch database: %w", err)
	}
	drop := func() error {
		defer admin.Close()
		stmt := "DROP DATABASE IF EXISTS " + u.Dialect.Quote(name)
		if u.Dialect == dialect.Postgres {
			stmt += " WITH (FORCE)"
		}
		if _, err := admin.ExecContext(context.WithoutCancel(ctx), stmt); err != nil {
			return fmt.Errorf("drop scratch database %s: %w", name, err)
		}
		return nil
	}
	su, err := introspect.ParseURL(withDatabase(u, name))
	if err != nil {
		drop()
		return nil, nil, err
	}
	db, err := introspect.Open(ctx, su)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() error {
		db.Close()
		return drop()
	}, nil
}

// randomScratchName names a scratch database for check --replay.
func randomScratchName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "strata_replay_" + hex.EncodeToString(b)
}

// withDatabase returns the URL u with its database replaced by name.
func withDatabase(u *introspect.URL, name string) string {
	raw, err := url.Parse(u.Raw())
	if err != nil {
		return ""
	}
	raw.Path = "/" + name
	return raw.String()
}
