package vocabdirectives

//strata:table
//strata:charset latin1
//strata:pk a_key
//strata:pk a_key2
//strata:strict
//strata:unique a_name_uq (name DESC)
//strata:unique a_name_uq2 (name) using hash
//strata:index a_i1 (name) using bitmap
//strata:index a_i2 (name) nulls not distinct
//strata:index a_i3 (name(10))
//strata:index a_i4 (name) include (missing)
type VA struct {
	ID   int64  `strata:"pk"`
	Name string `strata:"size:20"`
}

//strata:table
//strata:pk b_key
type VB struct {
	ID int64
}
