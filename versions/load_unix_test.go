//go:build unix

package versions

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLoadSkipsNonRegular: a FIFO named like a revision would block the
// read forever; only regular files (and links to them) are revisions.
func TestLoadSkipsNonRegular(t *testing.T) {
	dir := t.TempDir()
	_, body := revFile("aaaa:")
	if err := os.WriteFile(filepath.Join(dir, "aaaa_x.sql"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "bbbb_x.sql"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, linked := revFile("cccc:aaaa")
	target := filepath.Join(t.TempDir(), "elsewhere.sql")
	if err := os.WriteFile(target, []byte(linked), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, "cccc_x.sql")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dddd_x.sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	g, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := revIDs(g.Revisions()); len(got) != 2 || got[0] != "aaaa" || got[1] != "cccc" {
		t.Errorf("loaded %v, want aaaa and cccc", got)
	}
}
