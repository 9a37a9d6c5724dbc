package generated

//strata:table
type G struct {
	ID    int `strata:"pk"`
	A     int `strata:"generated:id * 2;default:0"`
	B     int `strata:"pk;generated:id + 1"`
	Total int `strata:"generated"`
}
