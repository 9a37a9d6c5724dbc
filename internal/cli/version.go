package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

func versionCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:  "version",
		Usage: "print strata's version, the commit it was built from and the Go version",
		Action: func(c *ucli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("version takes no arguments (got %q)", c.Args().First())
			}
			bi, _ := debug.ReadBuildInfo()
			_, err := fmt.Fprint(e.stdout, versionText(bi))
			return err
		},
	}
}

// versionText describes the build: the module version (v1.2.3 when built
// by `go install …@v1.2.3`, "(devel)" from a clone), the VCS commit the go
// command stamped, and the Go version and platform.
func versionText(bi *debug.BuildInfo) string {
	version, goVersion := "(unknown)", runtime.Version()
	settings := map[string]string{}
	if bi != nil {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		goVersion = bi.GoVersion
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
	}
	commit := "(unknown)"
	if rev := settings["vcs.revision"]; rev != "" {
		commit = rev
		if t := settings["vcs.time"]; t != "" {
			commit += " (" + t + ")"
		}
		if settings["vcs.modified"] == "true" {
			commit += ", with uncommitted changes"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "strata %s\n", version)
	fmt.Fprintf(&b, "commit %s\n", commit)
	fmt.Fprintf(&b, "go     %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	return b.String()
}
