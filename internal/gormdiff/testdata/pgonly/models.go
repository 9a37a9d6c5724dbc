// Package pgonly has the index options only PostgreSQL takes from GORM:
// an expression (on a varchar column, which PostgreSQL rewrites as
// lower((email)::text)), an access method, a sort with a predicate.
package pgonly

import "gorm.io/gorm"

// Migrate is how the application migrates.
func Migrate(db *gorm.DB) error {
	return db.AutoMigrate(&Contact{})
}

type Contact struct {
	ID     uint
	Email  string `gorm:"size:120;index:idx_contact_lower_email,expression:lower(email)"`
	Phone  string `gorm:"size:20;index:idx_contact_phone,type:hash"`
	Active bool
	Name   string `gorm:"size:60;uniqueIndex:idx_contact_live_name,where:active,sort:desc"`
}
