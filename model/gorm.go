package model

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/strata-db/strata/dialect"
)

// gormReader reads the models with GORM's rules (`orm = "gorm"`): which
// structs AutoMigrate is given, how gorm.io/gorm v1.31's schema package
// names and types their fields, and which tables, keys, indexes and
// constraints its Migrator and the dialect's driver create from them.
type gormReader struct {
	l       *loader
	n       gormNamer
	schemas map[string]*gormSchema // by typeKey
	joins   map[string]*gormSchema // join tables, by table name
	funcs   map[*types.Func]funcDecl
	// hasInto lists, by model, the has-one and has-many associations of
	// other models whose key is on it (GORM registers them there).
	hasInto map[*gormSchema][]*gormRel
	methods map[methodKey]*types.Func
	decls   map[string]*gormDecl // struct declarations of the loaded packages, by typeKey
	order   []string             // their keys, in source order
}

// funcDecl is a function declared in a loaded package.
type funcDecl struct {
	decl *ast.FuncDecl
	p    *packages.Package
}

// gormDecl is a struct type declared in a loaded package.
type gormDecl struct {
	p    *packages.Package
	spec *ast.TypeSpec
	t    *types.Named
	ds   []directive
}

// gorm reads pkgs with GORM's rules and adds their tables to l.
func (l *loader) gorm(pkgs []*packages.Package, naming GORMNaming) {
	max := 64
	if l.d == dialect.Postgres {
		max = 63
	}
	r := &gormReader{l: l, n: gormNamer{GORMNaming: naming, maxLen: max}, schemas: map[string]*gormSchema{},
		joins: map[string]*gormSchema{}, funcs: map[*types.Func]funcDecl{}, decls: map[string]*gormDecl{},
		hasInto: map[*gormSchema][]*gormRel{}, methods: map[methodKey]*types.Func{}}
	var ok []*packages.Package
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			l.pkg(p) // reports the errors
			continue
		}
		ok = append(ok, p)
		r.index(p)
	}
	var tables []*gormSchema
	in := map[*gormSchema]bool{}
	add := func(s *gormSchema) {
		if s != nil && !in[s] {
			in[s] = true
			tables = append(tables, s)
		}
	}
	for _, t := range r.tables(ok) {
		add(r.schema(t))
	}
	// AutoMigrate also creates what the given models depend on
	// (ReorderModels with autoAdd): the tables their foreign keys
	// reference, and many2many join tables and their other side.
	for i := 0; i < len(tables); i++ {
		r.relations(tables[i])
	}
	for i := 0; i < len(tables); i++ {
		s := tables[i]
		r.relations(s)
		for _, rel := range s.rels {
			switch {
			case rel.kind == relMany2Many:
				add(rel.field)
				add(rel.join)
			case rel.kind == relBelongs && rel.f.set["CONSTRAINT"] != "-" && !backReferenced(rel):
				add(rel.field)
			}
		}
		for _, rel := range r.hasInto[s] {
			if rel.s != s && rel.f.set["CONSTRAINT"] != "-" {
				add(rel.s)
			}
		}
	}
	// A join model marked //strata:table (one SetupJoinTable gives GORM)
	// replaces the join table of its name.
	models := map[string]bool{}
	for _, s := range tables {
		if !s.join {
			models[s.table] = true
		}
	}
	tables = slices.DeleteFunc(tables, func(s *gormSchema) bool { return s.join && models[s.table] })
	fks := r.constraints(tables)
	for _, s := range tables {
		r.emit(s, fks)
	}
}

// index records the package's struct declarations and functions.
func (r *gormReader) index(p *packages.Package) {
	for _, f := range p.Syntax {
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				if fn, ok := p.TypesInfo.Defs[decl.Name].(*types.Func); ok {
					r.funcs[fn] = funcDecl{decl, p}
				}
			case *ast.GenDecl:
				var doc *ast.CommentGroup
				if !decl.Lparen.IsValid() {
					doc = decl.Doc
				}
				for _, spec := range decl.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					ds := directives(r.l.fset, doc, ts.Doc)
					n, _ := p.TypesInfo.Defs[ts.Name].Type().(*types.Named)
					_, isStruct := p.TypesInfo.Defs[ts.Name].Type().Underlying().(*types.Struct)
					if n == nil || !isStruct || ts.TypeParams != nil {
						r.l.notStruct(ds, "type "+ts.Name.Name)
						continue
					}
					for _, d := range ds {
						if d.kind != "table" && d.kind != "skip" {
							r.l.errorf(r.l.relative(d.pos), `//strata:%s on %s: with orm = "gorm" only //strata:table and //strata:skip apply; GORM's tags declare the rest`, d.kind, ts.Name.Name)
						}
					}
					key := typeKey(n)
					r.decls[key] = &gormDecl{p: p, spec: ts, t: n, ds: ds}
					r.order = append(r.order, key)
				}
			}
		}
	}
}

