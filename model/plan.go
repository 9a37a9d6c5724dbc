package model

import (
	"strings"

	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// WithDeclaredTypes runs plan, which plans changes with Atlas, with the
// column types of the changes written as declared when d is SQLite. Atlas's
// SQLite planner drops lengths and precisions (varchar(20) becomes varchar),
// while SQLite keeps the declared type and strata compares it in full; and
// it drops collations, which strata writes after the type. The types are
// restored when plan returns.
func WithDeclaredTypes(d dialect.Name, changes []schema.Change, plan func() error) error {
	if d != dialect.SQLite {
		return plan()
	}
	saved := make(map[*schema.ColumnType]schema.Type)
	swap := func(c *schema.Column) {
		ct := c.Type
		if ct == nil || ct.Raw == "" || saved[ct] != nil {
			return
		}
		raw := ct.Raw
		// Nor does the planner write a column's collation; after the type
		// it is a column constraint like any other.
		for _, a := range c.Attrs {
			if x, ok := a.(*schema.Collation); ok {
				raw += " COLLATE " + sqliteCollation(x.V)
			}
		}
		if f, err := sqlite.FormatType(ct.Type); err != nil || f == strings.ToLower(raw) {
			return
		}
		saved[ct] = ct.Type
		ct.Type = declaredType(ct.Type, raw)
	}
	walkChanges(changes, objectVisitor{column: swap})
	defer func() {
		for ct, t := range saved {
			ct.Type = t
		}
	}()
	return plan()
}

// declaredType returns a copy of t that Atlas's SQLite planner writes as
// raw. The kind of type is kept: the planner quotes literal defaults of
// other kinds than numbers and booleans.
func declaredType(t schema.Type, raw string) schema.Type {
	switch t := t.(type) {
	case *schema.StringType:
		c := *t
		c.T = raw
		return &c
	case *schema.DecimalType:
		c := *t
		c.T = raw
		return &c
	case *schema.FloatType:
		c := *t
		c.T = raw
		return &c
	case *schema.IntegerType:
		c := *t
		c.T = raw
		return &c
	case *schema.TimeType:
		c := *t
		c.T = raw
		return &c
	case *schema.BinaryType:
		c := *t
		c.T = raw
		return &c
	}
	return &sqlite.UserDefinedType{T: raw}
}

// sqliteCollation writes a collation name, quoted unless it is a plain
// identifier (NOCASE, RTRIM, BINARY or one the application registers).
func sqliteCollation(name string) string {
	for i, r := range name {
		if r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (i == 0 || r < '0' || r > '9') {
			return dialect.SQLite.Quote(name)
		}
	}
	return name
}
