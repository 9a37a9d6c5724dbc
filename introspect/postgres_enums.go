package introspect

import (
	"context"
	"database/sql"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
)

// pgEnumsQuery reads the enum types of the current schema and their labels
// in order, less those a table strata does not read uses ($1 holds the
// tables read): a type of an excluded table is not the models' to drop. A
// column's use of its type is found through pg_depend's index on the type.
const pgEnumsQuery = `
SELECT t.typname, e.enumlabel
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = current_schema() AND t.typtype = 'e'
	AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
	AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend dep
		JOIN pg_catalog.pg_class c ON c.oid = dep.objid
		WHERE dep.refclassid = 'pg_catalog.pg_type'::regclass AND dep.refobjid = t.oid
			AND dep.classid = 'pg_catalog.pg_class'::regclass
			AND c.relkind IN ('r', 'p') AND NOT c.relispartition
			AND NOT (c.relnamespace = n.oid AND c.relname = ANY($1::text[])))
ORDER BY t.typname, e.enumsortorder`

// pgEnums adds the enum types of the current schema to s.Objects, as
// Atlas's schema inspection does, and makes each column of one of them
// (read as a user-defined type by table inspection) of that type: the
// models declare enum columns so (//strata:enum), and diff creates, alters
// and drops the types.
func pgEnums(ctx context.Context, db *sql.DB, s *schema.Schema) error {
	names := make([]string, len(s.Tables))
	for i, t := range s.Tables {
		names[i] = t.Name
	}
	byName := make(map[string]*schema.EnumType)
	err := eachRow(ctx, db, "postgres", "enum types", pgEnumsQuery, func(rows *sql.Rows) error {
		var name, label string
		if err := rows.Scan(&name, &label); err != nil {
			return err
		}
		e, ok := byName[name]
		if !ok {
			e = &schema.EnumType{T: name, Schema: s}
			byName[name] = e
			s.Objects = append(s.Objects, e)
		}
		e.Values = append(e.Values, label)
		return nil
	}, pgTextArray(names))
	if err != nil {
		return err
	}
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if u, ok := c.Type.Type.(*postgres.UserDefinedType); ok && u.C == "e" {
				// format_type quotes a name that needs it.
				name := u.T
				if len(name) > 1 && name[0] == '"' && name[len(name)-1] == '"' {
					name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
				}
				if e, ok := byName[name]; ok {
					c.Type.Type, c.Type.Raw = e, e.T
				}
			}
		}
	}
	return nil
}
