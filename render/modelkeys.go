package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

// tableAttrs declares the table's comment and options.
func (tg *tableGen) tableAttrs() {
	for _, a := range tg.t.Attrs {
		switch a := a.(type) {
		case *schema.Comment:
			if a.Text != "" {
				text := a.Text
				if !directiveSafe(text) || strings.HasPrefix(text, `"`) && strings.HasSuffix(text, `"`) {
					text = strconv.Quote(text)
				}
				tg.directive("comment", text, "comment")
			}
		case *schema.Charset:
			if a.V != charset(tg.g.s.Attrs) {
				tg.directive("charset", a.V, "charset")
			}
		case *schema.Collation:
			if a.V != collation(tg.g.s.Attrs) {
				tg.directive("collate", a.V, "collation")
			}
		case *sqlite.WithoutRowID:
			tg.directives = append(tg.directives, "//strata:without_rowid")
		case *sqlite.Strict:
			tg.directives = append(tg.directives, "//strata:strict")
		case *postgres.Partition:
			tg.partition(a)
		case *dialect.Partition:
			if !a.Managed() {
				continue // model.Unexpressed names it
			}
			if !plainName(a.Name) {
				tg.warnf(fmt.Sprintf("partition %q", a.Name), "not declared: its name cannot stand in a //strata:partition directive")
				continue
			}
			tg.directive("partition", a.Name+" "+a.Bound, fmt.Sprintf("partition %q", a.Name))
		case *mysql.Engine, *mysql.CreateOptions:
			// A non-default engine or options: model.Unexpressed names them.
		case *schema.Check, *postgres.OID, *mysql.AutoIncrement, *sqlite.AutoIncrement, *sqlite.CreateStmt, *mysql.CreateStmt:
			// Checks are declared by checks; the others are state, not schema.
		default:
			tg.warnf("", "attribute %T is not declared", a)
		}
	}
}

// partition declares a PostgreSQL partitioned table's key.
func (tg *tableGen) partition(p *postgres.Partition) {
	for _, part := range p.Parts {
		if _, raw := part.X.(*schema.RawExpr); part.C == nil && !raw {
			tg.warnf("partition key", "a part cannot be declared")
			return
		}
	}
	strategy, parts, _ := strings.Cut(model.PartitionKey(p), " ")
	tg.directive("partition", "by "+strings.ToLower(strategy)+" "+parts, "partition key")
}

func exprString(x schema.Expr) string {
	switch x := x.(type) {
	case *schema.RawExpr:
		return x.X
	case *schema.Literal:
		return x.V
	}
	return fmt.Sprint(x)
}

// primaryKey marks the key's columns pk, and names it where the name is
// not PostgreSQL's default.
func (tg *tableGen) primaryKey() {
	pk := tg.t.PrimaryKey
	if pk == nil {
		return
	}
	var prev = -1
	for _, p := range pk.Parts {
		f := tg.field(p.C)
		if p.C == nil || f == nil {
			tg.warnf("primary key", "an expression part is not declared")
			continue
		}
		if i := slices.Index(tg.fields, f); i < prev {
			tg.warnf("primary key", "its column order (%s) is declared as the table's column order", partNames(pk.Parts))
		} else {
			prev = i
		}
		f.opts = append([]string{"pk"}, f.opts...)
	}
	if tg.g.d == dialect.Postgres && pk.Name != "" && pk.Name != tg.t.Name+"_pkey" {
		tg.directive("pk", pk.Name, "primary key name")
	}
	// A key whose default name PostgreSQL had to cut is named explicitly.
	if tg.g.d == dialect.Postgres && pk.Name == tg.t.Name+"_pkey" && len(pk.Name) > tg.g.d.MaxIdentLen() {
		tg.directive("pk", pk.Name, "primary key name")
	}
}

func partNames(parts []*schema.IndexPart) string {
	var s []string
	for _, p := range parts {
		if p.C != nil {
			s = append(s, p.C.Name)
		} else {
			s = append(s, "("+exprString(p.X)+")")
		}
	}
	return strings.Join(s, ", ")
}

