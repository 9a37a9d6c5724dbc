package model

import (
	"go/token"
	"strings"
	"testing"
)

// FuzzTagOptions: any struct tag parses into options without a panic,
// each positioned inside the tag, with no ';' outside quotes or
// parentheses left in a key.
func FuzzTagOptions(f *testing.F) {
	for _, s := range []string{
		`db:"x" strata:"pk;autoincrement"`,
		`strata:"size:10;default:'a;b';check:(x <> ';');renamed_from:\"x;y\""`,
		`strata:"fk:users.id;ondelete:SET NULL;fk_name:\"a\"\"b\""`,
		`strata:"unique:u;index:i;index;unique"`,
		`strata:"default:'unterminated;x"`,
		`strata:"check:((a)"`,
		`strata:";;;"`,
		`json:"x" strata:`,
		`strata:"\xff\x00;"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		ref := tagRef{tag: tag, pos: token.Position{Line: 1, Column: 1}, exact: true}
		for _, o := range ref.options() {
			if o.pos.Column < 1 || o.pos.Column > len(tag)+1 {
				t.Fatalf("option %q at column %d outside the tag %q", o.key, o.pos.Column, tag)
			}
			if o.key != strings.TrimSpace(o.key) {
				t.Fatalf("untrimmed key %q", o.key)
			}
			unquoteName(o.value)
		}
		ref.dbName()
	})
}
