package benchgen

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"ariga.io/atlas/sql/schema"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/model"
)

func TestModels(t *testing.T) {
	const n = 60 // two files
	tests := []struct {
		name      string
		o         ModelOptions
		wantExtra bool
	}{
		{name: "base", o: ModelOptions{N: n, Seed: 1}},
		{name: "one added column", o: ModelOptions{N: n, Seed: 1, AddColumn: true}, wantExtra: true},
		{name: "gorm", o: ModelOptions{N: n, Seed: 1, GORM: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Models(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := WriteFiles(dir, files); err != nil {
				t.Fatal(err)
			}
			var opts []model.Option
			if tt.o.GORM {
				opts = append(opts, model.WithGORM(model.GORMNaming{}))
			}
			realm, err := model.Load(context.Background(), dir, []string{"./..."}, dialect.SQLite, opts...)
			if err != nil {
				t.Fatal(err)
			}
			tables := realm.Schemas[0].Tables
			if len(tables) != n {
				t.Fatalf("loaded %d tables, want %d", len(tables), n)
			}
			cols, fks, idxs := 0, 0, 0
			for _, tab := range tables {
				cols += len(tab.Columns)
				fks += len(tab.ForeignKeys)
				idxs += len(tab.Indexes)
			}
			wantCols := 14 * n
			if tt.wantExtra {
				wantCols++
			}
			// Every table: unique code, (status, created_at), prev_id.
			if cols != wantCols || fks != n-1 || idxs != 3*n {
				t.Errorf("got %d columns, %d foreign keys, %d indexes; want %d, %d, %d",
					cols, fks, idxs, wantCols, n-1, 3*n)
			}
			i := slices.IndexFunc(tables, func(tab *schema.Table) bool { return tab.Name == tt.o.ExtraTable() })
			if i < 0 {
				t.Fatalf("no table %s", tt.o.ExtraTable())
			}
			if _, has := tables[i].Column(ExtraColumn); has != tt.wantExtra {
				t.Errorf("table %s has %s: %v, want %v", tt.o.ExtraTable(), ExtraColumn, has, tt.wantExtra)
			}
			again, err := Models(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			for i := range files {
				if files[i].Path != again[i].Path || !bytes.Equal(files[i].Data, again[i].Data) {
					t.Fatalf("file %s differs between two runs with seed %d", files[i].Path, tt.o.Seed)
				}
			}
		})
	}
}

func TestModelsInvalid(t *testing.T) {
	if _, err := Models(ModelOptions{N: 0}); err == nil {
		t.Fatal("want an error for N=0")
	}
}
