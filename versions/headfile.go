package versions

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// HeadFile is the one-line file in the versions directory that, with
// linear = true, names the head. Two git branches that each add a
// revision both rewrite it, so git reports a conflict when they merge,
// not the deploy.
const HeadFile = "strata.head"

// WriteHead writes the head file in dir naming id, atomically.
func WriteHead(dir, id string) error {
	if err := ValidateID(id); err != nil {
		return err
	}
	path := filepath.Join(dir, HeadFile)
	if err := replaceFile(path, []byte(id+"\n")); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ErrHeadFile: the head file disagrees with the graph.
var ErrHeadFile = errors.New("head file out of date")

// CheckHead reports, as an error wrapping ErrHeadFile, a head file in dir
// that is missing, holds a git conflict, or names another revision than
// the graph's single head.
func CheckHead(dir string, g *Graph) error {
	path := filepath.Join(dir, HeadFile)
	data, err := os.ReadFile(path)
	want := "(none)"
	fix := "strata revision, merge and rebase write it"
	if len(g.heads) == 1 {
		want = g.heads[0].ID
		fix = fmt.Sprintf("strata revision, merge and rebase write it; to write it now: echo %s > %s", want, path)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: %s is missing (linear = true); the head is %s; %s", ErrHeadFile, path, want, fix)
	case err != nil:
		return err
	}
	got := strings.TrimSpace(string(data))
	switch {
	case strings.Contains(got, "<<<<<<<") || strings.Contains(got, ">>>>>>>"):
		return fmt.Errorf("%w: %s has a git merge conflict: two branches each added a revision; %s (either rewrites it)", ErrHeadFile, path, HeadsRemedy)
	case len(g.heads) != 1:
		return fmt.Errorf("%w: %s names %s, but the graph has %d heads (%s): %s", ErrHeadFile, path, got, len(g.heads), ids(g.heads), HeadsRemedy)
	case got != want:
		return fmt.Errorf("%w: %s names %s, but the head is %s; %s", ErrHeadFile, path, got, want, fix)
	}
	return nil
}
