// Package mysql declares the MySQL/MariaDB vocabulary of issue 13.
package mysql

import "time"

// Mood is the column type enum('sad','ok').
//
//strata:enum
type Mood string

// The moods.
const (
	MoodSad Mood = "sad"
	MoodOK  Mood = "ok"
)

// Article has every MySQL column option, table option and index clause.
//
//strata:table
//strata:charset latin1
//strata:collate latin1_bin
//strata:unique article_slug_uq (slug)
//strata:index article_title_idx (title(20), id DESC)
//strata:index article_body_ft (body) using fulltext
type Article struct {
	ID      int64     `strata:"pk;autoincrement"`
	Slug    string    `strata:"size:100"`
	Title   string    `strata:"size:200;charset:utf8mb4;collate:utf8mb4_bin"`
	Body    string    `strata:"type:text"`
	Mood    Mood      `strata:"default:'ok'"`
	Kind    string    `strata:"type:enum('a','b');default:'a'"`
	Updated time.Time `strata:"default:CURRENT_TIMESTAMP;autoupdate:CURRENT_TIMESTAMP"`
	Words   int64     `strata:"generated:length(body);virtual"`
}
