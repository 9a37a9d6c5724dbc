// Package pgonly has the index options only PostgreSQL takes from GORM:
// an expression, an access method, a sort with a predicate. (The
// expression is on a text column: on a varchar one PostgreSQL rewrites
// lower(email) as lower((email)::text), which strata does not yet
// normalise in index expressions.)
package pgonly

import "gorm.io/gorm"

// Migrate is how the application migrates.
func Migrate(db *gorm.DB) error {
	return db.AutoMigrate(&Contact{})
}

type Contact struct {
	ID     uint
	Email  string `gorm:"index:idx_contact_lower_email,expression:lower(email)"`
	Phone  string `gorm:"size:20;index:idx_contact_phone,type:hash"`
	Active bool
	Name   string `gorm:"size:60;uniqueIndex:idx_contact_live_name,where:active,sort:desc"`
}
