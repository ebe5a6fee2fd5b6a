package store

import (
	"context"
	"fmt"

	"tryggspor/internal/tryggspor"
)

// Anonymise removes the personal fields of every case closed before the date
// (YYYY-MM-DD): the encrypted case fields and every event's encrypted free
// text. The statistics fields stay, so the summaries never change. Each case
// gets an audit entry in the same transaction. With dryRun nothing changes.
// It returns the refs of the cases concerned.
func (s *Store) Anonymise(ctx context.Context, closedBefore string, dryRun bool, a tryggspor.AuditEntry) ([]string, error) {
	var refs []string
	err := s.write(ctx, func(t *Tx) error {
		refs = refs[:0]
		rows, err := t.QueryContext(ctx, `SELECT id, ref FROM cases WHERE status = 'closed' AND closed_on <> ''
			AND closed_on < ? AND anonymised_at IS NULL ORDER BY closed_on`, closedBefore)
		if err != nil {
			return wrap(err, "anonymise")
		}
		var ids []string
		for rows.Next() {
			var id, ref string
			if err := rows.Scan(&id, &ref); err != nil {
				rows.Close()
				return wrap(err, "anonymise")
			}
			ids, refs = append(ids, id), append(refs, ref)
		}
		if err := rows.Close(); err != nil || dryRun {
			return wrap(err, "anonymise")
		}
		for i, id := range ids {
			if _, err := t.ExecContext(ctx, `UPDATE cases SET personal = NULL, key_id = NULL, person_index = NULL, anonymised_at = ? WHERE id = ?`, ts(t.now), id); err != nil {
				return wrap(err, "anonymise")
			}
			if err := t.writeNameTokens(ctx, id, nil, false); err != nil {
				return wrap(err, "anonymise: name index")
			}
			if _, err := t.ExecContext(ctx, `UPDATE events SET secret = NULL, key_id = NULL WHERE case_id = ? AND secret IS NOT NULL`, id); err != nil {
				return wrap(err, "anonymise")
			}
			e := a
			e.CaseID, e.Object = id, refs[i]
			if err := t.audit(ctx, e); err != nil {
				return wrap(err, "anonymise")
			}
		}
		return nil
	})
	if err != nil || dryRun || len(refs) == 0 {
		return refs, err
	}
	// secure_delete zeroed the removed ciphertexts in the pages written now,
	// but the pages' earlier versions are still in the WAL and the database
	// file until a checkpoint copies the new ones over them and the WAL is
	// emptied.
	if err := s.Checkpoint(ctx); err != nil {
		return refs, fmt.Errorf("%d cases anonymised, but their old contents may stay in the write-ahead log until the next checkpoint: %w", len(refs), err)
	}
	return refs, nil
}
