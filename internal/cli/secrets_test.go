package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestPasswordsNeverPrinted runs every command that reads the database URL
// with every form of credential a driver accepts, against a server that
// is not there, and checks that no part of the password reaches stdout or
// stderr. The password is 61357<delimiter>3tPW (digits first: url.Parse takes "app:61357" for a host and port), so both halves are checked.
func TestPasswordsNeverPrinted(t *testing.T) {
	urls := []struct {
		name string
		url  string // database_url in strata.toml
		env  map[string]string
	}{
		{"userinfo", "postgres://app:61357-3tPW@127.0.0.1:1/db?sslmode=disable", nil},
		{"password= query", "postgres://app@127.0.0.1:1/db?password=61357-3tPW&sslmode=disable", nil},
		{"sslpassword= query", "postgres://app:61357-3tPW@127.0.0.1:1/db?sslpassword=61357-3tPW&sslmode=disable", nil},
		{"unescaped slash", "postgres://app:61357/3tPW@127.0.0.1:1/db", nil},
		{"unescaped hash", "postgres://app:61357#3tPW@127.0.0.1:1/db", nil},
		{"unescaped question mark", "postgres://app:61357?3tPW@127.0.0.1:1/db", nil},
		{"unescaped at", "mysql://app:61357@3tPW@127.0.0.1:1/db", nil},
		{"mysql userinfo", "mysql://app:61357-3tPW@127.0.0.1:1/db", nil},
		{"mysql slash", "mysql://app:61357/3tPW@127.0.0.1:1/db", nil},
		{"go mysql dsn", "app:61357-3tPW@tcp(127.0.0.1:1)/db", nil},
		{"${VAR} with delimiters", "postgres://app:${DB_PASSWORD}@127.0.0.1:1/db?sslmode=disable", map[string]string{"DB_PASSWORD": "61357/#?@3tPW"}},
		{"${VAR} in mysql", "mysql://app:${DB_PASSWORD}@127.0.0.1:1/db", map[string]string{"DB_PASSWORD": "61357/3tPW"}},
	}
	commands := [][]string{
		{"current"}, {"upgrade"}, {"downgrade", "base"}, {"stamp", "heads"}, {"history", "-i"},
		{"sync"}, {"sync", "--sql"}, {"rebase", "--dry-run"}, {"resolve", "aaaa", "--applied"},
		{"check"}, {"diff"}, {"upgrade", "--sql"}, {"check", "--replay", "--dev-url", "postgres://dev:61357-3tPW@127.0.0.1:1/x"},
	}
	pairs := 0
	for _, u := range urls {
		t.Run(u.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "strata.toml")
			writeFile(t, cfg, "database_url = \""+u.url+"\"\nmodels = [\"./nothing\"]\n")
			writeFile(t, filepath.Join(dir, "migrations", "aaaa_x.sql"), "-- Revision: aaaa\n-- Revises:\n-- strata:upgrade\nSELECT 1;\n-- strata:downgrade\nSELECT 1;\n")
			for _, args := range commands {
				if u.url[0] == 'm' && strings.Contains(strings.Join(args, " "), "dev-url") {
					continue // the dev URL must share the dialect
				}
				var out, errOut bytes.Buffer
				e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
					lookup: func(k string) (string, bool) {
						if k == "STRATA_DATABASE_URL" {
							return "", false
						}
						v, ok := u.env[k]
						return v, ok
					},
					terminal: func() bool { return false }, scratchName: randomScratchName}
				code := e.run(context.Background(), append([]string{"--config", cfg}, args...))
				pairs++
				for _, part := range []string{"61357", "3tPW"} {
					if strings.Contains(out.String()+errOut.String(), part) {
						t.Errorf("strata %s (exit %d) printed %q:\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, part, out.String(), errOut.String())
					}
				}
			}
		})
	}
	t.Logf("%d command × URL pairs", pairs)
	if pairs < 30 {
		t.Errorf("only %d pairs", pairs)
	}
}
