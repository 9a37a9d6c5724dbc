package dialect

import (
	"strings"

	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"
)

// RowidAlias returns the column of t that is SQLite's rowid under another
// name: the one INTEGER PRIMARY KEY column of a rowid table. SQLite
// reports it nullable unless declared NOT NULL, yet it never holds NULL (a
// NULL inserted becomes the next rowid): declared NULL or NOT NULL, it is
// the same column.
func RowidAlias(t *schema.Table) *schema.Column {
	if t.PrimaryKey == nil || len(t.PrimaryKey.Parts) != 1 || t.PrimaryKey.Parts[0].C == nil {
		return nil
	}
	for _, a := range t.Attrs {
		if _, ok := a.(*sqlite.WithoutRowID); ok {
			return nil
		}
	}
	c := t.PrimaryKey.Parts[0].C
	if !strings.EqualFold(c.Type.Raw, "integer") {
		return nil
	}
	return c
}
