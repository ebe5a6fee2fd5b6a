package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"tryggspor/internal/tryggspor"
)

// stagingTTL is how long a checked file waits for its confirmation; the
// periodic purge (PurgeSessions) removes it after that, upload or not.
const stagingTTL = time.Hour

// stagingChunk is how much of a staged file is sealed at a time: staging a
// 32 MiB file holds one chunk and its ciphertext in memory, not the file.
const stagingChunk = 1 << 20

// stagedFile is what was sealed before files were staged in chunks (rows
// staged by an older version in the hour before an upgrade).
type stagedFile struct {
	Data []byte `json:"data"`
}

// StageRoom says whether a file of size bytes could be staged for userID now,
// with at most perUser files per user and total bytes in all waiting: nil,
// or a tryggspor Limit error naming the limit reached. It lets the importer
// refuse before checking a file it could not keep.
func (s *Store) StageRoom(ctx context.Context, userID, size int64, perUser int, total int64) error {
	return stageRoom(ctx, s.r, s.now(), userID, size, perUser, total)
}

// stageRoom counts what is staged and not expired.
func stageRoom(ctx context.Context, db querier, now time.Time, userID, size int64, perUser int, limit int64) error {
	var mine int
	var total int64
	err := db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE user_id = ?), COALESCE(sum(max(size, length(data))), 0)
		FROM import_staging WHERE created_at >= ?`, userID, now.Add(-stagingTTL).Unix()).Scan(&mine, &total)
	if err != nil {
		return fmt.Errorf("staged imports: %w", err)
	}
	if mine >= perUser {
		return tryggspor.Limit("Du har allerede %d kontrollerte filer som venter på bekreftelse, og høyst %d kan vente per bruker. "+
			"Importer eller forkast filene som venter, eller vent til de slettes en time etter kontrollen.", mine, perUser)
	}
	if total+size > limit {
		return tryggspor.Limit("Plassen til kontrollerte filer som venter på bekreftelse er full: høyst %d MB til sammen for alle brukere. "+
			"Prøv igjen senere; filer som venter slettes en time etter kontrollen.", limit>>20)
	}
	return nil
}

// StageImport keeps a checked spreadsheet (r, size bytes) for its uploader
// until the import is confirmed, sealed with the field key in chunks; it
// returns the token that confirms it. The browser never has to send the file
// twice. The limits (as StageRoom) are checked in the same transaction that
// stages: two uploads at once cannot both take the last place.
func (s *Store) StageImport(ctx context.Context, userID int64, name string, r io.ReaderAt, size int64, perUser int, total int64) (string, error) {
	token := tryggspor.RandomToken()
	th := hashToken(token)
	err := s.write(ctx, func(t *Tx) error {
		if _, err := t.ExecContext(ctx, `DELETE FROM import_staging WHERE created_at < ?`, t.now.Add(-stagingTTL).Unix()); err != nil {
			return err
		}
		if err := stageRoom(ctx, t, t.now, userID, size, perUser, total); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO import_staging (token_hash, user_id, created_at, name, data, key_id, size)
			VALUES (?, ?, ?, ?, x'', ?, ?)`, th, userID, t.now.Unix(), name, s.keys.current, size); err != nil {
			return err
		}
		buf := make([]byte, stagingChunk)
		for seq, off := 0, int64(0); off < size; seq, off = seq+1, off+stagingChunk {
			n, err := r.ReadAt(buf[:min(stagingChunk, size-off)], off)
			if err != nil && !(errors.Is(err, io.EOF) && int64(n) == min(stagingChunk, size-off)) {
				return fmt.Errorf("read the file: %w", err)
			}
			blob, err := s.keys.sealChunk(buf[:n], chunkAAD(token, seq))
			if err != nil {
				return err
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO import_staging_chunks (token_hash, seq, data, key_id) VALUES (?, ?, ?, ?)`,
				th, seq, blob, s.keys.current); err != nil {
				return err
			}
		}
		return nil
	})
	return token, wrap(err, "stage import")
}

// chunkAAD binds a sealed chunk to its token and place, so chunks cannot be
// swapped between files or reordered.
func chunkAAD(token string, seq int) string { return "staging:" + token + ":" + strconv.Itoa(seq) }

// sealChunk encrypts raw bytes with the current field key (nonce first).
func (k *Keyring) sealChunk(plain []byte, aad string) ([]byte, error) {
	aead := k.aeads[k.current]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: nonce: %w", err)
	}
	return aead.Seal(nonce, nonce, plain, []byte(aad)), nil
}

// openChunk decrypts what sealChunk made, appending it to dst.
func (k *Keyring) openChunk(dst, blob []byte, keyID, aad string) ([]byte, error) {
	aead, ok := k.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("no key with id %s in the keyring", keyID)
	}
	ns := aead.NonceSize()
	if len(blob) < ns {
		return nil, errors.New("ciphertext too short")
	}
	out, err := aead.Open(dst, blob[:ns], blob[ns:], []byte(aad))
	if err != nil {
		return nil, fmt.Errorf("open staged file: %w", err)
	}
	return out, nil
}

// TakeStagedImport returns and deletes the file staged under token by this
// user: each token works once, and only within the hour. An unknown, used or
// expired token is NotFound.
func (s *Store) TakeStagedImport(ctx context.Context, userID int64, token string) (string, []byte, error) {
	var name string
	var data []byte
	err := s.write(ctx, func(t *Tx) error {
		var legacy []byte
		var keyID string
		var created, size int64
		err := t.QueryRowContext(ctx, `SELECT created_at, name, data, key_id, size FROM import_staging
			WHERE token_hash = ? AND user_id = ?`, hashToken(token), userID).Scan(&created, &name, &legacy, &keyID, &size)
		if errors.Is(err, sql.ErrNoRows) || err == nil && t.now.Sub(time.Unix(created, 0)) > stagingTTL {
			return tryggspor.NotFound("Den kontrollerte filen er ikke lenger tilgjengelig. Last opp filen på nytt.")
		} else if err != nil {
			return err
		}
		if len(legacy) > 0 {
			var f stagedFile
			err = s.keys.open(legacy, keyID, "staging:"+token, &f)
			data = f.Data
		} else {
			data, err = t.readChunks(ctx, s.keys, token, size)
		}
		if err != nil {
			return err
		}
		_, err = t.ExecContext(ctx, `DELETE FROM import_staging WHERE token_hash = ?`, hashToken(token))
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("take staged import: %w", err)
	}
	return name, data, nil
}

// readChunks opens a staged file's chunks in order into one buffer of its
// size.
func (t *Tx) readChunks(ctx context.Context, keys *Keyring, token string, size int64) ([]byte, error) {
	rows, err := t.QueryContext(ctx, `SELECT seq, data, key_id FROM import_staging_chunks WHERE token_hash = ? ORDER BY seq`,
		hashToken(token))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	data := make([]byte, 0, size)
	for want := 0; rows.Next(); want++ {
		var seq int
		var blob []byte
		var keyID string
		if err := rows.Scan(&seq, &blob, &keyID); err != nil {
			return nil, err
		}
		if seq != want {
			return nil, fmt.Errorf("staged file: chunk %d missing", want)
		}
		if data, err = keys.openChunk(data, blob, keyID, chunkAAD(token, seq)); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if int64(len(data)) != size {
		return nil, fmt.Errorf("staged file: %d of %d bytes", len(data), size)
	}
	return data, nil
}

// DiscardStagedImports removes every file userID has waiting for
// confirmation, and says how many there were.
func (s *Store) DiscardStagedImports(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := s.write(ctx, func(t *Tx) error {
		res, err := t.ExecContext(ctx, `DELETE FROM import_staging WHERE user_id = ?`, userID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), wrap(err, "discard staged imports")
}

// StagedImports counts the files waiting for confirmation and their bytes,
// expired or not (the periodic purge removes the expired ones).
func (s *Store) StagedImports(ctx context.Context) (files int, size int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(max(size, length(data))), 0) FROM import_staging`).Scan(&files, &size)
	return files, size, wrap(err, "staged imports")
}
