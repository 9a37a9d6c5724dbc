package introspect

import (
	"context"
	"database/sql"
	"sync"
)

// prefetch sends a reader's queries at once, each on a connection of its
// own, so that the server runs them side by side while the reader's steps
// read their rows in turn: at thousands of tables most of an inspection
// is the server's time. With a bounded pool it sends nothing (a query
// could wait for a connection that a later query's unread rows hold), and
// the steps run their queries themselves.
type prefetch struct {
	cancel  context.CancelFunc
	mu      sync.Mutex // steps may run on goroutines of their own
	pending map[string]*sent
}

// sent is a query prefetch sent; its rows are there once done is closed.
type sent struct {
	done chan struct{}
	rows *sql.Rows
	err  error
}

// startPrefetch sends each query q, or send(q) if send is not nil; take(q)
// returns its rows.
func startPrefetch(ctx context.Context, db *sql.DB, args []any, send func(string) string, queries ...string) *prefetch {
	if db.Stats().MaxOpenConnections != 0 {
		return nil
	}
	if send == nil {
		send = func(q string) string { return q }
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &prefetch{cancel: cancel, pending: make(map[string]*sent, len(queries))}
	for _, q := range queries {
		s := &sent{done: make(chan struct{})}
		p.pending[q] = s
		go func() {
			defer close(s.done)
			s.rows, s.err = db.QueryContext(ctx, send(q), args...)
		}()
	}
	return p
}

// take returns the result of query, once, if it was prefetched.
func (p *prefetch) take(query string) (*sql.Rows, error, bool) {
	if p == nil {
		return nil, nil, false
	}
	p.mu.Lock()
	s, ok := p.pending[query]
	delete(p.pending, query)
	p.mu.Unlock()
	if !ok {
		return nil, nil, false
	}
	<-s.done
	return s.rows, s.err, true
}

// stop cancels the queries no step took and closes their rows.
func (p *prefetch) stop() {
	if p == nil {
		return
	}
	p.cancel()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.pending {
		<-s.done
		if s.rows != nil {
			s.rows.Close()
		}
	}
}