// indexes declares unique constraints and indexes: a plain single-column
// one as unique:NAME or index:NAME on its field, the rest as directives.
func (tg *tableGen) indexes() {
	for _, idx := range tg.t.Indexes {
		obj := fmt.Sprintf("index %q", idx.Name)
		if tg.fkIndex(idx) {
			continue
		}
		spec, ok := tg.indexSpec(idx, obj)
		if !ok {
			continue
		}
		if spec.constraint {
			tg.directive("unique", tg.indexArgs(idx.Name, spec, false), fmt.Sprintf("constraint %q", idx.Name))
			continue
		}
		if spec.simple() {
			f := tg.field(idx.Parts[0].C)
			key := "index:"
			if idx.Unique {
				key = "unique:"
			}
			f.opts = append(f.opts, key+tagName(idx.Name))
			continue
		}
		tg.directive("index", tg.indexArgs(idx.Name, spec, idx.Unique), obj)
	}
}

// fkIndex reports whether idx is the index MySQL creates for a declared
// foreign key (its name, its columns) that no other index starts with:
// model declares that one itself.
func (tg *tableGen) fkIndex(idx *schema.Index) bool {
	if tg.g.d != dialect.MySQL || idx.Unique {
		return false
	}
	for _, fk := range tg.t.ForeignKeys {
		if fk.Symbol != idx.Name || !tg.fks[fk.Symbol] || len(fk.Columns) != len(idx.Parts) {
			continue
		}
		if !startsWith(idx, fk.Columns) {
			return false
		}
		for _, other := range tg.t.Indexes {
			if other != idx && startsWith(other, fk.Columns) {
				return false
			}
		}
		return tg.t.PrimaryKey == nil || !startsWith(tg.t.PrimaryKey, fk.Columns)
	}
	return false
}

// startsWith reports whether the index's first parts are the columns, plain.
func startsWith(idx *schema.Index, cols []*schema.Column) bool {
	if len(idx.Parts) < len(cols) {
		return false
	}
	for i, c := range cols {
		if p := idx.Parts[i]; p.C != c || p.Desc || len(p.Attrs) > 0 {
			return false
		}
	}
	return true
}

// indexSpec is what an index declares beyond its name.
type indexSpec struct {
	parts      []string
	plainParts bool // every part a plain column, ascending
	using      string
	include    []string
	nullsNot   bool
	where      string
	constraint bool
}

func (s indexSpec) simple() bool {
	return len(s.parts) == 1 && s.plainParts && s.using == "" && len(s.include) == 0 && !s.nullsNot && s.where == ""
}

// indexArgs writes NAME (PART, ...) [unique] [using M] [include (...)]
// [nulls not distinct] [where EXPR].
func (tg *tableGen) indexArgs(name string, s indexSpec, unique bool) string {
	args := name + " (" + strings.Join(s.parts, ", ") + ")"
	if unique {
		args += " unique"
	}
	if s.using != "" {
		args += " using " + s.using
	}
	if len(s.include) > 0 {
		args += " include (" + strings.Join(s.include, ", ") + ")"
	}
	if s.nullsNot {
		args += " nulls not distinct"
	}
	if s.where != "" {
		args += " where " + s.where
	}
	return args
}

