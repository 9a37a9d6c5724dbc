package typesize

//strata:table
type TS struct {
	N int    `strata:"size:10"`
	S string `strata:"type:text;size:10"`
	M map[string]string
}
