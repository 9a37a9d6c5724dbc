package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-db/strata/internal/testdb"
)

// TestPreCommitHook runs .pre-commit-hooks.yaml under the real pre-commit
// tool: a throwaway project installs the strata-check hook from a git copy
// of this repository (pre-commit builds it with `go install ./...`); a
// commit leaving the models and the revisions in disagreement is refused,
// a clean one passes. Then strata-check-system runs the strata on PATH.
func TestPreCommitHook(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		if testdb.Required() {
			t.Fatal("STRATA_REQUIRE_DBS=1 and pre-commit is not installed (.ci/run installs the Debian package)")
		}
		t.Skip("pre-commit is not installed")
	}
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "PRE_COMMIT_HOME="+filepath.Join(home, "pre-commit"),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_CONFIG_NOSYSTEM=1", "STRATA_DATABASE_URL=")
	// The go command keeps this process's caches (no download, no rebuild
	// of what is built), whatever HOME and pre-commit's GOPATH say.
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN"} {
		env = append(env, k+"="+goEnv(k))
	}
	run := func(dir string, args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(dir string, args ...string) string {
		t.Helper()
		out, err := run(dir, args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}

	// The hook repository: this module as it is in the working tree.
	hooks := filepath.Join(t.TempDir(), "strata")
	files := must("../..", "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, f := range strings.Split(strings.TrimRight(files, "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join("../..", f))
		if os.IsNotExist(err) {
			continue // deleted, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(hooks, f), string(data))
	}
	must(hooks, "git", "init", "-q")
	must(hooks, "git", "add", "-A")
	must(hooks, "git", "commit", "-q", "-m", "strata")
	rev := strings.TrimSpace(must(hooks, "git", "rev-parse", "HEAD"))

	project := t.TempDir()
	write(t, filepath.Join(project, "go.mod"), "module example.com/app\n\ngo 1.26\n")
	write(t, filepath.Join(project, "models/models.go"), itemModel(""))
	write(t, filepath.Join(project, "strata.toml"), "database_url = \"sqlite://dev.db\"\nmodels = [\"./models\"]\n")
	write(t, filepath.Join(project, "migrations/r1_create.sql"),
		"-- Revision: r1\n-- Revises:\n\n-- strata:upgrade\nCREATE TABLE item (id integer NOT NULL, PRIMARY KEY (id));\n\n-- strata:downgrade\nDROP TABLE item;\n")
	write(t, filepath.Join(project, ".pre-commit-config.yaml"), "repos:\n  - repo: "+hooks+"\n    rev: "+rev+"\n    hooks:\n      - id: strata-check\n        args: [--replay]\n")
	must(project, "git", "init", "-q")
	must(project, "pre-commit", "install")
	must(project, "git", "add", "-A")
	out := must(project, "git", "commit", "-m", "models and revisions agree")
	if !strings.Contains(out, "strata check") || !strings.Contains(out, "Passed") {
		t.Errorf("clean commit: the hook did not run and pass:\n%s", out)
	}

	// The models move on without a revision: refused.
	write(t, filepath.Join(project, "models/models.go"), itemModel("\tName string `strata:\"size:40\"`\n"))
	out, err := run(project, "git", "commit", "-am", "drift")
	if err == nil {
		t.Fatalf("a commit with the models ahead of the revisions went in:\n%s", out)
	}
	if !strings.Contains(out, "the models differ from the revisions") || !strings.Contains(out, "+ column item.name") {
		t.Errorf("refused commit: output does not say why:\n%s", out)
	}
	if log := must(project, "git", "log", "--oneline"); strings.Contains(log, "drift") {
		t.Errorf("the refused commit is in the log:\n%s", log)
	}

	// With the revision: accepted.
	write(t, filepath.Join(project, "migrations/r2_name.sql"),
		"-- Revision: r2\n-- Revises: r1\n\n-- strata:upgrade\nALTER TABLE item ADD COLUMN name varchar(40) NOT NULL;\n\n-- strata:downgrade\nALTER TABLE item DROP COLUMN name;\n")
	must(project, "git", "add", "-A")
	must(project, "git", "commit", "-m", "add item.name")

	// strata-check-system runs the strata on PATH: the one pre-commit built.
	built, _ := filepath.Glob(filepath.Join(home, "pre-commit", "repo*", "golangenv-*", "bin", "strata"))
	if len(built) != 1 {
		t.Fatalf("pre-commit's strata binary: found %v", built)
	}
	write(t, filepath.Join(project, ".pre-commit-config.yaml"), "repos:\n  - repo: "+hooks+"\n    rev: "+rev+"\n    hooks:\n      - id: strata-check-system\n        args: [--replay]\n")
	env = append(env, "PATH="+filepath.Dir(built[0])+string(os.PathListSeparator)+os.Getenv("PATH"))
	must(project, "pre-commit", "run", "strata-check-system", "--all-files")
	write(t, filepath.Join(project, "models/models.go"), itemModel("\tName string `strata:\"size:80\"`\n"))
	if out, err := run(project, "pre-commit", "run", "strata-check-system", "--all-files"); err == nil || !strings.Contains(out, "~ column item.name") {
		t.Errorf("strata-check-system passed a drift (err %v):\n%s", err, out)
	}
}

// itemModel is a models package with table item and extra fields.
func itemModel(extra string) string {
	return "package models\n\n//strata:table\ntype Item struct {\n\tID int32 `strata:\"pk\"`\n" + extra + "}\n"
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
