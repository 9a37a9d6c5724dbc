package versions

import (
	"strings"
	"testing"

	"github.com/strata-db/strata/dialect"
)

// BenchmarkStoreLarge measures writing the statement that stores a
// revision of 1,000 tables (860 KB) on MySQL, which a run sends with the
// revision's record: compressing the file, then quoting it.
func BenchmarkStoreLarge(b *testing.B) {
	ddl := "CREATE TABLE `t0000` (\n  `id` bigint NOT NULL AUTO_INCREMENT,\n  `status` varchar(20) NOT NULL DEFAULT 'new',\n" +
		strings.Repeat("  `c` varchar(255) NULL COMMENT 'a\\\\b',\n", 18) + "  PRIMARY KEY (`id`)\n);\n"
	src := []byte("-- strata:upgrade\n" + strings.Repeat(ddl, 1000))
	r := &Revision{ID: "cbb694ca1975", File: "cbb694ca1975_full.sql", Checksum: strings.Repeat("0", 64), Source: src}
	t := table{d: dialect.MySQL, name: "strata_version", schema: "app"}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if s := t.store(r, true); len(s) != 1 || !strings.Contains(s[0], "'"+compressPrefix) {
			b.Fatal("the file is not stored compressed")
		}
	}
}
