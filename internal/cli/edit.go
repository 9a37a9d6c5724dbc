package cli

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// editCommand is Alembic's edit: open a revision file in the user's editor.
func editCommand(e *env) *ucli.Command {
	return &ucli.Command{
		Name:      "edit",
		Usage:     "open revision REV in $VISUAL or $EDITOR (default: the single head)",
		ArgsUsage: "[REV]",
		Action: func(c *ucli.Context) error {
			if c.NArg() > 1 {
				return errors.New("edit takes one revision")
			}
			editor := e.editor()
			if editor == nil {
				return errors.New("no editor: set VISUAL or EDITOR (e.g. export EDITOR=vi)")
			}
			p, err := e.loadProject(c)
			if err != nil {
				return err
			}
			ref := c.Args().First()
			if ref == "" {
				heads := p.graph.Heads()
				if len(heads) != 1 {
					return fmt.Errorf("edit needs a revision: there are %d heads (%s)", len(heads), joinIDs(heads))
				}
				ref = heads[0].ID
			}
			r, err := p.graph.Resolve(ref)
			if err != nil {
				return err
			}
			cmd := exec.CommandContext(c.Context, editor[0], append(editor[1:], r.Path)...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = e.stdin, e.stdout, e.stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("editor %s: %v", strings.Join(editor, " "), err)
			}
			// Say at once when the edit broke the file, not at the next upgrade.
			return reparse(r.Path)
		},
	}
}

// editor is $VISUAL, else $EDITOR, split into the program and its
// arguments (EDITOR="code --wait" works); nil when neither is set.
func (e *env) editor() []string {
	for _, k := range []string{"VISUAL", "EDITOR"} {
		if v, ok := e.lookup(k); ok && strings.TrimSpace(v) != "" {
			return strings.Fields(v)
		}
	}
	return nil
}
