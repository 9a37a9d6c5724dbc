package cli

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/internal/config"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/render"
)

// modelsFromDB writes Go models declaring the live schema (models --from-db):
// inspect, render.Models, then every file written or none.
func (e *env) modelsFromDB(c *ucli.Context) error {
	for _, f := range []string{"dialect", "format"} {
		if c.IsSet(f) {
			return fmt.Errorf("--%s does not go with --from-db (the dialect is the database's)", f)
		}
	}
	cfg, err := e.loadConfig(c)
	if err != nil {
		return err
	}
	dir, err := modelsDir(cfg, c.String("out"))
	if err != nil {
		return err
	}
	if !inGoModule(dir) {
		return fmt.Errorf("%s is not inside a Go module (no go.mod there or above): run go mod init first", dir)
	}
	pkg, err := modelsPackage(dir, c.String("package"))
	if err != nil {
		return err
	}
	u, err := e.parseURL(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	db, err := introspect.Open(c.Context, u)
	if err != nil {
		return err
	}
	defer db.Close()
	_, s, err := e.inspect(c.Context, &project{cfg: cfg, url: u}, db)
	if err != nil {
		return err
	}
	files, warns, err := render.Models(s, u.Dialect, pkg)
	if errors.Is(err, render.ErrNoTables) {
		if len(cfg.Include)+len(cfg.Exclude) > 0 {
			return errors.New("no table of the database matches include and exclude in the configuration: nothing to generate models from")
		}
		return errors.New("the database has no tables: nothing to generate models from")
	}
	if err != nil {
		return err
	}
	if err := clashes(dir, files); err != nil {
		return err
	}
	written, err := writeAll(dir, files, c.Bool("force"))
	if err != nil {
		return err
	}
	// Once written: a refusal is one line.
	for _, w := range warns {
		fmt.Fprintf(e.stderr, "strata: warning: %s\n", w)
	}
	e.warnUnmanaged(c.Context, &project{cfg: cfg, url: u}, db)
	for _, path := range written {
		fmt.Fprintf(e.stdout, "wrote %s\n", path)
	}
	fmt.Fprintf(e.stdout, "%s from the %s database, package %s in %s\n", plural(len(s.Tables), "table"), u.Dialect, pkg, dir)
	return nil
}

// modelsDir is --out, else the directory the models setting names when it
// is one relative directory (models = ["./models"] or ["./models/..."]),
// else ./models; relative to the config file's directory.
func modelsDir(cfg *config.Config, out string) (string, error) {
	base := "."
	if cfg.Path != "" {
		base = filepath.Dir(cfg.Path)
	}
	dir := out
	if dir == "" {
		dir = "models"
		if len(cfg.Models) == 1 {
			// ./models or ./models/..., not ./... (the module root).
			m := filepath.Clean(strings.TrimSuffix(cfg.Models[0], "/..."))
			if strings.HasPrefix(cfg.Models[0], ".") && m != "." && !strings.Contains(m, "...") {
				dir = m
			}
		}
		dir = filepath.Join(base, dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return "", fmt.Errorf("%s is a file, not a directory to write the models into", dir)
	}
	return filepath.Clean(dir), nil
}

// inGoModule reports whether dir, which may not exist yet, or a parent
// holds go.mod.
func inGoModule(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		if _, err := os.Stat(filepath.Join(abs, "go.mod")); err == nil {
			return true
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return false
		}
		abs = parent
	}
}

// modelsPackage is --package, else the package of the Go files already in
// dir, else the base name of dir.
func modelsPackage(dir, flag string) (string, error) {
	existing := ""
	if names, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(names) > 0 {
		slices.Sort(names)
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.PackageClauseOnly)
			if err == nil {
				existing = f.Name.Name
				break
			}
		}
	}
	switch {
	case flag != "" && existing != "" && flag != existing:
		return "", fmt.Errorf("--package %s: the Go files in %s are package %s", flag, dir, existing)
	case flag != "":
		if !token.IsIdentifier(flag) || flag == "_" {
			return "", fmt.Errorf("--package %q is not a Go identifier", flag)
		}
		return flag, nil
	case existing != "":
		return existing, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	name := filepath.Base(abs)
	if !token.IsIdentifier(name) || name == "_" {
		return "", fmt.Errorf("the directory name %q is not a Go package name: pass --package NAME", name)
	}
	return name, nil
}

// clashes refuses models whose names the other Go files of dir declare
// already: the package would not build.
func clashes(dir string, files []render.ModelFile) error {
	targets := make(map[string]bool)
	generated := make(map[string]string) // name → file declaring it
	for _, f := range files {
		targets[f.Name] = true
		for _, name := range topLevel(f.Name, f.Source) {
			generated[name] = f.Name
		}
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	slices.Sort(names)
	for _, path := range names {
		if targets[filepath.Base(path)] || strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, name := range topLevel(path, src) {
			if other, ok := generated[name]; ok {
				return fmt.Errorf("%s declares %s, which %s would declare too; nothing written (rename it, or write elsewhere with --out)", path, name, other)
			}
		}
	}
	return nil
}

// topLevel returns the names a Go file declares at package level; none for
// a file that does not parse.
func topLevel(name string, src []byte) []string {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var out []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				out = append(out, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					out = append(out, spec.Name.Name)
				case *ast.ValueSpec:
					for _, n := range spec.Names {
						out = append(out, n.Name)
					}
				}
			}
		}
	}
	return out
}

// writeAll writes the files into dir, creating it, and returns their paths.
// Without force it refuses, writing nothing, when any of them exists or
// dir holds anything, and
// creates each file exclusively (a file appearing meanwhile is an error,
// never overwritten). With force each file goes to a temporary file first
// and the renames come once all are written. Either way a failure removes
// what was written, so no partial set of files is left.
func writeAll(dir string, files []render.ModelFile, force bool) ([]string, error) {
	var paths, exist []string
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		paths = append(paths, p)
		if _, err := os.Lstat(p); err == nil {
			exist = append(exist, p)
		}
	}
	if len(exist) > 0 && !force {
		what := exist[0] + " already exists"
		if len(exist) > 1 {
			what = fmt.Sprintf("%s and %d more of the files to write already exist", exist[0], len(exist)-1)
		}
		return nil, fmt.Errorf("%s; nothing written (pass --force to overwrite)", what)
	}
	if !force {
		// Not even beside the files of a directory in use: they are the
		// user's, and a package of both may not build.
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			return nil, fmt.Errorf("%s already exists and is not empty; nothing written (pass --force to write into it, or choose another --out)", dir)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var made []string
	cleanup := func() {
		for _, t := range made {
			os.Remove(t)
		}
	}
	if !force {
		for i, f := range files {
			if err := writeNew(paths[i], string(f.Source)); err != nil {
				cleanup()
				return nil, err
			}
			made = append(made, paths[i])
		}
		return paths, nil
	}
	for _, f := range files {
		tmp, err := os.CreateTemp(dir, ".strata-"+f.Name+"-*")
		if err != nil {
			cleanup()
			return nil, err
		}
		made = append(made, tmp.Name())
		_, werr := tmp.Write(f.Source)
		cerr := tmp.Close()
		if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), 0o644)); err != nil {
			cleanup()
			return nil, fmt.Errorf("write %s: %w", f.Name, err)
		}
	}
	for i, t := range made {
		if err := os.Rename(t, paths[i]); err != nil {
			cleanup()
			return nil, fmt.Errorf("write %s: %w", paths[i], err)
		}
	}
	return paths, nil
}
