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
	"slices"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
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
	// Linear keeps a one-line head file in the versions directory, so two
	// git branches that each add a revision conflict at merge time.
	Linear bool `toml:"linear"`
	// ORM selects the tag vocabulary the models are read with: "strata"
	// (the default) or "gorm".
	ORM string `toml:"orm"`
	// GORMTablePrefix and GORMSingularTable mirror gorm.Config's
	// NamingStrategy{TablePrefix, SingularTable}, which strata cannot read
	// from the program because it never runs it.
	GORMTablePrefix   string `toml:"gorm_table_prefix"`
	GORMSingularTable bool   `toml:"gorm_singular_table"`
	// PostWrite is a command (program and arguments) run on each revision
	// file strata writes, with the file's path as its last argument: a
	// formatter, as Alembic's post-write hooks.
	PostWrite []string `toml:"post_write"`

	// Path is the file the configuration came from; empty when none was found.
	Path string `toml:"-"`
}

// keyTypes describes each key's type for error messages.
var keyTypes = map[string]string{
	"database_url": "a string", "versions_dir": "a string", "version_table": "a string",
	"models": "a list of strings", "include": "a list of strings", "exclude": "a list of strings", "linear": "true or false",
	"orm": "a string", "gorm_table_prefix": "a string", "gorm_singular_table": "a boolean",
	"post_write": "a list of strings (the command and its arguments)",
}

// knownKeys lists the keys in the order the unknown-key error names them.
const knownKeys = "database_url, versions_dir, models, version_table, include, exclude, linear, post_write, orm, gorm_table_prefix, gorm_singular_table"

// ORMs are the values orm may take.
var ORMs = []string{"strata", "gorm"}

// keyAt returns the key assigned on line (1-based) of data, if any.
func keyAt(data []byte, line int) string {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	key, _, ok := strings.Cut(lines[line-1], "=")
	if !ok {
		return ""
	}
	return strings.TrimSpace(key)
}

// NoModels reports whether the file says the project has no Go models
// (models = []): the revisions are written by hand.
func (c *Config) NoModels() bool { return c.Models != nil && len(c.Models) == 0 }

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
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		var strict *toml.StrictMissingError
		var derr *toml.DecodeError
		switch {
		case errors.As(err, &strict):
			keys := make([]string, len(strict.Errors))
			for i, e := range strict.Errors {
				keys[i] = strings.Join(e.Key(), ".")
			}
			sort.Strings(keys)
			return nil, fmt.Errorf("%s: unknown key %s (known: %s)", name, strings.Join(keys, ", "), knownKeys)
		case errors.As(err, &derr):
			line, col := derr.Position()
			key := keyAt(data, line)
			if want, ok := keyTypes[key]; ok && strings.Contains(derr.Error(), "cannot decode") {
				return nil, fmt.Errorf("%s:%d:%d: %s must be %s", name, line, col, key, want)
			}
			return nil, fmt.Errorf("%s:%d:%d: %s", name, line, col, strings.TrimPrefix(derr.Error(), "toml: "))
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var missing []string
	expand := func(s string) string {
		return expandVars(s, lookup, &missing)
	}
	c.DatabaseURL = expandURL(c.DatabaseURL, lookup, &missing)
	c.VersionsDir = expand(c.VersionsDir)
	c.VersionTable = expand(c.VersionTable)
	c.GORMTablePrefix = expand(c.GORMTablePrefix)
	for _, list := range [][]string{c.Models, c.Include, c.Exclude, c.PostWrite} {
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
	case c.ORM != "" && !slices.Contains(ORMs, c.ORM):
		return fmt.Errorf("orm %q is not known (want %s)", c.ORM, strings.Join(ORMs, " or "))
	case c.ORM != "gorm" && (c.GORMTablePrefix != "" || c.GORMSingularTable):
		return errors.New(`gorm_table_prefix and gorm_singular_table need orm = "gorm"`)
	case c.PostWrite != nil && (len(c.PostWrite) == 0 || strings.TrimSpace(c.PostWrite[0]) == ""):
		return errors.New("post_write needs a command: a list starting with the program, e.g. [\"sqlfluff\", \"fix\", \"--force\"]")
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

// expandURL expands ${VAR} in a database URL. A value that lands in the
// userinfo (user:password@) is percent-encoded, so a password holding /, #,
// ? or @ stays a password instead of moving where the host or the path
// begins.
func expandURL(s string, lookup func(string) (string, bool), missing *[]string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	at := strings.IndexByte(rest, '@')
	if !ok || at < 0 || strings.ContainsAny(rest[:at], "/?#") {
		return expandVars(s, lookup, missing)
	}
	escaped := func(name string) (string, bool) {
		v, ok := lookup(name)
		return escapeUserinfo(v), ok
	}
	return scheme + "://" + expandVars(rest[:at], escaped, missing) + expandVars(rest[at:], lookup, missing)
}

// escapeUserinfo percent-encodes every byte of s but the unreserved ones
// (RFC 3986), which is safe anywhere in a URL's userinfo.
func escapeUserinfo(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
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

# Keep migrations/strata.head naming the head, so two git branches that
# each add a revision conflict when they merge (then: strata rebase).
# linear = true

# A command run on each revision file strata writes, with the file's path
# as its last argument (a formatter; a failure is reported, the file kept).
# post_write = ["sqlfluff", "fix", "--force", "--dialect", "sqlite"]
`
