// Package config loads strata.toml: where the database is, where revisions
// live, which Go packages declare the models and what the version table is
// called. The CLI reads it and hands plain values to the library packages.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// FileName is the configuration file strata looks for in the working directory.
const FileName = "strata.toml"

// Defaults for keys a configuration file leaves out.
const (
	DefaultDatabaseURL  = "sqlite://strata.db"
	DefaultVersionsDir  = "migrations"
	DefaultVersionTable = "strata_version"
)

// Config is the loaded configuration, with defaults applied and ${VAR}
// references expanded.
type Config struct {
	DatabaseURL  string   `toml:"database_url"`
	VersionsDir  string   `toml:"versions_dir"`
	Models       []string `toml:"models"`
	VersionTable string   `toml:"version_table"`
	Include      []string `toml:"include"`
	Exclude      []string `toml:"exclude"`

	// Path is the file the configuration came from; empty when none was found.
	Path string `toml:"-"`
}

// Default returns the configuration used when there is no file.
func Default() *Config {
	return &Config{
		DatabaseURL:  DefaultDatabaseURL,
		VersionsDir:  DefaultVersionsDir,
		VersionTable: DefaultVersionTable,
	}
}

// Load reads the file at path. When path is empty it reads strata.toml in the
// working directory if there is one, and otherwise returns the defaults.
// lookup resolves ${VAR} references (os.LookupEnv in the CLI).
func Load(path string, lookup func(string) (string, bool)) (*Config, error) {
	explicit := path != ""
	if !explicit {
		path = FileName
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			return Default(), nil
		}
		return nil, fmt.Errorf("read config: %w", err)
	}
	c, err := Parse(path, data, lookup)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Parse parses the contents of a configuration file named name.
func Parse(name string, data []byte, lookup func(string) (string, bool)) (*Config, error) {
	c := Default()
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(c)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("%s:%d:%d: %s", name, perr.Position.Line, perr.Position.Col, perr.Message)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		keys := make([]string, len(undec))
		for i, k := range undec {
			keys[i] = k.String()
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("%s: unknown key %s (known: database_url, versions_dir, models, version_table, include, exclude)", name, strings.Join(keys, ", "))
	}
	var missing []string
	expand := func(s string) string {
		return expandVars(s, lookup, &missing)
	}
	c.DatabaseURL = expand(c.DatabaseURL)
	c.VersionsDir = expand(c.VersionsDir)
	c.VersionTable = expand(c.VersionTable)
	for _, list := range [][]string{c.Models, c.Include, c.Exclude} {
		for i := range list {
			list[i] = expand(list[i])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: environment variable %s is not set", name, strings.Join(missing, ", "))
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c.Path = name
	return c, nil
}

func (c *Config) validate() error {
	switch {
	case c.DatabaseURL == "":
		return errors.New("database_url is empty")
	case c.VersionsDir == "":
		return errors.New("versions_dir is empty")
	case c.VersionTable == "":
		return errors.New("version_table is empty")
	case len(c.VersionTable) > 63:
		return fmt.Errorf("version_table %q is longer than 63 characters", c.VersionTable)
	}
	return nil
}

var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandVars replaces ${VAR} with its value; "$$" is not special, only the
// braced form is, so passwords holding "$" survive. Unset variables are
// collected into missing rather than silently expanded to "".
func expandVars(s string, lookup func(string) (string, bool), missing *[]string) string {
	return varRef.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		v, ok := lookup(name)
		if !ok {
			*missing = append(*missing, name)
		}
		return v
	})
}

// Template is the file `strata init` writes.
const Template = `# strata configuration. Values may use ${VAR} to read the environment,
# so no password needs to be written here.

# Database to migrate: postgres://, mysql:// (also mariadb://) or sqlite://.
# The --database-url flag and STRATA_DATABASE_URL take precedence.
database_url = "sqlite://strata.db"

# Directory holding the revision files.
versions_dir = "migrations"

# Go package patterns declaring the models (used by autogenerate).
models = ["./..."]

# Table recording which revisions are applied.
version_table = "strata_version"
`
