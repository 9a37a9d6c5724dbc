package vocabmysql

//strata:table
//strata:index vm_a_idx (a) using hash
type VM struct {
	ID int64 `strata:"pk;autoincrement:always,start=5"`
	A  int64
}
