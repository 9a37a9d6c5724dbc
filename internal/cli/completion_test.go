package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/strata-db/strata/internal/testdb"
)

// runCLI runs one strata command line in-process and returns its exit
// code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, lookup: func(string) (string, bool) { return "", false }}
	e.terminal = func() bool { return false }
	code := e.run(context.Background(), args)
	return code, stdout.String(), stderr.String()
}

// shellPath finds shell, skipping the test when it is not installed
// unless STRATA_REQUIRE_DBS=1 (CI, where .ci/run installs it).
func shellPath(t *testing.T, shell string) string {
	t.Helper()
	path, err := exec.LookPath(shell)
	if err != nil {
		if testdb.Required() {
			t.Fatalf("STRATA_REQUIRE_DBS=1 and %s is not installed (.ci/run installs it)", shell)
		}
		t.Skipf("%s is not installed", shell)
	}
	return path
}

// completionScript writes `strata completion shell` to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	code, out, errOut := runCLI(t, "completion", shell)
	if code != ExitOK || errOut != "" {
		t.Fatalf("strata completion %s: exit %d, %s", shell, code, errOut)
	}
	path := filepath.Join(t.TempDir(), "strata."+shell)
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCompletionSyntax checks each script with its shell's own syntax check.
func TestCompletionSyntax(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			sh := shellPath(t, shell)
			if out, err := exec.Command(sh, "-n", completionScript(t, shell)).CombinedOutput(); err != nil {
				t.Fatalf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

// TestCompletionBash completes command lines through the bash function.
func TestCompletionBash(t *testing.T) {
	sh := shellPath(t, "bash")
	script := completionScript(t, "bash")
	tests := []struct {
		line string // the words typed, the last one being completed
		want string
	}{
		{"strata up", "upgrade"},
		{"strata -c x.toml his", "history"},
		{"strata downgrade --all", "--allow-edited"},
		{"strata revision --auto", "--autogenerate"},
		{"strata current --data", "--database-url"},
		{"strata com", "completion"},
	}
	for _, tt := range tests {
		words := strings.Fields(tt.line)
		prog := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _strata; printf '%s\n' "${COMPREPLY[@]}"`
		out, err := exec.Command(sh, append([]string{"-c", prog, "bash", script}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tt.line, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("%s<TAB> = %q, want %q", tt.line, got, tt.want)
		}
	}
}

// TestCompletionFish asks fish itself what it would complete.
func TestCompletionFish(t *testing.T) {
	sh := shellPath(t, "fish")
	script := completionScript(t, "fish")
	for line, want := range map[string]string{
		"strata up":              "upgrade\tapply revisions up to TARGET (default head)",
		"strata revision --auto": "--autogenerate\tfill the revision with the changes from the database to the models",
		"strata --data":          "--database-url\tdatabase URL; overrides STRATA_DATABASE_URL and the config file",
	} {
		out, err := exec.Command(sh, "--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script, line).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%s<TAB> = %q, want %q", line, got, want)
		}
	}
}

func TestCompletionNeedsAShell(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		code, out, errOut := runCLI(t, args...)
		if code != ExitError || out != "" || errOut != "strata: completion needs one shell: bash, zsh or fish (e.g. strata completion bash > /etc/bash_completion.d/strata)\n" {
			t.Errorf("strata %v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

func TestVersion(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	got := versionText(bi)
	for _, want := range []string{"strata v1.2.3\n", "commit 0123abcd (2026-01-02T03:04:05Z), with uncommitted changes\n", "go     go1.26.0 "} {
		if !strings.Contains(got, want) {
			t.Errorf("versionText = %q, want it to contain %q", got, want)
		}
	}
	if got := versionText(nil); !strings.HasPrefix(got, "strata (unknown)\ncommit (unknown)\ngo     go1.") {
		t.Errorf("versionText(nil) = %q", got)
	}
	// --version and version print the same, the Go version of this binary.
	_, flag, _ := runCLI(t, "--version")
	_, cmd, _ := runCLI(t, "version")
	if flag != cmd || !strings.Contains(cmd, "go     go1.") {
		t.Errorf("--version = %q, version = %q", flag, cmd)
	}
}
