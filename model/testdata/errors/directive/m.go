package directive

// Status is not a struct.
//
//strata:table
type Status string

// F is a function.
//
//strata:table
func F() {}

// T has no table directive.
//
//strata:index t_x_idx (x)
type T struct {
	X int
}

// U uses an unknown directive.
//
//strata:table
//strata:view
type U struct {
	X int
}
