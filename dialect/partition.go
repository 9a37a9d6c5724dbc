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
}

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
