package model

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"ariga.io/atlas/sql/schema"
	"golang.org/x/tools/go/packages"

	"github.com/strata-db/strata/dialect"
)

// enumType is a named string type declared //strata:enum [NAME]: on
// PostgreSQL the enum type NAME, on MySQL an enum(...) column type, on
// SQLite text. Its values are the package's constants of the type.
type enumType struct {
	name   string
	pos    token.Position
	values []string
	// e is the PostgreSQL type, shared by the schema's objects and the
	// columns of the type.
	e *schema.EnumType
}

// enums finds the //strata:enum types of a package and their values, before
// any table is built, so a field of such a type maps to it wherever the
// type is declared.
func (l *loader) enums(p *packages.Package) {
	if len(p.Errors) > 0 {
		return // pkg reports them.
	}
	found := make(map[*types.TypeName]*enumType)
	files := slices.Clone(p.Syntax)
	// Values in source order: by file name, then position.
	slices.SortFunc(files, func(a, b *ast.File) int {
		return strings.Compare(l.fset.Position(a.Pos()).Filename, l.fset.Position(b.Pos()).Filename)
	})
	for _, f := range files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				var doc *ast.CommentGroup
				if !gd.Lparen.IsValid() {
					doc = gd.Doc
				}
				for _, d := range directives(l.fset, doc, ts.Doc) {
					if d.kind == "enum" {
						if e := l.enumDecl(p, ts, d); e != nil {
							found[p.TypesInfo.Defs[ts.Name].(*types.TypeName)] = e
						}
					}
				}
			}
		}
	}
	if len(found) == 0 {
		return
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.CONST {
				l.enumValues(p, gd, found)
			}
		}
	}
	for tn, e := range found {
		if len(e.values) == 0 {
			l.errorf(e.pos, "//strata:enum type %s has no values: declare constants of type %s", tn.Name(), tn.Name())
			continue
		}
		l.enumTypes[typeKey(tn.Type())] = e
	}
}

// enumDecl checks a //strata:enum directive on type spec ts.
func (l *loader) enumDecl(p *packages.Package, ts *ast.TypeSpec, d directive) *enumType {
	pos := l.relative(d.pos)
	obj := p.TypesInfo.Defs[ts.Name]
	if b, ok := obj.Type().Underlying().(*types.Basic); !ok || b.Kind() != types.String || ts.TypeParams != nil || ts.Assign.IsValid() {
		l.errorf(pos, "//strata:enum on type %s: an enum is a named string type (type %s string)", ts.Name.Name, ts.Name.Name)
		return nil
	}
	name := d.args
	if name == "" {
		name = snake(ts.Name.Name)
	} else if !l.identOK(l.relative(d.argsPos), "enum name", name) {
		return nil
	}
	e := &enumType{name: name, pos: pos}
	if l.d == dialect.Postgres {
		e.e = &schema.EnumType{T: name}
	}
	return e
}

// enumValues adds the constants of gd that are of an enum type to its
// values.
func (l *loader) enumValues(p *packages.Package, gd *ast.GenDecl, found map[*types.TypeName]*enumType) {
	for _, spec := range gd.Specs {
		for _, id := range spec.(*ast.ValueSpec).Names {
			c, ok := p.TypesInfo.Defs[id].(*types.Const)
			if !ok || id.Name == "_" {
				continue
			}
			n, ok := types.Unalias(c.Type()).(*types.Named)
			if !ok {
				continue
			}
			e := found[n.Obj()]
			if e == nil || c.Val().Kind() != constant.String {
				continue
			}
			v := constant.StringVal(c.Val())
			if slices.Contains(e.values, v) {
				l.errorf(l.position(id.Pos()), "enum %s: value %q given twice", e.name, v)
				continue
			}
			e.values = append(e.values, v)
		}
	}
}

// enumColumn returns the column type of a field of enum type e.
func (l *loader) enumColumn(e *enumType) (*schema.ColumnType, error) {
	switch l.d {
	case dialect.Postgres:
		return &schema.ColumnType{Type: e.e, Raw: e.name}, nil
	case dialect.MySQL:
		quoted := make([]string, len(e.values))
		for i, v := range e.values {
			quoted[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		}
		return l.parseType("enum(" + strings.Join(quoted, ",") + ")")
	}
	return l.parseType(columnTypes[kindString][l.d])
}

// addEnums adds the PostgreSQL enum types to s, sorted by name; two Go
// types naming the same enum are an error.
func (l *loader) addEnums(s *schema.Schema) {
	if l.d != dialect.Postgres {
		return
	}
	byName := make(map[string]*enumType)
	for _, e := range l.enumTypes {
		if prev, dup := byName[e.name]; dup {
			first, second := prev, e
			if positionLess(e.pos, prev.pos) {
				first, second = e, prev
			}
			l.errorf(second.pos, "duplicate enum %q (also declared at %s)", e.name, first.pos)
			continue
		}
		byName[e.name] = e
		e.e.Values = e.values
		e.e.Schema = s
	}
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		s.Objects = append(s.Objects, byName[name].e)
	}
}
