package introspect

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
)

// The conversions below follow the unexported helpers of Atlas's PostgreSQL
// inspector (columnType, columnDefault, mayAppendOps, newIndexStorage in
// sql/postgres) at the pinned version, so that both readers build the same
// values; inspect_equal_test.go covers every branch the catalog can reach.

// pgColumn describes a column type the way information_schema.columns does.
type pgColumn struct {
	typ, fmtype, typtype, interval        string // data_type, format_type, pg_type.typtype, interval_type
	size, precision, timePrecision, scale int64
}

// The oids of the built-in types whose modifier holds a size.
const (
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidFloat4      = 700
	oidFloat8      = 701
	oidBPChar      = 1042
	oidVarChar     = 1043
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestampTZ = 1184
	oidInterval    = 1186
	oidTimeTZ      = 1266
	oidBit         = 1560
	oidVarBit      = 1562
	oidNumeric     = 1700
)

// setSizes sets character_maximum_length, numeric_precision,
// datetime_precision, numeric_scale and interval_type as
// information_schema's _pg_* functions compute them from the column's type
// and modifier (NULL is 0, as Atlas reads them). The view applies them to a
// domain's base type, but a domain column's Atlas type is its name whatever
// its sizes.
func (d *pgColumn) setSizes(typid, typmod int64) {
	switch typid {
	case oidBPChar, oidVarChar:
		if typmod != -1 {
			d.size = typmod - 4
		}
	case oidBit, oidVarBit:
		if typmod != -1 {
			d.size = typmod
		}
	case oidInt2:
		d.precision = 16
	case oidInt4:
		d.precision = 32
	case oidInt8:
		d.precision = 64
	case oidFloat4:
		d.precision = 24
	case oidFloat8:
		d.precision = 53
	case oidNumeric:
		if typmod != -1 {
			d.precision, d.scale = ((typmod-4)>>16)&65535, (typmod-4)&65535
		}
	case oidTime, oidTimestamp, oidTimestampTZ, oidTimeTZ:
		d.timePrecision = 6
		if typmod >= 0 {
			d.timePrecision = typmod
		}
	case oidInterval:
		d.timePrecision = 6
		if typmod >= 0 && typmod&65535 != 65535 {
			d.timePrecision = typmod & 65535
		}
		// The fields after "interval[(p)] ", e.g. DAY TO SECOND(3).
		if rest, ok := strings.CutPrefix(d.fmtype, "interval"); ok {
			if f, ok := strings.CutPrefix(strings.TrimLeft(rest, "()0123456789"), " "); ok {
				d.interval = strings.ToUpper(f)
			}
		}
	}
}

