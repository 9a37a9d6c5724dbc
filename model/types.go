package model

import (
	"fmt"
	"go/types"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/mysql"
	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	"github.com/strata-db/strata/dialect"
)

// goKind is a Go type strata knows how to store.
type goKind int

const (
	kindNone goKind = iota
	kindBool
	kindInt8
	kindInt16
	kindInt32
	kindInt64
	kindUint8
	kindUint16
	kindUint32
	kindUint64
	kindFloat32
	kindFloat64
	kindString
	kindBytes
	kindTime
	kindDuration
	kindJSON
	kindUUID
)

// columnTypes is the column type of each kind, per dialect, in the form the
// dialect's inspector reports it. README.md shows this table.
var columnTypes = map[goKind]map[dialect.Name]string{
	kindBool:     {dialect.Postgres: "boolean", dialect.MySQL: "bool", dialect.SQLite: "boolean"},
	kindInt8:     {dialect.Postgres: "smallint", dialect.MySQL: "tinyint", dialect.SQLite: "integer"},
	kindInt16:    {dialect.Postgres: "smallint", dialect.MySQL: "smallint", dialect.SQLite: "integer"},
	kindInt32:    {dialect.Postgres: "integer", dialect.MySQL: "int", dialect.SQLite: "integer"},
	kindInt64:    {dialect.Postgres: "bigint", dialect.MySQL: "bigint", dialect.SQLite: "integer"},
	kindUint8:    {dialect.Postgres: "smallint", dialect.MySQL: "tinyint unsigned", dialect.SQLite: "integer"},
	kindUint16:   {dialect.Postgres: "integer", dialect.MySQL: "smallint unsigned", dialect.SQLite: "integer"},
	kindUint32:   {dialect.Postgres: "bigint", dialect.MySQL: "int unsigned", dialect.SQLite: "integer"},
	kindUint64:   {dialect.Postgres: "bigint", dialect.MySQL: "bigint unsigned", dialect.SQLite: "integer"},
	kindFloat32:  {dialect.Postgres: "real", dialect.MySQL: "float", dialect.SQLite: "real"},
	kindFloat64:  {dialect.Postgres: "double precision", dialect.MySQL: "double", dialect.SQLite: "real"},
	kindString:   {dialect.Postgres: "text", dialect.MySQL: "varchar(255)", dialect.SQLite: "text"},
	kindBytes:    {dialect.Postgres: "bytea", dialect.MySQL: "longblob", dialect.SQLite: "blob"},
	kindTime:     {dialect.Postgres: "timestamp with time zone", dialect.MySQL: "datetime(6)", dialect.SQLite: "datetime"},
	kindDuration: {dialect.Postgres: "bigint", dialect.MySQL: "bigint", dialect.SQLite: "integer"},
	kindJSON:     {dialect.Postgres: "jsonb", dialect.MySQL: "json", dialect.SQLite: "text"},
	kindUUID:     {dialect.Postgres: "uuid", dialect.MySQL: "char(36)", dialect.SQLite: "text"},
}

// sizedString is the column type of a string with size:N.
var sizedString = map[dialect.Name]func(n int) string{
	dialect.Postgres: func(n int) string { return fmt.Sprintf("character varying(%d)", n) },
	dialect.MySQL:    func(n int) string { return fmt.Sprintf("varchar(%d)", n) },
	// SQLite enforces no length but keeps the declared type, so a length
	// change shows.
	dialect.SQLite: func(n int) string { return fmt.Sprintf("varchar(%d)", n) },
}

// namedKinds are the named types mapped by name rather than underlying type.
var namedKinds = map[string]goKind{
	"time.Time":                   kindTime,
	"time.Duration":               kindDuration,
	"encoding/json.RawMessage":    kindJSON,
	"github.com/google/uuid.UUID": kindUUID,
}

// nullKinds are the database/sql nullable wrappers.
var nullKinds = map[string]goKind{
	"database/sql.NullBool":    kindBool,
	"database/sql.NullByte":    kindUint8,
	"database/sql.NullInt16":   kindInt16,
	"database/sql.NullInt32":   kindInt32,
	"database/sql.NullInt64":   kindInt64,
	"database/sql.NullFloat64": kindFloat64,
	"database/sql.NullString":  kindString,
	"database/sql.NullTime":    kindTime,
}

var basicKinds = map[types.BasicKind]goKind{
	types.Bool: kindBool, types.String: kindString,
	types.Int: kindInt64, types.Int8: kindInt8, types.Int16: kindInt16, types.Int32: kindInt32, types.Int64: kindInt64,
	types.Uint: kindUint64, types.Uint8: kindUint8, types.Uint16: kindUint16, types.Uint32: kindUint32, types.Uint64: kindUint64,
	types.Float32: kindFloat32, types.Float64: kindFloat64,
}

// qualifiedName returns "import/path.Name" of a named type, or "".
func qualifiedName(t types.Type) string {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Origin().Obj().Name()
}

// kindOf returns the kind stored for a Go type and whether the type itself
// makes the column nullable (a pointer, sql.NullXxx or sql.Null[T]).
func kindOf(t types.Type) (goKind, bool) {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		k, _ := kindOf(p.Elem())
		return k, true
	}
	name := qualifiedName(t)
	if k, ok := nullKinds[name]; ok {
		return k, true
	}
	if name == "database/sql.Null" {
		k, _ := kindOf(t.(*types.Named).TypeArgs().At(0))
		return k, true
	}
	return baseKind(t), false
}

