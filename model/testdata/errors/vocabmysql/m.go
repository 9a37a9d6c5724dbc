package vocabmysql

//strata:table
type VM struct {
	ID int64 `strata:"pk;autoincrement:always,start=5"`
}
