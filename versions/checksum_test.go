package versions_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strata-db/strata/internal/testdb"
	"github.com/strata-db/strata/versions"
)

// TestEditedChecksums: on every dialect, an applied revision checked out
// with CRLF line endings or given a comment line is not edited, a changed
// statement is; and a history row written before content checksums (it
// holds the SHA-256 of the file) stays valid, the same edits measured
// against the text stored when the revision was applied.
func TestEditedChecksums(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		up, down := table("aaaa")
		orig := file("aaaa", "", up, down)
		verify := func(data []byte) error {
			t.Helper()
			m, err := versions.Open(ctx, db.DB, db.Dialect, fstest.MapFS{"aaaa_x.sql": {Data: data}})
			if err != nil {
				t.Fatal(err)
			}
			return m.Verify(ctx)
		}
		m, err := versions.Open(ctx, db.DB, db.Dialect, fstest.MapFS{"aaaa_x.sql": orig})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Upgrade(ctx, "heads"); err != nil {
			t.Fatal(err)
		}
		crlf := []byte(strings.ReplaceAll(string(orig.Data), "\n", "\r\n"))
		commented := []byte(strings.Replace(string(orig.Data), "DROP TABLE", "-- keep the data elsewhere first\nDROP TABLE", 1))
		changed := []byte(strings.Replace(string(orig.Data), "id int", "id bigint", 1))
		check := func(when string) {
			t.Helper()
			for name, data := range map[string][]byte{"original": orig.Data, "CRLF": crlf, "comment added": commented} {
				if err := verify(data); err != nil {
					t.Errorf("%s, %s: %v", when, name, err)
				}
			}
			if err := verify(changed); !errors.Is(err, versions.ErrEdited) {
				t.Errorf("%s, statement changed: err = %v, want ErrEdited", when, err)
			}
		}
		check("new row")

		// A row from before content checksums holds the file's SHA-256.
		raw := sha256.Sum256(orig.Data)
		history := db.Dialect.Quote("strata_version_history")
		if _, err := db.DB.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s = '%s'", history, db.Dialect.Quote("checksum"), hex.EncodeToString(raw[:]))); err != nil {
			t.Fatal(err)
		}
		check("old row")

		// Without the stored text an old row vouches for its bytes only.
		revisions := db.Dialect.Quote("strata_version_revisions")
		if _, err := db.DB.ExecContext(ctx, "DELETE FROM "+revisions); err != nil {
			t.Fatal(err)
		}
		if err := verify(orig.Data); err != nil {
			t.Errorf("old row, nothing stored, original: %v", err)
		}
		if err := verify(crlf); !errors.Is(err, versions.ErrEdited) {
			t.Errorf("old row, nothing stored, CRLF: err = %v, want ErrEdited", err)
		}
	})
}
