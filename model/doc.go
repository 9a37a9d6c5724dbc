// Package model is the declared-schema stage: it reads the Go packages named
// by `models` in strata.toml, finds the struct types marked //strata:table and
// turns their fields and strata tags into the schema they declare, for one
// dialect. It hands an Atlas *schema.Realm to diff, which compares it with the
// realm introspect reads from the database.
//
// Source is read statically with type information (golang.org/x/tools/go/packages):
// no user code is compiled into strata or run, and a package that type-checks
// is enough. The realm is built the way Atlas's inspector reports a database
// after the DDL ran, so that an unchanged model diffs to nothing.
package model
