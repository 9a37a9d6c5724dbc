package versions

import "context"

// ChainOf returns the chain checksum of statements run in order.
func ChainOf(stmts ...string) string {
	chain := ""
	for _, s := range stmts {
		chain = chainSum(chain, s)
	}
	return chain
}

// Batches reports whether m's runs send a revision's bookkeeping in one
// round trip on db's connections.
func Batches(ctx context.Context, m *Migrator) (bool, error) {
	_, done, batch, err := m.session(ctx)
	if err != nil {
		return false, err
	}
	done()
	return batch, nil
}

// MySQLLockName is the name of m's migration lock on db's MySQL database.
func MySQLLockName(ctx context.Context, m *Migrator, db querier) (string, error) {
	var name string
	err := db.QueryRowContext(ctx, "SELECT "+mysqlLockName, m.mysqlLockPrefix()).Scan(&name)
	return name, err
}
