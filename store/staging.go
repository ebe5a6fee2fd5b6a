package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tryggspor/internal/tryggspor"
)

// stagingTTL is how long a checked file waits for its confirmation.
const stagingTTL = time.Hour

// stagedFile is what is sealed: the file's bytes (JSON base64s them).
type stagedFile struct {
	Data []byte `json:"data"`
}

// StageImport keeps a checked spreadsheet for its uploader until the import
// is confirmed, encrypted with the field key; it returns the token that
// confirms it. The browser never has to send the file twice.
func (s *Store) StageImport(ctx context.Context, userID int64, name string, data []byte) (string, error) {
	token := tryggspor.RandomToken()
	err := s.write(ctx, func(t *Tx) error {
		blob, keyID, err := s.keys.seal(stagedFile{Data: data}, "staging:"+token)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM import_staging WHERE created_at < ?`, t.now.Add(-stagingTTL).Unix()); err != nil {
			return err
		}
		_, err = t.ExecContext(ctx, `INSERT INTO import_staging (token_hash, user_id, created_at, name, data, key_id)
			VALUES (?, ?, ?, ?, ?, ?)`, hashToken(token), userID, t.now.Unix(), name, blob, keyID)
		return err
	})
	return token, wrap(err, "stage import")
}

// TakeStagedImport returns and deletes the file staged under token by this
// user: each token works once, and only within the hour. An unknown, used or
// expired token is NotFound.
func (s *Store) TakeStagedImport(ctx context.Context, userID int64, token string) (string, []byte, error) {
	var name string
	var f stagedFile
	err := s.write(ctx, func(t *Tx) error {
		var blob []byte
		var keyID string
		var created int64
		err := t.QueryRowContext(ctx, `DELETE FROM import_staging WHERE token_hash = ? AND user_id = ?
			RETURNING created_at, name, data, key_id`, hashToken(token), userID).Scan(&created, &name, &blob, &keyID)
		if errors.Is(err, sql.ErrNoRows) || err == nil && t.now.Sub(time.Unix(created, 0)) > stagingTTL {
			return tryggspor.NotFound("Den kontrollerte filen er ikke lenger tilgjengelig. Last opp filen på nytt.")
		} else if err != nil {
			return err
		}
		return s.keys.open(blob, keyID, "staging:"+token, &f)
	})
	if err != nil {
		return "", nil, fmt.Errorf("take staged import: %w", err)
	}
	return name, f.Data, nil
}
