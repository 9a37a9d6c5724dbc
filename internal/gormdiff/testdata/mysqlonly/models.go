// Package mysqlonly has the index options only MySQL takes from GORM: a
// FULLTEXT class, a prefix length and a comment, and a uniqueIndex on an
// unsized string (longtext), which MariaDB accepts and MySQL 8 refuses.
package mysqlonly

import "gorm.io/gorm"

// Migrate is how the application migrates.
func Migrate(db *gorm.DB) error {
	return db.AutoMigrate(&Post{})
}

type Post struct {
	ID    uint
	Title string `gorm:"size:200;index:idx_post_title,class:FULLTEXT"`
	Slug  string `gorm:"size:200;index:idx_post_slug,length:20,comment:by prefix"`
	Body  string `gorm:"uniqueIndex"`
}
