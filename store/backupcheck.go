package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"tryggspor/internal/tryggspor"
)

// signature is the name of a backup's signed note: the SHA-256 and length
// of the backup file as written, and the size and head of its audit log.
// Restore refuses a backup without it, or whose bytes are not the signed
// ones, before it looks inside: nobody without the audit key can change a
// case, an event, a staged file or a free page of a backup, nor cut its log,
// and have it restored.
func signature(backup string) string { return backup + ".signature" }

// legacySidecar is where backups made before they were signed as a whole
// kept their audit checkpoint alone; such a backup is refused with advice.
func legacySidecar(backup string) string { return backup + ".audit-checkpoint" }

const backupHeader = "tryggspor backup v2\n"

// backupNote is what a backup's signature states.
type backupNote struct {
	SHA256 string
	Bytes  int64
	Audit  Checkpoint
}

// signBackup writes the signed note of the finished copy at tmp to side: its
// audit head first (reading leaves the file as it is), then its hash.
func (s *Store) signBackup(ctx context.Context, tmp, side string) error {
	db, err := sql.Open("sqlite", "file:"+tmp)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	cp, err := head(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	cp.At = s.now().UTC().Truncate(time.Second)
	sum, n, err := hashFile(tmp)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	text := fmt.Sprintf("%ssha256 %s\nbytes %d\naudit %d %s\nat %s\n", backupHeader, sum, n, cp.Size, cp.Hash,
		cp.At.Format(time.RFC3339))
	signed, err := note.Sign(&note.Note{Text: text}, s.keys.audit[s.keys.auditCurrent].signer)
	if err != nil {
		return fmt.Errorf("sign backup: %w", err)
	}
	f, err := os.OpenFile(side, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := f.Write(signed); err != nil {
		f.Close()
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("backup: %w", err)
	}
	return wrap(f.Close(), "backup")
}

// hashFile is the SHA-256 (hex) and length of the file at path.
func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// readBackupNote reads and checks a backup's signature (a note signed with
// an audit key). A backup made before backups were signed as a whole has
// only its audit checkpoint: it is refused, with what to do instead.
func readBackupNote(src string, keys *Keyring) (backupNote, error) {
	var bn backupNote
	b, err := os.ReadFile(signature(src))
	if errors.Is(err, fs.ErrNotExist) {
		if _, lerr := os.Stat(legacySidecar(src)); lerr == nil {
			return bn, errors.New("it was made before backups were signed as a whole (it has no " + signature(src) +
				"); make a new one with `tryggspor backup --to FILE` from the database it came from")
		}
		return bn, fmt.Errorf("its signature %s is missing (every backup gets one)", signature(src))
	} else if err != nil {
		return bn, fmt.Errorf("its signature: %w", err)
	}
	n, err := note.Open(b, auditVerifiers(keys.audit))
	if err != nil {
		return bn, fmt.Errorf("its signature %s does not verify with the audit key: %v", signature(src), err)
	}
	var at string
	_, err = fmt.Sscanf(strings.TrimPrefix(n.Text, backupHeader), "sha256 %s\nbytes %d\naudit %d %s\nat %s\n",
		&bn.SHA256, &bn.Bytes, &bn.Audit.Size, &bn.Audit.Hash, &at)
	if err != nil || !strings.HasPrefix(n.Text, backupHeader) {
		return bn, fmt.Errorf("its signature %s is not a backup signature", signature(src))
	}
	if bn.Audit.At, err = time.Parse(time.RFC3339, at); err != nil {
		return bn, fmt.Errorf("its signature %s: time: %w", signature(src), err)
	}
	return bn, nil
}

// copySigned copies the backup at src to the new file dst and checks, on the
// very bytes copied, that they are the signed ones; it is the first thing
// restore does with a backup, before anything opens it as a database.
func copySigned(src, dst string, want backupNote) error {
	if err := copyFile(src, dst); err != nil {
		return err
	}
	sum, n, err := hashFile(dst)
	if err != nil {
		return err
	}
	if n != want.Bytes || sum != want.SHA256 {
		return errors.New("its contents are not the ones signed when it was made (SHA-256 differs): it was changed or damaged")
	}
	return nil
}

// checkRows reads every case and event of the database at db as the service
// would — dates, encrypted fields (whose authentication catches a changed
// byte), coded values — so a backup damaged inside a row's values, which
// integrity_check cannot see, is refused.
func checkRows(ctx context.Context, db querier, keys *Keyring) error {
	s := &Store{keys: keys}
	rows, err := db.QueryContext(ctx, `SELECT `+caseColumns+` FROM cases c`)
	if err != nil {
		return fmt.Errorf("read cases: %w", err)
	}
	var ids []string
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err == nil && (!tryggspor.Known("category", string(c.Category)) || !tryggspor.Known("status", string(c.Status))) {
			err = fmt.Errorf("case %s has an unknown category or status", c.Ref)
		}
		if err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		evs, err := s.events(ctx, db, id)
		if err != nil {
			return err
		}
		for _, e := range evs {
			if _, ok := e.Type.Spec(); !ok || (e.ActorRole != "" && !e.ActorRole.Valid()) {
				return fmt.Errorf("event %d of case %s has an unknown type or role", e.ID, id)
			}
		}
	}
	return nil
}
