package dialect

import (
	"fmt"

	"ariga.io/atlas/sql/schema"
)

// Partition is one partition of a PostgreSQL partitioned table, an
// attribute of the parent table in the schemas model and introspect build
// alike: its name and its bound as the server prints it (pg_get_expr of
// relpartbound), e.g. FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') or
// DEFAULT. Atlas's schema has the partition key (postgres.Partition) but
// not the partitions.
type Partition struct {
	schema.Attr
	Name, Bound string
	// Schema is the partition's schema where it is not its table's, and
	// Partitioned marks a partition that is partitioned itself: introspect
	// reports them, the models cannot declare them, and diff never touches
	// them.
	Schema      string
	Partitioned bool
}

// Managed reports whether the models can declare the partition, and so
// diff may create or drop it.
func (p *Partition) Managed() bool { return p.Schema == "" && !p.Partitioned }

// Create returns the statement creating the partition of table parent.
func (p *Partition) Create(parent string) string {
	return fmt.Sprintf("CREATE TABLE %s PARTITION OF %s %s", Postgres.Quote(p.Name), Postgres.Quote(parent), p.Bound)
}

// Partitions returns the partitions among a table's attributes, in order.
func Partitions(attrs []schema.Attr) []*Partition {
	var out []*Partition
	for _, a := range attrs {
		if p, ok := a.(*Partition); ok {
			out = append(out, p)
		}
	}
	return out
}