// indexSpec reads an index's parts and attributes; ok is false, after a
// warning, when the vocabulary cannot declare it.
func (tg *tableGen) indexSpec(idx *schema.Index, obj string) (indexSpec, bool) {
	s := indexSpec{plainParts: true}
	if !plainName(idx.Name) && !(len(idx.Parts) == 1 && idx.Parts[0].C != nil) {
		tg.warnf(obj, "not declared: its name cannot stand in a //strata:index directive")
		return s, false
	}
	for _, p := range idx.Parts {
		part, ok := tg.indexPart(p, obj)
		if !ok {
			return s, false
		}
		if p.C == nil || part != p.C.Name {
			s.plainParts = false
		}
		s.parts = append(s.parts, part)
	}
	d := model.DescribeIndex(idx)
	s.using, s.where, s.include, s.nullsNot, s.constraint = d.Using, d.Where, d.Include, d.NullsNotDistinct, d.Constraint
	for _, a := range idx.Attrs {
		switch a := a.(type) {
		case *postgres.Constraint:
			if a.IsExclude() {
				return s, false // model.Unexpressed names it
			}
		case *postgres.IndexType, *mysql.IndexType, *postgres.IndexPredicate, *sqlite.IndexPredicate,
			*postgres.IndexInclude, *postgres.IndexNullsDistinct:
			// Read by model.DescribeIndex above.
		case *postgres.IndexStorageParams, *schema.Comment, *mysql.IndexParser:
			// What the vocabulary lacks here model.Unexpressed names.
		case *sqlite.IndexOrigin, *sqlite.CreateStmt:
		default:
			tg.warnf(obj, "attribute %T is not declared", a)
		}
	}
	if !s.simple() && !plainName(idx.Name) {
		tg.warnf(obj, "not declared: its name cannot stand in a //strata:index directive")
		return s, false
	}
	if s.where != "" && !directiveSafe(s.where) {
		tg.warnf(obj, "not declared: its predicate spans lines")
		return s, false
	}
	return s, true
}

// indexPart writes one part: column [OPCLASS] [DESC], column(N) [DESC],
// or (EXPR) [DESC].
func (tg *tableGen) indexPart(p *schema.IndexPart, obj string) (string, bool) {
	var part string
	switch {
	case p.C != nil && plainName(p.C.Name):
		part = p.C.Name
	case p.C != nil:
		tg.warnf(obj, "not declared: column %q cannot stand in a //strata:index directive", p.C.Name)
		return "", false
	default:
		x := exprString(p.X)
		if x == "" || x == "<unsupported>" {
			tg.warnf(obj, "not declared: the inspector could not read the expression of one of its parts")
			return "", false
		}
		part = "(" + x + ")"
	}
	for _, a := range p.Attrs {
		switch a := a.(type) {
		case *mysql.SubPart:
			part += "(" + strconv.Itoa(a.Len) + ")"
		case *postgres.IndexOpClass:
			if !a.Default {
				part += " " + a.String()
			}
		case *postgres.IndexColumnProperty, *schema.Collation:
			// A NULLS order or collation of its own: model.Unexpressed names it.
		default:
			tg.warnf(obj, "attribute %T of part %s is not declared", a, part)
		}
	}
	if p.Desc {
		part += " DESC"
	}
	return part, true
}

// foreignKeys declares each key on its columns: fk:TABLE.COLUMN with its
// name and actions; the columns of a composite key share the fk_name.
func (tg *tableGen) foreignKeys() {
	used := make(map[*schema.Column]string)
	for _, fk := range tg.t.ForeignKeys {
		obj := fmt.Sprintf("foreign key %q", fk.Symbol)
		switch {
		case fk.RefTable == nil:
			tg.warnf(obj, "not declared: its table is unknown")
			continue
		case fk.RefTable.Schema != nil && fk.RefTable.Schema.Name != tg.g.s.Name:
			continue // model.Unexpressed names it
		case strings.Contains(fk.RefTable.Name, ".") || !fkSafe(fk.RefTable.Name):
			tg.warnf(obj, "not declared: table name %q cannot stand in fk:TABLE.COLUMN", fk.RefTable.Name)
			continue
		case len(fk.Columns) != len(fk.RefColumns):
			tg.warnf(obj, "not declared: column counts differ")
			continue
		case !model.Referable(tg.g.d, fk.RefTable, fk.RefColumns):
			tg.warnf(obj, "not declared: it references %s(%s), which is neither the primary key nor a unique index, as fk: needs", fk.RefTable.Name, strings.Join(columnNames(fk.RefColumns), ", "))
			continue
		}
		ok := true
		for _, c := range fk.Columns {
			if tg.field(c) == nil {
				tg.warnf(obj, "not declared: the models lack its column %s", c.Name)
				ok = false
			}
			if other, dup := used[c]; dup {
				tg.warnf(obj, "not declared: column %s is already in foreign key %s, and a field holds one", c.Name, other)
				ok = false
			}
		}
		for _, rc := range fk.RefColumns {
			if !fkSafe(rc.Name) {
				tg.warnf(obj, "not declared: column name %q cannot stand in fk:TABLE.COLUMN", rc.Name)
				ok = false
			}
		}
		if !ok {
			continue
		}
		name := fk.Symbol
		if tg.g.unnamed(name) {
			// SQLite numbers the keys it was not told a name for: one column's
			// key takes model's default name; a composite one needs a shared name.
			name = ""
			if len(fk.Columns) > 1 {
				name = tg.t.Name + "_" + strings.Join(columnNames(fk.Columns), "_") + "_fkey"
			}
		}
		tg.fks[fk.Symbol] = true
		prev := -1
		for i, c := range fk.Columns {
			used[c] = fk.Symbol
			f := tg.field(c)
			if j := slices.Index(tg.fields, f); j < prev {
				tg.warnf(obj, "its column order is declared as the table's column order")
			} else {
				prev = j
			}
			f.opts = append(f.opts, "fk:"+fk.RefTable.Name+"."+fk.RefColumns[i].Name)
			if name != "" {
				f.opts = append(f.opts, "fk_name:"+tagName(name))
			}
			if tg.g.explicitAction(fk.OnDelete) {
				f.opts = append(f.opts, "ondelete:"+string(fk.OnDelete))
			}
			if tg.g.explicitAction(fk.OnUpdate) {
				f.opts = append(f.opts, "onupdate:"+string(fk.OnUpdate))
			}
		}
	}
}

