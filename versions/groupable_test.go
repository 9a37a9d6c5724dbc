package versions

import (
	"testing"

	"github.com/strata-db/strata/dialect"
)

// TestGroupTable: which statements may join a group on MySQL, and the
// table each names.
func TestGroupTable(t *testing.T) {
	tests := []struct {
		stmt   string
		table  string
		create bool
		ok     bool
	}{
		{"CREATE TABLE `t0001` (\n  `id` bigint NOT NULL,\n  `selected_at` datetime\n);", "t0001", true, true},
		{"create table Orders (id int) ENGINE=InnoDB", "orders", true, true},
		{"CREATE TABLE t2 LIKE t1", "t2", true, true},
		{"DROP TABLE `t0001`;", "t0001", false, true},
		{"-- gone\nDROP TABLE t CASCADE", "t", false, true},
		{"CREATE TABLE t AS SELECT 1", "", false, false},
		{"CREATE TABLE t (id int) SELECT id FROM u", "", false, false},
		{"CREATE TABLE t (id int) /* select */", "", false, false}, // conservative
		{"CREATE TABLE IF NOT EXISTS t (id int)", "", false, false},
		{"CREATE TEMPORARY TABLE t (id int)", "", false, false},
		{"CREATE OR REPLACE TABLE t (id int)", "", false, false},
		{"CREATE TABLE other.t (id int)", "", false, false},
		{"CREATE TABLE `other`.`t` (id int)", "", false, false},
		{"DROP TABLE IF EXISTS t", "", false, false},
		{"DROP TABLE a, b", "", false, false},
		{"DROP TABLE other.t", "", false, false},
		{"ALTER TABLE t ADD COLUMN c int", "", false, false},
		{"INSERT INTO t VALUES (1)", "", false, false},
	}
	for _, tt := range tests {
		table, create, ok := groupTable(dialect.MySQL, tt.stmt)
		if ok != tt.ok || ok && (table != tt.table || create != tt.create) {
			t.Errorf("groupTable(%q) = %q, %v, %v; want %q, %v, %v", tt.stmt, table, create, ok, tt.table, tt.create, tt.ok)
		}
		if _, _, ok := groupTable(dialect.Postgres, tt.stmt); ok {
			t.Errorf("groupTable(postgres, %q): groups are MySQL's", tt.stmt)
		}
	}
}
