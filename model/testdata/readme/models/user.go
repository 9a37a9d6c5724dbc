package models

import "database/sql"

// Status is the state of an account.
type Status string

// User is a customer account.
//
//strata:table users
//strata:comment Customer accounts
//strata:index users_name_idx (last_name, first_name DESC)
//strata:check users_email_check email <> ''
type User struct {
	ID        int64          `strata:"pk;autoincrement"`
	Email     string         `db:"email" strata:"size:191;unique"`
	FirstName string         `strata:"size:100"`
	LastName  string         `strata:"size:100;index"`
	Status    Status         `strata:"size:20;default:'active';check:status IN ('active', 'blocked')"`
	Bio       sql.NullString `strata:"comment:Shown on the profile"`
	Password  string         `db:"-"`
}
