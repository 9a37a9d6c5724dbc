package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/strata-db/strata/dialect"
	"github.com/strata-db/strata/internal/cli"
	"github.com/strata-db/strata/internal/testdb"
)

// goEnv returns a go env setting of the test process.
func goEnv(k string) string { return goEnvs()[k] }

var goEnvs = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	out, err := exec.Command("go", "env", "-json").Output()
	if err == nil {
		json.Unmarshal(out, &m)
	}
	return m
})

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"strata": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// hangup starts, once, a TCP server that closes every connection as soon
// as it accepts it, and returns its address.
var hangup = sync.OnceValues(func() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l.Addr().String(), nil
})

// TestScripts runs every testdata/script/*.txtar against each dialect, each
// script with a fresh database in STRATA_DATABASE_URL and the dialect's
// name in DIALECT.
func TestScripts(t *testing.T) {
	for _, d := range dialect.All {
		t.Run(string(d), func(t *testing.T) {
			testscript.Run(t, testscript.Params{
				Dir:                 "testdata/script",
				RequireExplicitExec: true,
				Cmds:                dbCmds,
				// STRATA_UPDATE_SCRIPTS=1 rewrites the files cmp compares with; review the diff.
				UpdateScripts: os.Getenv("STRATA_UPDATE_SCRIPTS") != "",
				// [dialect:NAME] holds when the script runs against NAME.
				Condition: func(cond string) (bool, error) {
					name, ok := strings.CutPrefix(cond, "dialect:")
					if !ok {
						return false, fmt.Errorf("unknown condition %q", cond)
					}
					return name == string(d), nil
				},
				Setup: func(env *testscript.Env) error {
					db, cleanup, err := testdb.Create(d, env.WorkDir)
					if errors.Is(err, testdb.ErrUnreachable) && !testdb.Required() {
						env.T().Skip(err)
					}
					if err != nil {
						return err
					}
					env.Defer(func() {
						if err := cleanup(); err != nil {
							env.T().Fatal(err)
						}
					})
					// Loading models runs the go command: give it this process's caches.
					for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOFLAGS", "GOTOOLCHAIN"} {
						env.Setenv(k, goEnv(k))
					}
					// Model loads are cached in the script's own directory.
					env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
					env.Setenv("STRATA_DATABASE_URL", db.URL)
					// HANGUP is a server that closes each connection at once,
					// as a server of another kind does in the handshake.
					addr, err := hangup()
					if err != nil {
						return err
					}
					env.Setenv("HANGUP", addr)
					env.Setenv("DIALECT", string(d))
					return nil
				},
			})
		})
	}
}
