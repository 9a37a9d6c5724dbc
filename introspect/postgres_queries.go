package introspect

import (
	"fmt"
	"regexp"
)

// The catalog queries of the PostgreSQL reader. Each takes the selected table
// names as $1 (a text[]) and visits only the catalog rows of those tables,
// through the catalogs' own indexes, so its cost grows with the number of
// tables, columns and indexes read. Where Atlas reads information_schema,
// the expressions are the view's own (PostgreSQL 15), applied to pg_attribute
// directly.
const (
	// pgScopeQuery reads the current schema, as Atlas's schemasQueryArgs
	// with CURRENT_SCHEMA(), and the server's version.
	pgScopeQuery = `
SELECT n.nspname, pg_catalog.obj_description(n.oid), current_setting('server_version_num')::int, current_setting('crdb_version', true)
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_namespace'::regclass AND dep.objid = n.oid AND dep.deptype = 'e'
WHERE n.nspname = current_schema() AND dep.objid IS NULL`

	// pgTablesQuery reads the tables information_schema.tables shows as BASE
	// TABLE, less partitions and tables that belong to an extension, with
	// the partition key of a partitioned table. The comment is joined, as
	// obj_description per row costs an index scan of pg_description each.
	pgTablesQuery = `
SELECT c.oid, c.relname, ds.description,
	pt.partstrat, pt.partattrs::text, pg_get_expr(pt.partexprs, pt.partrelid)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description ds
	ON ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0
LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid
WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[]) AND ` + pgTableFilter + `
ORDER BY c.relname`

	// pgTableFilter is what makes a relation c a table the reader reads:
	// a table or partitioned table, not a partition, one the user may
	// use, not an extension's. pgTableNamesQuery applies it too, so the
	// queries sent at once (startPrefetch) name only tables the reader
	// finds.
	pgTableFilter = `c.relkind IN ('r', 'p') AND NOT c.relispartition
	AND (pg_has_role(c.relowner, 'USAGE')
		OR has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
		OR has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))
	AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
		WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`

	// pgTableNamesQuery lists the tables of the current schema.
	pgTableNamesQuery = `SELECT c.relname FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND ` + pgTableFilter

	// pgColumnsQuery reads the columns as information_schema.columns shows
	// them; the sizes the view computes from the type and its modifier are
	// computed by pgColumn.setSizes, as SQL function calls per row cost more
	// than the rest of the query. identity_last is the sequence's last value
	// as pg_sequences shows it, read from the sequence found by the same join
	// as identity_start.
	//
	// At thousands of tables the query's cost is its per-column work, so
	// that work is done once where it can be. The type's columns and the
	// collation's name are computed once per distinct (type, modifier,
	// collation) of the columns read (ty): left to the planner, a per-row
	// subquery was memoized only while the catalogs had no statistics
	// (once autovacuum analyzed them, format_type ran for each of 14,000
	// columns, 55 ms at 1,000 tables), and a lookup of pg_collation per
	// column cost 15 ms. The rows of ty come first, without a table, and
	// each column's row names its type by that key: joined to the columns,
	// ty was merged with them after sorting both (the planner's estimate
	// of the columns is a twentieth of them), 12 ms more, and no row came
	// before the sort ended. Whether the user owns the table is asked once per
	// table (c), not per column. Each table's columns are read through
	// pg_attribute's index (a; joined to the CTE, the planner scans all of
	// pg_attribute), with their comments (looked up outside the CTE, behind
	// a Memoize that never hits, they cost 15 ms more at 1,000 tables).
	// pg_attrdef and the identity's sequence are looked up only for columns
	// that have one (atthasdef, attidentity; OFFSET 0 keeps each lookup a
	// subquery of its own, so that the condition gates it). A default
	// cannot refer to a column, so it is deparsed without its table
	// (pg_get_expr(adbin, 0)): with the table, every call opens the
	// relation, which in a new session builds its cache entry, the largest
	// cost of the query. A generation expression refers to columns and is
	// deparsed with its table. The rows come unordered: the reader orders
	// each table's columns by attnum, at a fraction of the server's sort of
	// the whole result (~10 ms at 1,000 tables).
	pgColumnsQuery = `
WITH c AS MATERIALIZED (
	SELECT c.oid, c.relname, pg_has_role(c.relowner, 'USAGE') AS owned
	FROM pg_catalog.pg_class c
	JOIN pg_catalog.pg_namespace nc ON nc.oid = c.relnamespace
	WHERE nc.nspname = current_schema() AND c.relname = ANY($1::text[])
), a AS MATERIALIZED (
	SELECT c.oid AS relid, c.relname, a.attname, a.attnum, a.attnotnull, a.atttypid, a.atttypmod,
		a.attcollation, a.attidentity, a.attgenerated, a.atthasdef, a.description
	FROM c
	CROSS JOIN LATERAL (
		SELECT a.*, ds.description FROM pg_catalog.pg_attribute a
		LEFT JOIN pg_catalog.pg_description ds
			ON ds.objoid = a.attrelid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum
		WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		OFFSET 0) a
	WHERE c.owned OR has_column_privilege(c.oid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES')
), ty AS MATERIALIZED (
	SELECT
		p.atttypid,
		p.atttypmod,
		p.attcollation,
		co.collname,
		t.typtype,
		t.typtype = 'd' AND t.typnotnull AS domain_notnull,
		CASE WHEN t.typtype = 'd' THEN
			CASE WHEN bt.typelem <> 0 AND bt.typlen = -1 THEN 'ARRAY'
				WHEN nbt.nspname = 'pg_catalog' THEN format_type(t.typbasetype, NULL)
				ELSE 'USER-DEFINED' END
		ELSE
			CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN 'ARRAY'
				WHEN nt.nspname = 'pg_catalog' THEN format_type(p.atttypid, NULL)
				ELSE 'USER-DEFINED' END
		END AS data_type,
		format_type(p.atttypid, p.atttypmod) AS fmtype
	FROM (SELECT DISTINCT atttypid, atttypmod, attcollation FROM a) p
	JOIN pg_catalog.pg_type t ON t.oid = p.atttypid
	JOIN pg_catalog.pg_namespace nt ON nt.oid = t.typnamespace
	LEFT JOIN (pg_catalog.pg_type bt JOIN pg_catalog.pg_namespace nbt ON nbt.oid = bt.typnamespace)
		ON t.typtype = 'd' AND t.typbasetype = bt.oid
	LEFT JOIN (pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace nco ON nco.oid = co.collnamespace)
		ON co.oid = p.attcollation AND (nco.nspname <> 'pg_catalog' OR co.collname <> 'default')
)
SELECT NULL::name, NULL::name, NULL::int2, ty.data_type, ty.fmtype, ty.domain_notnull, NULL::text,
	ty.atttypid, ty.atttypmod, ty.attcollation, ty.collname,
	NULL::text, NULL::int8, NULL::int8, NULL::int8, NULL::text, NULL::text, ty.typtype
FROM ty
UNION ALL
SELECT
	a.relname,
	a.attname,
	a.attnum,
	NULL,
	NULL,
	a.attnotnull,
	CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END AS column_default,
	a.atttypid,
	a.atttypmod,
	a.attcollation,
	NULL,
	CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END AS identity_generation,
	seq.seqstart,
	seq.seqincrement,
	CASE WHEN a.attidentity IN ('a', 'd') AND has_sequence_privilege(seq.seqrelid, 'SELECT,USAGE')
		THEN pg_sequence_last_value(seq.seqrelid::regclass) END AS identity_last,
	CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generation_expression,
	a.description,
	NULL
FROM a
LEFT JOIN LATERAL (
	SELECT ad.adbin, ad.adrelid FROM pg_catalog.pg_attrdef ad
	WHERE a.atthasdef AND ad.adrelid = a.relid AND ad.adnum = a.attnum
	OFFSET 0) ad ON true
LEFT JOIN LATERAL (
	SELECT seq.seqrelid, seq.seqstart, seq.seqincrement
	FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_sequence seq
		ON dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = seq.seqrelid AND dep.deptype = 'i'
	WHERE a.attidentity <> '' AND dep.refclassid = 'pg_catalog.pg_class'::regclass
		AND dep.refobjid = a.relid AND dep.refobjsubid = a.attnum
	OFFSET 0) seq ON true`

	// pgIndexesQuery reads one row per index column or expression, as
	// Atlas's indexesAbove15 without its constraints column (see
	// pgIndexConstraintsQuery). A column is given by its number, which the
	// reader maps to the column it read (a lookup of its name in
	// pg_attribute per part cost 9 ms at 1,000 tables); an expression is
	// deparsed. The operator class's schema is read only where the reader
	// uses it (a class that is not the default or has parameters). The
	// rows come unordered: the reader orders them by table, index and
	// position (the server's sort cost 5 ms).
	//
	// Where Atlas calls a function per row that reads the catalog again,
	// the query reads the catalog rows itself: desc, nulls_first and
	// nulls_last are what pg_index_column_has_property computes from
	// indoption (amutils.c: bit 1 DESC, bit 2 NULLS FIRST; false for an
	// access method that cannot order, NULL for an INCLUDE column), which
	// is still asked of access methods that are not built in (oid 16384
	// and above), as they may answer differently; the comment is joined
	// instead of obj_description per row. The index column's options are
	// looked up one by one through pg_attribute's index (OFFSET 0 keeps
	// each lookup a subquery, which the planner otherwise turns into a hash
	// join over all of pg_attribute).
	pgIndexesQuery = `
SELECT
	t.relname,
	i.relname,
	am.amname,
	k.key,
	k.ord,
	k.ord > x.indnkeyatts AS included,
	x.indisprimary,
	x.indisunique,
	x.indisexclusion,
	pg_get_expr(x.indpred, x.indrelid),
	CASE WHEN k.key = 0 THEN pg_get_indexdef(x.indexrelid, k.ord::int, false) END,
	CASE WHEN am.oid >= 16384 THEN pg_index_column_has_property(x.indexrelid, k.ord::int, 'desc')
		WHEN k.ord <= x.indnkeyatts THEN am.canorder AND x.indoption[k.ord - 1] & 1 <> 0 END,
	CASE WHEN am.oid >= 16384 THEN pg_index_column_has_property(x.indexrelid, k.ord::int, 'nulls_first')
		WHEN k.ord <= x.indnkeyatts THEN am.canorder AND x.indoption[k.ord - 1] & 2 <> 0 END,
	CASE WHEN am.oid >= 16384 THEN pg_index_column_has_property(x.indexrelid, k.ord::int, 'nulls_last')
		WHEN k.ord <= x.indnkeyatts THEN am.canorder AND x.indoption[k.ord - 1] & 2 = 0 END,
	d.description,
	i.reloptions,
	op.opcname,
	CASE WHEN NOT op.opcdefault OR a2.attoptions IS NOT NULL THEN op.opcnamespace::regnamespace::text END,
	op.opcdefault,
	a2.attoptions,
	x.indnullsnotdistinct
FROM pg_catalog.pg_class t
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_index x ON x.indrelid = t.oid
CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(key, ord)
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
JOIN (SELECT oid, amname, pg_indexam_has_property(oid, 'can_order') AS canorder FROM pg_catalog.pg_am) am
	ON am.oid = i.relam
LEFT JOIN pg_catalog.pg_description d
	ON d.objoid = i.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
LEFT JOIN LATERAL (
	SELECT a2.attoptions FROM pg_catalog.pg_attribute a2
	WHERE a2.attrelid = x.indexrelid AND a2.attnum = k.ord
	OFFSET 0) a2 ON true
LEFT JOIN pg_catalog.pg_opclass op ON op.oid = x.indclass[(k.ord - 1)::int]
WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[])`

	// pgIndexConstraintsQuery reads the constraints that use each index: its
	// own primary key, unique or exclusion constraint and the foreign keys
	// that reference it. pg_constraint is read once; Atlas's query
	// aggregated all of it again for every index column.
	pgIndexConstraintsQuery = `
SELECT t.relname, i.relname, con.conname, con.contype
FROM pg_catalog.pg_class t
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_index x ON x.indrelid = t.oid
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
JOIN pg_catalog.pg_constraint con ON con.conindid = x.indexrelid
WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[])
ORDER BY t.relname, i.relname, con.conname, con.contype`

	// pgFKsQuery reads one row per foreign key column, as Atlas's fksQuery.
	// The constraints are looked up per table (OFFSET 0 keeps the lookup a
	// subquery): joined, the planner scans all of pg_constraint and matches
	// each foreign key's table against the list of names. Each column is
	// looked up by (table, number) the same way: joined, once autovacuum
	// has analyzed the catalogs, the planner reads every column of both
	// tables per key column (165 ms instead of 20 at 1,000 tables).
	pgFKsQuery = `
SELECT con.conname, t.relname, a1.attname, rt.relname, rn.nspname, a2.attname, con.confupdtype, con.confdeltype
FROM pg_catalog.pg_class t
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
CROSS JOIN LATERAL (
	SELECT con.conname, con.conrelid, con.confrelid, con.conkey, con.confkey, con.confupdtype, con.confdeltype
	FROM pg_catalog.pg_constraint con WHERE con.conrelid = t.oid AND con.contype = 'f'
	OFFSET 0) con
JOIN pg_catalog.pg_class rt ON rt.oid = con.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.relnamespace
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(key, fkey, ord)
CROSS JOIN LATERAL (SELECT a1.attname FROM pg_catalog.pg_attribute a1 WHERE a1.attrelid = con.conrelid AND a1.attnum = k.key OFFSET 0) a1
CROSS JOIN LATERAL (SELECT a2.attname FROM pg_catalog.pg_attribute a2 WHERE a2.attrelid = con.confrelid AND a2.attnum = k.fkey OFFSET 0) a2
WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[])
ORDER BY t.relname, con.conname, k.ord`

	// pgChecksQuery reads one row per column of each check constraint, as
	// Atlas's checksQuery: checks on no column are not read.
	pgChecksQuery = `
SELECT t.relname, con.conname, pg_get_expr(con.conbin, con.conrelid), a.attname, con.connoinherit
FROM pg_catalog.pg_class t
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_constraint con ON con.conrelid = t.oid AND con.contype = 'c'
CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[])
ORDER BY t.relname, con.conname, k.ord`
)

