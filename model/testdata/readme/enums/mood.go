package enums

//strata:enum
type Mood string

const (
	MoodSad Mood = "sad"
	MoodOK  Mood = "ok"
)

// Person has a mood.
//
//strata:table people
type Person struct {
	ID   int64 `strata:"pk"`
	Mood Mood
}