// has reports whether the declaration carries //strata:KIND.
func (d *gormDecl) has(kind string) bool {
	return slices.ContainsFunc(d.ds, func(x directive) bool { return x.kind == kind })
}

// tables returns the model types: the arguments of AutoMigrate calls, or
// without any, every struct that looks like a GORM model; then
// //strata:table adds and //strata:skip removes.
func (r *gormReader) tables(pkgs []*packages.Package) []*types.Named {
	var (
		out   []*types.Named
		seen  = map[string]bool{}
		calls bool
	)
	add := func(t *types.Named) {
		if k := typeKey(t); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	for _, p := range pkgs {
		for _, t := range r.autoMigrated(p, &calls) {
			add(t)
		}
	}
	if !calls {
		embedded := map[string]bool{}
		for _, k := range r.order {
			st := r.decls[k].t.Underlying().(*types.Struct)
			for i := range st.NumFields() {
				if st.Field(i).Embedded() || embeddedTag(st.Tag(i)) {
					embedded[typeKey(st.Field(i).Type())] = true
				}
			}
		}
		for _, k := range r.order {
			if d := r.decls[k]; !embedded[k] && r.looksLikeModel(d.t) {
				add(d.t)
			}
		}
	}
	for _, k := range r.order {
		if d := r.decls[k]; d.has("table") {
			add(d.t)
		}
	}
	return slices.DeleteFunc(out, func(t *types.Named) bool {
		d := r.decls[typeKey(t)]
		return d != nil && d.has("skip")
	})
}

// embeddedTag reports whether a struct tag has the gorm key embedded.
func embeddedTag(tag string) bool {
	if !strings.Contains(strings.ToLower(tag), "embedded") {
		return false
	}
	_, ok := gormSettings(reflect.StructTag(tag).Get("gorm"), ";")["EMBEDDED"]
	return ok
}

// looksLikeModel: a struct with gorm tags, an embedded gorm.Model or a
// TableName method.
func (r *gormReader) looksLikeModel(t *types.Named) bool {
	if r.method(t, "TableName") != nil {
		return true
	}
	st := t.Underlying().(*types.Struct)
	for i := range st.NumFields() {
		if _, ok := reflect.StructTag(st.Tag(i)).Lookup("gorm"); ok {
			return true
		}
		if st.Field(i).Embedded() && qualifiedName(st.Field(i).Type()) == "gorm.io/gorm.Model" {
			return true
		}
	}
	return false
}

// autoMigrated returns the models passed to AutoMigrate calls in p.
func (r *gormReader) autoMigrated(p *packages.Package, calls *bool) []*types.Named {
	var out []*types.Named
	var values map[types.Object]ast.Expr // built when a call spreads a slice
	for _, f := range p.Syntax {
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.CompositeLit); ok {
				r.runtimeNaming(p, lit)
				return true
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "AutoMigrate" && sel.Sel.Name != "SetupJoinTable" {
				return true
			}
			fn, ok := p.TypesInfo.Uses[sel.Sel].(*types.Func)
			if !ok || fn.Pkg() == nil || !strings.HasPrefix(fn.Pkg().Path(), "gorm.io/gorm") {
				return true
			}
			if sel.Sel.Name == "SetupJoinTable" {
				r.l.warnf(r.l.position(call.Pos()), "SetupJoinTable runs only in the program, so strata reads the join table from the many2many tag; if the join model differs, give it //strata:table and it replaces the join table of the same name")
				return true
			}
			*calls = true
			for i, arg := range call.Args {
				if call.Ellipsis.IsValid() && i == len(call.Args)-1 {
					if values == nil {
						values = assignedValues(p)
					}
					out = append(out, r.sliceModels(p, arg, values)...)
					continue
				}
				out = append(out, r.model(p, arg)...)
			}
			return true
		})
	}
	return out
}

