package introspect

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strata-db/strata/dialect"

	_ "modernc.org/sqlite"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in                     string
		dialect                dialect.Name
		driver, dsn, db, shown string
	}{
		{"sqlite://strata.db", dialect.SQLite, DriverSQLite, "file:strata.db?_pragma=foreign_keys%281%29&_pragma=busy_timeout%285000%29", "strata.db", "sqlite://strata.db"},
		{"sqlite:///var/lib/a.db", dialect.SQLite, DriverSQLite, "file:/var/lib/a.db?_pragma=foreign_keys%281%29&_pragma=busy_timeout%285000%29", "/var/lib/a.db", "sqlite:///var/lib/a.db"},
		{"sqlite://a.db?_pragma=busy_timeout(100)", dialect.SQLite, DriverSQLite, "file:a.db?_pragma=busy_timeout%28100%29&_pragma=foreign_keys%281%29", "a.db", "sqlite://a.db?_pragma=busy_timeout(100)"},
		{"postgres://u:s3cret@h:5432/app", dialect.Postgres, DriverPostgres, "postgres://u:s3cret@h:5432/app?connect_timeout=10&sslmode=prefer", "app", "postgres://u:xxxxx@h:5432/app"},
		{"postgresql://u@h/app?sslmode=disable", dialect.Postgres, DriverPostgres, "postgres://u@h/app?connect_timeout=10&sslmode=disable", "app", "postgresql://u@h/app?sslmode=disable"},
		{"mysql://root:p%40ss@127.0.0.1:3306/test", dialect.MySQL, DriverMySQL, "root:p@ss@tcp(127.0.0.1:3306)/test?multiStatements=true&parseTime=true&timeout=10s", "test", "mysql://root:xxxxx@127.0.0.1:3306/test"},
		{"mariadb://root@db/test", dialect.MySQL, DriverMySQL, "root@tcp(db:3306)/test?multiStatements=true&parseTime=true&timeout=10s", "test", "mariadb://root@db/test"},
		{"postgres://u@h/app?password=s3cret&sslmode=disable", dialect.Postgres, DriverPostgres, "postgres://u@h/app?connect_timeout=10&password=s3cret&sslmode=disable", "app", "postgres://u@h/app?password=xxxxx&sslmode=disable"},
		{"mysql://u@h/db?connect_timeout=3", dialect.MySQL, DriverMySQL, "u@tcp(h:3306)/db?multiStatements=true&parseTime=true&timeout=3s", "db", "mysql://u@h/db?connect_timeout=3"},
		{"postgres://app:42%2Fse%23c@h/app", dialect.Postgres, DriverPostgres, "postgres://app:42%2Fse%23c@h/app?connect_timeout=10&sslmode=prefer", "app", "postgres://app:xxxxx@h/app"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := ParseURL(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if u.Dialect != tt.dialect || u.Driver != tt.driver || u.DSN != tt.dsn || u.Database != tt.db || u.String() != tt.shown {
				t.Errorf("got %s %s %q %q %q", u.Dialect, u.Driver, u.DSN, u.Database, u.String())
			}
		})
	}
}

func TestParseURLErrorsHidePassword(t *testing.T) {
	for _, in := range []string{
		"oracle://u:hunter2@h/db",
		"postgres://u:hunter2@h",
		"postgres://u:hunter2@h:port/db",
		"u:hunter2@h/db",
		"u:hunter2@tcp(h:3306)/db",
		"sqlite://",
		"postgres://app:42/hunter2@h/db",
		"postgres://app:4#hunter2@h/db",
		"postgres://app:4?hunter2@h/db",
	} {
		_, err := ParseURL(in)
		if err == nil {
			t.Errorf("ParseURL(%q): no error", in)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseURL(%q) error shows the password: %v", in, err)
		}
	}
}

// TestParseURLGoMySQLDSN: a go-sql-driver/mysql DSN is refused with the
// mysql:// URL to write instead, its password hidden.
func TestParseURLGoMySQLDSN(t *testing.T) {
	for in, want := range map[string]string{
		"root@tcp(127.0.0.1:3306)/app":   `database url: "root@tcp(127.0.0.1:3306)/app" is a Go MySQL driver DSN, not a URL; write it as mysql://root@127.0.0.1:3306/app`,
		"u:hunter2@tcp(db)/app?tls=true": `database url: "u:xxxxx@tcp(db)/app?tls=true" is a Go MySQL driver DSN, not a URL; write it as mysql://u:xxxxx@db/app?tls=true`,
		"tcp(db:3307)/app":               `database url: "tcp(db:3307)/app" is a Go MySQL driver DSN, not a URL; write it as mysql://db:3307/app`,
	} {
		_, err := ParseURL(in)
		if err == nil || err.Error() != want {
			t.Errorf("ParseURL(%q) = %v, want %s", in, err, want)
		}
	}
}

// TestSQLiteURLWaitsForWriter: a connection opened from a sqlite:// URL
// waits for another connection's write transaction to end instead of
// failing at once with "database is locked".
func TestSQLiteURLWaitsForWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	u, err := ParseURL("sqlite://" + path)
	if err != nil {
		t.Fatal(err)
	}
	writer, err := sql.Open(DriverSQLite, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	ctx := context.Background()
	w, err := writer.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// EXCLUSIVE keeps readers out too, as a commit does while it writes.
	for _, q := range []string{"BEGIN EXCLUSIVE", "CREATE TABLE t (x int)"} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	db, err := sql.Open(u.Driver, u.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	committed := make(chan error, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		_, err := w.ExecContext(ctx, "COMMIT")
		committed <- err
	}()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		t.Fatalf("read while another connection wrote: %v", err)
	}
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("read %d schema rows, want the committed table", n)
	}
}
