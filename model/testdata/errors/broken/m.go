package broken

//strata:table
type B struct {
	ID Undefined
}
