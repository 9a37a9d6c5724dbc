package versions

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/strata-db/strata/dialect"
)

// TestContentEncoding: a revision file comes back from the revisions table
// byte for byte, stored compressed on MySQL from compressFrom bytes on,
// as text below that and on the other dialects, and as base64 when it is
// not text.
func TestContentEncoding(t *testing.T) {
	large := []byte("-- strata:upgrade\n" + strings.Repeat("CREATE TABLE `t` (`id` bigint NOT NULL, `s` varchar(20) DEFAULT 'new');\n", compressFrom/60))
	tests := []struct {
		name   string
		d      dialect.Name
		data   []byte
		prefix string
	}{
		{"small text", dialect.MySQL, []byte("-- strata:upgrade\nCREATE TABLE t (id int);\n"), "--"},
		{"large on MySQL", dialect.MySQL, large, compressPrefix},
		{"just under", dialect.MySQL, large[:compressFrom-1], "--"},
		{"large on PostgreSQL", dialect.Postgres, large, "--"},
		{"large on SQLite", dialect.SQLite, large, "--"},
		{"not text", dialect.Postgres, []byte{'a', 0, 0xff}, base64Prefix},
		{"large, not text, on MySQL", dialect.MySQL, append(bytes.Clone(large), 0xff), compressPrefix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := encodeContent(tt.d, tt.data)
			if !strings.HasPrefix(enc, tt.prefix) {
				t.Errorf("stored as %.40q..., want it to start with %q", enc, tt.prefix)
			}
			if tt.prefix == compressPrefix && len(enc) > len(tt.data)/10 {
				t.Errorf("compressed to %d bytes of %d", len(enc), len(tt.data))
			}
			got, err := decodeContent(enc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Errorf("decoded %d bytes, not the %d stored", len(got), len(tt.data))
			}
		})
	}
	enc := encodeContent(dialect.MySQL, large)
	packed, err := base64.StdEncoding.DecodeString(enc[len(compressPrefix):])
	if err != nil {
		t.Fatal(err)
	}
	packed[0]++ // the length, low byte first
	for name, bad := range map[string]string{
		"not base64": compressPrefix + "!!!",
		"no length":  compressPrefix + "AAA=",
		"not zlib":   compressPrefix + "AAAAAAAAAAAA",
		"cut short":  enc[:len(enc)/2] + "==",
	} {
		if _, err := decodeContent(bad); err == nil || !strings.Contains(err.Error(), "compressed content") {
			t.Errorf("%s: decoding gave %v, want an error about the compressed content", name, err)
		}
	}
	if _, err := decodeContent(compressPrefix + base64.StdEncoding.EncodeToString(packed)); err == nil || !strings.Contains(err.Error(), "its length says") {
		t.Errorf("a wrong length gave %v", err)
	}
}
