package model

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/schema"
	"golang.org/x/tools/go/packages"

	"github.com/strata-db/strata/dialect"
)

// loadMode type-checks the model packages from source and their imports
// from export data (NeedDeps off), which is what keeps loading fast.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
	packages.NeedTypes | packages.NeedTypesInfo | packages.NeedModule

// ErrNoPackages is returned by Load when there is no Go package to read:
// dir is in no Go module, or the patterns match no package.
var ErrNoPackages = errors.New("no Go packages")

// inModule reports whether dir or a parent holds go.mod or go.work.
func inModule(dir string) bool {
	for {
		for _, f := range []string{"go.mod", "go.work"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				return true
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}

// Patterns returns the package patterns Load reads for patterns: ./...
// when there are none.
func Patterns(patterns []string) []string {
	if len(patterns) == 0 {
		return []string{"./..."}
	}
	return patterns
}

// Load reads the Go packages matching patterns (relative to dir, as `go list`
// would) and returns the declared schema for dialect d: one schema named
// "public" (PostgreSQL), "main" (SQLite) or "" (MySQL, for the caller to name
// after the database), its tables sorted by name.
//
// Problems in the declarations are returned together as an ErrorList.
// Options select GORM's rules instead of strata's (WithGORM) and receive
// warnings (WithWarnings).
func Load(ctx context.Context, dir string, patterns []string, d dialect.Name, opts ...Option) (*schema.Realm, error) {
	var lo loadOptions
	for _, o := range opts {
		o(&lo)
	}
	o, ok := dialects[d]
	if !ok {
		return nil, fmt.Errorf("unknown dialect %q", d)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	patterns = Patterns(patterns)
	if !inModule(abs) {
		return nil, fmt.Errorf("load models: %s is in no Go module (no go.mod here or above): %w", dir, ErrNoPackages)
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("reading the Go models needs the go command, which is not on PATH: install Go (https://go.dev/dl) or put its bin directory on PATH; a project without Go models sets models = [] in strata.toml")
	}
	if lo.cacheDir == "" {
		return load(ctx, abs, patterns, d, o, lo)
	}
	key, ok := cacheKey(abs, patterns, d, lo, goCmd)
	if !ok {
		return load(ctx, abs, patterns, d, o, lo)
	}
	if e, ok := readCache(lo.cacheDir, key); ok {
		if lo.warn != nil {
			for _, w := range e.Warnings {
				lo.warn(w)
			}
		}
		return e.Realm, nil
	}
	var warns []*Error
	caller := lo.warn
	lo.warn = func(w *Error) {
		warns = append(warns, w)
		if caller != nil {
			caller(w)
		}
	}
	realm, err := load(ctx, abs, patterns, d, o, lo)
	if err == nil {
		writeCache(lo.cacheDir, key, &cacheEntry{Realm: realm, Warnings: warns})
	}
	return realm, err
}

// load is Load without the cache.
func load(ctx context.Context, abs string, patterns []string, d dialect.Name, o ops, lo loadOptions) (*schema.Realm, error) {
	l := &loader{dir: abs, d: d, ops: o, fset: token.NewFileSet(), fields: make(map[token.Pos]*ast.Field), embedded: map[string]bool{}, enumTypes: map[string]*enumType{}}
	pkgs, err := packages.Load(&packages.Config{Context: ctx, Dir: abs, Mode: loadMode, Fset: l.fset}, patterns...)
	if err != nil {
		return nil, fmt.Errorf("load models: %w", err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("load models: %w match %s", ErrNoPackages, strings.Join(patterns, " "))
	}
	slices.SortFunc(pkgs, func(a, b *packages.Package) int { return strings.Compare(a.PkgPath, b.PkgPath) })
	for _, p := range pkgs {
		l.indexFields(p)
	}
	if lo.gorm != nil {
		l.gorm(pkgs, *lo.gorm)
	} else {
		for _, p := range pkgs {
			l.enums(p)
		}
		for _, p := range pkgs {
			l.pkg(p)
		}
		l.checkUntabled()
	}
	s := l.schema()
	if lo.warn != nil {
		l.warns.sort()
		for _, w := range l.warns {
			lo.warn(w)
		}
	}
	if len(l.errs) > 0 {
		l.errs.sort()
		return nil, l.errs
	}
	return schema.NewRealm(s), nil
}

// loader holds the state of one Load.
type loader struct {
	dir  string
	d    dialect.Name
	ops  ops
	fset *token.FileSet
	errs ErrorList
	// warns are the load's warnings (WithWarnings).
	warns ErrorList
	// fields maps the position of a struct field's name to its syntax, so
	// that tags are reported at the option's own column.
	fields map[token.Pos]*ast.Field
	tables []*tableBuilder
	// types caches parsed column types by their text: Atlas parses and
	// formats a type with regular expressions, and a schema repeats a
	// handful of types thousands of times.
	types map[string]parsedType
	// untabled are the struct types with strata tags but no directive;
	// embedded, the structs some table flattens. A tagged struct no table
	// embeds is an error (checkUntabled): a forgotten //strata:table would
	// otherwise leave a table out of the models without a word.
	untabled []untabled
	embedded map[string]bool // by typeKey
	// enumTypes are the //strata:enum types, by typeKey.
	enumTypes map[string]*enumType
	// rel caches the file names relative to dir, by absolute name.
	rel map[string]string
}

type untabled struct {
	name string
	pos  token.Position
	key  string
}

type parsedType struct {
	t   schema.Type
	err error
}

// parseType is ops.parseType, cached; each column gets its own copy of
// the type.
func (l *loader) parseType(raw string) (*schema.ColumnType, error) {
	p, ok := l.types[raw]
	if !ok {
		ct, err := l.ops.parseType(raw)
		if err == nil {
			p.t = ct.Type
		}
		p.err = err
		if l.types == nil {
			l.types = map[string]parsedType{}
		}
		l.types[raw] = p
	}
	if p.err != nil {
		return nil, p.err
	}
	return &schema.ColumnType{Type: copyType(p.t), Raw: raw}, nil
}

// copyType returns a shallow copy of t (every Atlas type is a pointer to a
// struct).
func copyType(t schema.Type) schema.Type {
	v := reflect.ValueOf(t)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return t
	}
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	return c.Interface().(schema.Type)
}

// errorf records a problem at pos.
func (l *loader) errorf(pos token.Position, format string, args ...any) {
	l.errs = append(l.errs, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// warnf records a warning at pos.
func (l *loader) warnf(pos token.Position, format string, args ...any) {
	l.warns = append(l.warns, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// position returns p with its file name relative to the load directory when
// the file is inside it.
func (l *loader) position(p token.Pos) token.Position {
	return l.relative(l.fset.Position(p))
}

func (l *loader) relative(pos token.Position) token.Position {
	if pos.Filename == "" {
		return pos
	}
	rel, ok := l.rel[pos.Filename]
	if !ok {
		rel = pos.Filename
		if r, err := filepath.Rel(l.dir, pos.Filename); err == nil && !strings.HasPrefix(r, "..") {
			rel = r
		}
		if l.rel == nil {
			l.rel = map[string]string{}
		}
		l.rel[pos.Filename] = rel
	}
	pos.Filename = rel
	return pos
}

// indexFields records the struct fields of a package's syntax.
func (l *loader) indexFields(p *packages.Package) {
	for _, f := range p.Syntax {
		ast.Inspect(f, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fld := range st.Fields.List {
				for _, name := range fld.Names {
					l.fields[name.Pos()] = fld
				}
				if len(fld.Names) == 0 {
					l.fields[embeddedIdent(fld.Type).Pos()] = fld
				}
			}
			return true
		})
	}
}

// unresolved matches the type checker's error for an import the go command
// could not resolve (with NeedDeps off, the only trace of it).
var unresolved = regexp.MustCompile(`^could not import (\S+) \(invalid package name: ""\)$`)

// missingImport says what to do about an import of p that does not resolve.
func missingImport(p *packages.Package, path string) string {
	if p.Module != nil && (path == p.Module.Path || strings.HasPrefix(path, p.Module.Path+"/")) {
		return fmt.Sprintf("%s imports %s, which is not a package of module %s: check the import path", p.PkgPath, path, p.Module.Path)
	}
	dir := "the module"
	if p.Module != nil && p.Module.Dir != "" {
		dir = p.Module.Dir
	}
	return fmt.Sprintf("%s imports %s, which no module in go.mod provides: run `go get %s` (or `go mod tidy`) in %s", p.PkgPath, path, path, dir)
}

// embeddedIdent is the identifier go/types positions an embedded field at.
func embeddedIdent(e ast.Expr) ast.Node {
	switch x := e.(type) {
	case *ast.StarExpr:
		return embeddedIdent(x.X)
	case *ast.SelectorExpr:
		return x.Sel
	case *ast.IndexExpr:
		return embeddedIdent(x.X)
	case *ast.IndexListExpr:
		return embeddedIdent(x.X)
	}
	return e
}

// pkg finds the declarations carrying strata directives in one package.
func (l *loader) pkg(p *packages.Package) {
	if len(p.Errors) > 0 {
		// A failed build of export data repeats the type errors without
		// positions; report the positioned ones when there are any.
		errs := slices.DeleteFunc(slices.Clone(p.Errors), func(e packages.Error) bool { return e.Pos == "" })
		if len(errs) == 0 {
			errs = p.Errors
		}
		for _, e := range errs {
			if m := unresolved.FindStringSubmatch(e.Msg); m != nil {
				l.errorf(l.relative(parsePos(e.Pos)), "%s", missingImport(p, m[1]))
				continue
			}
			l.errorf(l.relative(parsePos(e.Pos)), "package %s does not load: %s", p.PkgPath, e.Msg)
		}
		return
	}
	for _, f := range p.Syntax {
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.GenDecl:
				l.genDecl(p, decl)
			case *ast.FuncDecl:
				l.notStruct(directives(l.fset, decl.Doc), "function "+decl.Name.Name)
			}
		}
	}
}

func (l *loader) genDecl(p *packages.Package, decl *ast.GenDecl) {
	var doc *ast.CommentGroup
	if !decl.Lparen.IsValid() {
		doc = decl.Doc
	}
	for _, spec := range decl.Specs {
		switch spec := spec.(type) {
		case *ast.TypeSpec:
			ds := directives(l.fset, doc, spec.Doc)
			obj := p.TypesInfo.Defs[spec.Name]
			st, ok := obj.Type().Underlying().(*types.Struct)
			if len(ds) == 0 {
				if ok && spec.TypeParams == nil && strataTagged(st) {
					l.untabled = append(l.untabled, untabled{spec.Name.Name, l.position(spec.Name.Pos()), typeKey(obj.Type())})
				}
				continue
			}
			if !ok {
				// //strata:enum is read by enums; other directives are misplaced.
				ds = slices.DeleteFunc(ds, func(d directive) bool { return d.kind == "enum" })
			}
			if !ok || spec.TypeParams != nil {
				what := "type " + spec.Name.Name
				if spec.TypeParams != nil {
					what = "generic " + what
				}
				l.notStruct(ds, what)
				continue
			}
			l.typeDecl(spec, st, ds)
		case *ast.ValueSpec:
			l.notStruct(directives(l.fset, doc, spec.Doc), decl.Tok.String()+" "+spec.Names[0].Name)
		}
	}
}

// strataTagged reports whether a field of st has a strata tag.
func strataTagged(st *types.Struct) bool {
	for i := range st.NumFields() {
		if _, ok := reflect.StructTag(st.Tag(i)).Lookup("strata"); ok {
			return true
		}
	}
	return false
}

// checkUntabled reports the struct types that carry strata tags but are
// neither a table nor embedded in one.
func (l *loader) checkUntabled() {
	for _, u := range l.untabled {
		if !l.embedded[u.key] {
			l.errorf(u.pos, "struct %s has strata tags but is not a table: add //strata:table to its doc comment, or embed it in a table", u.name)
		}
	}
}

// notStruct reports directives on a declaration that is not a struct type.
func (l *loader) notStruct(ds []directive, what string) {
	for _, d := range ds {
		l.errorf(l.relative(d.pos), "//strata:%s on %s: only struct types declare tables", d.kind, what)
	}
}

// parsePos parses the "file:line:col" of a go/packages error.
func parsePos(s string) token.Position {
	var pos token.Position
	parts := strings.Split(s, ":")
	n := len(parts)
	for n > 1 {
		if _, err := strconv.Atoi(parts[n-1]); err != nil {
			break
		}
		n--
	}
	pos.Filename = strings.Join(parts[:n], ":")
	if n < len(parts) {
		pos.Line, _ = strconv.Atoi(parts[n])
	}
	if n+1 < len(parts) {
		pos.Column, _ = strconv.Atoi(parts[n+1])
	}
	return pos
}
