package model_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

type errorCase struct {
	pkg  string
	d    dialect.Name
	want []string
}

// errorCases has one package of testdata/errors per error class, with the
// exact lines Load must report for it.
var errorCases = []errorCase{
	{"unknownoption", dialect.Postgres, []string{
		`unknownoption/m.go:5:21: unknown option "primary" in strata tag`,
	}},
	{"badvalue", dialect.Postgres, []string{
		`badvalue/m.go:5:23: bad value for pk: it takes no value`,
		`badvalue/m.go:6:23: bad value for size: "abc" is not a positive integer`,
		`badvalue/m.go:7:23: bad value for fk: "users" (want TABLE.COLUMN)`,
		`badvalue/m.go:7:32: bad value for ondelete: "EXPLODE" (want CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION)`,
	}},
	{"dupcolumn", dialect.Postgres, []string{
		`dupcolumn/m.go:10:2: duplicate column "id" in table "t" (also at dupcolumn/m.go:4:2)`,
		`dupcolumn/m.go:11:2: duplicate column "id" in table "t" (also at dupcolumn/m.go:4:2)`,
	}},
	{"duptable", dialect.Postgres, []string{
		`duptable/b.go:4:6: duplicate table "things" (also declared at duptable/a.go:4:6)`,
	}},
	{"fk", dialect.Postgres, []string{
		`fk/m.go:11:17: fk: unknown table "nowhere"`,
		`fk/m.go:12:17: fk: table "parent" has no column "missing"`,
		`fk/m.go:13:17: fk: parent(name) is not the primary key or a unique index of "parent"`,
	}},
	{"typesize", dialect.Postgres, []string{
		`typesize/m.go:5:20: size:10 on field N of Go type int: size applies to strings only`,
		`typesize/m.go:6:30: size conflicts with type:text; put the size in the type`,
		`typesize/m.go:7:2: cannot map Go type map[string]string of field M to a column type; add type:SQL to its strata tag`,
	}},
	{"autoinc", dialect.Postgres, []string{
		`autoinc/m.go:5:24: autoincrement on non-integer column "id" (text)`,
	}},
	{"autoincmysql", dialect.MySQL, []string{
		`autoincmysql/m.go:6:19: autoincrement on column "seq", which is not the primary key (add pk; only PostgreSQL has identity columns outside the key)`,
	}},
	{"generated", dialect.Postgres, []string{
		`generated/m.go:6:21: generated and default conflict`,
		`generated/m.go:7:24: generated and pk conflict`,
		`generated/m.go:8:21: bad value for generated: it needs one (generated:VALUE)`,
	}},
	{"directive", dialect.Postgres, []string{
		`directive/m.go:5:3: //strata:table on type Status: only struct types declare tables`,
		`directive/m.go:10:3: //strata:table on function F: only struct types declare tables`,
		`directive/m.go:15:3: //strata:index on type T, which has no //strata:table`,
		`directive/m.go:23:3: unknown directive //strata:view (want table, index, unique, pk, check, comment, renamed_from, partition, charset, collate, without_rowid or strict)`,
	}},
	{"broken", dialect.Postgres, []string{
		`broken/m.go:5:5: package example.com/errs/broken does not load: undefined: Undefined`,
	}},
	{"untabled", dialect.Postgres, []string{
		`untabled/m.go:6:6: struct Forgotten has strata tags but is not a table: add //strata:table to its doc comment, or embed it in a table`,
	}},
	{"vocab", dialect.Postgres, []string{
		`vocab/m.go:7:27: bad value for autoincrement: unknown identity option "sometimes" (want always, start=N or increment=N)`,
		"vocab/m.go:8:24: charset is not supported on postgres (only on mysql)",
		"vocab/m.go:9:24: autoupdate is not supported on postgres (only on mysql)",
		"vocab/m.go:10:41: virtual is not supported on postgres (only on mysql or sqlite)",
		"vocab/m.go:11:24: bad value for collate: it needs one (collate:VALUE)",
		"vocab/m.go:12:24: bad value for virtual: it takes no value",
		`vocab/m.go:17:23: bad value for autoincrement: "start=x" is not start=N with N a non-zero integer`,
		`vocab/m.go:22:23: bad value for autoincrement: "increment=0" is not increment=N with N a non-zero integer`,
		"vocab/m.go:25:3: //strata:enum on type Level: an enum is a named string type (type Level string)",
		"vocab/m.go:30:3: //strata:enum type Empty has no values: declare constants of type Empty",
		`vocab/m.go:38:2: enum mood: value "sad" given twice`,
		`vocab/m.go:41:3: duplicate enum "mood" (also declared at vocab/m.go:33:3)`,
		"vocab/m.go:49:22: size on field Mood of enum type vocab.Mood: an enum column has no size",
		`vocab/m.go:55:22: autoincrement on nullable column "seq": an identity column is NOT NULL`,
	}},
	{"vocabdirectives", dialect.Postgres, []string{
		"vocabdirectives/m.go:4:3: //strata:charset is not supported on postgres (only on mysql)",
		"vocabdirectives/m.go:6:3: //strata:pk given twice",
		"vocabdirectives/m.go:7:3: //strata:strict is not supported on postgres (only on sqlite)",
		`vocabdirectives/m.go:8:17: bad value for //strata:unique: constraint "a_name_uq": want plain column names`,
		"vocabdirectives/m.go:9:17: bad value for //strata:unique: a unique constraint takes only nulls not distinct after its columns",
		`vocabdirectives/m.go:10:16: index "a_i1": unknown method "bitmap" (want btree, hash, gin, gist, brin, spgist)`,
		`vocabdirectives/m.go:11:16: index "a_i2": nulls not distinct is for unique indexes and constraints on PostgreSQL 15+`,
		`vocabdirectives/m.go:12:16: index "a_i3": prefix lengths (name(10)) are MySQL's`,
		`vocabdirectives/m.go:13:16: index "a_i4": table "va" has no column "missing"`,
		`vocabdirectives/m.go:20:3: //strata:pk names the primary key of "vb", which has none (tag its columns pk)`,
		`vocabdirectives/m.go:26:3: partition key column "at" of table "vc" is not in its primary key; PostgreSQL requires it there`,
		"vocabdirectives/m.go:27:3: //strata:partition by given twice",
		"vocabdirectives/m.go:28:20: bad value for //strata:partition: want //strata:partition by range|list|hash (PART, ...) or //strata:partition NAME FOR VALUES ...|DEFAULT",
		`vocabdirectives/m.go:36:20: bad value for //strata:partition by: unknown strategy "sideways" (want range, list or hash)`,
		`vocabdirectives/m.go:37:20: partition "vd_1" of table "vd", which has no //strata:partition by`,
		`vocabdirectives/m.go:43:20: bad value for //strata:partition by: table "ve" has no column "missing"`,
		`vocabdirectives/m.go:44:20: partition "va" of table "ve" has the name of a table (declared at vocabdirectives/m.go:14:6)`,
		`vocabdirectives/m.go:44:20: partition "va" of table "ve", which has no //strata:partition by`,
	}},
	{"vocabmysql", dialect.MySQL, []string{
		`vocabmysql/m.go:4:16: index "vm_a_idx": using hash on a non-unique index: InnoDB makes it a B-tree (only MariaDB's unique HASH keys stay hash)`,
		"vocabmysql/m.go:6:23: autoincrement:always,start=5: identity options are PostgreSQL's; mysql takes a bare autoincrement",
	}},
	{"partial", dialect.MySQL, []string{
		`partial/m.go:4:16: index "t_x_idx": partial indexes (where) are not supported on mysql`,
	}},
}

