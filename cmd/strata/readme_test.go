package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/strata-db/strata/internal/testdb"
)

// readmeSnippets are the files holding, verbatim, the Go snippets of
// README.md, each compiled and run as an Example of the package it
// documents.
var readmeSnippets = []string{
	"../../versions/example_migrate_test.go",
	"../../model/testdata/readme/models/user.go",
	"../../model/testdata/readme/enums/mood.go",
}

// TestREADMESnippets: every Go snippet in README.md is part of a compiled,
// tested file, so the README's code cannot rot.
func TestREADMESnippets(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, f := range readmeSnippets {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	snippets := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(snippets) == 0 {
		t.Fatal("no Go snippet found in README.md")
	}
	for _, m := range snippets {
		found := false
		for _, src := range sources {
			found = found || strings.Contains(src, m[1])
		}
		if !found {
			t.Errorf("README.md snippet is in none of %v; make it one of them (an Example's code) or add its compiled home:\n%s", readmeSnippets, m[1])
		}
	}
}

// TestREADMEQuickStarts runs the README's quick starts as written, with
// POSIX sh (and zsh where installed; bash is the common case between
// them), each in an empty directory with strata built from this tree on
// PATH: they need nothing GNU-only.
func TestREADMEQuickStarts(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	section = section[strings.Index(section, "## Quick start"):strings.Index(section, "## Commands")]
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(section, -1)
	if len(blocks) != 3 {
		t.Fatalf("%d sh blocks in the quick start, want 3 (SQL first, models first, database first)", len(blocks))
	}
	bin := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "strata"), ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// What each quick start ends with.
	ends := []string{
		"database is not at head: it is at [0-9a-f]{12}, the head is [0-9a-f]{12}; run strata upgrade head\n$",
		"\\+ table orders\n(.*\n)*models, revisions and database agree\n$",
		"wrote models/users.go\n(.*\n)*stamped [0-9a-f]{12}: 1 table adopted, models in package models\nmodels, revisions and database agree\n$",
	}
	// What each quick start may print on stderr besides go mod init's line.
	warnings := []string{"", "", "strata: warning: not managed by strata (left untouched): view emails\n"}
	shells := []string{"sh", "bash", "zsh"}
	for _, sh := range shells {
		path, err := exec.LookPath(sh)
		if err != nil {
			if sh == "zsh" && !testdb.Required() {
				continue
			}
			t.Fatalf("%s: %v", sh, err)
		}
		for i, b := range blocks {
			t.Run(fmt.Sprintf("%s/%d", sh, i), func(t *testing.T) {
				dir := t.TempDir()
				cmd := exec.Command(path, "-c", b[1])
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "STRATA_DATABASE_URL=")
				for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN"} {
					cmd.Env = append(cmd.Env, k+"="+goEnv(k))
				}
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				cmd.Run() // the SQL-first start ends with check's exit 1
				if !regexp.MustCompile(ends[i]).MatchString(stdout.String()) {
					t.Errorf("output does not end as the README says (%s):\n%s", ends[i], stdout.String())
				}
				if e := strings.ReplaceAll(stderr.String(), "go: creating new go.mod: module example.com/shop\n", ""); e != warnings[i] {
					t.Errorf("stderr:\n%s", e)
				}
			})
		}
	}
}
