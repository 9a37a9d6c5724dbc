// Package discover has no AutoMigrate call: its models are the structs
// that look like GORM models.
package discover

import "gorm.io/gorm"

// Base is embedded in User, so it is not a table of its own.
type Base struct {
	ID uint `gorm:"primaryKey"`
}

type User struct {
	Base
	Name string `gorm:"size:40"`
}

// Plain has no gorm tags: not a model.
type Plain struct {
	ID   uint
	Name string
}

// Marked has no gorm tags but asks to be a table.
//
//strata:table
type Marked struct {
	ID uint
}

// Skipped looks like a model but is left out.
//
//strata:skip
type Skipped struct {
	ID uint `gorm:"primaryKey"`
}

type Named struct {
	ID uint
}

func (Named) TableName() string { return "named_things" }

// Dynamic names its table at run time.
type Dynamic struct {
	ID uint
}

func (d Dynamic) TableName() string { return prefix + "dynamic" }

var prefix = "x_"

type WithModel struct {
	gorm.Model
}

type OAuthClient struct {
	ID       uint
	APIKeyID int64
	UserID   uint `gorm:"index"`
}
