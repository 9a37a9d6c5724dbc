package model

import (
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
)

// namePrimaryKeys writes the name of each PostgreSQL primary key that
// //strata:pk names differently from the server's default: Atlas's planner
// writes PRIMARY KEY (...) without a name, in CREATE TABLE and in ALTER
// TABLE ... ADD, so the server would call it TABLE_pkey.
func namePrimaryKeys(d dialect.Name, plan *migrate.Plan) {
	if d != dialect.Postgres {
		return
	}
	for _, c := range plan.Changes {
		var pk *schema.Index
		switch src := c.Source.(type) {
		case *schema.AddTable:
			pk = src.T.PrimaryKey
		case *schema.ModifyTable:
			for _, sc := range src.Changes {
				switch sc := sc.(type) {
				case *schema.AddPrimaryKey:
					pk = sc.P
				case *schema.ModifyPrimaryKey:
					pk = sc.To
				}
			}
		}
		if pk == nil || pk.Table == nil || pk.Name == "" || pk.Name == objectName(pk.Table.Name, nil, suffixPK, d.MaxIdentLen()) {
			continue
		}
		cols := make([]string, len(pk.Parts))
		for i, p := range pk.Parts {
			if p.C == nil {
				cols = nil
				break
			}
			cols[i] = d.Quote(p.C.Name)
		}
		clause := "PRIMARY KEY (" + strings.Join(cols, ", ") + ")"
		// The key's clause follows the columns, whose defaults could hold
		// the same text: the last one is the key's.
		if i := strings.LastIndex(c.Cmd, clause); cols != nil && i >= 0 {
			c.Cmd = c.Cmd[:i] + "CONSTRAINT " + d.Quote(pk.Name) + " " + c.Cmd[i:]
		}
	}
}
