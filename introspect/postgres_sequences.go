package introspect

import (
	"context"
	"database/sql"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
)

// pgUnownedSequencesQuery reads the nextval defaults of the selected tables
// whose sequence the column does not own: not a serial column's, though
// its name may look like one (TABLE_COLUMN_seq).
const pgUnownedSequencesQuery = `
SELECT c.relname, a.attname, pg_get_expr(ad.adbin, ad.adrelid)
FROM pg_catalog.pg_attrdef ad
JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[])
	AND pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%'
	AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend uses
		JOIN pg_catalog.pg_depend owned ON owned.classid = 'pg_catalog.pg_class'::regclass AND owned.objid = uses.refobjid
			AND owned.refclassid = 'pg_catalog.pg_class'::regclass AND owned.refobjid = c.oid
			AND owned.refobjsubid = a.attnum AND owned.deptype = 'a'
		WHERE uses.classid = 'pg_catalog.pg_attrdef'::regclass AND uses.objid = ad.oid
			AND uses.refclassid = 'pg_catalog.pg_class'::regclass)`

// pgUnownedSequences makes each column that both inspectors read as serial
// from its nextval default, but whose sequence it does not own, the integer
// column with that default it is: models declare it so (default:nextval(
// 'order_no_seq'::regclass)), and a serial column would get a sequence of
// its own.
func pgUnownedSequences(ctx context.Context, db *sql.DB, s *schema.Schema) error {
	var names []string
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if _, ok := c.Type.Type.(*postgres.SerialType); ok {
				names = append(names, t.Name)
				break
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	find := tableFinder(s)
	return eachRow(ctx, db, "postgres", "sequence defaults", pgUnownedSequencesQuery, func(rows *sql.Rows) error {
		var table, column, def string
		if err := rows.Scan(&table, &column, &def); err != nil {
			return err
		}
		t, ok := find(table)
		if !ok {
			return nil
		}
		c, ok := t.Column(column)
		if !ok {
			return nil
		}
		if st, ok := c.Type.Type.(*postgres.SerialType); ok {
			it := st.IntegerType()
			c.Type.Type, c.Type.Raw = it, it.T
			c.Default = &schema.RawExpr{X: def}
		}
		return nil
	}, pgTextArray(names))
}
