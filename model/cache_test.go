package model

import (
	"context"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/testdb"
)

// cacheLoads are loads of the test modules covering every kind of value a
// realm holds: each dialect's types, defaults, identity and autoincrement,
// partial and expression indexes, checks, comments, foreign keys, rename
// hints, GORM's rules and their warnings.
var cacheLoads = []struct {
	name     string
	dir      string
	patterns []string
	d        dialect.Name
	opts     []Option
}{
	{"corpus postgres", "testdata/corpus", []string{"./common/...", "./partial/..."}, dialect.Postgres, nil},
	{"corpus mysql", "testdata/corpus", []string{"./common/..."}, dialect.MySQL, nil},
	{"corpus sqlite", "testdata/corpus", []string{"./common/...", "./partial/..."}, dialect.SQLite, nil},
	{"gorm postgres", "testdata/gorm", []string{"./calls", "./discover", "./override"}, dialect.Postgres, []Option{WithGORM(GORMNaming{TablePrefix: "app_"})}},
	{"gorm mysql", "testdata/gorm", []string{"./calls", "./discover", "./override"}, dialect.MySQL, []Option{WithGORM(GORMNaming{SingularTable: true})}},
	{"gorm sqlite", "testdata/gorm", []string{"./calls", "./discover", "./override"}, dialect.SQLite, []Option{WithGORM(GORMNaming{})}},
	{"vocabulary postgres", "testdata/corpus", []string{"./vocab/postgres"}, dialect.Postgres, nil},
	{"vocabulary mysql", "testdata/corpus", []string{"./vocab/mysql"}, dialect.MySQL, nil},
	{"vocabulary sqlite", "testdata/corpus", []string{"./vocab/sqlite"}, dialect.SQLite, nil},
}

// TestCacheCodecRoundTrip checks that a decoded entry is deeply equal to
// the loaded realm and warnings it was encoded from, pointers between
// tables, columns and indexes included, and that no truncation of an entry
// decodes.
func TestCacheCodecRoundTrip(t *testing.T) {
	for _, c := range cacheLoads {
		t.Run(c.name, func(t *testing.T) {
			var warns []*Error
			opts := append([]Option{WithWarnings(func(e *Error) { warns = append(warns, e) })}, c.opts...)
			r, err := Load(context.Background(), c.dir, c.patterns, c.d, opts...)
			if err != nil {
				t.Fatal(err)
			}
			want := &cacheEntry{Realm: r, Warnings: warns}
			data, err := encodeCache(want)
			if err != nil {
				t.Fatal(err)
			}
			var got cacheEntry
			if err := decodeCache(data, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(want, &got) {
				t.Fatal("decoded entry differs from the encoded one")
			}
			tbl := got.Realm.Schemas[0].Tables[0]
			if tbl.Schema != got.Realm.Schemas[0] {
				t.Error("decoded table does not point at its decoded schema")
			}
			for _, idx := range tbl.Indexes {
				for _, p := range idx.Parts {
					if c, _ := tbl.Column(p.C.Name); p.C != nil && p.C != c {
						t.Errorf("index %s part %s is not the table's column", idx.Name, p.C.Name)
					}
				}
			}
			for n := 0; n < len(data); n += 1 + len(data)/200 {
				var e cacheEntry
				if err := decodeCache(data[:n], &e); err == nil {
					t.Fatalf("a %d-byte prefix of the %d-byte entry decodes", n, len(data))
				}
			}
		})
	}
}

// cacheModule writes a module whose models import a package of the module
// and one of a local replacement, and returns its directory.
func cacheModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"app/go.mod": "module example.com/app\n\ngo 1.26\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n",
		"app/go.sum": "",
		"app/models/models.go": `package models

import (
	"example.com/app/base"
	"example.com/lib/audit"
)

//strata:table users
type User struct {
	base.Base
	audit.Stamps
	Name string ` + "`strata:\"size:100\"`" + `
}
`,
		"app/models/other_linux.go": "//go:build linux\n\npackage models\n",
		"app/base/base.go":          "package base\n\ntype Base struct {\n\tID int64 `strata:\"pk\"`\n}\n",
		"lib/go.mod":                "module example.com/lib\n\ngo 1.26\n",
		"lib/audit/audit.go":        "package audit\n\ntype Stamps struct {\n\tVersion int32\n}\n",
	}
	testdb.WriteFiles(t, dir, files)
	return filepath.Join(dir, "app")
}

