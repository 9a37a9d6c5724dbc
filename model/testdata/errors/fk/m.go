package fk

//strata:table
type Parent struct {
	ID   int `strata:"pk"`
	Name string
}

//strata:table
type Child struct {
	A int `strata:"fk:nowhere.id"`
	B int `strata:"fk:parent.missing"`
	C int `strata:"fk:parent.name"`
}
