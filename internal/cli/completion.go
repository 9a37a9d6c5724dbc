package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// shells are the shells `strata completion` writes a script for.
var shells = map[string]func(io.Writer, *ucli.App){
	"bash": bashCompletion,
	"zsh":  zshCompletion,
	"fish": fishCompletion,
}

func completionCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh or fish",
		ArgsUsage: "SHELL",
		Action: func(c *ucli.Context) error {
			write, ok := shells[c.Args().First()]
			if c.NArg() != 1 || !ok {
				return fmt.Errorf("completion needs one shell: bash, zsh or fish (e.g. strata completion bash > /etc/bash_completion.d/strata)")
			}
			// The script is built from the command list, so it never lags behind it.
			write(e.stdout, newApp(e))
			return nil
		},
	}
}

// spellings are the ways a flag is written: --name and -n.
func spellings(f ucli.Flag) []string {
	var out []string
	for _, n := range f.Names() {
		if len(n) == 1 {
			out = append(out, "-"+n)
		} else {
			out = append(out, "--"+n)
		}
	}
	return out
}

// flagWords lists every spelling of flags.
func flagWords(flags []ucli.Flag) []string {
	var out []string
	for _, f := range flags {
		out = append(out, spellings(f)...)
	}
	return out
}

// commandFlags are the flags a script offers after the command: its own,
// --help, and the global ones but --version.
func commandFlags(app *ucli.App, c *ucli.Command) []ucli.Flag {
	flags := append(slices.Clone(c.Flags), ucli.HelpFlag)
	for _, f := range app.Flags {
		if !slices.Contains(f.Names(), "version") {
			flags = append(flags, f)
		}
	}
	return flags
}

// appFlags are the flags a script offers before the command.
func appFlags(app *ucli.App) []ucli.Flag {
	return append(slices.Clone(app.Flags), ucli.HelpFlag)
}

// visible are the commands a script offers, in the order of the help.
func visible(app *ucli.App) []*ucli.Command {
	return slices.DeleteFunc(slices.Clone(app.Commands), func(c *ucli.Command) bool { return c.Hidden || c.Name == "help" })
}

func bashCompletion(w io.Writer, app *ucli.App) {
	var names []string
	for _, c := range visible(app) {
		names = append(names, c.Name)
	}
	fmt.Fprintf(w, `# bash completion for strata: source it, or put it in
# /etc/bash_completion.d/strata (strata completion bash).
_strata() {
    local cur=${COMP_WORDS[COMP_CWORD]} cmd="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -c|--config|--database-url) ((i++)) ;;
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    local words
    case $cmd in
        "") words=%q ;;
`, strings.Join(append(names, flagWords(appFlags(app))...), " "))
	for _, c := range visible(app) {
		fmt.Fprintf(w, "        %s) words=%q ;;\n", c.Name, strings.Join(flagWords(commandFlags(app, c)), " "))
	}
	fmt.Fprint(w, `    esac
    if [[ $cur == -* || -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _strata strata
`)
}

// zshItem quotes "word:usage" for zsh's _describe.
func zshItem(word, usage string) string {
	usage = strings.ReplaceAll(usage, ":", `\:`)
	return "'" + strings.ReplaceAll(word+":"+usage, "'", `'\''`) + "'"
}

func zshCompletion(w io.Writer, app *ucli.App) {
	fmt.Fprint(w, `#compdef strata
# zsh completion for strata: put it in a directory of $fpath as _strata,
# or source it after compinit (strata completion zsh).
_strata() {
    local -a items
    local cmd="" i
    for ((i = 2; i < CURRENT; i++)); do
        case ${words[i]} in
            -c|--config|--database-url) ((i++)) ;;
            -*) ;;
            *) cmd=${words[i]}; break ;;
        esac
    done
    case $cmd in
        "")
            items=(
`)
	for _, c := range visible(app) {
		fmt.Fprintf(w, "                %s\n", zshItem(c.Name, c.Usage))
	}
	zshFlags(w, appFlags(app))
	fmt.Fprint(w, "            ) ;;\n")
	for _, c := range visible(app) {
		fmt.Fprintf(w, "        %s)\n            items=(\n", c.Name)
		zshFlags(w, commandFlags(app, c))
		fmt.Fprint(w, "            ) ;;\n")
	}
	fmt.Fprint(w, `    esac
    if [[ -z $cmd || $PREFIX == -* ]]; then
        _describe -t strata 'strata' items
    else
        _files
    fi
}
if (( $+functions[compdef] )); then
    compdef _strata strata
fi
`)
}

func zshFlags(w io.Writer, flags []ucli.Flag) {
	for _, f := range flags {
		for _, s := range spellings(f) {
			fmt.Fprintf(w, "                %s\n", zshItem(s, usageOf(f)))
		}
	}
}

// usageOf is a flag's usage text, without urfave's `PLACEHOLDER` quotes.
func usageOf(f ucli.Flag) string {
	if d, ok := f.(ucli.DocGenerationFlag); ok {
		return strings.ReplaceAll(d.GetUsage(), "`", "")
	}
	return ""
}

// fishQuote quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func fishCompletion(w io.Writer, app *ucli.App) {
	fmt.Fprintln(w, "# fish completion for strata: put it in ~/.config/fish/completions/strata.fish (strata completion fish).")
	var names []string
	for _, c := range visible(app) {
		names = append(names, c.Name)
	}
	fmt.Fprintf(w, "complete -c strata -n 'not __fish_seen_subcommand_from %s' -f\n", strings.Join(names, " "))
	fishFlags(w, "", appFlags(app))
	for _, c := range visible(app) {
		fmt.Fprintf(w, "complete -c strata -n 'not __fish_seen_subcommand_from %s' -a %s -d %s\n", strings.Join(names, " "), c.Name, fishQuote(c.Usage))
		fishFlags(w, fmt.Sprintf(" -n '__fish_seen_subcommand_from %s'", c.Name), c.Flags)
	}
}

func fishFlags(w io.Writer, cond string, flags []ucli.Flag) {
	for _, f := range flags {
		fmt.Fprintf(w, "complete -c strata%s", cond)
		for _, n := range f.Names() {
			if len(n) == 1 {
				fmt.Fprintf(w, " -s %s", n)
			} else {
				fmt.Fprintf(w, " -l %s", n)
			}
		}
		if tf, ok := f.(ucli.DocGenerationFlag); ok && tf.TakesValue() {
			fmt.Fprint(w, " -r")
		}
		fmt.Fprintf(w, " -d %s\n", fishQuote(usageOf(f)))
	}
}
