package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Statement caching. Parsing SQL is a large share of a short request's cost
// with a pure-Go SQLite, so hot queries are prepared once: on the reader pool
// for the life of the store, and on the writer's connection between batches
// (its only connection is busy while a batch runs, so a statement new to a
// batch is prepared in that transaction first).

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
		return nil, fmt.Errorf("prepare: %w", err)
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

// stmt returns q prepared for this batch's transaction. A statement the
// writer has prepared before (writeStmts) is bound to the transaction without
// being parsed again; a new one is prepared in the transaction and, once the
// batch is over, on the writer's connection for the batches after it.
func (t *Tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st := t.prep[q]; st != nil {
		return st, nil
	}
	var st *sql.Stmt
	if parent := t.shared.get(q); parent != nil {
		st = t.tx.StmtContext(ctx, parent)
	} else {
		var err error
		if st, err = t.tx.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
		t.shared.want(q)
	}
	t.prep[q] = st
	return st, nil
}

// writeStmts are the writer's statements prepared on its one connection for
// the life of the store. Only the writer goroutine uses them, so they need no
// lock; statements are added between batches (the connection is busy during
// one). The number and length of statements kept are bounded: imports build
// statements of many sizes, which are not worth keeping.
type writeStmts struct {
	m       map[string]*sql.Stmt
	pending []string
}

const (
	maxWriteStmts   = 256
	maxWriteStmtLen = 8 << 10
)

// get is q prepared before (nil: not yet, or no shared statements).
func (w *writeStmts) get(q string) *sql.Stmt {
	if w == nil {
		return nil
	}
	return w.m[q]
}

// want notes q to be prepared once the batch is over.
func (w *writeStmts) want(q string) {
	if w == nil {
		return
	}
	if len(w.m)+len(w.pending) < maxWriteStmts && len(q) <= maxWriteStmtLen {
		w.pending = append(w.pending, q)
	}
}

// prepare prepares the statements wanted during the last batch on db (the
// writer's pool of one connection, free between batches). A statement that
// fails to prepare is left to be prepared in its transactions, as before.
func (w *writeStmts) prepare(ctx context.Context, db *sql.DB) {
	for _, q := range w.pending {
		if w.m[q] != nil {
			continue
		}
		if st, err := db.PrepareContext(ctx, q); err == nil {
			w.m[q] = st
		}
	}
	w.pending = w.pending[:0]
}

func (w *writeStmts) close() {
	for _, st := range w.m {
		st.Close()
	}
	w.m = map[string]*sql.Stmt{}
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
