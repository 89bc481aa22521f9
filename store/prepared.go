package store

import (
	"context"
	"database/sql"
	"sync"
)

// preparedDB prepares each distinct query once for the pool and reuses it:
// parsing and planning SQL was the largest cost of a read on SQLite.
// Queries are written with parameters, so their text is bounded; past
// maxPrepared distinct texts it stops preparing rather than grow without
// end. On PostgreSQL it prepares nothing: pgx already keeps each
// connection's statements (and drops one a schema change has made
// invalid, which a statement held here would keep failing with), so a
// second cache only held more statements open on the server.
type preparedDB struct {
	*sql.DB
	prepare bool
	mu      sync.RWMutex
	stmts   map[string]*sql.Stmt
}

const maxPrepared = 2000

func newPreparedDB(db *sql.DB, prepare bool) *preparedDB {
	return &preparedDB{DB: db, prepare: prepare, stmts: map[string]*sql.Stmt{}}
}

func (p *preparedDB) stmt(query string) *sql.Stmt {
	if !p.prepare {
		return nil
	}
	p.mu.RLock()
	st, ok := p.stmts[query]
	full := len(p.stmts) >= maxPrepared
	p.mu.RUnlock()
	if ok {
		return st
	}
	if full {
		return nil
	}
	// Prepared outside any request, so no one request's end closes it, and
	// outside the lock, so a round trip to PostgreSQL does not hold up
	// every other query's look-up.
	st, err := p.DB.PrepareContext(context.Background(), query)
	if err != nil {
		return nil // the plain call reports the error
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if prev, ok := p.stmts[query]; ok { // prepared meanwhile by another caller
		st.Close()
		return prev
	}
	if len(p.stmts) >= maxPrepared {
		st.Close()
		return nil
	}
	p.stmts[query] = st
	return st
}

// cached returns a statement already prepared, or nil: for use inside a
// transaction, where preparing on the pool could wait for the connection
// the transaction holds.
func (p *preparedDB) cached(query string) *sql.Stmt {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.stmts[query]
}

func (p *preparedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *preparedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmt(query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

func (p *preparedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.stmt(query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.DB.ExecContext(ctx, query, args...)
}

// Close closes the prepared statements, then the pool.
func (p *preparedDB) Close() error {
	p.mu.Lock()
	for _, st := range p.stmts {
		st.Close()
	}
	p.stmts = map[string]*sql.Stmt{}
	p.mu.Unlock()
	return p.DB.Close()
}
