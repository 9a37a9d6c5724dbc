package cli

import (
	"regexp"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// relativeTarget matches targets such as -1 and +2 that look like flags.
var relativeTarget = regexp.MustCompile(`^[-+][0-9]+$`)

// reorder moves a command's flags in front of its positional arguments and
// ends the flags with "--". urfave/cli stops at the first positional
// argument, so without this `strata merge heads -m msg` would lose -m, and
// `strata downgrade -1` would take -1 for a flag.
func reorder(app *ucli.App, args []string) []string {
	out := []string{args[0]}
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
		default:
			flags = append(flags, a)
			if takesValue(cmd.Flags, a) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		}
	}
	out = append(out, flags...)
	if len(pos) > 0 {
		out = append(out, "--")
		out = append(out, pos...)
	}
	return out
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
