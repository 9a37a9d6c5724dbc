package untabled

import "example.com/errs/untabled/base"

// Forgotten has strata tags but no //strata:table.
type Forgotten struct {
	ID int64 `strata:"pk"`
}

// stamps is embedded by T: not an error.
type stamps struct {
	Note string `strata:"size:20"`
}

// viaPointer is embedded through a pointer by T: not an error.
type viaPointer struct {
	Rank int `strata:"default:0"`
}

// Plain has no strata tags: not a table, not an error.
type Plain struct {
	ID int64 `db:"id"`
}

//strata:table untabled_t
type T struct {
	ID int64 `strata:"pk"`
	stamps
	*viaPointer
	base.Audit
}
