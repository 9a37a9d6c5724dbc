// Package override has field types strata cannot read statically.
package override

import (
	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// Point picks its column type per dialect at run time.
type Point struct{ X, Y float64 }

func (Point) GormDataType() string { return "point" }

func (Point) GormDBDataType(db *gorm.DB, f *schema.Field) string { return "point" }

// Blob names its data type with a constant.
type Blob []byte

func (Blob) GormDataType() string { return "bytes" }

type Place struct {
	ID    uint
	Where Point
	Fixed Point `strata:"type:varchar(40);notnull"`
	Data  Blob
	Note  string `gorm:"size:20" strata:"default:'none'"`
}

func Migrate(db *gorm.DB) error { return db.AutoMigrate(&Place{}) }
