package duptable

//strata:table
type Things struct {
	ID int
}
