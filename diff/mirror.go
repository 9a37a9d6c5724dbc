package diff

import (
	"fmt"

	"ariga.io/atlas/sql/schema"
)

// mirror keeps of the way back (back, the diff from the models to the
// database) only the changes to objects the upgrade (up) changes. The
// models leave out what the database fills in (MariaDB's table charset and
// collation, a foreign key's RESTRICT spelled NO ACTION), which the
// reverse diff would otherwise "restore" on every table: noise in review,
// and a metadata lock on each table during a rollback. A downgrade holds
// the reverse of its upgrade, nothing else.
func mirror(up, back []schema.Change) []schema.Change {
	touched := make(map[string]bool)
	for _, c := range up {
		for _, k := range changeKeys(c) {
			touched[k] = true
		}
	}
	out := back[:0]
	for _, c := range back {
		mt, ok := c.(*schema.ModifyTable)
		if !ok {
			out = append(out, c)
			continue
		}
		kept := mt.Changes[:0]
		for _, sc := range mt.Changes {
			if touched[objectKey(mt.T.Name, sc)] {
				kept = append(kept, sc)
			}
		}
		if mt.Changes = kept; len(kept) > 0 {
			out = append(out, mt)
		}
	}
	return out
}

// changeKeys returns the keys (objectKey) of the objects c changes.
func changeKeys(c schema.Change) []string {
	if sc, ok := c.(*stmtChange); ok {
		c = sc.of
	}
	mt, ok := c.(*schema.ModifyTable)
	if !ok {
		return nil
	}
	var out []string
	for _, sc := range mt.Changes {
		out = append(out, objectKey(mt.T.Name, sc))
		switch sc := sc.(type) {
		case *schema.RenameIndex:
			out = append(out, "index "+mt.T.Name+"."+sc.From.Name)
		case *schema.RenameColumn:
			out = append(out, "column "+mt.T.Name+"."+sc.From.Name)
		}
	}
	return out
}

// objectKey names the object a change within table changes, the same in
// both directions: "column t.c", "index t.i", "foreign key t.f" ...
func objectKey(table string, c schema.Change) string {
	key := func(kind, name string) string { return kind + " " + table + "." + name }
	switch c := c.(type) {
	case *schema.AddColumn:
		return key("column", c.C.Name)
	case *schema.DropColumn:
		return key("column", c.C.Name)
	case *schema.ModifyColumn:
		return key("column", c.To.Name)
	case *schema.RenameColumn:
		return key("column", c.To.Name)
	case *schema.AddIndex:
		return key("index", c.I.Name)
	case *schema.DropIndex:
		return key("index", c.I.Name)
	case *schema.ModifyIndex:
		return key("index", c.To.Name)
	case *schema.RenameIndex:
		return key("index", c.To.Name)
	case *schema.AddPrimaryKey, *schema.DropPrimaryKey, *schema.ModifyPrimaryKey:
		return key("primary key", "")
	case *schema.AddForeignKey:
		return key("foreign key", c.F.Symbol)
	case *schema.DropForeignKey:
		return key("foreign key", c.F.Symbol)
	case *schema.ModifyForeignKey:
		return key("foreign key", c.To.Symbol)
	case *schema.AddCheck:
		return key("check", c.C.Name)
	case *schema.DropCheck:
		return key("check", c.C.Name)
	case *schema.ModifyCheck:
		return key("check", c.To.Name)
	case *schema.AddAttr:
		return key("attribute", fmt.Sprintf("%T", c.A))
	case *schema.DropAttr:
		return key("attribute", fmt.Sprintf("%T", c.A))
	case *schema.ModifyAttr:
		return key("attribute", fmt.Sprintf("%T", c.To))
	}
	return key(fmt.Sprintf("%T", c), "")
}
