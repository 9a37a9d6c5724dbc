// Package cli is the strata command line: it parses flags, loads the
// configuration, calls one library function per command and prints the
// result. It never exits the process; Main returns the exit code.
package cli

import (
	"bufio"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/strata-db/strata/internal/config"
	"github.com/strata-db/strata/introspect"
	"github.com/strata-db/strata/versions"
)

// Exit codes.
const (
	ExitOK       = 0 // success
	ExitNegative = 1 // a negative answer: not at head, drift
	ExitError    = 2 // error or bad input
)

// negativeError is a "no" answer rather than a failure: exit code 1.
type negativeError struct{ msg string }

func (e *negativeError) Error() string { return e.msg }

// negative returns an error that makes strata exit 1 after printing msg.
func negative(format string, args ...any) error {
	return &negativeError{msg: fmt.Sprintf(format, args...)}
}

// env is what one run of the CLI reads and writes, so tests can run it in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	lookup         func(string) (string, bool)
	// secrets are scrubbed from every error message printed.
	secrets []string
	// answers reads replies to questions from stdin.
	answers *bufio.Reader
	// terminal reports whether stdin and stderr are a terminal, so
	// questions can be asked.
	terminal func() bool
	// scratchName names check --replay's scratch database.
	scratchName func() string
	// showProgress: stderr is a terminal, so long operations show progress.
	showProgress bool
	// command is the command being run, and started when, for the
	// timing line.
	command string
	started time.Time
}

// Main runs strata with args (without the program name) and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Ctrl-C, and SIGTERM from a deploy system stopping a migration job,
	// cancel the run: the statement running on the server is cancelled
	// and its transaction rolled back, and the lock released, before
	// strata exits. (Killed outright, strata would leave the server running
	// the statement, holding the lock, until it ended.) A second signal
	// kills at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		if context.Cause(ctx) != ctx.Err() { // a signal's cause, not the end of Main
			fmt.Fprintln(stderr, "strata: interrupted: stopping (a statement that cannot be rolled back finishes first; signal again to quit at once)")
		}
		stop()
	}()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, lookup: os.LookupEnv}
	e.terminal = func() bool { return isTerminal(stdin) && isTerminal(stderr) }
	e.scratchName = randomScratchName
	e.showProgress = isTerminal(stderr)
	return e.run(ctx, args)
}

// run runs one command line in e and returns the exit code.
func (e *env) run(ctx context.Context, args []string) int {
	app := newApp(e)
	app.Setup()
	args = reorder(app, append([]string{"strata"}, args...))
	var err error
	e.command, e.started = commandName(app, args), time.Now()
	if name := e.command; name != "" && app.Command(name) == nil {
		err = fmt.Errorf("unknown command %q (see strata --help)", name)
	} else {
		err = app.RunContext(ctx, args)
	}
	if err == nil {
		return ExitOK
	}
	msg := err.Error()
	if errors.Is(err, driver.ErrBadConn) && strings.Contains(msg, driver.ErrBadConn.Error()) {
		msg = strings.ReplaceAll(msg, driver.ErrBadConn.Error(), versions.SessionEnded)
	}
	for _, s := range e.secrets {
		msg = introspect.Scrub(msg, s)
	}
	var neg *negativeError
	if errors.As(err, &neg) {
		if msg != "" {
			fmt.Fprintln(e.stdout, msg)
		}
		return ExitNegative
	}
	for _, line := range strings.Split(strings.TrimRight(msg, "\n"), "\n") {
		fmt.Fprintf(e.stderr, "strata: %s\n", line)
	}
	return ExitError
}

// commandName returns the command args name, after the global flags.
func commandName(app *ucli.App, args []string) string {
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return ""
		}
		if strings.HasPrefix(a, "-") {
			if takesValue(app.Flags, a) {
				i++
			}
			continue
		}
		return a
	}
	return ""
}

func newApp(e *env) *ucli.App {
	app := &ucli.App{
		Name:                 "strata",
		Usage:                "schema revisions for Go: write, apply, revert and check them",
		Reader:               e.stdin,
		Writer:               e.stdout,
		ErrWriter:            e.stderr,
		HideVersion:          true,
		EnableBashCompletion: false,
		ExitErrHandler:       func(*ucli.Context, error) {},
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "configuration `FILE` (default: ./strata.toml if present)"},
			&ucli.StringFlag{Name: "database-url", Usage: "database `URL`; overrides STRATA_DATABASE_URL and the config file"},
			&ucli.BoolFlag{Name: "version", Usage: "print the version (as strata version does)"},
		},
		Action: func(c *ucli.Context) error {
			if c.Bool("version") {
				return versionCommand(e).Action(c)
			}
			return ucli.ShowAppHelp(c)
		},
		Commands: []*ucli.Command{
			initCommand(e),
			modelsCommand(e),
			revisionCommand(e),
			mergeCommand(e),
			upgradeCommand(e),
			downgradeCommand(e),
			currentCommand(e),
			headsCommand(e),
			branchesCommand(e),
			historyCommand(e),
			showCommand(e),
			editCommand(e),
			stampCommand(e),
			resolveCommand(e),
			syncCommand(e),
			rebaseCommand(e),
			diffCommand(e),
			checkCommand(e),
			versionCommand(e),
			completionCommand(e),
		},
		OnUsageError: func(_ *ucli.Context, err error, _ bool) error { return usageError(err, "") },
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = func(_ *ucli.Context, err error, _ bool) error { return usageError(err, cmd.Name) }
	}
	return app
}

// loadConfig loads the configuration and applies the --database-url flag and
// STRATA_DATABASE_URL, in that order of precedence over the file.
func (e *env) loadConfig(c *ucli.Context) (*config.Config, error) {
	cfg, err := config.Load(c.String("config"), e.lookup)
	if err != nil {
		return nil, err
	}
	if v, ok := e.lookup("STRATA_DATABASE_URL"); ok && v != "" {
		cfg.DatabaseURL = v
	}
	if c.IsSet("database-url") {
		cfg.DatabaseURL = c.String("database-url")
	}
	return cfg, nil
}

// parseURL parses the configured URL and remembers its password so no
// message ever shows it.
func (e *env) parseURL(raw string) (*introspect.URL, error) {
	u, err := introspect.ParseURL(raw)
	if err != nil {
		return nil, err
	}
	e.secrets = append(e.secrets, u.Secrets...)
	return u, nil
}
