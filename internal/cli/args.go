package cli

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// relativeTarget matches targets such as -1 and +2 that look like flags.
var relativeTarget = regexp.MustCompile(`^[-+][0-9]+$`)

// reorder moves a command's flags in front of its positional arguments and
// ends the flags with "--". urfave/cli stops at the first positional
// argument, so without this `strata merge heads -m msg` would lose -m, and
// `strata downgrade -1` would take -1 for a flag. A global flag given
// after the command (`strata current -c FILE`) moves in front of it.
func reorder(app *ucli.App, args []string) []string {
	out := []string{args[0]}
	var global []string
	i := 1
	// Global flags, up to the command name.
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "--" {
		out = append(out, args[i])
		if takesValue(app.Flags, args[i]) && i+1 < len(args) {
			out = append(out, args[i+1])
			i++
		}
		i++
	}
	if i >= len(args) {
		return out
	}
	cmd := app.Command(args[i])
	out = append(out, args[i])
	i++
	if cmd == nil {
		return append(out, args[i:]...)
	}
	var flags, pos []string
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case relativeTarget.MatchString(a) || a == "-" || !strings.HasPrefix(a, "-"):
			pos = append(pos, a)
		case !hasFlag(cmd.Flags, a) && hasFlag(app.Flags, a) && flagName(a) != "version":
			global = append(global, a)
			if takesValue(app.Flags, a) && i+1 < len(args) {
				global = append(global, args[i+1])
				i++
			}
		default:
			flags = append(flags, a)
			if takesValue(cmd.Flags, a) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		}
	}
	if len(global) > 0 {
		out = append(append(append([]string{}, out[:len(out)-1]...), global...), out[len(out)-1])
	}
	out = append(out, flags...)
	if len(pos) > 0 {
		out = append(out, "--")
		out = append(out, pos...)
	}
	return out
}

// flagName is the name of arg (-x, --x or --x=v).
func flagName(arg string) string {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return name
}

// hasFlag reports whether arg names one of flags.
func hasFlag(flags []ucli.Flag, arg string) bool {
	name := flagName(arg)
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return true
		}
	}
	return false
}

// usageError rewrites the flag package's "flag provided but not defined:
// -name" for command (empty for the global flags) into one line that names
// the flag as it is written and where to look.
func usageError(err error, command string) error {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return err
	}
	flag := "--" + name
	if len(name) == 1 {
		flag = "-" + name
	}
	if command == "" {
		return fmt.Errorf("unknown global flag %s (see strata --help)", flag)
	}
	return fmt.Errorf("%s has no flag %s (see strata %s --help)", command, flag, command)
}

// takesValue reports whether arg (-x, --x, or --x=v) names a flag among
// flags that needs a separate value argument.
func takesValue(flags []ucli.Flag, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	if strings.Contains(name, "=") {
		return false
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			_, isBool := f.(*ucli.BoolFlag)
			return !isBool
		}
	}
	return false
}