// TestCacheKeyInputs changes each input of a load in turn and checks that
// the key changes, and that it does not change when nothing does.
func TestCacheKeyInputs(t *testing.T) {
	app := cacheModule(t)
	goCmd := filepath.Join(t.TempDir(), "go")
	testdb.WriteFile(t, goCmd, "go 1")
	key := func(patterns []string, d dialect.Name, opts ...Option) [sha256.Size]byte {
		t.Helper()
		var lo loadOptions
		for _, o := range opts {
			o(&lo)
		}
		k, ok := cacheKey(app, patterns, d, lo, goCmd)
		if !ok {
			t.Fatal("no key")
		}
		return k
	}
	base := []string{"./models"}
	prev := key(base, dialect.Postgres)
	if key(base, dialect.Postgres) != prev {
		t.Fatal("the key of the same load changed")
	}
	edit := func(path, body string) func() {
		return func() { testdb.WriteFile(t, filepath.Join(app, path), body) }
	}
	for _, c := range []struct {
		name   string
		change func()
		key    func() [sha256.Size]byte
	}{
		{"model file", func() {
			path := filepath.Join(app, "models", "models.go")
			data, _ := os.ReadFile(path)
			testdb.WriteFile(t, path, strings.Replace(string(data), "size:100", "size:101", 1))
		}, nil},
		{"new model file", edit("models/more.go", "package models\n"), nil},
		{"file of another GOOS", edit("models/other_linux.go", "//go:build linux\n\npackage models\n\nconst X = 1\n"), nil},
		{"imported package of the module", edit("base/base.go", "package base\n\ntype Base struct {\n\tID int32 `strata:\"pk\"`\n}\n"), nil},
		{"local replacement", edit("../lib/audit/audit.go", "package audit\n\ntype Stamps struct {\n\tVersion int64\n}\n"), nil},
		{"go.mod of the replacement", edit("../lib/go.mod", "module example.com/lib\n\ngo 1.25\n"), nil},
		{"go.mod", edit("go.mod", "module example.com/app\n\ngo 1.25\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n"), nil},
		{"go.sum", edit("go.sum", "example.com/x v1.0.0 h1:abc=\n"), nil},
		{"go.work", edit("../go.work", "go 1.26\n\nuse ./app\n"), nil},
		{"go command", func() { testdb.WriteFile(t, goCmd, "go 2") }, nil},
		{"GOFLAGS", func() { t.Setenv("GOFLAGS", "-tags=extra") }, nil},
		{"GOOS", func() { t.Setenv("GOOS", "windows") }, nil},
		{"dialect", nil, func() [sha256.Size]byte { return key(base, dialect.MySQL) }},
		{"patterns", nil, func() [sha256.Size]byte { return key([]string{"./..."}, dialect.Postgres) }},
		{"orm", nil, func() [sha256.Size]byte { return key(base, dialect.Postgres, WithGORM(GORMNaming{})) }},
		{"gorm table prefix", nil, func() [sha256.Size]byte {
			return key(base, dialect.Postgres, WithGORM(GORMNaming{TablePrefix: "x_"}))
		}},
		{"gorm singular tables", nil, func() [sha256.Size]byte {
			return key(base, dialect.Postgres, WithGORM(GORMNaming{SingularTable: true}))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.change != nil {
				c.change()
			}
			k := prev
			if c.key != nil {
				k = c.key()
			} else {
				k = key(base, dialect.Postgres)
			}
			if k == prev {
				t.Fatalf("the key did not change with the %s", c.name)
			}
			if c.key == nil {
				prev = k
			}
		})
	}
}

// TestCacheUnresolvablePatterns checks that a pattern the key cannot
// resolve without the go command, or GOFLAGS naming files the key does not
// read, leaves the load uncached.
func TestCacheUnresolvablePatterns(t *testing.T) {
	app := cacheModule(t)
	for _, p := range []string{"all", "std", "example.com/other/...", "./mod...els"} {
		if _, ok := cacheKey(app, []string{p}, dialect.Postgres, loadOptions{}, "go"); ok {
			t.Errorf("pattern %q has a key", p)
		}
	}
	t.Run("GOFLAGS", func(t *testing.T) {
		for _, flags := range []string{"-modfile=alt.mod", "-mod=mod -overlay=o.json"} {
			t.Setenv("GOFLAGS", flags)
			if _, ok := cacheKey(app, []string{"./models"}, dialect.Postgres, loadOptions{}, "go"); ok {
				t.Errorf("GOFLAGS=%s has a key", flags)
			}
		}
	})
	for _, p := range []string{"example.com/app/models", "example.com/lib/...", "./...", "."} {
		if _, ok := cacheKey(app, []string{p}, dialect.Postgres, loadOptions{}, "go"); !ok {
			t.Errorf("pattern %q has no key", p)
		}
	}
}

