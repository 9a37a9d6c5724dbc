package config

import (
	"strings"
	"testing"
)

// FuzzParse: any file either loads into a valid configuration or fails
// with a message naming the file; never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(Template))
	f.Add([]byte("database_url = \"postgres://u:${PW}@h/db\"\nmodels = [\"./...\"]\n"))
	f.Add([]byte("versions_dir = \"\"\n"))
	f.Add([]byte("[table]\nkey = 1\n"))
	f.Add([]byte("database_url = = \"x\"\n"))
	f.Add([]byte("version_table = \"" + strings.Repeat("v", 70) + "\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("strata.toml", data, func(k string) (string, bool) { return "v", k == "PW" })
		if err != nil {
			if !strings.HasPrefix(err.Error(), "strata.toml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if c.validate() != nil || c.Path != "strata.toml" {
			t.Fatalf("loaded an invalid config: %+v", c)
		}
	})
}
