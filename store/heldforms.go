package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tryggspor/internal/tryggspor"
)

// heldAAD binds a held form's ciphertext to its row: a blob moved to another
// row, user or purpose does not open.
func heldAAD(tokenHash []byte, userID int64, purpose tryggspor.HoldPurpose) string {
	return fmt.Sprintf("held-form:%x:%d:%s", tokenHash, userID, purpose)
}

// HoldForm keeps a form's values server-side for user and purpose,
// encrypted with the field key, and returns the token that names it. Held
// forms older than their purpose's lifetime are deleted on the way, so
// nothing personal outlives the step it waits for.
func (s *Store) HoldForm(ctx context.Context, userID int64, purpose tryggspor.HoldPurpose, h tryggspor.HeldForm) (string, error) {
	tok := tryggspor.RandomToken()
	th := hashToken(tok)
	blob, keyID, err := s.keys.seal(h, heldAAD(th, userID, purpose))
	if err != nil {
		return "", wrap(err, "hold form")
	}
	if len(blob) > tryggspor.MaxHeldBytes {
		return "", tryggspor.ErrTooLargeToHold
	}
	err = s.write(ctx, func(t *Tx) error {
		if err := purgeHeld(ctx, t); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO held_forms (token_hash, user_id, purpose, path, data, key_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, th, userID, string(purpose), h.Path, blob, keyID, t.now.Unix()); err != nil {
			return err
		}
		// Each user keeps only their newest few of a purpose, so an ended
		// session's cookie sent again and again cannot fill the disk.
		_, err := t.ExecContext(ctx, `DELETE FROM held_forms WHERE user_id = ? AND purpose = ? AND token_hash NOT IN
			(SELECT token_hash FROM held_forms WHERE user_id = ? AND purpose = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
			userID, string(purpose), userID, string(purpose), purpose.PerUser())
		return err
	})
	return tok, wrap(err, "hold form")
}

// purgeHeld deletes every held form past its purpose's lifetime.
func purgeHeld(ctx context.Context, t *Tx) error {
	for _, p := range tryggspor.HoldPurposes {
		if _, err := t.ExecContext(ctx, `DELETE FROM held_forms WHERE purpose = ? AND created_at < ?`,
			string(p), t.now.Add(-p.Lifetime()).Unix()); err != nil {
			return err
		}
	}
	return nil
}

// HeldForm returns the form held under tok for user and purpose, deleting it
// when take is set: one DELETE … RETURNING, so of two sends at once only one
// gets it. Another user's, another purpose's, an unknown or an expired
// token is ErrNoSession — the caller cannot tell them apart.
func (s *Store) HeldForm(ctx context.Context, tok string, userID int64, purpose tryggspor.HoldPurpose, take bool) (tryggspor.HeldForm, error) {
	var h tryggspor.HeldForm
	if tok == "" {
		return h, tryggspor.ErrNoSession
	}
	th := hashToken(tok)
	var blob []byte
	var keyID string
	var created int64
	const where = ` FROM held_forms WHERE token_hash = ? AND user_id = ? AND purpose = ?`
	var err error
	if take {
		err = s.write(ctx, func(t *Tx) error {
			err := t.QueryRowContext(ctx, `DELETE`+where+` RETURNING data, key_id, created_at`, th, userID, string(purpose)).
				Scan(&blob, &keyID, &created)
			if errors.Is(err, sql.ErrNoRows) {
				return tryggspor.ErrNoSession
			}
			return err
		})
	} else {
		err = s.rd.QueryRowContext(ctx, `SELECT data, key_id, created_at`+where, th, userID, string(purpose)).Scan(&blob, &keyID, &created)
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, tryggspor.ErrNoSession) ||
		(err == nil && s.now().Sub(time.Unix(created, 0)) > purpose.Lifetime()) {
		return h, tryggspor.ErrNoSession
	} else if err != nil {
		return h, wrap(err, "read held form")
	}
	if err := s.keys.open(blob, keyID, heldAAD(th, userID, purpose), &h); err != nil {
		return h, wrap(err, "open held form")
	}
	return h, nil
}

// DropHeldForm deletes a held form (used, or no longer wanted).
func (s *Store) DropHeldForm(ctx context.Context, tok string) error {
	err := s.write(ctx, func(t *Tx) error {
		_, err := t.ExecContext(ctx, `DELETE FROM held_forms WHERE token_hash = ?`, hashToken(tok))
		return err
	})
	return wrap(err, "drop held form")
}