// columnType returns the Atlas type of the column.
func (d pgColumn) columnType() (schema.Type, error) {
	if d.typtype == "d" || d.typtype == "e" {
		// Domains and enums are user-defined types in table inspection.
		return &postgres.UserDefinedType{T: d.fmtype, C: d.typtype}, nil
	}
	t := d.typ
	switch strings.ToLower(t) {
	case "bigint", "int8", "int", "integer", "int4", "smallint", "int2", "int64", "xid", "xid8":
		return &schema.IntegerType{T: t}, nil
	case "bit", "bit varying":
		return &postgres.BitType{T: t, Len: d.size}, nil
	case "bool", "boolean":
		return &schema.BoolType{T: t}, nil
	case "bytea":
		return &schema.BinaryType{T: t}, nil
	case "character", "char", "character varying", "varchar", "text", "bpchar", "name":
		if t == "character" && d.size == 0 && d.fmtype == "bpchar" {
			t = "bpchar"
		}
		return &schema.StringType{T: t, Size: int(d.size)}, nil
	case "cidr", "inet", "macaddr", "macaddr8":
		return &postgres.NetworkType{T: t}, nil
	case "circle", "line", "lseg", "box", "path", "polygon", "point", "geometry":
		return &schema.SpatialType{T: t}, nil
	case "date":
		return &schema.TimeType{T: t}, nil
	case "time", "time without time zone", "timetz", "time with time zone",
		"timestamp", "timestamp without time zone", "timestamptz", "timestamp with time zone":
		p := int(d.timePrecision)
		return &schema.TimeType{T: t, Precision: &p}, nil
	case "interval":
		p := int(d.timePrecision)
		it := &postgres.IntervalType{T: t, Precision: &p}
		if d.interval != "" {
			m := reIntervalField.FindStringSubmatch(d.interval)
			if len(m) != 3 || m[1] == "" {
				return &schema.UnsupportedType{T: d.interval}, nil
			}
			it.F = m[1]
		}
		return it, nil
	case "real", "double precision", "float", "float4", "float8":
		return &schema.FloatType{T: t, Precision: int(d.precision)}, nil
	case "json", "jsonb":
		return &schema.JSONType{T: t}, nil
	case "money":
		return &postgres.CurrencyType{T: t}, nil
	case "decimal", "numeric":
		return &schema.DecimalType{T: t, Precision: int(d.precision), Scale: int(d.scale)}, nil
	case "smallserial", "serial", "bigserial", "serial2", "serial4", "serial8":
		return &postgres.SerialType{T: t, Precision: int(d.precision)}, nil
	case "uuid":
		return &schema.UUIDType{T: t}, nil
	case "xml":
		return &postgres.XMLType{T: t}, nil
	case "array":
		// As Atlas: the formatted type, e.g. integer[], and its element type.
		at, err := postgres.ParseType(d.fmtype)
		if err != nil {
			return nil, err
		}
		if _, ok := at.(*postgres.ArrayType); !ok {
			return nil, fmt.Errorf("array column of type %q", d.fmtype)
		}
		return at, nil
	case "tsvector", "tsquery":
		return &postgres.TextSearchType{T: t}, nil
	case "int4range", "int4multirange", "int8range", "int8multirange", "numrange", "nummultirange",
		"tsrange", "tsmultirange", "tstzrange", "tstzmultirange", "daterange", "datemultirange":
		return &postgres.RangeType{T: t}, nil
	case "oid", "regclass", "regcollation", "regconfig", "regdictionary", "regnamespace",
		"regoper", "regoperator", "regproc", "regprocedure", "regrole", "regtype":
		return &postgres.OIDType{T: t}, nil
	}
	ft := d.fmtype
	if ft == "" {
		ft = t
	}
	return &postgres.UserDefinedType{T: ft, C: d.typtype}, nil
}

// reIntervalField reads the fields of an interval type, e.g. DAY TO SECOND.
var reIntervalField = regexp.MustCompile(`(?i)(?:INTERVAL\s*)?(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND|YEAR TO MONTH|DAY TO HOUR|DAY TO MINUTE|DAY TO SECOND|HOUR TO MINUTE|HOUR TO SECOND|MINUTE TO SECOND)?\s*(?:\(([0-6])\))?$`)

// reNextval matches the default of a serial column:
// nextval('<optional (quoted) schema>.<sequence name>'::regclass).
var reNextval = regexp.MustCompile(`(?i) *nextval\('(?:"?[\w$]+"?\.)?"?([\w$]+_[\w$]+_seq)"?'(?:::regclass)*\) *$`)

// pgColumnDefault sets the default of c, turning an integer column whose
// default is its own sequence into a serial column.
func pgColumnDefault(c *schema.Column, s string) {
	m := reNextval.FindStringSubmatch(s)
	if len(m) != 2 {
		c.Default = pgDefaultExpr(c.Type.Type, s)
		return
	}
	if it, ok := c.Type.Type.(*schema.IntegerType); ok {
		st := &postgres.SerialType{SequenceName: m[1]}
		st.SetType(it)
		c.Type.Raw = st.T
		c.Type.Type = st
	}
}

