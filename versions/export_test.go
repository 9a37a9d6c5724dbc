package versions

// ChainOf returns the chain checksum of statements run in order.
func ChainOf(stmts ...string) string {
	chain := ""
	for _, s := range stmts {
		chain = chainSum(chain, s)
	}
	return chain
}
