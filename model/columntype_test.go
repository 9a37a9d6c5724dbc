package model_test

import (
	"testing"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

// TestColumnType: the exported mapping is the README's type table.
func TestColumnType(t *testing.T) {
	tests := []struct {
		d      dialect.Name
		goType string
		size   int
		want   string
		ok     bool
	}{
		{dialect.Postgres, "int64", 0, "bigint", true},
		{dialect.Postgres, "int", 0, "bigint", true},
		{dialect.MySQL, "uint8", 0, "tinyint unsigned", true},
		{dialect.SQLite, "bool", 0, "boolean", true},
		{dialect.Postgres, "string", 40, "character varying(40)", true},
		{dialect.MySQL, "string", 0, "varchar(255)", true},
		{dialect.Postgres, "time.Time", 0, "timestamp with time zone", true},
		{dialect.MySQL, "encoding/json.RawMessage", 0, "json", true},
		{dialect.SQLite, "[]byte", 0, "blob", true},
		{dialect.Postgres, "int64", 10, "", false},
		{dialect.Postgres, "complex128", 0, "", false},
		{"oracle", "int64", 0, "", false},
	}
	for _, tc := range tests {
		got, ok := model.ColumnType(tc.d, tc.goType, tc.size)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ColumnType(%s, %s, %d) = %q, %v; want %q, %v", tc.d, tc.goType, tc.size, got, ok, tc.want, tc.ok)
		}
	}
}
