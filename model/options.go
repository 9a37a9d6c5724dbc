package model

// Option configures a Load.
type Option func(*loadOptions)

type loadOptions struct {
	gorm     *GORMNaming
	warn     func(*Error)
	cacheDir string
}

// GORMNaming is what strata needs of gorm.Config's naming strategy, which it
// cannot read from a program it never runs.
type GORMNaming struct {
	// TablePrefix is NamingStrategy.TablePrefix.
	TablePrefix string
	// SingularTable is NamingStrategy.SingularTable.
	SingularTable bool
}

// WithGORM reads the models with GORM's rules (`orm = "gorm"`): gorm tags,
// GORM's naming, and the tables AutoMigrate would create, per dialect.
func WithGORM(n GORMNaming) Option {
	return func(o *loadOptions) { o.gorm = &n }
}

// WithWarnings hands f each warning of the load: something read by a rule
// that may not be the one the program follows at run time, with the strata
// tag that settles it. f is called before Load returns, in position order.
func WithWarnings(f func(*Error)) Option {
	return func(o *loadOptions) { o.warn = f }
}
