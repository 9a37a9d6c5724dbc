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

// summarize describes changes one line each.
func summarize(d dialect.Name, changes []schema.Change) []string {
	var out []string
	for _, c := range changes {
		switch c := c.(type) {
		case *schema.AddTable:
			out = append(out, "+ table "+c.T.Name)
		case *schema.DropTable:
			out = append(out, "- table "+c.T.Name)
		case *schema.RenameTable:
			out = append(out, fmt.Sprintf("~ table %s → %s (renamed)", c.From.Name, c.To.Name))
		case *firstStep, *lastStep:
			// A key dropped and added again around a type change.
		case *stmtChange:
			if c.of != nil {
				out = append(out, summarize(d, []schema.Change{c.of})...)
			} else {
				out = append(out, c.summary)
			}
		case *schema.ModifyTable:
			for _, sc := range c.Changes {
				out = append(out, describeTableChange(d, c.T, sc))
			}
		default:
			out = append(out, fmt.Sprintf("~ %T", c))
		}
	}
	return out
}

func describeTableChange(d dialect.Name, t *schema.Table, c schema.Change) string {
	col := func(c *schema.Column) string { return t.Name + "." + c.Name }
	switch c := c.(type) {
	case *schema.AddColumn:
		return fmt.Sprintf("+ column %s %s", col(c.C), columnDef(d, c.C))
	case *schema.DropColumn:
		return fmt.Sprintf("- column %s", col(c.C))
	case *schema.RenameColumn:
		return fmt.Sprintf("~ column %s → %s (renamed)", col(c.From), col(c.To))
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
		if len(parts) == 0 {
			parts = append(parts, "attributes")
		}
		return fmt.Sprintf("~ column %s: %s", col(c.To), strings.Join(parts, ", "))
	case *schema.AddIndex:
		return fmt.Sprintf("+ %s %s on %s %s", indexKind(c.I), c.I.Name, t.Name, indexDef(c.I))
	case *schema.DropIndex:
		return fmt.Sprintf("- %s %s on %s", indexKind(c.I), c.I.Name, t.Name)
	case *schema.ModifyIndex:
		if c.From.Unique != c.To.Unique {
			return fmt.Sprintf("~ index %s on %s: %s %s → %s %s", c.To.Name, t.Name, indexKind(c.From), indexDef(c.From), indexKind(c.To), indexDef(c.To))
		}
		return fmt.Sprintf("~ %s %s on %s: %s → %s", indexKind(c.To), c.To.Name, t.Name, indexDef(c.From), indexDef(c.To))
	case *schema.RenameIndex:
		return fmt.Sprintf("~ index %s → %s on %s (renamed)", c.From.Name, c.To.Name, t.Name)
	case *schema.AddPrimaryKey:
		return fmt.Sprintf("+ primary key on %s %s", t.Name, indexParts(c.P))
	case *schema.DropPrimaryKey:
		return fmt.Sprintf("- primary key on %s %s", t.Name, indexParts(c.P))
	case *schema.ModifyPrimaryKey:
		return fmt.Sprintf("~ primary key on %s: %s → %s", t.Name, indexParts(c.From), indexParts(c.To))
	case *schema.AddForeignKey:
		return fmt.Sprintf("+ foreign key %s on %s %s", c.F.Symbol, t.Name, fkString(c.F))
	case *schema.DropForeignKey:
		return fmt.Sprintf("- foreign key %s on %s", c.F.Symbol, t.Name)
	case *schema.ModifyForeignKey:
		return fmt.Sprintf("~ foreign key %s on %s: %s → %s", c.To.Symbol, t.Name, fkString(c.From), fkString(c.To))
	case *schema.AddCheck:
		return fmt.Sprintf("+ check %s on %s: %s", c.C.Name, t.Name, c.C.Expr)
	case *schema.DropCheck:
		return fmt.Sprintf("- check %s on %s", c.C.Name, t.Name)
	case *schema.ModifyCheck:
		return fmt.Sprintf("~ check %s on %s: %s → %s", c.To.Name, t.Name, c.From.Expr, c.To.Expr)
	case *schema.AddAttr:
		if cm, ok := c.A.(*schema.Comment); ok {
			return fmt.Sprintf("~ comment on %s: %q", t.Name, cm.Text)
		}
	case *schema.DropAttr:
		if _, ok := c.A.(*schema.Comment); ok {
			return fmt.Sprintf("~ comment on %s removed", t.Name)
		}
	case *schema.ModifyAttr:
		if to, ok := c.To.(*schema.Comment); ok {
			from, _ := c.From.(*schema.Comment)
			var old string
			if from != nil {
				old = from.Text
			}
			return fmt.Sprintf("~ comment on %s: %q → %q", t.Name, old, to.Text)
		}
	}
	return fmt.Sprintf("~ table %s: %s", t.Name, strings.TrimPrefix(fmt.Sprintf("%T", c), "*schema."))
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
	for _, a := range attrs {
		if c, ok := a.(*schema.Comment); ok {
			return c.Text
		}
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
