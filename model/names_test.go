package model

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"OrderItem": "order_item", "UserID": "user_id", "HTTPStatus": "http_status",
		"ID": "id", "Address2": "address2", "V2Name": "v2_name", "already_snake": "already_snake",
	} {
		t.Run(in, func(t *testing.T) {
			if got := snake(in); got != want {
				t.Errorf("snake(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestObjectName(t *testing.T) {
	long := strings.Repeat("t", 70)
	tests := []struct {
		name, table string
		cols        []string
		suffix      string
		max         int
		want        string
	}{
		{"pk", "users", nil, suffixPK, 63, "users_pkey"},
		{"composite", "order_item", []string{"order_id", "line"}, suffixUnique, 63, "order_item_order_id_line_key"},
		// PostgreSQL shortens the longer part first: 63-5 = 58 bytes for both parts.
		{"long table", long, []string{"email"}, suffixIndex, 63, strings.Repeat("t", 53) + "_email_idx"},
		{"both long", long, []string{strings.Repeat("c", 40)}, suffixFK, 63, strings.Repeat("t", 29) + "_" + strings.Repeat("c", 28) + "_fkey"},
		{"mysql limit", long, nil, suffixPK, 64, strings.Repeat("t", 59) + "_pkey"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := objectName(tc.table, tc.cols, tc.suffix, tc.max)
			if got != tc.want {
				t.Errorf("objectName = %q, want %q", got, tc.want)
			}
			if len(got) > tc.max {
				t.Errorf("len = %d > %d", len(got), tc.max)
			}
		})
	}
}

func TestTagOptions(t *testing.T) {
	ref := tagRef{tag: `db:"x" strata:"pk; size:10 ;default:'a;b';check:(x <> ';');renamed_from:\"x;y\""`, exact: true}
	ref.pos.Line, ref.pos.Column = 1, 10
	var got [][3]any
	for _, o := range ref.options() {
		got = append(got, [3]any{o.key, o.value, o.pos.Column})
	}
	// A ';' inside quotes or parentheses belongs to the value.
	want := [][3]any{{"pk", "", 25}, {"size", "10", 29}, {"default", "'a;b'", 38}, {"check", "(x <> ';')", 52}, {"renamed_from", `"x;y"`, 69}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
}

func TestParseIndexDirective(t *testing.T) {
	got, err := parseIndexDirective(`idx_a ((lower(name)) DESC, b, c asc) unique where a IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	want := &indexDirective{
		name:   "idx_a",
		parts:  []indexPart{{expr: "lower(name)", desc: true}, {column: "b"}, {column: "c"}},
		unique: true,
		where:  "a IS NOT NULL",
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(indexDirective{}, indexPart{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got, err = parseIndexDirective(`ix (name(10), title text_pattern_ops DESC, (lower(x)) varchar_ops) using GIN include (a, b) nulls not distinct unique`)
	if err != nil {
		t.Fatal(err)
	}
	want = &indexDirective{
		name:             "ix",
		parts:            []indexPart{{column: "name", prefix: 10}, {column: "title", opclass: "text_pattern_ops", desc: true}, {expr: "lower(x)", opclass: "varchar_ops"}},
		unique:           true,
		using:            "GIN",
		include:          []string{"a", "b"},
		nullsNotDistinct: true,
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(indexDirective{}, indexPart{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"(a)", "idx", "idx (a", "idx (a) sideways", "idx (a sideways extra)", "idx (a(0))", "idx (a) using",
		"idx (a) include a", "idx (a) nulls distinct", "idx (a) unique unique", "idx (a) where"} {
		if _, err := parseIndexDirective(bad); err == nil {
			t.Errorf("parseIndexDirective(%q) succeeded, want an error", bad)
		}
	}
}
