package versions

import (
	"regexp"
	"testing"
)

var oldHeader = regexp.MustCompile(`^--\s*([A-Za-z][A-Za-z-]*):\s*(.*?)\s*$`)

func FuzzHeaderField(f *testing.F) {
	for _, s := range []string{"-- Message: add users", "--Revises:", "-- Revises:  a, b \t", "-- a-b: x", "-- -a: x", "--  Key:val", "-- key :x", "--\tKey:\f x \r", "-- K", "-- K:", "-- ké: x", "-- Created: \u00a0x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := oldHeader.FindStringSubmatch(s)
		k, v, ok := headerField(s)
		if (m != nil) != ok || ok && (m[1] != k || m[2] != v) {
			t.Fatalf("%q: regexp %q, headerField %q %q %v", s, m, k, v, ok)
		}
	})
}
