package versions

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
)

// NewOptions describes a revision to create.
type NewOptions struct {
	Message string
	// Head is the revision the new one revises: "" for the single head
	// (or none in an empty directory), "base" for a new root, an id, prefix,
	// branch label or LABEL@head.
	Head string
	// Splice allows Head to name a revision that is not a head, starting a branch.
	Splice       bool
	BranchLabels []string
	DependsOn    []string
	// ID is the revision id; empty for 12 random hex characters.
	ID      string
	Created time.Time
}

// New returns the revision `strata revision` would write; g may be nil for
// an empty directory. It does not write anything.
func New(g *Graph, o NewOptions) (*Revision, error) {
	if g == nil {
		g, _ = link(nil)
	}
	var revises []string
	switch o.Head {
	case "":
		switch len(g.heads) {
		case 0:
		case 1:
			revises = []string{g.heads[0].ID}
		default:
			return nil, errorf(ErrMultipleHeads, "multiple heads are present (%s): %s; or pass --head to choose the revision to build on", ids(g.heads), HeadsRemedy)
		}
	case "base":
	default:
		r, err := g.Resolve(o.Head)
		if err != nil {
			return nil, err
		}
		if len(r.children) > 0 && !o.Splice {
			return nil, fmt.Errorf("revision %s is not a head revision; pass --splice to start a new branch from it", r.ID)
		}
		revises = []string{r.ID}
	}
	return g.newRevision(o, revises)
}

// NewMerge returns a merge revision revising the given revisions ("heads"
// for every head).
func NewMerge(g *Graph, refs []string, o NewOptions) (*Revision, error) {
	var parents []*Revision
	for _, ref := range refs {
		t, err := ParseTarget(ref)
		if err != nil {
			return nil, err
		}
		rs, err := g.targetRevisions(t, nil)
		if err != nil {
			return nil, err
		}
		parents = append(parents, rs...)
	}
	seen := map[string]bool{}
	var revises []string
	for _, p := range parents {
		if !seen[p.ID] {
			seen[p.ID] = true
			revises = append(revises, p.ID)
		}
	}
	if len(revises) < 2 {
		return nil, fmt.Errorf("merge needs at least two distinct revisions, got %d (%s)", len(revises), strings.Join(revises, ", "))
	}
	if strings.TrimSpace(o.Message) == "" {
		o.Message = "merge " + strings.Join(revises, ", ")
	}
	for _, id := range revises {
		for _, other := range revises {
			if id != other && g.ancestors(g.byID[other]).has(g.byID[id]) {
				return nil, fmt.Errorf("cannot merge %s with its descendant %s", id, other)
			}
		}
	}
	return g.newRevision(o, revises)
}

func (g *Graph) newRevision(o NewOptions, revises []string) (*Revision, error) {
	id := o.ID
	if id == "" {
		for {
			id = randomID()
			if _, taken := g.byID[id]; !taken {
				break
			}
		}
	} else {
		if err := ValidateID(id); err != nil {
			return nil, err
		}
		if r, taken := g.byID[id]; taken {
			return nil, fmt.Errorf("revision id %s is already used by %s", id, r.Path)
		}
	}
	for _, l := range o.BranchLabels {
		if err := ValidateLabel(l); err != nil {
			return nil, err
		}
		if r, taken := g.labels[l]; taken {
			return nil, fmt.Errorf("branch label %q is already used by %s", l, r.ID)
		}
	}
	var deps []string
	for _, d := range o.DependsOn {
		r, err := g.lookupDependency(d)
		if err != nil {
			return nil, fmt.Errorf("--depends-on: %w", err)
		}
		deps = append(deps, r.ID)
	}
	created := o.Created
	if created.IsZero() {
		created = time.Now()
	}
	return &Revision{
		ID:           id,
		Message:      strings.Join(strings.Fields(o.Message), " "),
		Revises:      revises,
		Created:      created.UTC().Truncate(time.Second),
		BranchLabels: o.BranchLabels,
		DependsOn:    deps,
	}, nil
}

func randomID() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// MaxSlug is the longest slug of a revision file name.
const MaxSlug = 40

// FileName returns the file name for r: <id>_<slug>.sql, the slug made
// from the message and at most 40 characters, cut at a word boundary.
func FileName(r *Revision) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(r.Message), func(c rune) bool {
		return !(c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)))
	}) {
		words = append(words, w)
	}
	slug := ""
	for _, w := range words {
		next := w
		if slug != "" {
			next = slug + "_" + w
		}
		if len(next) > MaxSlug {
			if slug == "" {
				slug = w[:MaxSlug]
			}
			break
		}
		slug = next
	}
	if slug == "" {
		slug = "revision"
	}
	return r.ID + "_" + slug + ".sql"
}

// Create writes data as the file for r in dir and returns its path. The
// write is atomic (a temporary file, then a link to the final name), and an
// existing file is never overwritten.
func Create(dir string, r *Revision, data []byte) (string, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("versions directory %s does not exist (run strata init, or set versions_dir)", dir)
	}
	// The id is claimed under a lock on the directory: two strata revision
	// --rev-id X at once, with different messages, would otherwise both
	// link a file (their names differ by the slug).
	claim, err := claimDir(dir)
	if err != nil {
		return "", err
	}
	defer claim.release()
	if other, err := fileOf(dir, r.ID); err != nil {
		return "", err
	} else if other != "" {
		return "", fmt.Errorf("revision id %s is already used by %s", r.ID, filepath.Join(dir, other))
	}
	path := filepath.Join(dir, FileName(r))
	tmp, err := writeTemp(dir, data, 0o644)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("%s already exists; not overwriting it", path)
		}
		return "", err
	}
	return path, nil
}

// writeTemp writes data to a new temporary file in dir with mode, synced
// to disk, and returns its name; the caller links or renames it into
// place and removes it.
func writeTemp(dir string, data []byte, mode os.FileMode) (string, error) {
	tmp, err := os.CreateTemp(dir, ".strata-*.tmp")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// claimFile is the lock file, in the versions directory, that Create holds
// while it claims a revision id.
const claimFile = ".strata-claim"

// claimDir takes the versions directory's claim lock, waiting up to 10 s
// for another strata writing a revision.
func claimDir(dir string) (*fileLock, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		l, ok, err := tryFileLock(filepath.Join(dir, claimFile))
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", filepath.Join(dir, claimFile), err)
		}
		if ok {
			return l, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("another strata has been writing a revision in %s for 10s (it holds %s); try again", dir, claimFile)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fileOf returns the name of the revision file in dir for id, if any.
func fileOf(dir, id string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if n := e.Name(); n == id+".sql" || strings.HasPrefix(n, id+"_") && strings.HasSuffix(n, ".sql") {
			return n, nil
		}
	}
	return "", nil
}
