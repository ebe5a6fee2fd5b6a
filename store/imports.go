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
		n = 0
		if !again {
			if at, ok, err := fileImported(ctx, t, sha256); err != nil {
				return err
			} else if ok {
				return AlreadyImported(at)
			}
		}
		cases := make([]*tryggspor.Case, 0, importChunk)
		timelines := make([][]tryggspor.Event, 0, importChunk)
		flush := func() error {
			if len(cases) == 0 {
				return nil
			}
			if err := t.insertCases(ctx, cases, timelines); err != nil {
				return fmt.Errorf("cases %d–%d: %w", n+1, n+len(cases), err)
			}
			entries := make([]tryggspor.AuditEntry, 0, len(cases))
			for _, c := range cases {
				e := a
				e.CaseID, e.Object = c.ID, c.Ref
				entries = append(entries, e)
			}
			if err := t.auditMany(ctx, entries); err != nil {
				return err
			}
			n += len(cases)
			cases, timelines = cases[:0], timelines[:0]
			return ctx.Err()
		}
		err := rows(func(c *tryggspor.Case, evs []tryggspor.Event) error {
			cases, timelines = append(cases, c), append(timelines, evs)
			if len(cases) == importChunk {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err != nil {
			return err
		}
		_, err = t.ExecContext(ctx, `INSERT INTO import_files (sha256, imported_at, actor_id, actor, org, cases)
			VALUES (?, ?, ?, ?, ?, ?)`, sha256, ts(t.now), nullID(a.Actor.UserID), a.Actor.Name, a.Actor.Org, n)
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
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
	return parseTS(at), true, nil
}
