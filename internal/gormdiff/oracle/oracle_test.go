// Package oracle runs GORM's real AutoMigrate for the differential test in
// internal/gormdiff. Its test binary links gorm and the pure-Go SQLite
// driver (github.com/glebarez/sqlite), which registers the driver name
// "sqlite" that strata's modernc.org/sqlite also takes, so it runs as a
// process of its own: with STRATA_GORM_ORACLE set, TestMain migrates and
// exits.
package oracle

import (
	"fmt"
	"os"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"

	"github.com/strata-db/strata/internal/gormdiff/testdata/edit1"
	"github.com/strata-db/strata/internal/gormdiff/testdata/edit2"
	"github.com/strata-db/strata/internal/gormdiff/testdata/models"
	"github.com/strata-db/strata/internal/gormdiff/testdata/mysqlonly"
	"github.com/strata-db/strata/internal/gormdiff/testdata/pgonly"
)

// sets are the model packages the oracle can migrate, by name.
var sets = map[string]func(*gorm.DB) error{
	"models": models.Migrate,
	"edit1":  edit1.Migrate,
	"edit2":  edit2.Migrate,
	// Dialect-specific index options (the battery is portable).
	"pgonly":    pgonly.Migrate,
	"mysqlonly": mysqlonly.Migrate,
}

func TestMain(m *testing.M) {
	if os.Getenv("STRATA_GORM_ORACLE") == "" {
		os.Exit(m.Run())
	}
	if err := migrate(os.Getenv("STRATA_GORM_DIALECT"), os.Getenv("STRATA_GORM_DSN"), os.Getenv("STRATA_GORM_SET")); err != nil {
		fmt.Fprintln(os.Stderr, "oracle:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// migrate runs AutoMigrate of the named set on the database.
func migrate(dialect, dsn, set string) error {
	var d gorm.Dialector
	switch dialect {
	case "postgres":
		d = postgres.Open(dsn)
	case "mysql":
		d = mysql.Open(dsn)
	case "sqlite":
		d = sqlite.Open(dsn)
	default:
		return fmt.Errorf("unknown dialect %q", dialect)
	}
	run, ok := sets[set]
	if !ok {
		return fmt.Errorf("unknown model set %q", set)
	}
	cfg := &gorm.Config{Logger: logger.Default.LogMode(logger.Silent), NamingStrategy: schema.NamingStrategy{
		TablePrefix:   os.Getenv("STRATA_GORM_TABLE_PREFIX"),
		SingularTable: os.Getenv("STRATA_GORM_SINGULAR_TABLE") == "1",
	}}
	db, err := gorm.Open(d, cfg)
	if err != nil {
		return err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	defer sqlDB.Close()
	return run(db)
}

// TestModelsMigrate checks the battery itself: every model set migrates on
// an in-memory SQLite database and creates the tables GORM's own parser
// names.
func TestModelsMigrate(t *testing.T) {
	for name, run := range sets {
		if name == "pgonly" || name == "mysqlonly" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			db, err := gorm.Open(sqlite.Open("file::memory:"), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
			if err != nil {
				t.Fatal(err)
			}
			if err := run(db); err != nil {
				t.Fatal(err)
			}
			if name == "models" {
				for _, m := range models.All() {
					if !db.Migrator().HasTable(m) {
						t.Errorf("no table for %T", m)
					}
				}
			}
		})
	}
}
