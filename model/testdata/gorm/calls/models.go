// Package calls migrates its models with AutoMigrate calls: only those and
// what they depend on are tables.
package calls

import "gorm.io/gorm"

type A struct{ ID uint }
type B struct{ ID uint }
type C struct{ ID uint }

// D belongs to E, which AutoMigrate creates too.
type D struct {
	ID  uint
	EID uint
	E   E
}

type E struct{ ID uint }

// F has gorm tags but no call names it.
type F struct {
	ID uint `gorm:"primaryKey"`
}

// G has many H: H is not created for G.
type G struct {
	ID uint
	Hs []H
}

type H struct {
	ID  uint
	GID uint
}

// I has many J through a join table, created with J.
type I struct {
	ID uint
	Js []J `gorm:"many2many:i_js"`
}

type J struct{ ID uint }

func models() []any { return []any{&D{}} }

func Migrate(db *gorm.DB, dyn []any) error {
	if err := db.AutoMigrate(&A{}, B{}, new(C)); err != nil {
		return err
	}
	if err := db.AutoMigrate(models()...); err != nil {
		return err
	}
	more := []any{&G{}, &I{}}
	if err := db.AutoMigrate(more...); err != nil {
		return err
	}
	return db.Migrator().AutoMigrate(dyn...)
}
