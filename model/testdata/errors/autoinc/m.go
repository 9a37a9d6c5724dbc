package autoinc

//strata:table
type A struct {
	ID string `strata:"pk;autoincrement"`
}

//strata:table
type B struct {
	ID  int `strata:"pk"`
	Seq int `strata:"autoincrement"`
}