// TestCacheHit checks that a second Load reads the entry the first wrote,
// with the same schema and warnings, and that a load reads what the entry
// holds rather than the source.
func TestCacheHit(t *testing.T) {
	cache := t.TempDir()
	ctx := context.Background()
	c := cacheLoads[3] // GORM, with warnings
	load := func(opts ...Option) (*schema.Realm, []*Error) {
		t.Helper()
		var warns []*Error
		opts = append(append([]Option{WithWarnings(func(e *Error) { warns = append(warns, e) })}, c.opts...), opts...)
		r, err := Load(ctx, c.dir, c.patterns, c.d, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return r, warns
	}
	want, wantWarns := load()
	if len(wantWarns) == 0 {
		t.Fatal("the load has no warnings to check")
	}
	load(WithCache(cache))
	entries, _ := filepath.Glob(filepath.Join(cache, "*"))
	if len(entries) != 2 { // the entry and the trim mark
		t.Fatalf("cache holds %v, want one entry and the trim mark", entries)
	}
	got, gotWarns := load(WithCache(cache))
	if !reflect.DeepEqual(want, got) || !reflect.DeepEqual(wantWarns, gotWarns) {
		t.Fatal("the cached load differs from the uncached one")
	}

	// Replace the entry's realm: a hit returns it.
	abs, _ := filepath.Abs(c.dir)
	var lo loadOptions
	for _, o := range c.opts {
		o(&lo)
	}
	goCmd, _ := exec.LookPath("go")
	key, ok := cacheKey(abs, c.patterns, c.d, lo, goCmd)
	if !ok {
		t.Fatal("no key")
	}
	marked := schema.NewRealm(schema.New("public").AddTables(schema.NewTable("from_the_cache")))
	writeCache(cache, key, &cacheEntry{Realm: marked})
	got, gotWarns = load(WithCache(cache))
	if len(got.Schemas[0].Tables) != 1 || got.Schemas[0].Tables[0].Name != "from_the_cache" || len(gotWarns) != 0 {
		t.Fatal("Load did not return the cached entry")
	}
}

// TestCacheBadEntries checks that a corrupt, truncated or foreign entry is
// a miss that the load replaces, and that a cache directory that cannot be
// written leaves loads working.
func TestCacheBadEntries(t *testing.T) {
	ctx := context.Background()
	c := cacheLoads[0]
	want, err := Load(ctx, c.dir, c.patterns, c.d)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(c.dir)
	goCmd, _ := exec.LookPath("go")
	key, ok := cacheKey(abs, c.patterns, c.d, loadOptions{}, goCmd)
	if !ok {
		t.Fatal("no key")
	}
	cache := t.TempDir()
	if _, err := Load(ctx, c.dir, c.patterns, c.d, WithCache(cache)); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(cachePath(cache, key))
	if err != nil {
		t.Fatal(err)
	}
	other := key
	other[0]++
	foreign := slices.Concat([]byte(cacheFormat), other[:], good[len(cacheFormat)+sha256.Size:])
	flipped := slices.Clone(good)
	flipped[len(flipped)-10] ^= 0xff
	for name, data := range map[string][]byte{
		"empty":      {},
		"garbage":    []byte("not an entry at all"),
		"truncated":  good[:len(good)/2],
		"bit flip":   flipped,
		"foreign":    foreign,
		"old format": append([]byte(strings.Replace(cacheFormat, "1", "0", 1)), good[len(cacheFormat):]...),
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(cachePath(cache, key), data, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := Load(ctx, c.dir, c.patterns, c.d, WithCache(cache))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(want, got) {
				t.Fatal("the load differs from an uncached one")
			}
			if e, ok := readCache(cache, key); !ok || !reflect.DeepEqual(want, e.Realm) {
				t.Fatal("the load did not replace the bad entry")
			}
		})
	}
	t.Run("unwritable", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		testdb.WriteFile(t, file, "")
		got, err := Load(ctx, c.dir, c.patterns, c.d, WithCache(filepath.Join(file, "cache")))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatal("the load differs from an uncached one")
		}
	})
}
