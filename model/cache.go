package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"go/parser"
	"go/token"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"ariga.io/atlas/sql/schema"
	"golang.org/x/mod/modfile"

	"github.com/strata-db/strata/dialect"
)

// A Load with WithCache keeps its result in a directory, keyed by a hash of
// everything the result depends on, and a later Load with the same key
// reads it instead of running the go command and the type checker. The key
// covers:
//   - the running program (path, size and modification time of the
//     executable), so that another strata never trusts an entry it did not
//     write, and the cache format;
//   - the go command (path, size, modification time), every GO* and CGO_*
//     environment variable and the go env file (build tags, GOOS, GOARCH,
//     GOFLAGS, GOWORK, ...);
//   - the load directory, the patterns, the dialect and the options;
//   - go.mod, go.sum, go.work and go.work.sum, vendor/modules.txt, and the
//     go.mod of every local replacement or workspace module;
//   - the name and contents of every .go file, whatever its build
//     constraints, in the directories the patterns match and, transitively,
//     in the directories of the packages they import from the main module,
//     a local replacement, a workspace module or the vendor directory.
//
// Packages from the module cache are immutable for the versions go.mod and
// go.sum name, and the standard library is the go command's. A pattern the
// key cannot resolve without the go command (an import path outside the
// local modules, a wildcard other than a trailing /..., all, std) leaves the
// load uncached, and so do GOFLAGS naming another go.mod (-modfile) or an
// overlay. An entry that is missing, unreadable, corrupt or written
// for another key is a miss; failing to write one is ignored.

// cacheFormat changes whenever the entry layout or the codec does.
const cacheFormat = "strata model cache 1\n"

// WithCache keeps the loaded schema in dir (created when missing) and
// reads it back while nothing it depends on has changed. Loads that fail
// are not cached.
func WithCache(dir string) Option {
	return func(o *loadOptions) { o.cacheDir = dir }
}

// cacheEntry is what an entry holds: the realm and the warnings of the
// load.
type cacheEntry struct {
	Realm    *schema.Realm
	Warnings []*Error
}

// cacheKey returns the key of a load, or false when it cannot be told
// cheaply and the load goes uncached.
func cacheKey(abs string, patterns []string, d dialect.Name, lo loadOptions, goCmd string) ([sha256.Size]byte, bool) {
	k := &keyer{h: sha256.New(), modules: map[string]string{}, dirs: map[string][]byte{}}
	k.str(cacheFormat)
	exe, err := os.Executable()
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	k.stat(exe)
	k.stat(goCmd)
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return !strings.HasPrefix(kv, "GO") && !strings.HasPrefix(kv, "CGO_")
	})
	slices.Sort(env)
	k.str(strings.Join(env, "\x00"))
	goenv := k.file(goEnvFile())
	// A go.mod or overlay named in the flags replaces files the key reads.
	for _, flags := range []string{os.Getenv("GOFLAGS"), string(goenv)} {
		if strings.Contains(flags, "-modfile") || strings.Contains(flags, "-overlay") {
			return [sha256.Size]byte{}, false
		}
	}
	k.str(abs)
	k.str(strings.Join(patterns, "\x00"))
	k.str(string(d))
	if g := lo.gorm; g != nil {
		k.str("gorm " + strconv.Quote(g.TablePrefix) + " " + strconv.FormatBool(g.SingularTable))
	}
	if !k.modulesOf(abs) {
		return [sha256.Size]byte{}, false
	}
	for _, p := range patterns {
		if !k.pattern(abs, p) {
			return [sha256.Size]byte{}, false
		}
	}
	for len(k.queue) > 0 {
		dir := k.queue[0]
		k.queue = k.queue[1:]
		k.dir(dir)
	}
	dirs := make([]string, 0, len(k.dirs))
	for dir := range k.dirs {
		dirs = append(dirs, dir)
	}
	slices.Sort(dirs)
	for _, dir := range dirs {
		k.str(dir)
		k.h.Write(k.dirs[dir])
	}
	var key [sha256.Size]byte
	k.h.Sum(key[:0])
	return key, true
}

// keyer gathers the inputs of a cache key.
type keyer struct {
	h hash.Hash
	// modules maps the paths of the local modules (main, replacements,
	// workspace) to their directories; vendor is the main module's
	// vendor directory when it has one.
	modules map[string]string
	vendor  string
	// dirs holds the digest of each package directory read; queue, the
	// directories still to read.
	dirs  map[string][]byte
	queue []string
	fset  *token.FileSet
}

