package versions

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// revFile renders a minimal revision file; spec is "ID:PARENT,PARENT[;label=L][;dep=D]".
func revFile(spec string) (name, body string) {
	parts := strings.Split(spec, ";")
	id, parents, _ := strings.Cut(parts[0], ":")
	var b strings.Builder
	fmt.Fprintf(&b, "-- Message: rev %s\n-- Revision: %s\n-- Revises: %s\n", id, id, strings.ReplaceAll(parents, ",", ", "))
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, "=")
		switch k {
		case "label":
			fmt.Fprintf(&b, "-- Branch-Labels: %s\n", v)
		case "dep":
			fmt.Fprintf(&b, "-- Depends-On: %s\n", v)
		}
	}
	fmt.Fprintf(&b, "\n-- strata:upgrade\nCREATE TABLE t_%s (id int);\n\n-- strata:downgrade\nDROP TABLE t_%s;\n", id, id)
	return id + "_rev.sql", b.String()
}

func mapFS(specs ...string) fstest.MapFS {
	fs := fstest.MapFS{}
	for _, s := range specs {
		name, body := revFile(s)
		fs[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return fs
}

func mustLoad(t *testing.T, specs ...string) *Graph {
	t.Helper()
	g, err := Load(mapFS(specs...))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// diamond: A; B and C revise A; M merges B and C.
var diamond = []string{"aaaa:", "bbbb:aaaa", "cccc:aaaa", "mmmm:bbbb,cccc"}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		fs       fstest.MapFS
		want     []string
		sentinel error
	}{
		{"missing parent", mapFS("aaaa:", "bbbb:zzzz"), []string{
			"bbbb_rev.sql: Revises names zzzz, which no file in the directory declares"}, ErrRevisionNotFound},
		{"cycle", mapFS("aaaa:", "bbbb:aaaa,dddd", "cccc:bbbb", "dddd:cccc"), []string{
			"bbbb_rev.sql: revisions form a cycle: bbbb -> cccc -> dddd -> bbbb"}, ErrCycle},
		{"duplicate id", func() fstest.MapFS {
			fs := mapFS("aaaa:")
			_, body := revFile("aaaa:")
			fs["aaaa_copy.sql"] = &fstest.MapFile{Data: []byte(body)}
			return fs
		}(), []string{"aaaa_rev.sql: duplicate revision id aaaa (also in aaaa_copy.sql)"}, nil},
		{"broken header and more", func() fstest.MapFS {
			fs := mapFS("aaaa:", "bbbb:aaaa;dep=nolabel")
			fs["cccc_x.sql"] = &fstest.MapFile{Data: []byte("-- Revision: cccc\n-- Revises aaaa\n-- strata:upgrade\n-- strata:downgrade\n")}
			fs["dddd_x.sql"] = &fstest.MapFile{Data: []byte("-- Revision: eeee\n-- Revises: aaaa\n-- strata:upgrade\n-- strata:downgrade\n")}
			return fs
		}(), []string{
			`bbbb_rev.sql: Depends-On: no revision or branch label "nolabel"`,
			`cccc_x.sql:1: missing header "-- Revises: <ids>" (empty for a first revision)`,
			`dddd_x.sql: file name does not start with its Revision header "eeee"; name it eeee_<slug>.sql`,
		}, nil},
		{"duplicate label", mapFS("aaaa:;label=x", "bbbb:aaaa;label=x"), []string{
			`bbbb_rev.sql: branch label "x" is already used by aaaa (aaaa_rev.sql)`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.fs)
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(err, %v) = false", tt.sentinel)
			}
		})
	}
}

func TestLoadIgnoresOtherFiles(t *testing.T) {
	fs := mapFS("aaaa:")
	fs["README.md"] = &fstest.MapFile{Data: []byte("notes")}
	fs[".bbbb_hidden.sql"] = &fstest.MapFile{Data: []byte("junk")}
	fs["sub/cccc_x.sql"] = &fstest.MapFile{Data: []byte("junk")}
	g, err := Load(fs)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(g.Revisions()); n != 1 {
		t.Errorf("loaded %d revisions, want 1", n)
	}
}

func revIDs(rs []*Revision) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestGraphShape(t *testing.T) {
	g := mustLoad(t, diamond...)
	if diff := cmp.Diff([]string{"mmmm"}, revIDs(g.Heads())); diff != "" {
		t.Errorf("heads (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"aaaa"}, revIDs(g.Bases())); diff != "" {
		t.Errorf("bases (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"aaaa"}, revIDs(g.BranchPoints())); diff != "" {
		t.Errorf("branch points (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"aaaa", "bbbb", "cccc", "mmmm"}, revIDs(g.topo())); diff != "" {
		t.Errorf("topo (-want +got):\n%s", diff)
	}
}

func TestEmptyDirectory(t *testing.T) {
	g := mustLoad(t)
	for _, target := range []string{"head", "heads", "base"} {
		tg, err := ParseTarget(target)
		if err != nil {
			t.Fatal(err)
		}
		add, err := g.upgradeSet(g.newSet(), tg)
		if err != nil || len(g.members(add)) != 0 {
			t.Errorf("upgrade %s of an empty directory: %v, %v; want nothing to do", target, g.members(add), err)
		}
	}
}