// fkSafe reports whether a name can stand in fk:TABLE.COLUMN: nothing the
// tag parser reads as a separator, a quote or parentheses.
func fkSafe(s string) bool {
	return s != "" && strings.TrimSpace(s) == s && !strings.ContainsAny(s, ";'\"()`\n\r")
}

// unnamed reports whether a foreign key's symbol is SQLite's number for a
// key without a name.
func (g *gen) unnamed(symbol string) bool {
	if g.d != dialect.SQLite {
		return false
	}
	_, err := strconv.Atoi(symbol)
	return symbol == "" || err == nil
}

func columnNames(cols []*schema.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// explicitAction reports whether a referential action differs from the
// default, NO ACTION, which MySQL also reports as RESTRICT.
func (g *gen) explicitAction(a schema.ReferenceOption) bool {
	return a != "" && a != schema.NoAction && !(g.d == dialect.MySQL && a == schema.Restrict)
}

// checks declares check constraints: one on a single column with the
// default name TABLE_COLUMN_check as check: on its field, the others as
// //strata:check NAME EXPR.
func (tg *tableGen) checks() {
	unnamed := 0
	for _, a := range tg.t.Attrs {
		ck, ok := a.(*schema.Check)
		if !ok {
			continue
		}
		if ck.Name == "" {
			// SQLite keeps checks declared without a name nameless; the
			// models name them TABLE_check, TABLE_check2, ...
			unnamed++
			ck = &schema.Check{Name: tg.t.Name + "_check", Expr: ck.Expr, Attrs: ck.Attrs}
			if unnamed > 1 {
				ck.Name += strconv.Itoa(unnamed)
			}
		}
		obj := fmt.Sprintf("check %q", ck.Name)
		var cols []string
		for _, ca := range ck.Attrs {
			switch ca := ca.(type) {
			case *postgres.CheckColumns:
				cols = ca.Columns
			case *postgres.NoInherit:
				// model.Unexpressed names it.
			case *mysql.Enforced:
				if !ca.V {
					tg.warnf(obj, "NOT ENFORCED is not declared")
				}
			default:
				tg.warnf(obj, "attribute %T is not declared", ca)
			}
		}
		if len(cols) == 1 && ck.Name == tg.t.Name+"_"+cols[0]+"_check" && len(ck.Name) <= tg.g.d.MaxIdentLen() {
			if c, ok := tg.t.Column(cols[0]); ok && tg.field(c) != nil {
				f := tg.field(c)
				f.opts = append(f.opts, "check:"+ck.Expr)
				continue
			}
		}
		if !plainName(ck.Name) {
			tg.warnf(obj, "not declared: its name cannot stand in a //strata:check directive")
			continue
		}
		tg.directive("check", ck.Name+" "+ck.Expr, obj)
	}
}
