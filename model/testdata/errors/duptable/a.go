package duptable

//strata:table things
type A struct {
	ID int
}
