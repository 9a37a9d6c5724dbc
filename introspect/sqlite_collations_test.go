package introspect

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestColumnCollations(t *testing.T) {
	stmt := "CREATE TABLE \"t\" (\"a b\" TEXT COLLATE NOCASE,\n\t[c] text collate \"My Coll\" NOT NULL, `d` text CHECK (d COLLATE NOCASE <> 'collate x') DEFAULT 'COLLATE y',\n" +
		"e integer, CONSTRAINT u UNIQUE (e COLLATE BINARY), CHECK (e > 0))"
	want := map[string]string{"a b": "nocase", "c": "my coll"}
	if diff := cmp.Diff(want, columnCollations(stmt)); diff != "" {
		t.Errorf("columnCollations (-want +got):\n%s", diff)
	}
}
