package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tryggspor/internal/tryggspor"
)

// importChunk is how many cases go into one INSERT: most of a bulk load's
// cost is per statement.
const importChunk = 100

// ImportCases writes the cases that rows produces, in one transaction: rows is
// called once, inside the write transaction, and calls add for each case with
// its timeline; cases are inserted a chunk at a time, each with its own audit
// entry (a copy of a), so memory does not grow with the number of cases. Any
// error, from rows, add or the database, rolls back everything.
//
// The file's SHA-256 is recorded in the same transaction. Unless again is set,
// a file already imported is refused with a Conflict, decided inside the
// transaction so that two imports of one file cannot both pass. It returns the
// number of cases written.
func (s *Store) ImportCases(ctx context.Context, sha256 string, again bool, rows func(add func(*tryggspor.Case, []tryggspor.Event) error) error, a tryggspor.AuditEntry) (int, error) {
	var n int
	err := s.write(ctx, func(t *Tx) error {
		if !again {
			if at, ok, err := fileImported(ctx, t, sha256); err != nil {
				return err
			} else if ok {
				return AlreadyImported(at)
			}
		}
		w := &chunkWriter{ctx: ctx, t: t, audit: a}
		if err := rows(w.add); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		n = w.n
		_, err := t.ExecContext(ctx, `INSERT INTO import_files (sha256, imported_at, actor_id, actor, org, cases)
			VALUES (?, ?, ?, ?, ?, ?)`, sha256, ts(t.now), nullID(a.Actor.UserID), a.Actor.Name, a.Actor.Org, n)
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// chunkWriter collects cases and inserts them importChunk at a time, each
// with a copy of the audit entry.
type chunkWriter struct {
	ctx       context.Context
	t         *Tx
	audit     tryggspor.AuditEntry
	cases     []*tryggspor.Case
	timelines [][]tryggspor.Event
	n         int // cases written
}

func (w *chunkWriter) add(c *tryggspor.Case, evs []tryggspor.Event) error {
	w.cases, w.timelines = append(w.cases, c), append(w.timelines, evs)
	if len(w.cases) < importChunk {
		return nil
	}
	return w.flush()
}

func (w *chunkWriter) flush() error {
	if len(w.cases) == 0 {
		return nil
	}
	if err := w.t.insertCases(w.ctx, w.cases, w.timelines); err != nil {
		return fmt.Errorf("cases %d–%d: %w", w.n+1, w.n+len(w.cases), err)
	}
	entries := make([]tryggspor.AuditEntry, 0, len(w.cases))
	for _, c := range w.cases {
		e := w.audit
		e.CaseID, e.Object = c.ID, c.Ref
		entries = append(entries, e)
	}
	if err := w.t.auditMany(w.ctx, entries); err != nil {
		return wrap(err, "write imported cases")
	}
	w.n += len(w.cases)
	clear(w.cases)
	clear(w.timelines)
	w.cases, w.timelines = w.cases[:0], w.timelines[:0]
	return w.ctx.Err()
}

// AlreadyImported is the Conflict ImportCases returns for a file imported
// before, with the date in its message.
func AlreadyImported(at time.Time) error {
	return &tryggspor.Error{Kind: tryggspor.KindConflict, Message: "Denne filen ble allerede importert " +
		at.In(tryggspor.Oslo).Format("02.01.2006 kl. 15:04") + ". Bekreft at den skal importeres en gang til."}
}

// FileImported returns when a file with this SHA-256 (hex) of its content was
// last imported; ok is false when it never was.
func (s *Store) FileImported(ctx context.Context, sha256 string) (at time.Time, ok bool, err error) {
	return fileImported(ctx, s.r, sha256)
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func fileImported(ctx context.Context, db rowQuerier, sha256 string) (time.Time, bool, error) {
	var at string
	err := db.QueryRowContext(ctx, `SELECT imported_at FROM import_files WHERE sha256 = ? ORDER BY imported_at DESC LIMIT 1`, sha256).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	} else if err != nil {
		return time.Time{}, false, fmt.Errorf("look up imported file: %w", err)
	}
	t, err := readTS(at)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("look up imported file: %w", err)
	}
	return t, true, nil
}
