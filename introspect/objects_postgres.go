package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// pgNamespace is the oid of the connected schema.
const pgNamespace = `(SELECT oid FROM pg_namespace WHERE nspname = current_schema())`

// pgNotExtension filters out the members of an extension, which
// CREATE EXTENSION makes; ALIAS.oid in catalog CAT.
func pgNotExtension(cat, alias string) string {
	return fmt.Sprintf(`NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '%s'::regclass AND x.objid = %s.oid AND x.deptype = 'e')`, cat, alias)
}

// pgKind is one kind of PostgreSQL object: a query whose rows are
// (catalog oid, table, name, create statements, drop statements), and how
// the rows become objects.
type pgKind struct {
	kind    string
	catalog string
	after   bool
	part    bool
	managed bool
	rank    int
	query   string
}

// pgKinds lists every kind of object strata reads from PostgreSQL's
// catalogs, in the rank order used when dependencies allow either order.
// Each query returns oid, table, name, create (text[]) and drop (text[]).
var pgKinds = []pgKind{
	{kind: "extension", catalog: "pg_extension", rank: 0, query: `
SELECT e.oid, '', e.extname,
  ARRAY['CREATE EXTENSION IF NOT EXISTS ' || quote_ident(e.extname) ||
    CASE WHEN e.extnamespace = ` + pgNamespace + ` THEN '' ELSE ' WITH SCHEMA ' || quote_ident(n.nspname) END],
  ARRAY['DROP EXTENSION IF EXISTS ' || quote_ident(e.extname)]
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql'`},
	{kind: "enum type", catalog: "pg_type", managed: true, rank: 1, query: `
SELECT t.oid, '', t.typname,
  ARRAY['CREATE TYPE ' || quote_ident(t.typname) || ' AS ENUM (' ||
    coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '') || ')'],
  ARRAY['DROP TYPE ' || quote_ident(t.typname)]
FROM pg_type t
WHERE t.typnamespace = ` + pgNamespace + ` AND t.typtype = 'e' AND ` + pgNotExtension("pg_type", "t")},
	{kind: "collation", catalog: "pg_collation", rank: 2, query: `
SELECT c.oid, '', c.collname,
  ARRAY['CREATE COLLATION ' || quote_ident(c.collname) || ' (provider = ' ||
    CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END ||
    CASE WHEN c.collprovider = 'i' THEN ', locale = ' || quote_literal(coalesce(to_jsonb(c)->>'colllocale', to_jsonb(c)->>'colliculocale', c.collcollate))
      ELSE ', lc_collate = ' || quote_literal(c.collcollate) || ', lc_ctype = ' || quote_literal(c.collctype) END ||
    CASE WHEN c.collisdeterministic THEN '' ELSE ', deterministic = false' END || ')'],
  ARRAY['DROP COLLATION ' || quote_ident(c.collname)]
FROM pg_collation c
WHERE c.collnamespace = ` + pgNamespace + ` AND ` + pgNotExtension("pg_collation", "c")},
	{kind: "domain", catalog: "pg_type", rank: 3, query: `
SELECT t.oid, '', t.typname,
  ARRAY['CREATE DOMAIN ' || quote_ident(t.typname) || ' AS ' || format_type(t.typbasetype, t.typtypmod) ||
    CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation THEN ' COLLATE ' || t.typcollation::regcollation::text ELSE '' END ||
    CASE WHEN t.typdefault IS NOT NULL THEN ' DEFAULT ' || t.typdefault ELSE '' END ||
    CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END ||
    coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), '' ORDER BY c.conname)
      FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), '')],
  ARRAY['DROP DOMAIN ' || quote_ident(t.typname)]
FROM pg_type t JOIN pg_type b ON b.oid = t.typbasetype
WHERE t.typnamespace = ` + pgNamespace + ` AND t.typtype = 'd' AND ` + pgNotExtension("pg_type", "t")},
	{kind: "type", catalog: "pg_type", rank: 3, query: `
SELECT t.oid, '', t.typname,
  ARRAY['CREATE TYPE ' || quote_ident(t.typname) || ' AS (' ||
    coalesce((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) ||
        CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END,
        ', ' ORDER BY a.attnum)
      FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
      WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'],
  ARRAY['DROP TYPE ' || quote_ident(t.typname)]
FROM pg_type t JOIN pg_class r ON r.oid = t.typrelid AND r.relkind = 'c'
WHERE t.typnamespace = ` + pgNamespace + ` AND t.typtype = 'c' AND ` + pgNotExtension("pg_type", "t")},
	{kind: "range type", catalog: "pg_type", rank: 3, query: `
SELECT t.oid, '', t.typname,
  CASE WHEN r.rngcanonical <> 0 THEN ARRAY[]::text[] ELSE
  ARRAY['CREATE TYPE ' || quote_ident(t.typname) || ' AS RANGE (subtype = ' || format_type(r.rngsubtype, NULL) ||
    CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> s.typcollation THEN ', collation = ' || r.rngcollation::regcollation::text ELSE '' END ||
    CASE WHEN r.rngsubdiff <> 0 THEN ', subtype_diff = ' || r.rngsubdiff::regproc::text ELSE '' END ||
    coalesce(', multirange_type_name = ' || quote_ident(m.typname), '') || ')'] END,
  ARRAY['DROP TYPE ' || quote_ident(t.typname)]
FROM pg_type t JOIN pg_range r ON r.rngtypid = t.oid JOIN pg_type s ON s.oid = r.rngsubtype
LEFT JOIN pg_type m ON m.oid = (to_jsonb(r)->>'rngmultitypid')::oid -- PostgreSQL 14+
WHERE t.typnamespace = ` + pgNamespace + ` AND t.typtype = 'r' AND ` + pgNotExtension("pg_type", "t")},
	{kind: "sequence", catalog: "pg_class", rank: 4, query: `
SELECT c.oid, '', c.relname,
  ARRAY['CREATE SEQUENCE ' || quote_ident(c.relname) || ' AS ' || format_type(s.seqtypid, NULL) ||
    ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax ||
    ' START WITH ' || s.seqstart || ' CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END],
  ARRAY['DROP SEQUENCE ' || quote_ident(c.relname)]
FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
WHERE c.relnamespace = ` + pgNamespace + ` AND c.relkind = 'S' AND ` + pgNotExtension("pg_class", "c") + ` AND NOT (` + pgSerialOwned + `)`},
	{kind: "function", catalog: "pg_proc", rank: 5, query: pgRoutines("f")},
	{kind: "procedure", catalog: "pg_proc", rank: 5, query: pgRoutines("p")},
	{kind: "aggregate", catalog: "pg_proc", rank: 6, query: `
SELECT p.oid, '', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
  CASE WHEN a.aggkind <> 'n' THEN ARRAY[]::text[] ELSE
  ARRAY['CREATE AGGREGATE ' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ') (sfunc = ' ||
    a.aggtransfn::regproc::text || ', stype = ' || format_type(a.aggtranstype, NULL) ||
    CASE WHEN a.aggfinalfn <> 0 THEN ', finalfunc = ' || a.aggfinalfn::regproc::text ELSE '' END ||
    CASE WHEN a.aggcombinefn <> 0 THEN ', combinefunc = ' || a.aggcombinefn::regproc::text ELSE '' END ||
    CASE WHEN a.agginitval IS NOT NULL THEN ', initcond = ' || quote_literal(a.agginitval) ELSE '' END ||
    CASE WHEN a.aggsortop <> 0 THEN ', sortop = ' || substring(a.aggsortop::regoperator::text FROM '^[^(]+') ELSE '' END || ')'] END,
  ARRAY['DROP AGGREGATE ' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')']
FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE p.pronamespace = ` + pgNamespace + ` AND p.prokind = 'a' AND ` + pgNotExtension("pg_proc", "p")},
	{kind: "view", catalog: "pg_class", after: true, rank: 10, query: `
SELECT c.oid, '', c.relname,
  ARRAY['CREATE VIEW ' || quote_ident(c.relname) ||
    CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END ||
    E' AS\n' || rtrim(pg_get_viewdef(c.oid), ';')],
  ARRAY['DROP VIEW ' || quote_ident(c.relname)]
FROM pg_class c
WHERE c.relnamespace = ` + pgNamespace + ` AND c.relkind = 'v' AND ` + pgNotExtension("pg_class", "c")},
	{kind: "materialized view", catalog: "pg_class", after: true, rank: 10, query: `
SELECT c.oid, '', c.relname,
  ARRAY['CREATE MATERIALIZED VIEW ' || quote_ident(c.relname) ||
    CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END ||
    E' AS\n' || rtrim(rtrim(pg_get_viewdef(c.oid)), ';') || CASE WHEN c.relispopulated THEN E'\nWITH DATA' ELSE E'\nWITH NO DATA' END] ||
    coalesce((SELECT array_agg(pg_get_indexdef(i.indexrelid) ORDER BY i.indexrelid::regclass::text) FROM pg_index i WHERE i.indrelid = c.oid), ARRAY[]::text[]),
  ARRAY['DROP MATERIALIZED VIEW ' || quote_ident(c.relname)]
FROM pg_class c
WHERE c.relnamespace = ` + pgNamespace + ` AND c.relkind = 'm' AND ` + pgNotExtension("pg_class", "c")},
	{kind: "sequence owner", catalog: "", after: true, part: true, rank: 11, query: `
SELECT c.oid, o.relname, c.relname,
  ARRAY['ALTER SEQUENCE ' || quote_ident(c.relname) || ' OWNED BY ' || quote_ident(o.relname) || '.' || quote_ident(o.attname)],
  ARRAY['ALTER SEQUENCE ' || quote_ident(c.relname) || ' OWNED BY NONE']
FROM (SELECT * FROM pg_class WHERE relnamespace = ` + pgNamespace + ` AND relkind = 'S' OFFSET 0) c -- sequences first
CROSS JOIN LATERAL (SELECT t.relname, a.attname FROM pg_depend d
  JOIN pg_class t ON t.oid = d.refobjid
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0) o
WHERE ` + pgNotExtension("pg_class", "c") + ` AND NOT (` + pgSerialOwned + `)`},
	{kind: "trigger", catalog: "pg_trigger", after: true, rank: 12, query: `
SELECT g.oid, c.relname, g.tgname,
  ARRAY[pg_get_triggerdef(g.oid, true)] ||
    CASE g.tgenabled WHEN 'D' THEN ARRAY['ALTER TABLE ' || quote_ident(c.relname) || ' DISABLE TRIGGER ' || quote_ident(g.tgname)]
      WHEN 'R' THEN ARRAY['ALTER TABLE ' || quote_ident(c.relname) || ' ENABLE REPLICA TRIGGER ' || quote_ident(g.tgname)]
      WHEN 'A' THEN ARRAY['ALTER TABLE ' || quote_ident(c.relname) || ' ENABLE ALWAYS TRIGGER ' || quote_ident(g.tgname)]
      ELSE ARRAY[]::text[] END,
  ARRAY['DROP TRIGGER ' || quote_ident(g.tgname) || ' ON ' || quote_ident(c.relname)]
FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
WHERE c.relnamespace = ` + pgNamespace + ` AND NOT g.tgisinternal AND coalesce((to_jsonb(g)->>'tgparentid')::oid, 0) = 0 AND ` + pgNotExtension("pg_trigger", "g")},
	{kind: "rule", catalog: "pg_rewrite", after: true, rank: 12, query: `
SELECT r.oid, c.relname, r.rulename,
  ARRAY[rtrim(pg_get_ruledef(r.oid, true), ';')],
  ARRAY['DROP RULE ' || quote_ident(r.rulename) || ' ON ' || quote_ident(c.relname)]
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
WHERE c.relnamespace = ` + pgNamespace + ` AND r.rulename <> '_RETURN' AND ` + pgNotExtension("pg_rewrite", "r")},
	{kind: "row level security", catalog: "", after: true, rank: 12, query: `
SELECT c.oid, c.relname, c.relname,
  ARRAY['ALTER TABLE ' || quote_ident(c.relname) || ' ENABLE ROW LEVEL SECURITY'] ||
    CASE WHEN c.relforcerowsecurity THEN ARRAY['ALTER TABLE ' || quote_ident(c.relname) || ' FORCE ROW LEVEL SECURITY'] ELSE ARRAY[]::text[] END,
  ARRAY['ALTER TABLE ' || quote_ident(c.relname) || ' DISABLE ROW LEVEL SECURITY'] ||
    CASE WHEN c.relforcerowsecurity THEN ARRAY['ALTER TABLE ' || quote_ident(c.relname) || ' NO FORCE ROW LEVEL SECURITY'] ELSE ARRAY[]::text[] END
FROM pg_class c
WHERE c.relnamespace = ` + pgNamespace + ` AND (c.relrowsecurity OR c.relforcerowsecurity)`},
	{kind: "policy", catalog: "pg_policy", after: true, rank: 13, query: `
SELECT p.oid, c.relname, p.polname,
  ARRAY['CREATE POLICY ' || quote_ident(p.polname) || ' ON ' || quote_ident(c.relname) ||
    CASE WHEN p.polpermissive THEN '' ELSE ' AS RESTRICTIVE' END ||
    ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END ||
    ' TO ' || coalesce((SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE r::regrole::text END, ', ') FROM unnest(p.polroles) r), 'PUBLIC') ||
    CASE WHEN p.polqual IS NOT NULL THEN ' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')' ELSE '' END ||
    CASE WHEN p.polwithcheck IS NOT NULL THEN ' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')' ELSE '' END],
  ARRAY['DROP POLICY ' || quote_ident(p.polname) || ' ON ' || quote_ident(c.relname)]
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
WHERE c.relnamespace = ` + pgNamespace},
	{kind: "statistics", catalog: "pg_statistic_ext", after: true, rank: 13, query: `
SELECT s.oid, c.relname, s.stxname,
  ARRAY[pg_get_statisticsobjdef(s.oid)],
  ARRAY['DROP STATISTICS ' || quote_ident(s.stxname)]
FROM pg_statistic_ext s JOIN pg_class c ON c.oid = s.stxrelid
WHERE s.stxnamespace = ` + pgNamespace},
	{kind: "event trigger", catalog: "pg_event_trigger", after: true, rank: 14, query: `
SELECT e.oid, '', e.evtname,
  ARRAY['CREATE EVENT TRIGGER ' || quote_ident(e.evtname) || ' ON ' || e.evtevent ||
    CASE WHEN e.evttags IS NOT NULL THEN ' WHEN TAG IN (' || (SELECT string_agg(quote_literal(t), ', ') FROM unnest(e.evttags) t) || ')' ELSE '' END ||
    ' EXECUTE FUNCTION ' || e.evtfoid::regproc::text || '()'] ||
    CASE e.evtenabled WHEN 'D' THEN ARRAY['ALTER EVENT TRIGGER ' || quote_ident(e.evtname) || ' DISABLE'] ELSE ARRAY[]::text[] END,
  ARRAY['DROP EVENT TRIGGER ' || quote_ident(e.evtname)]
FROM pg_event_trigger e
WHERE ` + pgNotExtension("pg_event_trigger", "e")},
	// Kinds strata lists but cannot write: a baseline refuses them.
	{kind: "operator", catalog: "pg_operator", rank: 7, query: pgUnwritable("pg_operator", "o", "o.oprname || '(' || format_type(o.oprleft, NULL) || ', ' || format_type(o.oprright, NULL) || ')'", "o.oprnamespace")},
	{kind: "operator class", catalog: "pg_opclass", rank: 7, query: pgUnwritable("pg_opclass", "o", "o.opcname", "o.opcnamespace")},
	{kind: "operator family", catalog: "pg_opfamily", rank: 7, query: pgUnwritable("pg_opfamily", "o", "o.opfname", "o.opfnamespace")},
	{kind: "text search configuration", catalog: "pg_ts_config", rank: 7, query: pgUnwritable("pg_ts_config", "o", "o.cfgname", "o.cfgnamespace")},
	{kind: "text search dictionary", catalog: "pg_ts_dict", rank: 7, query: pgUnwritable("pg_ts_dict", "o", "o.dictname", "o.dictnamespace")},
	{kind: "conversion", catalog: "pg_conversion", rank: 7, query: pgUnwritable("pg_conversion", "o", "o.conname", "o.connamespace")},
	{kind: "foreign table", catalog: "pg_class", rank: 7, query: pgUnwritable("pg_class", "o", "o.relname", "o.relnamespace") + ` AND o.relkind = 'f'`},
}

