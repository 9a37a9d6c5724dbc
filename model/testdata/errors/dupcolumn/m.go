package dupcolumn

type Base struct {
	ID int
}

//strata:table
type T struct {
	Base
	ID    int
	Other int `db:"id"`
}
