package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

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
			return err
		}
		var ids []string
		for rows.Next() {
			var id, ref string
			if err := rows.Scan(&id, &ref); err != nil {
				rows.Close()
				return err
			}
			ids, refs = append(ids, id), append(refs, ref)
		}
		if err := rows.Close(); err != nil || dryRun {
			return err
		}
		for i, id := range ids {
			if _, err := t.ExecContext(ctx, `UPDATE cases SET personal = NULL, key_id = NULL, anonymised_at = ? WHERE id = ?`, ts(t.now), id); err != nil {
				return err
			}
			if _, err := t.ExecContext(ctx, `UPDATE events SET secret = NULL, key_id = NULL WHERE case_id = ? AND secret IS NOT NULL`, id); err != nil {
				return err
			}
			e := a
			e.CaseID, e.Object = id, refs[i]
			if err := t.audit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	return refs, err
}

// Backup writes a consistent copy of the database to path (which must not
// exist) with VACUUM INTO, while the service keeps running. The copy holds the
// personal fields encrypted; the key is not in it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists; a backup never overwrites", path)
	}
	// VACUUM INTO reads one snapshot; it needs a connection of its own that is
	// neither the writer nor a query-only reader.
	db, err := sql.Open("sqlite", "file:"+s.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return os.Chmod(path, 0o600)
}

// Restore replaces the database file at dst with the backup at src, after
// checking that src is a Tryggspor database. The service must be stopped.
func Restore(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", "file:"+src+"?mode=ro")
	if err != nil {
		return err
	}
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n)
	db.Close()
	if err != nil || n == 0 {
		return errors.New(src + " is not a Tryggspor database")
	}
	in, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".restore")
	if err := os.WriteFile(tmp, in, 0o600); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return os.Rename(tmp, dst)
}