// pgReaderQueries are the queries pgRead sends at once, in the order the
// steps read them.
var pgReaderQueries = []string{pgTablesQuery, pgColumnsQuery, pgIndexesQuery, pgIndexConstraintsQuery, pgFKsQuery, pgChecksQuery}

// pgWideQueries are their pgWide forms, by query.
var pgWideQueries = func() map[string]string {
	m := make(map[string]string, len(pgReaderQueries))
	for _, q := range pgReaderQueries {
		m[q] = pgWide(q)
	}
	return m
}()

// pgSelection is how each query of the reader selects the tables it reads.
var pgSelection = regexp.MustCompile(`\b(\w+)\.relname = ANY\(\$1::text\[\]\)`)

// pgWide turns a query of the reader into one that reads every table of
// the current schema, less those named in $1: a table or partitioned
// table, not a partition. The tables query keeps pgTableFilter too, and
// the reader skips the other queries' rows of tables it did not return:
// applied in each query, the filter's privilege and extension checks
// would cost more than the rows. Without the names, each query finds the
// schema's tables by a scan of pg_class, which costs less than planning
// and probing a thousand names.
func pgWide(query string) string {
	n := 0
	wide := pgSelection.ReplaceAllStringFunc(query, func(sel string) string {
		n++
		a := pgSelection.FindStringSubmatch(sel)[1]
		return fmt.Sprintf(`%[1]s.relkind IN ('r', 'p') AND NOT %[1]s.relispartition AND NOT (%[1]s.relname = ANY($1::text[]))`, a)
	})
	if n != 1 {
		panic(fmt.Sprintf("introspect: %d table selections in a reader query, want one", n))
	}
	return wide
}
