// Command gen writes synthetic inputs for benchmarks.
//
//	go run ./bench/gen revisions -n 10000 -dir DIR [-branch-every K] [-seed S] [-linear] [-script FILE]
//	go run ./bench/gen models -n 1000 -dir DIR [-seed S] [-add-column] [-gorm]
//	go run ./bench/gen alembic -n 1000 -dir DIR -dialect D -url URL [-seed S] [-add-column]
//	go run ./bench/gen goose -n 500 -dir DIR [-seed S]
//
// Each subcommand generates one kind of input; the generators live in
// internal/benchgen so the Go benchmarks share them.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/benchgen"
	"github.com/strata-db/strata/versions"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// commands maps each subcommand to its action; an action parses its own flags.
var commands = map[string]func(args []string, stdout, stderr io.Writer) error{
	"revisions": revisions,
	"models":    models,
	"alembic":   alembic,
	"goose":     goose,
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || commands[args[0]] == nil {
		names := make([]string, 0, len(commands))
		for n := range commands {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(stderr, "usage: gen %s [flags]\n", strings.Join(names, "|"))
		return 2
	}
	if err := commands[args[0]](args[1:], stdout, stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "gen %s: %v\n", args[0], err)
		}
		return 2
	}
	return 0
}

// revisions writes a directory of revision files and, with -script, the
// same upgrade statements as one plain SQL script.
func revisions(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("revisions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o benchgen.RevisionOptions
	fs.IntVar(&o.N, "n", 10000, "number of revisions")
	fs.IntVar(&o.BranchEvery, "branch-every", 10, "trunk revisions between branches (0: linear)")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed for ids and branch shapes")
	linear := fs.Bool("linear", false, "a linear history (same as -branch-every 0)")
	dir := fs.String("dir", "", "directory to write, created if missing; must hold no revisions")
	script := fs.String("script", "", "also write the upgrade statements as one SQL script to this `file`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return errors.New("need -dir and no arguments")
	}
	if *linear {
		o.BranchEvery = 0
	}
	revs, err := benchgen.Revisions(o)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	if err := benchgen.WriteRevisions(*dir, revs); err != nil {
		return err
	}
	if *script != "" {
		if err := os.WriteFile(*script, benchgen.UpgradeScript(revs), 0o644); err != nil {
			return err
		}
	}
	// Load what was written, as strata will: the generator must produce a
	// valid graph.
	g, err := versions.Load(os.DirFS(*dir))
	if err != nil {
		return fmt.Errorf("generated directory does not load: %w", err)
	}
	merges := 0
	for _, r := range g.Revisions() {
		if r.IsMerge() {
			merges++
		}
	}
	fmt.Fprintf(stdout, "%s: %d revisions, %d branch points, %d merges, %d head(s)\n",
		*dir, len(g.Revisions()), len(g.BranchPoints()), merges, len(g.Heads()))
	return nil
}

// models writes a Go module of model structs (go.mod and package models)
// into a directory, replacing the files of an earlier run with the same -n,
// so that -add-column can switch a project to the variant in place.
func models(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("models", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o benchgen.ModelOptions
	fs.IntVar(&o.N, "n", 1000, "number of tables")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed for string sizes")
	fs.BoolVar(&o.AddColumn, "add-column", false, "add "+benchgen.ExtraColumn+" to the middle table")
	fs.BoolVar(&o.GORM, "gorm", false, "write GORM models (gorm tags) instead of strata tags")
	dir := fs.String("dir", "", "module directory to write, created if missing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return errors.New("need -dir and no arguments")
	}
	files, err := benchgen.Models(o)
	if err != nil {
		return err
	}
	if err := benchgen.WriteFiles(*dir, files); err != nil {
		return err
	}
	extra := ""
	if o.AddColumn {
		extra = fmt.Sprintf(", plus %s.%s", o.ExtraTable(), benchgen.ExtraColumn)
	}
	fmt.Fprintf(stdout, "%s: %d tables in %d files%s\n", *dir, o.N, len(files)-1, extra)
	return nil
}

// alembic writes an Alembic project whose SQLAlchemy models are those of
// `models` with the same -n, -seed and -add-column, typed for one dialect.
// Like models, it replaces the files of an earlier run with the same -n.
func alembic(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("alembic", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o benchgen.AlembicOptions
	fs.IntVar(&o.N, "n", 1000, "number of tables")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed for string sizes")
	fs.BoolVar(&o.AddColumn, "add-column", false, "add "+benchgen.ExtraColumn+" to the middle table")
	d := fs.String("dialect", "", "postgres, mysql or sqlite")
	fs.StringVar(&o.URL, "url", "", "SQLAlchemy database URL for alembic.ini")
	dir := fs.String("dir", "", "project directory to write, created if missing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return errors.New("need -dir and no arguments")
	}
	o.Dialect = dialect.Name(*d)
	files, err := benchgen.Alembic(o)
	if err != nil {
		return err
	}
	if err := benchgen.WriteFiles(*dir, files); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: Alembic project, %d %s tables\n", *dir, o.N, o.Dialect)
	return nil
}

// goose writes the revisions of `revisions -linear` with the same -n and
// -seed as goose SQL migrations.
func goose(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("goose", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := benchgen.RevisionOptions{BranchEvery: 0}
	fs.IntVar(&o.N, "n", 500, "number of migrations")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed for ids")
	dir := fs.String("dir", "", "directory to write, created if missing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return errors.New("need -dir and no arguments")
	}
	revs, err := benchgen.Revisions(o)
	if err != nil {
		return err
	}
	files, err := benchgen.Goose(revs)
	if err != nil {
		return err
	}
	if err := benchgen.WriteFiles(*dir, files); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d goose migrations\n", *dir, len(files))
	return nil
}