const errorsDir = "testdata/errors"

func loadErrors(t *testing.T, patterns []string, d dialect.Name) []string {
	t.Helper()
	r, err := model.Load(context.Background(), errorsDir, patterns, d)
	if err == nil {
		t.Fatalf("Load returned a realm with %d tables, want errors", len(r.Schemas[0].Tables))
	}
	var list model.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Load error is %T (%v), want model.ErrorList", err, err)
	}
	return strings.Split(err.Error(), "\n")
}

func TestErrors(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.pkg, func(t *testing.T) {
			got := loadErrors(t, []string{"./" + tc.pkg}, tc.d)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestErrorsOnePass loads every error package at once: every problem is
// reported, sorted by file, line and column.
func TestErrorsOnePass(t *testing.T) {
	cases := slices.Clone(errorCases)
	slices.SortFunc(cases, func(a, b errorCase) int { return strings.Compare(a.pkg, b.pkg) })
	// Each package is its own directory, so the sorted list is the cases'
	// lines in package order.
	var want []string
	for _, tc := range cases {
		if tc.d == dialect.Postgres {
			want = append(want, tc.want...)
		}
	}
	got := loadErrors(t, []string{"./..."}, dialect.Postgres)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// TestLoadNoPackages: a directory in no Go module, and patterns matching no
// package, are ErrNoPackages, which callers tell apart from broken models.
func TestLoadNoPackages(t *testing.T) {
	t.Run("no module", func(t *testing.T) {
		_, err := model.Load(context.Background(), t.TempDir(), nil, dialect.SQLite)
		if !errors.Is(err, model.ErrNoPackages) {
			t.Fatalf("Load = %v, want ErrNoPackages", err)
		}
	})
	t.Run("broken package", func(t *testing.T) {
		_, err := model.Load(context.Background(), "testdata/errors", []string{"./unknownoption"}, dialect.SQLite)
		if err == nil || errors.Is(err, model.ErrNoPackages) {
			t.Fatalf("Load = %v, want a model error", err)
		}
	})
}

// TestLoadWithoutGo: without the go command on PATH the error says so and
// what to do, rather than the go/packages driver's text.
func TestLoadWithoutGo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := model.Load(context.Background(), "testdata/errors", []string{"./unknownoption"}, dialect.SQLite)
	want := "reading the Go models needs the go command, which is not on PATH: install Go (https://go.dev/dl) or put its bin directory on PATH; a project without Go models sets models = [] in strata.toml"
	if err == nil || err.Error() != want {
		t.Fatalf("Load = %v, want %s", err, want)
	}
}
