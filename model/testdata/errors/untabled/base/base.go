// Package base has a mixin that tables in another package embed.
package base

// Audit is embedded by untabled.T: not an error.
type Audit struct {
	By string `strata:"size:10"`
}
