package introspect

import (
	"strings"
	"testing"

	"github.com/strata-db/strata/dialect"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in                     string
		dialect                dialect.Name
		driver, dsn, db, shown string
	}{
		{"sqlite://strata.db", dialect.SQLite, DriverSQLite, "file:strata.db?_pragma=foreign_keys%281%29&_pragma=busy_timeout%280%29", "strata.db", "sqlite://strata.db"},
		{"sqlite:///var/lib/a.db", dialect.SQLite, DriverSQLite, "file:/var/lib/a.db?_pragma=foreign_keys%281%29&_pragma=busy_timeout%280%29", "/var/lib/a.db", "sqlite:///var/lib/a.db"},
		{"postgres://u:s3cret@h:5432/app", dialect.Postgres, DriverPostgres, "postgres://u:s3cret@h:5432/app?sslmode=prefer", "app", "postgres://u:xxxxx@h:5432/app"},
		{"postgresql://u@h/app?sslmode=disable", dialect.Postgres, DriverPostgres, "postgres://u@h/app?sslmode=disable", "app", "postgresql://u@h/app?sslmode=disable"},
		{"mysql://root:p%40ss@127.0.0.1:3306/test", dialect.MySQL, DriverMySQL, "root:p@ss@tcp(127.0.0.1:3306)/test?multiStatements=true&parseTime=true", "test", "mysql://root:xxxxx@127.0.0.1:3306/test"},
		{"mariadb://root@db/test", dialect.MySQL, DriverMySQL, "root@tcp(db:3306)/test?multiStatements=true&parseTime=true", "test", "mariadb://root@db/test"},
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
		"sqlite://",
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
