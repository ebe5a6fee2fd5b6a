package store

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math"

	"tryggspor/internal/tryggspor"
)

// walker checks the audit chain one entry at a time in constant memory: it
// keeps only the previous entry's hash, one reusable MAC per key and one
// pending line per checkpoint file. The same walker serves `audit verify`
// (one pass as fast as the disk allows), the minute's checkpoint (only the
// entries added since the last checkpoint) and the background scrubber (the
// whole log, paced).
type walker struct {
	keys    *Keyring
	db      querier
	n       int64  // entries checked so far (the position of the last one)
	lastID  int64  // id of the last entry read
	prev    []byte // hash of the last entry checked
	keyed   bool   // a keyed entry has been seen
	anchor  int64  // id of the first audit.anchor entry seen
	macs    map[string]hash.Hash
	legacy  hash.Hash
	streams []*cpStream
	res     VerifyResult
}

func newWalker(db querier, keys *Keyring, streams ...*cpStream) *walker {
	return &walker{keys: keys, db: db, lastID: math.MinInt64, macs: map[string]hash.Hash{}, legacy: sha256.New(),
		streams: streams}
}

// startAt makes the walker continue after cp, a checkpoint whose signature
// was checked: the entry at cp.Size must still carry cp's hash, and the
// chain from there on is checked as if walked from the start.
func (w *walker) startAt(ctx context.Context, cp Checkpoint) (string, error) {
	var h, keyID string
	err := w.db.QueryRowContext(ctx, `SELECT hash, key_id FROM audit WHERE id = ?`, cp.Size).Scan(&h, &keyID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Sprintf("entry %d, counted by the signed checkpoint of %s, is missing: entries were removed",
			cp.Size, cp.At.Format("2006-01-02T15:04:05Z07:00")), nil
	} else if err != nil {
		return "", fmt.Errorf("audit entry %d: %w", cp.Size, err)
	}
	if h != cp.Hash {
		return fmt.Sprintf("the chain differs from the signed checkpoint at entry %d: entries up to it were rewritten", cp.Size), nil
	}
	w.n, w.lastID, w.prev, w.keyed = cp.Size, cp.Size, []byte(h), keyID != ""
	return "", nil
}

