package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tryggspor/internal/tryggspor"
)

const (
	// touchEvery bounds how often last_seen is written: every request would
	// cost a write; once a minute keeps the idle limit accurate to a minute.
	touchEvery = time.Minute
	loginTTL   = tryggspor.LoginTimeout
)

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// CreateSession starts a session for user and returns its secret id. An old
// session id presented by the browser is deleted: ids rotate at sign-in.
func (s *Store) CreateSession(ctx context.Context, userID int64, oldID string) (string, error) {
	return s.CreateSessionFor(ctx, userID, oldID, tryggspor.Logout{})
}

// logoutAAD binds an encrypted logout hint to its session row.
func logoutAAD(idHash []byte) string { return fmt.Sprintf("session-logout:%x", idHash) }

// CreateSessionFor is CreateSession that also keeps what signing out at the
// provider needs: its name and the ID token (encrypted with the field key,
// bound to the row) for id_token_hint.
func (s *Store) CreateSessionFor(ctx context.Context, userID int64, oldID string, lo tryggspor.Logout) (string, error) {
	id := tryggspor.RandomToken()
	idHash := hashToken(id)
	var hint []byte
	var keyID string
	if lo.IDTokenHint != "" {
		var err error
		if hint, keyID, err = s.keys.seal(lo.IDTokenHint, logoutAAD(idHash)); err != nil {
			return "", wrap(err, "create session for user %d", userID)
		}
	}
	err := s.write(ctx, func(t *Tx) error {
		if oldID != "" {
			if _, err := t.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, hashToken(oldID)); err != nil {
				return err
			}
		}
		now := t.now.Unix()
		_, err := t.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, provider, logout_hint, logout_key_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, idHash, userID, tryggspor.RandomToken(), now, now, lo.Provider, hint, keyID)
		return err
	})
	if oldID != "" {
		s.sessions.drop(hashToken(oldID)) // after the commit
	}
	return id, wrap(err, "create session for user %d", userID)
}

// GetSession returns the live session for id, enforcing the idle and absolute
// limits, and records activity at most once a minute. A session read in the
// last few seconds is taken from memory (sessionCache); the limits are
// checked on every call all the same.
func (s *Store) GetSession(ctx context.Context, id string) (*tryggspor.Session, error) {
	if id == "" {
		return nil, tryggspor.ErrNoSession
	}
	idHash := hashToken(id)
	now := s.now()
	gen := s.sessions.generation()
	sess, read, ok := s.sessions.get(idHash, now)
	if !ok {
		var err error
		if sess, err = s.readSession(ctx, idHash); err != nil {
			return nil, err
		}
		read = now
		s.sessions.put(idHash, sess, read, gen)
	}
	if now.Sub(sess.LastSeen) > tryggspor.IdleTimeout || now.Sub(sess.CreatedAt) > tryggspor.AbsoluteTimeout {
		// Ended: never alive again, and remembered only for its user until
		// PurgeSessions removes it (tryggspor.EndedGrace).
		s.sessions.drop(idHash)
		return nil, &tryggspor.SessionEnded{UserID: sess.User.ID}
	}
	if now.Sub(sess.LastSeen) >= touchEvery {
		var seen time.Time
		var gone bool
		err := s.write(ctx, func(t *Tx) error {
			seen = time.Unix(t.now.Unix(), 0)
			res, err := t.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id_hash = ?`, seen.Unix(), idHash)
			if err == nil {
				n, nerr := res.RowsAffected()
				gone, err = n == 0, nerr
			}
			return err
		})
		if err != nil {
			return nil, wrap(err, "record session activity")
		}
		if gone { // removed by another process since it was read
			s.sessions.drop(idHash)
			return nil, tryggspor.ErrNoSession
		}
		sess.LastSeen = seen
		// Kept until its first read expires, not longer: this write
		// confirms the session's row, not its user's role or unit.
		s.sessions.put(idHash, sess, read, gen)
	}
	return &sess, nil
}

// readSession reads a session and its user from the database.
func (s *Store) readSession(ctx context.Context, idHash []byte) (tryggspor.Session, error) {
	var sess tryggspor.Session
	var created, seen int64
	u := &sess.User
	err := s.rd.QueryRowContext(ctx, `SELECT s.csrf, s.created_at, s.last_seen, u.id, u.issuer, u.subject, u.name, u.email, u.role, u.org
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash).
		Scan(&sess.CSRF, &created, &seen, &u.ID, &u.Issuer, &u.Subject, &u.Name, &u.Email, &u.Role, &u.Org)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, tryggspor.ErrNoSession
	} else if err != nil {
		return sess, wrap(err, "read session")
	}
	sess.CreatedAt, sess.LastSeen = time.Unix(created, 0), time.Unix(seen, 0)
	return sess, nil
}

// DeleteSession ends a session (logout, expiry).
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	s.sessions.drop(hashToken(id))
	defer s.sessions.drop(hashToken(id)) // after the commit, too
	err := s.write(ctx, func(t *Tx) error {
		_, err := t.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, hashToken(id))
		return err
	})
	return wrap(err, "delete session")
}

