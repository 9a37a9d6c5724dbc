package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// snake returns the snake_case of a Go identifier: OrderItem → order_item,
// UserID → user_id, HTTPStatus → http_status.
func snake(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Suffixes of the names strata gives constraints and indexes the user did not
// name; they are PostgreSQL's own.
const (
	suffixPK     = "pkey"
	suffixFK     = "fkey"
	suffixUnique = "key"
	suffixIndex  = "idx"
	suffixCheck  = "check"
)

// objectName returns TABLE_COLUMNS_SUFFIX (TABLE_SUFFIX when there are no
// columns) cut to max bytes the way PostgreSQL cuts the names it chooses
// itself: the longer of the table and column parts loses its last byte until
// the name fits, so strata's names equal those PostgreSQL would pick.
func objectName(table string, cols []string, suffix string, max int) string {
	name2 := strings.Join(cols, "_")
	overhead := len(suffix) + 1
	if name2 != "" {
		overhead++
	}
	n1, n2 := len(table), len(name2)
	for n1+n2 > max-overhead {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	name := clip(table, n1)
	if name2 != "" {
		name += "_" + clip(name2, n2)
	}
	return name + "_" + suffix
}

// clip cuts s to at most n bytes without splitting a UTF-8 sequence.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
