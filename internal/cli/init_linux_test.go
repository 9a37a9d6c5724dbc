package cli

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestInitFullDisk: init on a file system with no room for strata.toml
// (a tmpfs with no free inode after the versions directory) fails and
// leaves nothing behind. It needs root to mount the tmpfs.
func TestInitFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m,nr_inodes=2", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	cfg := dir + "/strata.toml"
	r := strata(t, cfg, "", false, "init", dir)
	if r.code != ExitError || !strings.Contains(r.stderr, "no space left on device") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("init left %s behind", e.Name())
	}
}
