package benchgen

import (
	"fmt"

	"github.com/strata-db/strata/versions"
)

// Goose returns revs, which must form one line from a single root, as
// pressly/goose SQL migrations numbered 00001 on: the same upgrade and
// downgrade statements, one file per revision, for comparing strata's
// upgrade with goose up.
func Goose(revs []*versions.Revision) ([]File, error) {
	files := make([]File, len(revs))
	for i, r := range revs {
		want := 0
		if i > 0 {
			want = 1
		}
		if len(r.Revises) != want || (i > 0 && r.Revises[0] != revs[i-1].ID) {
			return nil, fmt.Errorf("revision %s does not follow %d: goose needs a linear history", r.ID, i)
		}
		files[i] = File{
			Path: fmt.Sprintf("%05d_rev_%s.sql", i+1, r.ID),
			Data: fmt.Appendf(nil, "-- +goose Up\n%s\n\n-- +goose Down\n%s\n", r.Upgrade.SQL, r.Downgrade.SQL),
		}
	}
	return files, nil
}
