// Package postgres declares the PostgreSQL vocabulary of issue 13.
package postgres

import "time"

// Mood is an enum type named mood.
//
//strata:enum
type Mood string

// The moods.
const (
	MoodSad Mood = "sad"
	MoodOK  Mood = "ok"
)

// State is the enum type order_state.
//
//strata:enum order_state
type State string

// The states.
const (
	StateNew  State = "new"
	StatePaid State = "paid"
)

// Account has every PostgreSQL column option and index clause.
//
//strata:table accounts
//strata:pk accounts_id
//strata:unique accounts_email_uq (email) nulls not distinct
//strata:unique accounts_tenant_handle_uq (tenant, handle)
//strata:index accounts_handle_idx (handle text_pattern_ops DESC) include (email)
//strata:index accounts_tags_idx (tags) using gin
//strata:index accounts_email_hash (email) using hash
type Account struct {
	ID     int64 `strata:"pk;autoincrement:always,start=1000,increment=2"`
	Seq    int32 `strata:"autoincrement"`
	Tenant int64
	Handle string  `strata:"collate:C"`
	Email  *string `strata:"size:200"`
	Tags   string  `strata:"type:text[];default:'{}'"`
	Mood   Mood    `strata:"default:'ok'"`
	Was    *Mood
	Double int64 `strata:"generated:tenant * 2"`
}

// Order is partitioned by range, with a default partition.
//
//strata:table orders
//strata:partition by range (placed_on)
//strata:partition orders_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
//strata:partition orders_rest DEFAULT
type Order struct {
	ID       int64     `strata:"pk"`
	PlacedOn time.Time `strata:"pk;type:date"`
	State    State     `strata:"default:'new'"`
}

// Code is partitioned by an expression.
//
//strata:table
//strata:partition by list ((lower(code)))
//strata:partition code_ab FOR VALUES IN ('a', 'b')
type Code struct {
	Code string
}