// assignedValues maps the variables of p to the expressions assigned to
// them (the last assignment in source order wins).
func assignedValues(p *packages.Package) map[types.Object]ast.Expr {
	values := map[types.Object]ast.Expr{}
	for _, f := range p.Syntax {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if i < len(n.Values) {
						values[p.TypesInfo.Defs[name]] = n.Values[i]
					}
				}
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i, lhs := range n.Lhs {
						if id, ok := lhs.(*ast.Ident); ok {
							if obj := p.TypesInfo.ObjectOf(id); obj != nil {
								values[obj] = n.Rhs[i]
							}
						}
					}
				}
			}
			return true
		})
	}
	return values
}

// runtimeNaming warns about a gorm.Config literal that sets a
// NamingStrategy, which strata cannot see.
func (r *gormReader) runtimeNaming(p *packages.Package, lit *ast.CompositeLit) {
	if qualifiedName(deref(p.TypesInfo.TypeOf(lit))) != "gorm.io/gorm.Config" {
		return
	}
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "NamingStrategy" {
				r.l.warnf(r.l.position(kv.Pos()), "gorm.Config sets a NamingStrategy, which strata cannot read from the program; mirror its TablePrefix and SingularTable with gorm_table_prefix and gorm_singular_table in strata.toml (other settings are not read)")
			}
		}
	}
}

// model returns the struct type of one AutoMigrate argument.
func (r *gormReader) model(p *packages.Package, x ast.Expr) []*types.Named {
	if n, ok := deref(p.TypesInfo.TypeOf(x)).(*types.Named); ok {
		if _, ok := n.Underlying().(*types.Struct); ok {
			return []*types.Named{n}
		}
	}
	r.l.warnf(r.l.position(x.Pos()), "AutoMigrate argument %s is not a struct value strata can read statically; mark its model with //strata:table", types.ExprString(x))
	return nil
}

// sliceModels returns the models of `AutoMigrate(models...)`: a slice
// literal, a variable holding one, or a function returning one.
func (r *gormReader) sliceModels(p *packages.Package, x ast.Expr, values map[types.Object]ast.Expr) []*types.Named {
	for range 4 {
		switch e := x.(type) {
		case *ast.CompositeLit:
			var out []*types.Named
			for _, el := range e.Elts {
				out = append(out, r.model(p, el)...)
			}
			return out
		case *ast.Ident:
			v, ok := values[p.TypesInfo.ObjectOf(e)]
			if !ok {
				break
			}
			x = v
			continue
		case *ast.CallExpr:
			id, ok := e.Fun.(*ast.Ident)
			if !ok {
				break
			}
			fn, _ := p.TypesInfo.Uses[id].(*types.Func)
			decl := r.funcs[fn].decl
			if decl == nil || decl.Body == nil || len(decl.Body.List) == 0 {
				break
			}
			ret, ok := decl.Body.List[len(decl.Body.List)-1].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				break
			}
			x = ret.Results[0]
			continue
		}
		break
	}
	r.l.warnf(r.l.position(x.Pos()), "strata cannot read which models AutoMigrate(%s...) is given; mark them with //strata:table", types.ExprString(x))
	return nil
}

// constString returns the string a method's body returns when it is one
// constant `return "..."`.
func (r *gormReader) constString(fn *types.Func) (string, bool) {
	fd := r.funcs[fn]
	if fd.decl == nil || fd.decl.Body == nil || len(fd.decl.Body.List) != 1 {
		return "", false
	}
	ret, ok := fd.decl.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return "", false
	}
	if tv := fd.p.TypesInfo.Types[ret.Results[0]]; tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	return "", false
}

var gormConstraintName = regexp.MustCompile(`^[\w-]+$`)

// fieldPos is where a field is reported: its name in source, else the
// table's declaration (fields of types read from export data).
func (r *gormReader) fieldPos(v *types.Var, fallback token.Position) token.Position {
	if pos := r.l.position(v.Pos()); pos.Filename != "" && !strings.HasSuffix(pos.Filename, ".a") && pos.Line > 0 {
		if _, ok := r.l.fields[v.Pos()]; ok {
			return pos
		}
	}
	return fallback
}
