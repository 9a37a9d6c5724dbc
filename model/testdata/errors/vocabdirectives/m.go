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

//strata:table
//strata:partition by range (at)
//strata:partition by list (at)
//strata:partition vc_1 sometimes
//strata:partition vc_2 FOR VALUES FROM (1) TO (2)
type VC struct {
	ID int64 `strata:"pk"`
	At int64
}

//strata:table
//strata:partition by sideways (at)
//strata:partition vd_1 DEFAULT
type VD struct {
	At int64
}

//strata:table
//strata:partition by hash (missing, (x DESC))
//strata:partition va DEFAULT
type VE struct {
	At int64
}
