// Package base holds structs that model tables embed. It is loaded only as a
// dependency (from export data) of the packages that declare tables.
package base

import "time"

// Model is the key and timestamps most tables share.
type Model struct {
	ID int64 `strata:"pk;autoincrement"`
	Timestamps
}

// Timestamps are the audit columns.
type Timestamps struct {
	CreatedAt time.Time `strata:"default:CURRENT_TIMESTAMP"`
	UpdatedAt *time.Time
}

// Audit is embedded through a pointer.
type Audit struct {
	CreatedBy string `strata:"size:64;default:'system'"`
}
