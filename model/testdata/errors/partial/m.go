package partial

//strata:table
//strata:index t_x_idx (x) where x > 0
type P struct {
	X int
}
