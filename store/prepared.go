package store

import (
	"context"
	"database/sql"
	"sync"
)

// Statement caching. Parsing SQL is a large share of a short request's cost
// with a pure-Go SQLite, so hot queries are prepared once: on the reader pool
// for the life of the store, and inside each write transaction for the life of
// that batch (the writer's only connection is busy with the transaction, so
// statements cannot be prepared on the pool while a batch runs).

// readDB runs queries on the reader pool through cached prepared statements.
type readDB struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func newReadDB(db *sql.DB) *readDB { return &readDB{db: db, m: map[string]*sql.Stmt{}} }

func (r *readDB) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	r.mu.RLock()
	st := r.m[q]
	r.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if st := r.m[q]; st != nil {
		return st, nil
	}
	st, err := r.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	r.m[q] = st
	return st, nil
}

// QueryRowContext runs q as a cached statement.
func (r *readDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := r.stmt(ctx, q)
	if err != nil {
		return r.db.QueryRowContext(ctx, q, args...) // carries the same error to Scan
	}
	return st.QueryRowContext(ctx, args...)
}

// QueryContext runs q as a cached statement.
func (r *readDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := r.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (r *readDB) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, st := range r.m {
		st.Close()
	}
	r.m = map[string]*sql.Stmt{}
}

// stmt returns q prepared in this batch's transaction.
func (t *Tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st := t.prep[q]; st != nil {
		return st, nil
	}
	st, err := t.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	t.prep[q] = st
	return st, nil
}

// ExecContext runs q in the transaction as a batch-cached statement.
func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryRowContext runs q in the transaction as a batch-cached statement.
func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return t.tx.QueryRowContext(ctx, q, args...) // carries the same error to Scan
	}
	return st.QueryRowContext(ctx, args...)
}

// QueryContext runs q in the transaction as a batch-cached statement.
func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}