// pgSerialOwned holds for a sequence c the table makes: a serial column's
// (owned by a column whose default takes its values) or an identity's.
const pgSerialOwned = `EXISTS (
  SELECT 1 FROM pg_depend o JOIN pg_attrdef ad ON ad.adrelid = o.refobjid AND ad.adnum = o.refobjsubid
  JOIN pg_depend u ON u.classid = 'pg_attrdef'::regclass AND u.objid = ad.oid AND u.refclassid = 'pg_class'::regclass AND u.refobjid = c.oid
  WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.refclassid = 'pg_class'::regclass AND o.deptype IN ('a', 'i'))
  OR EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i')`

// pgRoutines lists the functions (kind f) or procedures (p), but not
// those a type made (a range type's constructors).
func pgRoutines(kind string) string {
	word := map[string]string{"f": "FUNCTION", "p": "PROCEDURE"}[kind]
	return `
SELECT p.oid, '', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
  ARRAY[rtrim(pg_get_functiondef(p.oid), E'\n')],
  ARRAY['DROP ` + word + ` ' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')']
FROM pg_proc p
WHERE p.pronamespace = ` + pgNamespace + ` AND p.prokind = '` + kind + `' AND ` + pgNotExtension("pg_proc", "p") + `
  AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype = 'i')`
}

