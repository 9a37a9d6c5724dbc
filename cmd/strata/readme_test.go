package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeSnippets are the files holding, verbatim, the Go snippets of
// README.md, each compiled and run as an Example of the package it
// documents.
var readmeSnippets = []string{
	"../../versions/example_migrate_test.go",
	"../../model/testdata/readme/models/user.go",
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
