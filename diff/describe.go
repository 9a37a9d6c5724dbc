package diff

import (
	"fmt"
	"strings"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// typeString formats a column type the way the dialect writes it.
func typeString(d dialect.Name, ct *schema.ColumnType) string {
	if ct == nil || ct.Type == nil {
		return "?"
	}
	var (
		s   string
		err error
	)
	switch d {
	case dialect.Postgres:
		s, err = postgres.FormatType(ct.Type)
	case dialect.MySQL:
		s, err = mysql.FormatType(ct.Type)
	default:
		if ct.Raw != "" {
			return normType(ct.Raw)
		}
		s, err = sqlite.FormatType(ct.Type)
	}
	if err != nil || s == "" {
		return normType(ct.Raw)
	}
	return normType(s)
}

func normType(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// Change is one change a migration makes, described for people (Summary)
// and for tools (strata diff --format json).
type Change struct {
	// Kind is add_, drop_, modify_ or rename_ followed by table, column,
	// index, unique_index, primary_key, foreign_key, check, comment, enum
	// or partition; or add_object, in a baseline, for an object strata
	// does not manage (Name is the object's, Summary names its kind).
	Kind  string `json:"kind"`
	Table string `json:"table"`
	// Column is the column a column change is about.
	Column string `json:"column,omitempty"`
	// Name is the index, foreign key, check, enum type or partition a
	// change is about.
	Name string `json:"name,omitempty"`
	// From and To are the definitions (or names, for a rename) before and
	// after; either is empty where there is none.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Danger says how the change can lose data or fail on existing rows.
	Danger string `json:"danger,omitempty"`
	// Summary is the line strata diff prints, e.g. "+ table orders".
	Summary string `json:"summary"`
}

// summarize describes changes one each.
func summarize(d dialect.Name, changes []schema.Change) []Change {
	var out []Change
	for _, c := range changes {
		var ch Change
		switch c := c.(type) {
		case *schema.AddTable:
			ch = Change{Kind: "add_table", Table: c.T.Name, Summary: "+ table " + c.T.Name}
		case *schema.DropTable:
			ch = Change{Kind: "drop_table", Table: c.T.Name, Summary: "- table " + c.T.Name}
		case *schema.RenameTable:
			ch = Change{Kind: "rename_table", Table: c.To.Name, From: c.From.Name, To: c.To.Name,
				Summary: fmt.Sprintf("~ table %s → %s (renamed)", c.From.Name, c.To.Name)}
		case *firstStep, *lastStep:
			// An enum type's change, or a key dropped and added again
			// around a type change.
			if e, ok := describeEnum(unwrapStep(c)); ok {
				out = append(out, e)
			}
			continue
		case *stmtChange:
			if c.of != nil {
				out = append(out, summarize(d, []schema.Change{c.of})...)
				continue
			}
			if c.change.Summary == "" {
				continue // a step of another change, which says it
			}
			ch = c.change
		case *schema.ModifyTable:
			for _, sc := range c.Changes {
				ch := describeTableChange(d, c.T, sc)
				ch.Danger = dangerText(d, &schema.ModifyTable{T: c.T, Changes: []schema.Change{sc}})
				out = append(out, ch)
			}
			continue
		default:
			ch = Change{Kind: "other", Summary: fmt.Sprintf("~ %T", c)}
		}
		ch.Danger = dangerText(d, c)
		out = append(out, ch)
	}
	return out
}

// dangerText joins the warnings for c, without their comment prefix.
func dangerText(d dialect.Name, c schema.Change) string {
	var ws []string
	for _, w := range dangers(d, c) {
		ws = append(ws, strings.TrimPrefix(w.text, dangerPrefix))
	}
	return strings.Join(ws, "; ")
}

func describeTableChange(d dialect.Name, t *schema.Table, c schema.Change) Change {
	col := func(c *schema.Column) string { return t.Name + "." + c.Name }
	change := func(kind, summary string) Change { return Change{Kind: kind, Table: t.Name, Summary: summary} }
	switch c := c.(type) {
	case *schema.AddColumn:
		ch := change("add_column", fmt.Sprintf("+ column %s %s", col(c.C), columnDef(d, c.C)))
		ch.Column, ch.To = c.C.Name, columnDef(d, c.C)
		return ch
	case *schema.DropColumn:
		ch := change("drop_column", fmt.Sprintf("- column %s", col(c.C)))
		ch.Column, ch.From = c.C.Name, columnDef(d, c.C)
		return ch
	case *schema.RenameColumn:
		ch := change("rename_column", fmt.Sprintf("~ column %s → %s (renamed)", col(c.From), col(c.To)))
		ch.Column, ch.From, ch.To = c.To.Name, c.From.Name, c.To.Name
		return ch
	case *schema.ModifyColumn:
		var parts []string
		if c.Change.Is(schema.ChangeType) {
			parts = append(parts, typeString(d, c.From.Type)+" → "+typeString(d, c.To.Type))
		}
		if c.Change.Is(schema.ChangeNull) {
			parts = append(parts, nullString(c.From)+" → "+nullString(c.To))
		}
		if c.Change.Is(schema.ChangeDefault) {
			parts = append(parts, "default "+defaultString(c.From.Default)+" → "+defaultString(c.To.Default))
		}
		if c.Change.Is(schema.ChangeComment) {
			parts = append(parts, fmt.Sprintf("comment %q → %q", commentOf(c.From.Attrs), commentOf(c.To.Attrs)))
		}
		if c.Change.Is(schema.ChangeGenerated) {
			parts = append(parts, "generated expression")
		}
		if c.Change.Is(schema.ChangeCollate) {
			parts = append(parts, fmt.Sprintf("collation %q → %q", collationOf(c.From.Attrs), collationOf(c.To.Attrs)))
		}
		if c.Change.Is(schema.ChangeCharset) {
			parts = append(parts, "character set")
		}
		if c.Change.Is(schema.ChangeAttr) && onUpdate(c.From) != onUpdate(c.To) {
			parts = append(parts, fmt.Sprintf("on update %q → %q", onUpdate(c.From), onUpdate(c.To)))
		}
		if len(parts) == 0 {
			parts = append(parts, "attributes")
		}
		ch := change("modify_column", fmt.Sprintf("~ column %s: %s", col(c.To), strings.Join(parts, ", ")))
		ch.Column, ch.From, ch.To = c.To.Name, columnDef(d, c.From), columnDef(d, c.To)
		return ch
	case *schema.AddIndex:
		ch := change("add_"+kindOf(c.I), fmt.Sprintf("+ %s %s on %s %s", indexKind(c.I), c.I.Name, t.Name, indexDef(c.I)))
		ch.Name, ch.To = c.I.Name, indexDef(c.I)
		return ch
	case *schema.DropIndex:
		ch := change("drop_"+kindOf(c.I), fmt.Sprintf("- %s %s on %s", indexKind(c.I), c.I.Name, t.Name))
		ch.Name, ch.From = c.I.Name, indexParts(c.I)
		return ch
	case *schema.ModifyIndex:
		summary := fmt.Sprintf("~ %s %s on %s: %s → %s", indexKind(c.To), c.To.Name, t.Name, indexDef(c.From), indexDef(c.To))
		if c.From.Unique != c.To.Unique {
			summary = fmt.Sprintf("~ index %s on %s: %s %s → %s %s", c.To.Name, t.Name, indexKind(c.From), indexDef(c.From), indexKind(c.To), indexDef(c.To))
		}
		ch := change("modify_"+kindOf(c.To), summary)
		ch.Name, ch.From, ch.To = c.To.Name, indexDef(c.From), indexDef(c.To)
		return ch
	case *schema.RenameIndex:
		ch := change("rename_index", fmt.Sprintf("~ index %s → %s on %s (renamed)", c.From.Name, c.To.Name, t.Name))
		ch.Name, ch.From, ch.To = c.To.Name, c.From.Name, c.To.Name
		return ch
	case *schema.AddPrimaryKey:
		ch := change("add_primary_key", fmt.Sprintf("+ primary key on %s %s", t.Name, indexParts(c.P)))
		ch.To = indexParts(c.P)
		return ch
	case *schema.DropPrimaryKey:
		ch := change("drop_primary_key", fmt.Sprintf("- primary key on %s %s", t.Name, indexParts(c.P)))
		ch.From = indexParts(c.P)
		return ch
	case *schema.ModifyPrimaryKey:
		ch := change("modify_primary_key", fmt.Sprintf("~ primary key on %s: %s → %s", t.Name, indexParts(c.From), indexParts(c.To)))
		ch.From, ch.To = indexParts(c.From), indexParts(c.To)
		return ch
	case *schema.AddForeignKey:
		ch := change("add_foreign_key", fmt.Sprintf("+ foreign key %s on %s %s", c.F.Symbol, t.Name, fkString(c.F)))
		ch.Name, ch.To = c.F.Symbol, fkString(c.F)
		return ch
	case *schema.DropForeignKey:
		ch := change("drop_foreign_key", fmt.Sprintf("- foreign key %s on %s", c.F.Symbol, t.Name))
		ch.Name, ch.From = c.F.Symbol, fkString(c.F)
		return ch
	case *schema.ModifyForeignKey:
		ch := change("modify_foreign_key", fmt.Sprintf("~ foreign key %s on %s: %s → %s", c.To.Symbol, t.Name, fkString(c.From), fkString(c.To)))
		ch.Name, ch.From, ch.To = c.To.Symbol, fkString(c.From), fkString(c.To)
		return ch
	case *schema.AddCheck:
		ch := change("add_check", fmt.Sprintf("+ check %s on %s: %s", c.C.Name, t.Name, c.C.Expr))
		ch.Name, ch.To = c.C.Name, c.C.Expr
		return ch
	case *schema.DropCheck:
		ch := change("drop_check", fmt.Sprintf("- check %s on %s", c.C.Name, t.Name))
		ch.Name, ch.From = c.C.Name, c.C.Expr
		return ch
	case *schema.ModifyCheck:
		ch := change("modify_check", fmt.Sprintf("~ check %s on %s: %s → %s", c.To.Name, t.Name, c.From.Expr, c.To.Expr))
		ch.Name, ch.From, ch.To = c.To.Name, c.From.Expr, c.To.Expr
		return ch
	case *schema.AddAttr:
		if cm, ok := c.A.(*schema.Comment); ok {
			ch := change("modify_comment", fmt.Sprintf("~ comment on %s: %q", t.Name, cm.Text))
			ch.To = cm.Text
			return ch
		}
	case *schema.DropAttr:
		if cm, ok := c.A.(*schema.Comment); ok {
			ch := change("modify_comment", fmt.Sprintf("~ comment on %s removed", t.Name))
			ch.From = cm.Text
			return ch
		}
	case *schema.ModifyAttr:
		if to, ok := c.To.(*schema.Comment); ok {
			from, _ := c.From.(*schema.Comment)
			var old string
			if from != nil {
				old = from.Text
			}
			ch := change("modify_comment", fmt.Sprintf("~ comment on %s: %q → %q", t.Name, old, to.Text))
			ch.From, ch.To = old, to.Text
			return ch
		}
	}
	return change("modify_table", fmt.Sprintf("~ table %s: %s", t.Name, strings.TrimPrefix(fmt.Sprintf("%T", c), "*schema.")))
}

// kindOf names an index in a Change's Kind.
func kindOf(i *schema.Index) string {
	if i.Unique {
		return "unique_index"
	}
	return "index"
}

func columnDef(d dialect.Name, c *schema.Column) string {
	s := typeString(d, c.Type) + " " + nullString(c)
	if c.Default != nil {
		s += " default " + defaultString(c.Default)
	}
	return s
}

func nullString(c *schema.Column) string {
	if c.Type != nil && c.Type.Null {
		return "NULL"
	}
	return "NOT NULL"
}

func defaultString(x schema.Expr) string {
	switch x := x.(type) {
	case nil:
		return "(none)"
	case *schema.Literal:
		return x.V
	case *schema.RawExpr:
		return x.X
	}
	return fmt.Sprint(x)
}

func commentOf(attrs []schema.Attr) string {
	if c, ok := attrOf[*schema.Comment](attrs); ok {
		return c.Text
	}
	return ""
}

func indexKind(i *schema.Index) string {
	if i.Unique {
		return "unique index"
	}
	return "index"
}

func indexParts(i *schema.Index) string {
	var parts []string
	for _, p := range i.Parts {
		var s string
		switch {
		case p.C != nil:
			s = p.C.Name
		case p.X != nil:
			s = defaultString(p.X)
		}
		if p.Desc {
			s += " DESC"
		}
		parts = append(parts, s)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// indexDef is indexParts with the predicate of a partial index.
func indexDef(i *schema.Index) string {
	if p := predicate(i); p != nil {
		return indexParts(i) + " where " + *p
	}
	return indexParts(i)
}

func fkString(f *schema.ForeignKey) string {
	var cols, refs []string
	for _, c := range f.Columns {
		cols = append(cols, c.Name)
	}
	for _, c := range f.RefColumns {
		refs = append(refs, c.Name)
	}
	ref := "?"
	if f.RefTable != nil {
		ref = f.RefTable.Name
	}
	s := fmt.Sprintf("(%s) → %s(%s)", strings.Join(cols, ", "), ref, strings.Join(refs, ", "))
	if f.OnDelete != "" {
		s += " ON DELETE " + string(f.OnDelete)
	}
	if f.OnUpdate != "" {
		s += " ON UPDATE " + string(f.OnUpdate)
	}
	return s
}

// unwrapStep returns the change a firstStep or lastStep carries.
func unwrapStep(c schema.Change) schema.Change {
	switch c := c.(type) {
	case *firstStep:
		return c.Change
	case *lastStep:
		return c.Change
	}
	return c
}