// pgUnwritable lists objects of catalog cat (aliased a) in the schema
// whose definitions strata does not write.
func pgUnwritable(cat, a, name, nsp string) string {
	return fmt.Sprintf(`SELECT %[2]s.oid, '', %[3]s, ARRAY[]::text[], ARRAY[]::text[] FROM %[1]s %[2]s WHERE %[4]s = %[5]s AND %[6]s`,
		cat, a, name, nsp, pgNamespace, pgNotExtension(cat, a))
}

// pgObjects reads every kind of object, then their dependencies.
func pgObjects(ctx context.Context, db *sql.DB) ([]Object, error) {
	var objs []Object
	for _, k := range pgKinds {
		err := queryRows(ctx, db, k.query, func(rows *sql.Rows) error {
			var (
				oid          int64
				table, name  string
				create, drop pgStrings
			)
			if err := rows.Scan(&oid, &table, &name, &create, &drop); err != nil {
				return err
			}
			x := Object{Kind: k.kind, Name: name, Table: table, Create: create, Drop: drop,
				AfterTables: k.after, Part: k.part, Managed: k.managed, rank: k.rank}
			if k.catalog != "" {
				x.key = fmt.Sprintf("%s:%d", k.catalog, oid)
			} else {
				// Completes the object with that oid: created after it.
				x.deps = []string{fmt.Sprintf("pg_class:%d", oid)}
			}
			objs = append(objs, x)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%ss: %w", k.kind, err)
		}
	}
	if len(objs) == 0 {
		return nil, nil
	}
	if err := pgDependencies(ctx, db, objs); err != nil {
		return nil, err
	}
	return objs, nil
}

// pgParents maps sub-objects (a view's rewrite rule, a domain's
// constraint, a table's row type, an array type, an extension's member)
// to what they belong to, so a dependency of the part is one of the
// whole. A table's own parts (defaults, constraints, indexes) are left
// out: what depends on them depends on the table's columns too.
const pgParents = `
SELECT 'pg_rewrite', r.oid::int8, 'pg_class', r.ev_class::int8 FROM pg_rewrite r WHERE r.rulename = '_RETURN' AND r.oid >= 16384
UNION ALL SELECT 'pg_constraint', c.oid::int8, 'pg_type', c.contypid::int8 FROM pg_constraint c WHERE c.contypid <> 0 AND c.oid >= 16384
UNION ALL SELECT 'pg_type', t.oid::int8, 'pg_class', t.typrelid::int8 FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid
  WHERE c.relkind <> 'c' AND t.oid >= 16384
UNION ALL SELECT 'pg_class', c.oid::int8, 'pg_type', c.reltype::int8 FROM pg_class c WHERE c.relkind = 'c' AND c.oid >= 16384
UNION ALL SELECT 'pg_type', a.oid::int8, 'pg_type', e.oid::int8 FROM pg_type a JOIN pg_type e ON e.typarray = a.oid WHERE a.oid >= 16384
UNION ALL SELECT d.classid::regclass::text, d.objid::int8, 'pg_extension', d.refobjid::int8 FROM pg_depend d WHERE d.deptype = 'e'`

// pgDependencies fills in the dependencies of objs from pg_depend, each
// resolved to the object (or the tables) it belongs to.
func pgDependencies(ctx context.Context, db *sql.DB, objs []Object) error {
	parent := map[string]string{}
	err := queryRows(ctx, db, pgParents, func(rows *sql.Rows) error {
		var cat, pcat string
		var oid, poid int64
		if err := rows.Scan(&cat, &oid, &pcat, &poid); err != nil {
			return err
		}
		k := fmt.Sprintf("%s:%d", cat, oid)
		if _, ok := parent[k]; !ok || pcat == "pg_extension" {
			parent[k] = fmt.Sprintf("%s:%d", pcat, poid)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("object parents: %w", err)
	}
	tables := map[string]string{} // key: name
	err = queryRows(ctx, db, `SELECT oid::int8, relname FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace = `+pgNamespace, func(rows *sql.Rows) error {
		var (
			oid  int64
			name string
		)
		err := rows.Scan(&oid, &name)
		tables[fmt.Sprintf("pg_class:%d", oid)] = name
		return err
	})
	if err != nil {
		return fmt.Errorf("tables: %w", err)
	}
	byKey := map[string]*Object{}
	for i := range objs {
		if objs[i].key != "" {
			byKey[objs[i].key] = &objs[i]
		}
	}
	resolve := func(k string) string {
		for range 8 {
			if byKey[k] != nil {
				return k
			}
			if tables[k] != "" {
				return k
			}
			p, ok := parent[k]
			if !ok {
				return ""
			}
			k = p
		}
		return ""
	}
	return queryRows(ctx, db, `
SELECT d.classid::regclass::text, d.objid::int8, d.refclassid::regclass::text, d.refobjid::int8
FROM pg_depend d WHERE d.deptype = 'n' AND d.objid >= 16384 AND d.refobjid >= 16384`, func(rows *sql.Rows) error {
		var cat, rcat string
		var oid, roid int64
		if err := rows.Scan(&cat, &oid, &rcat, &roid); err != nil {
			return err
		}
		from := resolve(fmt.Sprintf("%s:%d", cat, oid))
		to := resolve(fmt.Sprintf("%s:%d", rcat, roid))
		switch x := byKey[from]; {
		case x == nil || to == "" || to == from:
		case tables[to] != "":
			x.deps = append(x.deps, tablesKey)
			x.tables = append(x.tables, tables[to])
		default:
			x.deps = append(x.deps, to)
		}
		return nil
	})
}

// pgStrings scans a PostgreSQL text[] in its text form.
type pgStrings []string

// Scan parses {a,"b c",...}: elements are quoted when they hold commas,
// quotes, braces, backslashes or blanks, with \ escaping " and \.
func (a *pgStrings) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case []byte:
		s = string(v)
	case string:
		s = v
	case nil:
		*a = nil
		return nil
	default:
		return fmt.Errorf("text[]: unexpected %T", src)
	}
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return fmt.Errorf("text[]: malformed %q", s)
	}
	s = s[1 : len(s)-1]
	var out []string
	for len(s) > 0 {
		var el strings.Builder
		if s[0] == '"' {
			i := 1
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				el.WriteByte(s[i])
			}
			s = s[min(i+1, len(s)):]
		} else {
			i := strings.IndexByte(s, ',')
			if i == -1 {
				i = len(s)
			}
			el.WriteString(s[:i])
			s = s[i:]
		}
		out = append(out, el.String())
		s = strings.TrimPrefix(s, ",")
	}
	*a = out
	return nil
}
