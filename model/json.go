package model

import (
	"encoding/json"
	"fmt"
	"strings"

	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// Document is the JSON form of a declared schema (strata models --format
// json). Its shape is documented in README.md and stable: fields are only
// added. Types and defaults are SQL text in the dialect.
type Document struct {
	Dialect dialect.Name    `json:"dialect"`
	Tables  []DocumentTable `json:"tables"`
	// Enums are PostgreSQL's enum types (//strata:enum).
	Enums []DocumentEnum `json:"enums,omitempty"`
}

// DocumentEnum is an enum type with its values in order.
type DocumentEnum struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// DocumentTable is one table of a Document.
type DocumentTable struct {
	Name        string           `json:"name"`
	Comment     string           `json:"comment,omitempty"`
	RenamedFrom string           `json:"renamed_from,omitempty"`
	Columns     []DocumentColumn `json:"columns"`
	PrimaryKey  *DocumentKey     `json:"primary_key,omitempty"`
	Indexes     []DocumentIndex  `json:"indexes,omitempty"`
	ForeignKeys []DocumentFK     `json:"foreign_keys,omitempty"`
	Checks      []DocumentCheck  `json:"checks,omitempty"`
	// Charset and Collate (MySQL) are shown where they differ from the
	// schema's; WithoutRowID and Strict are SQLite's table options.
	Charset      string `json:"charset,omitempty"`
	Collate      string `json:"collate,omitempty"`
	WithoutRowID bool   `json:"without_rowid,omitempty"`
	Strict       bool   `json:"strict,omitempty"`
	// PartitionBy is a PostgreSQL partition key, e.g. RANGE (at), and
	// Partitions its partitions.
	PartitionBy string              `json:"partition_by,omitempty"`
	Partitions  []DocumentPartition `json:"partitions,omitempty"`
}

// DocumentPartition is one partition of a partitioned table.
type DocumentPartition struct {
	Name  string `json:"name"`
	Bound string `json:"bound"`
}

// DocumentColumn is one column of a DocumentTable.
type DocumentColumn struct {
	Name          string `json:"name"`
	Type          string `json:"type"`
	Null          bool   `json:"null"`
	Default       string `json:"default,omitempty"`
	Autoincrement bool   `json:"autoincrement,omitempty"`
	Generated     string `json:"generated,omitempty"`
	Comment       string `json:"comment,omitempty"`
	RenamedFrom   string `json:"renamed_from,omitempty"`
	// AutoincrementOptions are a PostgreSQL identity's options other than
	// the defaults, as the tag writes them: always,start=N,increment=N.
	AutoincrementOptions string `json:"autoincrement_options,omitempty"`
	// Virtual marks a VIRTUAL generated column (Generated).
	Virtual bool `json:"virtual,omitempty"`
	// Charset and Collate are shown where they differ from the table's.
	Charset    string `json:"charset,omitempty"`
	Collate    string `json:"collate,omitempty"`
	Autoupdate string `json:"autoupdate,omitempty"`
}

// DocumentKey is a primary key; Name is empty where the database does not
// name primary keys (MySQL, SQLite).
type DocumentKey struct {
	Name    string   `json:"name,omitempty"`
	Columns []string `json:"columns"`
}

// DocumentIndex is an index; Where is the predicate of a partial index.
type DocumentIndex struct {
	Name   string         `json:"name"`
	Unique bool           `json:"unique"`
	Parts  []DocumentPart `json:"parts"`
	Where  string         `json:"where,omitempty"`
	// Constraint marks a PostgreSQL UNIQUE constraint (//strata:unique).
	Constraint bool `json:"constraint,omitempty"`
	// Using is the index method where it is not the default B-tree.
	Using            string   `json:"using,omitempty"`
	Include          []string `json:"include,omitempty"`
	NullsNotDistinct bool     `json:"nulls_not_distinct,omitempty"`
}

// DocumentPart is one part of an index: a column or an expression.
type DocumentPart struct {
	Column string `json:"column,omitempty"`
	Expr   string `json:"expr,omitempty"`
	Desc   bool   `json:"desc,omitempty"`
	// Prefix is a MySQL prefix length; OpClass a PostgreSQL operator class
	// other than the default.
	Prefix  int    `json:"prefix,omitempty"`
	OpClass string `json:"opclass,omitempty"`
}

// DocumentFK is a foreign key. Empty actions mean the database default (NO ACTION).
type DocumentFK struct {
	Name       string   `json:"name"`
	Columns    []string `json:"columns"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
	OnDelete   string   `json:"on_delete,omitempty"`
	OnUpdate   string   `json:"on_update,omitempty"`
}

// DocumentCheck is a check constraint.
type DocumentCheck struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
}

// JSON returns the realm as an indented Document, byte for byte the same for
// the same realm.
func JSON(r *schema.Realm, d dialect.Name) ([]byte, error) {
	doc, err := NewDocument(r, d)
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// NewDocument converts a realm built by Load for dialect d.
func NewDocument(r *schema.Realm, d dialect.Name) (*Document, error) {
	o, ok := dialects[d]
	if !ok {
		return nil, fmt.Errorf("unknown dialect %q", d)
	}
	doc := &Document{Dialect: d, Tables: []DocumentTable{}}
	for _, s := range r.Schemas {
		for _, t := range s.Tables {
			dt, err := documentTable(s, t, o)
			if err != nil {
				return nil, err
			}
			doc.Tables = append(doc.Tables, dt)
		}
		for _, o := range s.Objects {
			if e, ok := o.(*schema.EnumType); ok {
				doc.Enums = append(doc.Enums, DocumentEnum{Name: e.T, Values: e.Values})
			}
		}
	}
	return doc, nil
}

func documentTable(s *schema.Schema, t *schema.Table, o ops) (DocumentTable, error) {
	dt := DocumentTable{Name: t.Name, Comment: comment(t.Attrs), RenamedFrom: renamedFrom(t.Attrs)}
	dt.Charset = inheritedOr(t.Attrs, s.Attrs, func(a *schema.Charset) string { return a.V })
	dt.Collate = inheritedOr(t.Attrs, s.Attrs, func(a *schema.Collation) string { return a.V })
	for _, a := range t.Attrs {
		switch a := a.(type) {
		case *sqlite.WithoutRowID:
			dt.WithoutRowID = true
		case *sqlite.Strict:
			dt.Strict = true
		case *postgres.Partition:
			dt.PartitionBy = PartitionKey(a)
		case *dialect.Partition:
			if a.Managed() {
				dt.Partitions = append(dt.Partitions, DocumentPartition{Name: a.Name, Bound: a.Bound})
			}
		}
	}
	for _, c := range t.Columns {
		typ, err := o.format(c.Type.Type)
		if err != nil {
			return dt, fmt.Errorf("table %s column %s: %w", t.Name, c.Name, err)
		}
		if o.declaredTypes && c.Type.Raw != "" {
			typ = strings.ToLower(c.Type.Raw)
		}
		dc := DocumentColumn{Name: c.Name, Type: typ, Null: c.Type.Null, Comment: comment(c.Attrs), RenamedFrom: renamedFrom(c.Attrs)}
		switch x := c.Default.(type) {
		case *schema.Literal:
			dc.Default = x.V
		case *schema.RawExpr:
			dc.Default = x.X
		}
		for _, a := range c.Attrs {
			switch a := a.(type) {
			case *postgres.Identity:
				dc.Autoincrement = true
				dc.AutoincrementOptions = IdentityOptions(a)
			case *mysql.AutoIncrement, *sqlite.AutoIncrement:
				dc.Autoincrement = true
			case *schema.GeneratedExpr:
				dc.Generated = a.Expr
				dc.Virtual = strings.EqualFold(a.Type, "VIRTUAL")
			case *mysql.OnUpdate:
				dc.Autoupdate = a.A
			}
		}
		dc.Charset = inheritedOr(c.Attrs, t.Attrs, func(a *schema.Charset) string { return a.V })
		dc.Collate = inheritedOr(c.Attrs, t.Attrs, func(a *schema.Collation) string { return a.V })
		dt.Columns = append(dt.Columns, dc)
	}
	if pk := t.PrimaryKey; pk != nil {
		dt.PrimaryKey = &DocumentKey{Name: pk.Name, Columns: partColumns(pk.Parts)}
	}
	for _, idx := range t.Indexes {
		dt.Indexes = append(dt.Indexes, DescribeIndex(idx))
	}
	for _, fk := range t.ForeignKeys {
		dt.ForeignKeys = append(dt.ForeignKeys, DocumentFK{
			Name: fk.Symbol, Columns: columnNames(fk.Columns),
			RefTable: fk.RefTable.Name, RefColumns: columnNames(fk.RefColumns),
			OnDelete: string(fk.OnDelete), OnUpdate: string(fk.OnUpdate),
		})
	}
	for _, c := range t.Checks() {
		dt.Checks = append(dt.Checks, DocumentCheck{Name: c.Name, Expr: c.Expr})
	}
	return dt, nil
}

// PartitionKey writes a partition key as //strata:partition by takes it,
// e.g. RANGE (at) or LIST ((lower(code))).
func PartitionKey(p *postgres.Partition) string {
	parts := make([]string, len(p.Parts))
	for i, part := range p.Parts {
		switch {
		case part.C != nil:
			parts[i] = part.C.Name
		case part.X != nil:
			if x, ok := part.X.(*schema.RawExpr); ok {
				parts[i] = wrap(x.X)
			}
		}
	}
	return strings.ToUpper(p.T) + " (" + strings.Join(parts, ", ") + ")"
}

// IdentityOptions writes the options of a PostgreSQL identity that are not
// the defaults as autoincrement:OPTS takes them, e.g. "always,start=100";
// "" for BY DEFAULT from 1 by 1.
func IdentityOptions(id *postgres.Identity) string {
	var opts []string
	if strings.EqualFold(id.Generation, "ALWAYS") {
		opts = append(opts, "always")
	}
	if s := id.Sequence; s != nil {
		if s.Start != 0 && s.Start != 1 {
			opts = append(opts, fmt.Sprintf("start=%d", s.Start))
		}
		if s.Increment != 0 && s.Increment != 1 {
			opts = append(opts, fmt.Sprintf("increment=%d", s.Increment))
		}
	}
	return strings.Join(opts, ",")
}

// inheritedOr returns the value of the attribute of type A in attrs, or ""
// when it is absent or the same as in parent's, which it inherits.
func inheritedOr[A any](attrs, parent []schema.Attr, value func(A) string) string {
	find := func(attrs []schema.Attr) string {
		for _, a := range attrs {
			if x, ok := a.(A); ok {
				return value(x)
			}
		}
		return ""
	}
	if v := find(attrs); v != find(parent) {
		return v
	}
	return ""
}

// DescribeIndex reads what an index declares from its Atlas parts and
// attributes: the reading strata models --json prints and the Go model
// generator (render.Models) writes back as tags and directives.
func DescribeIndex(idx *schema.Index) DocumentIndex {
	di := DocumentIndex{Name: idx.Name, Unique: idx.Unique}
	for _, p := range idx.Parts {
		dp := DocumentPart{Desc: p.Desc}
		if p.C != nil {
			dp.Column = p.C.Name
		} else if x, ok := p.X.(*schema.RawExpr); ok {
			dp.Expr = x.X
		}
		for _, a := range p.Attrs {
			switch a := a.(type) {
			case *mysql.SubPart:
				dp.Prefix = a.Len
			case *postgres.IndexOpClass:
				if !a.Default {
					dp.OpClass = a.String()
				}
			}
		}
		di.Parts = append(di.Parts, dp)
	}
	for _, a := range idx.Attrs {
		switch a := a.(type) {
		case *postgres.IndexPredicate:
			di.Where = a.P
		case *sqlite.IndexPredicate:
			di.Where = a.P
		case *postgres.Constraint:
			di.Constraint = di.Constraint || a.IsUnique()
		case *postgres.IndexType:
			if !strings.EqualFold(a.T, "btree") {
				di.Using = strings.ToLower(a.T)
			}
		case *mysql.IndexType:
			if !strings.EqualFold(a.T, "btree") {
				di.Using = strings.ToLower(a.T)
			}
		case *postgres.IndexInclude:
			di.Include = columnNames(a.Columns)
		case *postgres.IndexNullsDistinct:
			di.NullsNotDistinct = !a.V
		}
	}
	return di
}

func partColumns(parts []*schema.IndexPart) []string {
	names := make([]string, 0, len(parts))
	for _, p := range parts {
		names = append(names, p.C.Name)
	}
	return names
}

func columnNames(cols []*schema.Column) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

func comment(attrs []schema.Attr) string {
	var c schema.Comment
	for _, a := range attrs {
		if x, ok := a.(*schema.Comment); ok {
			c = *x
		}
	}
	return c.Text
}

func renamedFrom(attrs []schema.Attr) string {
	for _, a := range attrs {
		if r, ok := a.(*RenamedFrom); ok {
			return r.Name
		}
	}
	return ""
}