// str writes s, length first, so that no two sequences of strings write
// the same bytes.
func (k *keyer) str(s string) {
	k.h.Write(binary.AppendUvarint(nil, uint64(len(s))))
	k.h.Write([]byte(s))
}

// stat writes a file's path, size and modification time.
func (k *keyer) stat(path string) {
	k.str(path)
	if fi, err := os.Stat(path); err == nil {
		k.str(strconv.FormatInt(fi.Size(), 10) + " " + fi.ModTime().UTC().Format(time.RFC3339Nano))
	} else {
		k.str("missing")
	}
}

// file writes a file's path and contents, and returns the contents (nil
// when there is no such file).
func (k *keyer) file(path string) []byte {
	k.str(path)
	data, err := os.ReadFile(path)
	if err != nil {
		k.str("missing")
		return nil
	}
	k.str(string(data))
	return data
}

// goEnvFile is the file `go env -w` writes.
func goEnvFile() string {
	if f := os.Getenv("GOENV"); f != "" {
		return f
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "go", "env")
}

// modulesOf reads the module files that govern dir: its go.mod, go.sum and
// vendor/modules.txt, the go.work above it, and the go.mod of each local
// module they name.
func (k *keyer) modulesOf(dir string) bool {
	root := dir
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			root = ""
			break
		}
		root = parent
	}
	if root != "" && !k.module(root, "") {
		return false
	}
	if root != "" {
		k.file(filepath.Join(root, "go.sum"))
		if data := k.file(filepath.Join(root, "vendor", "modules.txt")); data != nil {
			k.vendor = filepath.Join(root, "vendor")
		}
	}
	work := os.Getenv("GOWORK")
	if work == "" {
		for d := dir; ; {
			if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
				work = filepath.Join(d, "go.work")
				break
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	if work == "" || work == "off" {
		return true
	}
	data := k.file(work)
	k.file(work + ".sum")
	if data == nil {
		return true
	}
	wf, err := modfile.ParseWork(work, data, nil)
	if err != nil {
		return false
	}
	base := filepath.Dir(work)
	for _, u := range wf.Use {
		if !k.module(localDir(base, u.Path), "") {
			return false
		}
	}
	for _, r := range wf.Replace {
		if modfile.IsDirectoryPath(r.New.Path) && !k.module(localDir(base, r.New.Path), r.Old.Path) {
			return false
		}
	}
	return true
}

// module reads the go.mod of the local module in dir and the local
// replacements it names. path is the module's import path when a
// replacement gives it; otherwise go.mod's module line does.
func (k *keyer) module(dir, path string) bool {
	data := k.file(filepath.Join(dir, "go.mod"))
	if data == nil {
		return path != ""
	}
	f, err := modfile.Parse(filepath.Join(dir, "go.mod"), data, nil)
	if err != nil {
		return false
	}
	if path == "" {
		if f.Module == nil {
			return false
		}
		path = f.Module.Mod.Path
	}
	if _, ok := k.modules[path]; ok {
		return true
	}
	k.modules[path] = dir
	for _, r := range f.Replace {
		if modfile.IsDirectoryPath(r.New.Path) && !k.module(localDir(dir, r.New.Path), r.Old.Path) {
			return false
		}
	}
	return true
}

func localDir(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// pattern queues the package directories a pattern matches.
func (k *keyer) pattern(abs, p string) bool {
	root, all := strings.CutSuffix(p, "/...")
	if p == "..." {
		root, all = ".", true
	}
	if strings.Contains(root, "...") || strings.Contains(p, "\\") {
		return false
	}
	var dir string
	switch {
	case root == "." || root == ".." || strings.HasPrefix(root, "./") || strings.HasPrefix(root, "../"):
		dir = filepath.Join(abs, root)
	case filepath.IsAbs(root):
		dir = filepath.Clean(root)
	default:
		var ok bool
		if dir, ok = k.local(root); !ok {
			return false // all, std, cmd, or a package of the module cache
		}
	}
	if !all {
		k.enqueue(dir)
		return true
	}
	k.str("walk " + dir)
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			return nil
		}
		if path != dir {
			// The go command leaves these out of a /... pattern.
			name := e.Name()
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				k.str("module " + path)
				return filepath.SkipDir
			}
		}
		k.enqueue(path)
		return nil
	})
	return err == nil
}

