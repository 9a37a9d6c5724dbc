package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func lookupFrom(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		env     map[string]string
		want    *Config
		wantErr string
	}{
		{name: "empty gives defaults", in: "", want: &Config{DatabaseURL: DefaultDatabaseURL, VersionsDir: DefaultVersionsDir, VersionTable: DefaultVersionTable, Path: "strata.toml"}},
		{name: "all keys", in: `database_url = "postgres://u:${PW}@h/db"
versions_dir = "db/rev"
models = ["./models/..."]
version_table = "v"
include = ["app_*"]
exclude = ["tmp_*"]
linear = true`, env: map[string]string{"PW": "s$cret"},
			want: &Config{DatabaseURL: "postgres://u:s%24cret@h/db", Linear: true, VersionsDir: "db/rev", Models: []string{"./models/..."}, VersionTable: "v", Include: []string{"app_*"}, Exclude: []string{"tmp_*"}, Path: "strata.toml"}},
		// A variable in the userinfo is percent-encoded; elsewhere it is not.
		{name: "password with URL delimiters", in: `database_url = "postgres://${USER}:${PW}@h:5432/${DB}?sslmode=${MODE}"`,
			env:  map[string]string{"USER": "app", "PW": "42/se#c?r@t%", "DB": "shop", "MODE": "disable"},
			want: &Config{DatabaseURL: "postgres://app:42%2Fse%23c%3Fr%40t%25@h:5432/shop?sslmode=disable", VersionsDir: DefaultVersionsDir, VersionTable: DefaultVersionTable, Path: "strata.toml"}},
		{name: "gorm", in: `orm = "gorm"
gorm_table_prefix = "app_"
gorm_singular_table = true`,
			want: &Config{DatabaseURL: DefaultDatabaseURL, VersionsDir: DefaultVersionsDir, VersionTable: DefaultVersionTable, ORM: "gorm", GORMTablePrefix: "app_", GORMSingularTable: true, Path: "strata.toml"}},
		{name: "unknown orm", in: `orm = "bun"`, wantErr: `strata.toml: orm "bun" is not known (want strata or gorm)`},
		{name: "gorm key without orm", in: `gorm_singular_table = true`, wantErr: `strata.toml: gorm_table_prefix and gorm_singular_table need orm = "gorm"`},
		{name: "gorm key type", in: `gorm_singular_table = "yes"`, wantErr: "strata.toml:1:23: gorm_singular_table must be a boolean"},
		{name: "unknown key names the gorm keys", in: `gorm_prefix = "x"`, wantErr: "unknown key gorm_prefix (known: database_url, versions_dir, models, version_table, include, exclude, linear, post_write, orm, gorm_table_prefix, gorm_singular_table)"},
		{name: "unset variable", in: `database_url = "${NOPE}"`, wantErr: "strata.toml: environment variable NOPE is not set"},
		{name: "unknown key", in: `databse_url = "x"`, wantErr: "strata.toml: unknown key databse_url"},
		{name: "syntax error", in: "database_url = \n", wantErr: "strata.toml:1:"},
		{name: "wrong type", in: `models = "x"`, wantErr: "strata.toml:1:10: models must be a list of strings"},
		{name: "empty value", in: `versions_dir = ""`, wantErr: "strata.toml: versions_dir is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("strata.toml", []byte(tt.in), lookupFrom(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c, err := Load("", lookupFrom(nil))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Default(), c); diff != "" {
		t.Errorf("no file: (-want +got):\n%s", diff)
	}
	if _, err := Load("missing.toml", lookupFrom(nil)); err == nil {
		t.Error("explicit missing file: no error")
	}
	p := filepath.Join(dir, "other.toml")
	if err := os.WriteFile(p, []byte(Template), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = Load(p, lookupFrom(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != DefaultDatabaseURL || c.VersionsDir != DefaultVersionsDir || c.Path != p {
		t.Errorf("template loaded as %+v", c)
	}
}