// pgDefaultExpr returns a literal for quoted strings, numbers, booleans and
// casts of them to the column's type, and the raw expression otherwise.
func pgDefaultExpr(t schema.Type, s string) schema.Expr {
	if isLiteralBool(s) || isLiteralNumber(s) || isQuoted(s, '\'') {
		return &schema.Literal{V: s}
	}
	if v, ok := pgCastLiteral(t, s); ok {
		return &schema.Literal{V: v}
	}
	return &schema.RawExpr{X: s}
}

// pgCastLiteral returns the literal of x, a quoted value cast with ::, when
// the column's type keeps it one.
func pgCastLiteral(t schema.Type, x string) (string, bool) {
	i := strings.LastIndex(x, "::")
	if i == -1 || !isQuoted(x[:i], '\'') {
		return "", false
	}
	q, v := x[:i], x[1:i-1]
	switch t.(type) {
	case *schema.EnumType:
		return q, true
	case *schema.BoolType:
		return v, isLiteralBool(v)
	case *schema.DecimalType, *schema.IntegerType, *schema.FloatType:
		return v, isLiteralNumber(v)
	case *postgres.ArrayType, *schema.BinaryType, *schema.JSONType, *postgres.NetworkType, *schema.SpatialType,
		*schema.StringType, *schema.TimeType, *schema.UUIDType, *postgres.XMLType:
		return q, true
	}
	return "", false
}

// isQuoted reports whether s is one string quoted by one of q, the way
// Atlas's sqlx.IsQuoted does.
func isQuoted(s string, q ...byte) bool {
	last := len(s) - 1
	if last < 1 {
		return false
	}
Top:
	for _, quote := range q {
		if s[0] != quote || s[last] != quote {
			continue
		}
		for i := 1; i < last-1; i++ {
			switch c := s[i]; {
			case c == '\\', c == quote && s[i+1] == quote:
				i++
			case c == quote:
				continue Top
			}
		}
		return true
	}
	return false
}

func isLiteralBool(s string) bool {
	_, err := strconv.ParseBool(s)
	return err == nil
}

func isLiteralNumber(s string) bool {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		_, err := strconv.ParseUint(s[2:], 16, 64)
		return err == nil
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// pgIndexStorage parses an index's storage parameters, e.g.
// {pages_per_range=16,autosummarize=true}.
func pgIndexStorage(opts string) (*postgres.IndexStorageParams, error) {
	params := &postgres.IndexStorageParams{}
	for _, p := range strings.Split(strings.Trim(opts, "{}"), ",") {
		kv := strings.Split(p, "=")
		if len(kv) != 2 {
			return nil, fmt.Errorf("invalid index storage parameter: %s", p)
		}
		var err error
		switch kv[0] {
		case "autosummarize":
			params.AutoSummarize, err = strconv.ParseBool(kv[1])
		case "pages_per_range":
			params.PagesPerRange, err = strconv.ParseInt(kv[1], 10, 64)
		}
		if err != nil {
			return nil, fmt.Errorf("index storage parameter %s: %w", p, err)
		}
	}
	return params, nil
}

// pgOpClass adds the operator class of an index part unless it is the
// default one without parameters. A class outside pg_catalog and public
// keeps its schema.
func pgOpClass(part *schema.IndexPart, ns, name, params string, isDefault bool) error {
	if name == "" || isDefault && params == "" {
		return nil
	}
	op := &postgres.IndexOpClass{}
	text := name
	if params != "" {
		// The catalog writes {k=v,...}; UnmarshalText reads name(k=v,...).
		text += "(" + strings.Trim(params, "{}") + ")"
	}
	if err := op.UnmarshalText([]byte(text)); err != nil {
		return err
	}
	op.Default = isDefault
	if ns != "" && ns != "pg_catalog" && ns != "public" {
		op.Name = ns + "." + name
	}
	part.Attrs = append(part.Attrs, op)
	return nil
}
