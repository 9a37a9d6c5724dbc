package benchgen

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGoose(t *testing.T) {
	revs, err := Revisions(RevisionOptions{N: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Goose(revs)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 500 {
		t.Fatalf("got %d files, want 500", len(files))
	}
	for i, f := range files {
		want := "-- +goose Up\n" + revs[i].Upgrade.SQL + "\n\n-- +goose Down\n" + revs[i].Downgrade.SQL + "\n"
		if diff := cmp.Diff(want, string(f.Data)); diff != "" {
			t.Fatalf("%s (-want +got):\n%s", f.Path, diff)
		}
	}
	if !strings.HasPrefix(files[0].Path, "00001_") || !strings.HasPrefix(files[499].Path, "00500_") {
		t.Errorf("files are %s … %s, want 00001_… to 00500_…", files[0].Path, files[499].Path)
	}

	branchy, err := Revisions(RevisionOptions{N: 100, BranchEvery: 5, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Goose(branchy); err == nil {
		t.Error("want an error for a history with branches")
	}
}
