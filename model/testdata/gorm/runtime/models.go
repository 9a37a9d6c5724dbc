// Package runtime configures GORM in code strata does not run.
package runtime

import (
	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

type Person struct {
	ID        uint
	Addresses []Address `gorm:"many2many:person_addresses"`
	Nick      string    `gorm:"size:20;nullable"`
}

type Address struct {
	ID uint
	Audit
}

// Audit is embedded, with an association in it.
type Audit struct {
	ByID *uint
	By   *Person
}

// PersonAddress is the join model SetupJoinTable gives GORM.
//
//strata:table
type PersonAddress struct {
	PersonID  uint `gorm:"primaryKey"`
	AddressID uint `gorm:"primaryKey"`
	Primary   bool
}

func Open(d gorm.Dialector) (*gorm.DB, error) {
	db, err := gorm.Open(d, &gorm.Config{NamingStrategy: schema.NamingStrategy{TablePrefix: "t_"}})
	if err != nil {
		return nil, err
	}
	if err := db.SetupJoinTable(&Person{}, "Addresses", &PersonAddress{}); err != nil {
		return nil, err
	}
	return db, db.AutoMigrate(&Person{})
}
