package vocab

import "time"

//strata:table
type V struct {
	ID int64     `strata:"pk;autoincrement:sometimes"`
	A  string    `strata:"charset:latin1"`
	B  time.Time `strata:"autoupdate:CURRENT_TIMESTAMP"`
	C  int       `strata:"generated:id * 2;virtual"`
	D  string    `strata:"collate"`
	E  string    `strata:"virtual:yes"`
}

//strata:table
type W struct {
	ID int64 `strata:"pk;autoincrement:start=x"`
}

//strata:table
type X struct {
	ID int64 `strata:"pk;autoincrement:increment=0,always"`
}

//strata:enum
type Level int

const LevelLow Level = 1

//strata:enum
type Empty string

//strata:enum mood
type Mood string

const (
	MoodSad Mood = "sad"
	MoodBad Mood = "sad"
)

//strata:enum mood
type Feeling string

const FeelingOK Feeling = "ok"

//strata:table
type Y struct {
	ID   int64 `strata:"pk"`
	Mood Mood  `strata:"size:10"`
}

//strata:table
type Z struct {
	ID  int64  `strata:"pk"`
	Seq *int64 `strata:"autoincrement:always"`
	No  int64  `strata:"autoincrement:start=5"`
}
