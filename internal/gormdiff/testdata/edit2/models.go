// Package edit2 is package edit1 edited the way teams do: a field added
// (Shop.Phone), a tag changed (Item.Title's size), an index added
// (Shop.Region), an association added (Shop.Items, with its constraint and
// a new model, Review), and a field removed (Shop.Legacy).
package edit2

import "gorm.io/gorm"

// Migrate is how the application migrates.
func Migrate(db *gorm.DB) error {
	return db.AutoMigrate(&Shop{}, &Item{}, &Review{})
}

type Shop struct {
	gorm.Model
	Name   string `gorm:"size:80"`
	Region string `gorm:"size:10;index"`
	Phone  string `gorm:"size:20"`
	Items  []Item `gorm:"constraint:OnDelete:CASCADE"`
}

type Item struct {
	ID      uint
	ShopID  uint
	Title   string `gorm:"size:120"`
	Price   float64
	Reviews []Review
}

type Review struct {
	ID     uint
	ItemID uint
	Stars  int8 `gorm:"check:stars between 1 and 5"`
}
