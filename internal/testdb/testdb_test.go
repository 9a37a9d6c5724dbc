package testdb

import (
	"testing"
)

func TestForEach(t *testing.T) {
	ForEach(t, func(t *testing.T, db *DB) {
		if _, err := db.DB.Exec("CREATE TABLE t (x int)"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.DB.QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
			t.Fatalf("count = %d, %v", n, err)
		}
	})
}