// resumeAt makes the walker continue after entry id, whose own hash another
// walker checks: its stored hash is the link the next entry must carry.
// Checkpoint lines up to id are the other walker's. It reports false when
// the entry is missing (the other walker reports that).
func (w *walker) resumeAt(ctx context.Context, id int64) (bool, error) {
	var h, keyID string
	err := w.db.QueryRowContext(ctx, `SELECT hash, key_id FROM audit WHERE id = ?`, id).Scan(&h, &keyID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("audit entry %d: %w", id, err)
	}
	w.n, w.lastID, w.prev, w.keyed = id, id, []byte(h), keyID != ""
	for _, s := range w.streams {
		for s.pending != nil && s.pending.Size <= id {
			if err := s.advance(); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// chainColumns read an entry for the walk in three columns, so that the
// driver hands over one string per entry instead of thirteen (most of a
// walk's cost is the driver's per column): the id, whether it is the
// anchor, and its hash, key id and link and the message its hash covers,
// separated by 0x1e. The message is auditRow.fields joined by 0x1f, put
// together by SQLite's format() in one pass (the integers in decimal, as
// strconv writes them).
var chainColumns = `id, action = '` + string(tryggspor.ActAuditAnchor) + `', format('` +
	"%s\x1e%s\x1e%s\x1e%d\x1f%s\x1f%d\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s%s" +
	`', hash, key_id, prev_hash, id, at, COALESCE(actor_id, 0), actor, role, org, action, case_id, object, purpose, outcome,
	detail, prev_hash, CASE WHEN key_id <> '' THEN char(31) || key_id ELSE '' END)`

// rawRow is one entry as the driver hands it over, without copying.
type rawRow struct {
	id, anchor             int64
	all                    sql.RawBytes
	msg, prev, hash, keyID []byte // parts of all
}

// split cuts the row's one text column into its parts; a part missing
// leaves the later ones empty, which fails the checks.
func (r *rawRow) split() {
	rest := []byte(r.all)
	r.hash, rest, _ = bytes.Cut(rest, []byte{0x1e})
	r.keyID, rest, _ = bytes.Cut(rest, []byte{0x1e})
	r.prev, r.msg, _ = bytes.Cut(rest, []byte{0x1e})
}

// walk checks the entries with id in (w.lastID, to], at most chunk per
// query (0: one query), calling pause after each chunk. It stops at the
// first bad entry, recorded in w.res.
func (w *walker) walk(ctx context.Context, to int64, chunk int, pause func(checked int64) error) error {
	for w.res.BrokenAt == 0 && w.lastID < to {
		before := w.n
		q := `SELECT ` + chainColumns + ` FROM audit WHERE id > ? AND id <= ? ORDER BY id`
		args := []any{w.lastID, to}
		if chunk > 0 {
			q += ` LIMIT ?`
			args = append(args, chunk)
		}
		if err := w.query(ctx, q, args...); err != nil {
			return err
		}
		if w.n == before && w.res.BrokenAt == 0 {
			return nil // nothing left below to
		}
		if pause != nil && w.res.BrokenAt == 0 {
			if err := pause(w.n); err != nil {
				return err
			}
		}
	}
	return nil
}

// query feeds the rows of one query to the walker.
func (w *walker) query(ctx context.Context, q string, args ...any) error {
	rows, err := w.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	defer rows.Close()
	var r rawRow
	for rows.Next() {
		if err := rows.Scan(&r.id, &r.anchor, &r.all); err != nil {
			return fmt.Errorf("audit verify: %w", err)
		}
		r.split()
		reason, err := w.entry(ctx, &r)
		if err != nil {
			return err
		}
		if reason != "" {
			w.res.BrokenAt, w.res.Reason = w.n, reason
			return nil
		}
	}
	return wrap(rows.Err(), "audit verify")
}

// entry checks one entry: its place, its link, its hash, and every
// checkpoint line that counts up to it.
func (w *walker) entry(ctx context.Context, r *rawRow) (string, error) {
	w.n++
	w.lastID = r.id
	w.res.Entries = int(w.n)
	w.keyed = w.keyed || len(r.keyID) > 0
	if w.anchor == 0 && r.anchor == 1 {
		w.anchor = r.id
	}
	if reason := w.check(r); reason != "" {
		return reason, nil
	}
	w.prev = append(w.prev[:0], r.hash...)
	for _, s := range w.streams {
		if reason, err := s.reach(ctx, w, r.hash); reason != "" || err != nil {
			return reason, err
		}
	}
	return "", nil
}

// check says what is wrong with the entry itself, or "".
func (w *walker) check(r *rawRow) string {
	keyID := string(r.keyID)
	switch {
	case r.id != w.n:
		return fmt.Sprintf("entry %d is missing (the next one is %d): entries were removed", w.n, r.id)
	case string(r.prev) != string(w.prev):
		return "the link to the previous entry does not match (an entry was removed, inserted or reordered)"
	case keyID == "" && w.keyed:
		return "an entry without a key follows keyed entries: it was added by someone without the audit key"
	case keyID == "" && !w.matches(w.legacy, r):
		return "the entry's content does not match its hash (it was edited)"
	case keyID != "" && w.keys.audit[keyID] == nil:
		return "the entry was made with an audit key this installation does not have (" + keyID + ")"
	case keyID != "" && !w.matches(w.mac(keyID), r):
		return "the entry's keyed hash does not match (it was edited, or forged without the audit key)"
	}
	return ""
}

// mac is the reusable HMAC of the key with this id.
func (w *walker) mac(keyID string) hash.Hash {
	m := w.macs[keyID]
	if m == nil {
		m = hmac.New(sha256.New, w.keys.audit[keyID].mac)
		w.macs[keyID] = m
	}
	return m
}

// matches says whether h over the entry's message gives its stored hash.
func (w *walker) matches(h hash.Hash, r *rawRow) bool {
	h.Reset()
	h.Write(r.msg)
	var sum [sha256.Size]byte
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], h.Sum(sum[:0]))
	return hmac.Equal(hexSum[:], r.hash)
}

// hashAt is the stored hash of entry id, for a checkpoint line met out of
// order; "" when there is no such entry.
func (w *walker) hashAt(ctx context.Context, id int64) (string, error) {
	var h string
	err := w.db.QueryRowContext(ctx, `SELECT hash FROM audit WHERE id = ?`, id).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return h, wrap(err, "audit entry %d", id)
}

// finish checks what is left once the walk reached the end of the log:
// checkpoint lines counting more entries than the log has (a cut), and the
// newest line of every file, whose signature is checked whatever it says.
func (w *walker) finish(ctx context.Context) error {
	for _, s := range w.streams {
		if reason, err := s.beyond(ctx, w); reason != "" || err != nil {
			if err == nil {
				w.res.BrokenAt, w.res.Reason = w.n+1, reason
			}
			return err
		}
		if err := s.checkLatest(w.keys); err != nil {
			return err
		}
	}
	return nil
}
