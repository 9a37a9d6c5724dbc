// Package diff is the comparing stage of strata: it takes the schema the
// database has (from introspect) and the schema the models declare (from
// model), both Atlas *schema.Schema, and plans the statements that carry one
// to the other and back. It hands the resulting Plan to render, which writes
// it into a revision file.
//
// Diffing and statement planning are Atlas's; this package adds what Atlas's
// open-source build leaves out: renames (from renamed_from hints or a
// question to the user), column type details Atlas ignores on SQLite,
// changed check expressions (compared as the database rewrites them),
// autoincrement gained or lost, PostgreSQL primary key names, the indexes
// MySQL keeps for dropped foreign keys, a downgrade planned as the exact way
// back, readable change summaries, and warnings on steps that lose data or
// can fail on existing rows.
package diff
