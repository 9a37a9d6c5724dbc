package unknownoption

//strata:table
type UO struct {
	ID int `strata:"pk;primary"`
}