// baseKind maps a non-nullable Go type: a known named type, or a type whose
// underlying type is a basic type or []byte.
func baseKind(t types.Type) goKind {
	if k, ok := namedKinds[qualifiedName(t)]; ok {
		return k
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return basicKinds[u.Kind()]
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Byte {
			return kindBytes
		}
	}
	return kindNone
}

// ops is what strata needs from Atlas for one dialect.
type ops struct {
	schema string // name of the one schema
	parse  func(string) (schema.Type, error)
	format func(schema.Type) (string, error)
	plan   migrate.PlanApplier
	// declaredTypes: the database keeps column types as declared (SQLite),
	// lengths and precisions Atlas's types leave out included.
	declaredTypes bool
}

var dialects = map[dialect.Name]ops{
	dialect.Postgres: {schema: "public", parse: postgres.ParseType, format: postgres.FormatType, plan: postgres.DefaultPlan},
	dialect.MySQL:    {schema: "", parse: mysql.ParseType, format: mysql.FormatType, plan: mysql.DefaultPlan},
	dialect.SQLite:   {schema: "main", parse: sqlite.ParseType, format: sqlite.FormatType, plan: sqlite.DefaultPlan, declaredTypes: true},
}

// parseType parses a column type written in the dialect.
func (o ops) parseType(raw string) (*schema.ColumnType, error) {
	t, err := o.parse(raw)
	if err != nil {
		return nil, err
	}
	if _, ok := t.(*schema.UnsupportedType); ok {
		return nil, fmt.Errorf("unsupported type %q", raw)
	}
	if _, err := o.format(t); err != nil {
		return nil, err
	}
	return &schema.ColumnType{Type: t, Raw: raw}, nil
}

// literal reports whether a default is a literal as the inspectors classify
// them: a number, true or false, or a quoted string.
func literal(x string) bool {
	if _, err := strconv.ParseFloat(x, 64); err == nil {
		return true
	}
	switch strings.ToLower(x) {
	case "true", "false":
		return true
	}
	return len(x) >= 2 && x[0] == '\'' && x[len(x)-1] == '\'' && !strings.Contains(strings.ReplaceAll(x[1:len(x)-1], "''", ""), "'")
}

// defaultExpr returns the default expression x the way the dialect's
// inspector reports it, so that the declared and inspected schema compare equal.
func defaultExpr(d dialect.Name, t schema.Type, x string) schema.Expr {
	if literal(x) {
		return &schema.Literal{V: x}
	}
	upper := strings.ToUpper(x)
	tt, isTime := t.(*schema.TimeType)
	// MySQL wants, and reports, the column's precision on CURRENT_TIMESTAMP.
	if d == dialect.MySQL && isTime && tt.Precision != nil && *tt.Precision > 0 &&
		(upper == "CURRENT_TIMESTAMP" || upper == "CURRENT_TIMESTAMP()" || upper == "NOW()") {
		return &schema.RawExpr{X: fmt.Sprintf("CURRENT_TIMESTAMP(%d)", *tt.Precision)}
	}
	switch {
	// MySQL needs parentheses around expressions other than CURRENT_TIMESTAMP
	// on a time column, and reports them wrapped.
	case d == dialect.MySQL && !(isTime && strings.HasPrefix(upper, "CURRENT_TIMESTAMP")):
		return &schema.RawExpr{X: wrap(x)}
	// SQLite reports expressions without their outer parentheses; Atlas adds
	// them back when it writes the DDL.
	case d == dialect.SQLite && wrap(x) == x:
		return &schema.RawExpr{X: x[1 : len(x)-1]}
	}
	return &schema.RawExpr{X: x}
}

// wrap puts parentheses around x unless they already enclose all of it.
func wrap(x string) string {
	if strings.HasPrefix(x, "(") && dialect.ClosingParen(x) == len(x)-1 {
		return x
	}
	return "(" + x + ")"
}

// goTypeKinds names the Go types ColumnType knows, as ColumnType takes them.
var goTypeKinds = map[string]goKind{
	"bool": kindBool, "int8": kindInt8, "int16": kindInt16, "int32": kindInt32, "int64": kindInt64, "int": kindInt64,
	"uint8": kindUint8, "uint16": kindUint16, "uint32": kindUint32, "uint64": kindUint64, "uint": kindUint64,
	"float32": kindFloat32, "float64": kindFloat64, "string": kindString, "[]byte": kindBytes,
}

// ColumnType returns the column type strata declares in dialect d for a
// field of Go type goType — a basic type such as "int64", "[]byte", or a
// qualified named type such as "time.Time" or "encoding/json.RawMessage" —
// with size:N when size > 0 (strings only). It reports false for a type
// strata does not map. The generator of Go models (render) asks it whether
// a column needs type:.
func ColumnType(d dialect.Name, goType string, size int) (string, bool) {
	k, ok := goTypeKinds[goType]
	if !ok {
		k, ok = namedKinds[goType]
	}
	switch {
	case !ok || columnTypes[k][d] == "":
		return "", false
	case size > 0 && k != kindString:
		return "", false
	case size > 0:
		return sizedString[d](size), true
	}
	return columnTypes[k][d], true
}