// local returns the directory of an import path in a local module (the
// longest module path that is a prefix wins) or in the vendor directory.
func (k *keyer) local(path string) (string, bool) {
	best := ""
	for mod := range k.modules {
		if (path == mod || strings.HasPrefix(path, mod+"/")) && len(mod) > len(best) {
			best = mod
		}
	}
	if best != "" {
		return filepath.Join(k.modules[best], filepath.FromSlash(strings.TrimPrefix(path, best))), true
	}
	if k.vendor != "" {
		dir := filepath.Join(k.vendor, filepath.FromSlash(path))
		if _, err := os.Stat(dir); err == nil {
			return dir, true
		}
	}
	return "", false
}

func (k *keyer) enqueue(dir string) {
	if _, ok := k.dirs[dir]; ok {
		return
	}
	k.dirs[dir] = nil
	k.queue = append(k.queue, dir)
}

// dir records the digest of the .go files of a package directory and
// queues the local packages they import.
func (k *keyer) dir(dir string) {
	h := sha256.New()
	entries, err := os.ReadDir(dir)
	if err != nil {
		h.Write([]byte("unreadable"))
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			data = []byte("unreadable")
		}
		h.Write(binary.AppendUvarint(nil, uint64(len(name))))
		h.Write([]byte(name))
		h.Write(binary.AppendUvarint(nil, uint64(len(data))))
		h.Write(data)
		if k.fset == nil {
			k.fset = token.NewFileSet()
		}
		f, err := parser.ParseFile(k.fset, name, data, parser.ImportsOnly)
		if err != nil || f == nil {
			continue // the load reports it; the contents are in the key
		}
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil || path == "C" {
				continue
			}
			if d, ok := k.local(path); ok {
				k.enqueue(d)
			}
		}
	}
	k.dirs[dir] = h.Sum(nil)
}

// cachePath is the file of the entry for key.
func cachePath(dir string, key [sha256.Size]byte) string {
	return filepath.Join(dir, hex.EncodeToString(key[:]))
}

// readCache returns the entry for key, or false.
func readCache(dir string, key [sha256.Size]byte) (*cacheEntry, bool) {
	path := cachePath(dir, key)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	head := len(cacheFormat) + 2*sha256.Size
	if len(data) < head || string(data[:len(cacheFormat)]) != cacheFormat ||
		!bytes.Equal(data[len(cacheFormat):len(cacheFormat)+sha256.Size], key[:]) {
		return nil, false
	}
	payload := data[head:]
	if sum := sha256.Sum256(payload); !bytes.Equal(sum[:], data[head-sha256.Size:head]) {
		return nil, false
	}
	var e cacheEntry
	if err := decodeCache(payload, &e); err != nil || e.Realm == nil {
		return nil, false
	}
	// Mark the entry used, coarsely, for trimCache.
	if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > time.Hour {
		now := time.Now()
		os.Chtimes(path, now, now)
	}
	return &e, true
}

// writeCache stores an entry for key, atomically: a reader sees the whole
// entry or none. Failures are ignored: the cache is only a shortcut.
func writeCache(dir string, key [sha256.Size]byte, e *cacheEntry) {
	payload, err := encodeCache(e)
	if err != nil {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(dir, "tmp-*")
	if err != nil {
		return
	}
	sum := sha256.Sum256(payload)
	data := slices.Concat([]byte(cacheFormat), key[:], sum[:], payload)
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), cachePath(dir, key))
	}
	if err != nil {
		os.Remove(f.Name())
		return
	}
	trimCache(dir)
}

// trimCache removes, at most once a day, the entries unused for five days
// (readCache marks an entry used at most once an hour) and temporary files
// a crashed write left behind.
func trimCache(dir string) {
	mark := filepath.Join(dir, "trimmed")
	if fi, err := os.Stat(mark); err == nil && time.Since(fi.ModTime()) < 24*time.Hour {
		return
	}
	if err := os.WriteFile(mark, nil, 0o644); err != nil {
		return
	}
	now := time.Now()
	os.Chtimes(mark, now, now)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Name() == "trimmed" {
			continue
		}
		fi, err := e.Info()
		if err == nil && now.Sub(fi.ModTime()) > 5*24*time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
