// Package sqlite declares the SQLite vocabulary of issue 13.
package sqlite

// Mood is text on SQLite.
//
//strata:enum
type Mood string

// The moods.
const (
	MoodSad Mood = "sad"
	MoodOK  Mood = "ok"
)

// Note is a STRICT table without rowid.
//
//strata:table
//strata:strict
//strata:without_rowid
type Note struct {
	ID    int64  `strata:"pk;type:INTEGER"`
	Title string `strata:"collate:nocase"`
	Mood  Mood   `strata:"default:'ok'"`
	Len   int64  `strata:"type:INTEGER;generated:length(title);virtual"`
}
