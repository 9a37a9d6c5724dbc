package benchgen

import (
	"bytes"
	"os"
	"testing"

	"github.com/strata-db/strata/render"
	"github.com/strata-db/strata/versions"
)

func TestRevisions(t *testing.T) {
	tests := []struct {
		name        string
		o           RevisionOptions
		wantMerges  bool
		wantInvalid bool
	}{
		{name: "linear", o: RevisionOptions{N: 50, Seed: 1}},
		{name: "branchy", o: RevisionOptions{N: 500, BranchEvery: 5, Seed: 2}, wantMerges: true},
		{name: "too small for a branch", o: RevisionOptions{N: 3, BranchEvery: 1, Seed: 3}},
		{name: "empty", o: RevisionOptions{N: 0}, wantInvalid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			revs, err := Revisions(tt.o)
			if tt.wantInvalid {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := WriteRevisions(dir, revs); err != nil {
				t.Fatal(err)
			}
			g, err := versions.Load(os.DirFS(dir))
			if err != nil {
				t.Fatal(err)
			}
			merges := 0
			for _, r := range g.Revisions() {
				if r.IsMerge() {
					merges++
				}
			}
			if len(g.Revisions()) != tt.o.N || len(g.Heads()) != 1 || (merges > 0) != tt.wantMerges {
				t.Errorf("got %d revisions, %d heads, %d merges; want %d, 1, merges %v",
					len(g.Revisions()), len(g.Heads()), merges, tt.o.N, tt.wantMerges)
			}
			again, err := Revisions(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			for i := range revs {
				if !bytes.Equal(render.Revision(revs[i]), render.Revision(again[i])) {
					t.Fatalf("revision %d differs between two runs with seed %d", i, tt.o.Seed)
				}
			}
		})
	}
}
