// Package diff is the comparing stage of strata: it takes the schema the
// database has (from introspect) and the schema the models declare (from
// model), both Atlas *schema.Schema, and plans the statements that carry one
// to the other and back. It hands the resulting Plan to render, which writes
// it into a revision file.
//
// Diffing and statement planning are Atlas's; this package adds what Atlas's
// open-source build leaves out: renames (from renamed_from hints or a
// question to the user) that keep the columns' indexes, column type details
// Atlas ignores on SQLite, one normalization of the expressions the
// database rewrites (checks, index expressions and predicates, defaults,
// generated columns: normalize), autoincrement gained or lost, PostgreSQL
// primary key names, the indexes MySQL keeps for dropped foreign keys,
// MariaDB's foreign keys around column type changes, SQLite's in-place
// DROP COLUMN, a downgrade planned as the exact way back (mirror) that
// works on tables with rows (restore), readable change summaries, and
// warnings on steps that lose data or can fail on existing rows, each above
// the statement that does it.
package diff
