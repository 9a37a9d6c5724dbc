// Package edit1 is a small model set before the edits of package edit2.
package edit1

import "gorm.io/gorm"

// Migrate is how the application migrates.
func Migrate(db *gorm.DB) error {
	return db.AutoMigrate(&Shop{}, &Item{})
}

type Shop struct {
	gorm.Model
	Name   string `gorm:"size:80"`
	Region string `gorm:"size:10"`
	Legacy string `gorm:"size:10"`
}

type Item struct {
	ID     uint
	ShopID uint
	Title  string `gorm:"size:50"`
	Price  float64
}
