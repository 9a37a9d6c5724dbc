package autoincmysql

//strata:table
type BM struct {
	ID  int `strata:"pk"`
	Seq int `strata:"autoincrement"`
}
