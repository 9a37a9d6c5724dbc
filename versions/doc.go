// Package versions is the last stage of strata: revision files, the revision
// graph they form, the version table in the database and the runner that
// upgrades and downgrades through the graph.
//
// A directory of revision files (any fs.FS, so an application can embed it)
// loads into a Graph with Load. Open binds a Graph to a *sql.DB and gives a
// Migrator whose Upgrade and Downgrade walk the graph with Alembic's
// semantics across branches and merges, recording applied heads in the
// version table. Script writes the same walk as a SQL script without
// connecting. The render stage produces new revision files; Create stores
// them atomically.
package versions
