package badvalue

//strata:table
type BV struct {
	ID   int    `strata:"pk:yes"`
	Name string `strata:"size:abc"`
	Ref  int    `strata:"fk:users;ondelete:EXPLODE"`
}
