package model_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/benchgen"
	"github.com/strata-db/strata/model"
)

// writeModels generates a module with one package of n model structs of 12
// fields each (keys, foreign keys, indexes, nullable and mapped types).
func writeModels(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	var src strings.Builder
	src.WriteString("package models\n\nimport (\n\t\"database/sql\"\n\t\"time\"\n)\n")
	for i := range n {
		fk := ""
		if i > 0 {
			fk = fmt.Sprintf(";fk:t%d.id", i-1)
		}
		fmt.Fprintf(&src, `
//strata:table t%[1]d
//strata:index t%[1]d_name_created (name, created_at DESC)
type T%[1]d struct {
	ID        int64          `+"`strata:\"pk;autoincrement\"`"+`
	ParentID  *int64         `+"`strata:\"index%[2]s\"`"+`
	Name      string         `+"`strata:\"size:100\"`"+`
	Email     string         `+"`strata:\"size:191;unique\"`"+`
	Score     float64        `+"`strata:\"default:0\"`"+`
	Active    bool           `+"`strata:\"default:true\"`"+`
	Count     int32          `+"`strata:\"check:count >= 0\"`"+`
	Note      sql.NullString
	Data      []byte
	CreatedAt time.Time      `+"`strata:\"default:CURRENT_TIMESTAMP\"`"+`
	UpdatedAt *time.Time
	Status    string         `+"`db:\"state\" strata:\"size:20;default:'new'\"`"+`
}
`, i, fk)
	}
	files := map[string]string{
		"go.mod":           "module example.com/bench\n\ngo 1.26\n",
		"models/models.go": src.String(),
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLoad measures Load on generated packages with a warm build cache
// (the first, unmeasured Load warms it).
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("structs=%d", n), func(b *testing.B) {
			benchLoad(b, writeModels(b, n), n)
		})
	}
}

// BenchmarkLoadORM compares loading 1,000 generated tables declared with
// strata tags and the same tables declared as GORM models (orm = "gorm"),
// with a warm build cache:
//
//	go test -run '^$' -bench LoadORM -benchtime 5x ./model
func BenchmarkLoadORM(b *testing.B) {
	const n = 1000
	for _, gorm := range []bool{false, true} {
		name := "orm=strata"
		var opts []model.Option
		if gorm {
			name = "orm=gorm"
			opts = append(opts, model.WithGORM(model.GORMNaming{}))
		}
		b.Run(name, func(b *testing.B) {
			files, err := benchgen.Models(benchgen.ModelOptions{N: n, Seed: 1, GORM: gorm})
			if err != nil {
				b.Fatal(err)
			}
			dir := b.TempDir()
			if err := benchgen.WriteFiles(dir, files); err != nil {
				b.Fatal(err)
			}
			benchLoad(b, dir, n, opts...)
		})
	}
}

// benchLoad measures Load of the n tables of the module in dir, after one
// unmeasured Load that warms the build cache; cpu-ns/op is the CPU time of
// strata and the go command per Load.
func benchLoad(b *testing.B, dir string, n int, opts ...model.Option) {
	ctx := context.Background()
	load := func() {
		r, err := model.Load(ctx, dir, []string{"./..."}, dialect.Postgres, opts...)
		if err != nil {
			b.Fatal(err)
		}
		if got := len(r.Schemas[0].Tables); got != n {
			b.Fatalf("loaded %d tables, want %d", got, n)
		}
	}
	load()
	cpu := cpuTime()
	for b.Loop() {
		load()
	}
	if n := b.N; n > 0 && cpu > 0 {
		b.ReportMetric(float64(cpuTime()-cpu)/float64(n), "cpu-ns/op")
	}
}

// BenchmarkCacheDecode measures reading a cached realm of 1,000 generated
// tables, what every warm check, diff and autogenerate pays:
//
//	go test -run '^$' -bench CacheDecode ./model
func BenchmarkCacheDecode(b *testing.B) {
	files, err := benchgen.Models(benchgen.ModelOptions{N: 1000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := benchgen.WriteFiles(dir, files); err != nil {
		b.Fatal(err)
	}
	r, err := model.Load(context.Background(), dir, []string{"./..."}, dialect.Postgres)
	if err != nil {
		b.Fatal(err)
	}
	data, err := model.EncodeCache(r)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := model.DecodeCache(data); err != nil {
			b.Fatal(err)
		}
	}
}
