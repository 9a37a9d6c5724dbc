// Package partial declares what only PostgreSQL and SQLite support: partial
// indexes and expression index parts.
package partial

import "time"

// Session is a login session.
//
//strata:table
//strata:index session_active_user_idx (user_id) unique where revoked_at IS NULL
//strata:index session_token_lower_idx ((lower(token)), created_at DESC)
type Session struct {
	ID        int64 `strata:"pk;autoincrement"`
	UserID    int64
	Token     string
	CreatedAt time.Time
	RevokedAt *time.Time
}