// EndSession deletes a session (logout) and returns what signing out at its
// provider needs; an unknown id is ErrNoSession.
func (s *Store) EndSession(ctx context.Context, id string) (tryggspor.Logout, error) {
	var lo tryggspor.Logout
	var hint []byte
	var keyID string
	idHash := hashToken(id)
	s.sessions.drop(idHash)
	defer s.sessions.drop(idHash) // after the commit, too
	err := s.write(ctx, func(t *Tx) error {
		err := t.QueryRowContext(ctx, `DELETE FROM sessions WHERE id_hash = ? RETURNING provider, logout_hint, logout_key_id`, idHash).
			Scan(&lo.Provider, &hint, &keyID)
		if err == sql.ErrNoRows {
			return tryggspor.ErrNoSession
		}
		return err
	})
	if err != nil {
		return lo, wrap(err, "end session")
	}
	if err := s.keys.open(hint, keyID, logoutAAD(idHash), &lo.IDTokenHint); err != nil {
		// The session is gone either way; without the hint the provider
		// is asked to sign out without one.
		lo.IDTokenHint = ""
	}
	return lo, nil
}

// SaveLoginState stores a pending sign-in under the hash of its state value.
func (s *Store) SaveLoginState(ctx context.Context, state string, ls tryggspor.LoginState) error {
	return wrap(s.write(ctx, func(t *Tx) error {
		if _, err := t.ExecContext(ctx, `DELETE FROM login_states WHERE created_at < ?`, t.now.Add(-loginTTL).Unix()); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, `INSERT INTO login_states (state_hash, nonce, verifier, created_at, provider) VALUES (?, ?, ?, ?, ?)`,
			hashToken(state), ls.Nonce, ls.Verifier, t.now.Unix(), ls.Provider)
		return err
	}), "save sign-in state")
}

// TakeLoginState returns and deletes a pending sign-in: each state works once,
// and only within ten minutes.
func (s *Store) TakeLoginState(ctx context.Context, state string) (tryggspor.LoginState, error) {
	var ls tryggspor.LoginState
	err := s.write(ctx, func(t *Tx) error {
		var created int64
		err := t.QueryRowContext(ctx, `DELETE FROM login_states WHERE state_hash = ? RETURNING nonce, verifier, created_at, provider`,
			hashToken(state)).Scan(&ls.Nonce, &ls.Verifier, &created, &ls.Provider)
		if errors.Is(err, sql.ErrNoRows) {
			return tryggspor.ErrNoSession
		} else if err != nil {
			return err
		}
		if t.now.Sub(time.Unix(created, 0)) > loginTTL {
			return tryggspor.ErrNoSession
		}
		return nil
	})
	return ls, wrap(err, "take sign-in state")
}

// PurgeSessions deletes sessions ended longer ago than tryggspor.EndedGrace,
// expired login states, held forms and staged imports.
func (s *Store) PurgeSessions(ctx context.Context) error {
	defer s.sessions.clear()
	return wrap(s.write(ctx, func(t *Tx) error {
		now := t.now
		if _, err := t.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen < ? OR created_at < ?`,
			now.Add(-tryggspor.IdleTimeout-tryggspor.EndedGrace).Unix(), now.Add(-tryggspor.AbsoluteTimeout-tryggspor.EndedGrace).Unix()); err != nil {
			return err
		}
		if err := purgeHeld(ctx, t); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM import_staging WHERE created_at < ?`, now.Add(-stagingTTL).Unix()); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, `DELETE FROM login_states WHERE created_at < ?`, now.Add(-loginTTL).Unix())
		return err
	}), "purge sessions")
}
