package store

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"tryggspor/internal/tryggspor"
)

// The case list's name search (issue 19) reads a keyed blind index: for every
// word of the person's name, each of its prefixes is a token, a truncated
// HMAC under a key derived from the field key for this purpose only, with the
// unit mixed in so equal names in two units give unrelated tokens. A search
// word is one token, so finding a name costs the hits, not the unit's size.
// What the tokens reveal without the key is in docs/decisions.md.

// maxPrefix is the longest word prefix that gets a token: a longer search
// word is looked up by its first maxPrefix letters (no name word is that long
// in practice; the cut is documented in docs/decisions.md).
const maxPrefix = 32

// nameKey derives the name-search key from a field key: outside the database,
// rotated with it, and unrelated to the repeat-victim index's key.
func nameKey(fieldKey []byte) ([]byte, error) {
	k, err := hkdf.Key(sha256.New, fieldKey, nil, "tryggspor case list name search", 32)
	if err != nil {
		return nil, fmt.Errorf("name search key: %w", err)
	}
	return k, nil
}

// nameWords splits a name (or a search text) into the words the search
// matches: NFKC, case-folded (normaliseName, shared with the repeat-victim
// index), cut at anything that is not a letter, digit or mark, so "Demo-Lie"
// is found by "lie".
func nameWords(s string) []string {
	return strings.FieldsFunc(normaliseName(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// nameToken is the blind token of one word prefix in one unit: the first 48
// bits of the HMAC, as a SQLite integer. 48 bits keep two different prefixes
// of one unit apart (a clash among a million prefixes is about one in 10^8)
// and say no more than that.
func (k *Keyring) nameToken(unit, prefix string) int64 {
	m := hmac.New(sha256.New, k.name)
	m.Write([]byte(unit + "\x1f" + prefix))
	var b [8]byte
	copy(b[2:], m.Sum(nil)[:6])
	return int64(binary.BigEndian.Uint64(b[:]))
}

// nameTokens are the tokens of every prefix (up to maxPrefix letters) of
// every word of the name, each once.
func (k *Keyring) nameTokens(unit, name string) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, w := range nameWords(name) {
		r := []rune(w)
		for i := 1; i <= min(len(r), maxPrefix); i++ {
			if t := k.nameToken(unit, string(r[:i])); !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// searchTokens are the tokens a search text's words must all have, longest
// word first (the rarest, which drives the lookup), or nil when the text has
// no word.
func (k *Keyring) searchTokens(unit, text string) []int64 {
	words := nameWords(text)
	slices.SortStableFunc(words, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	seen := map[int64]bool{}
	var out []int64
	for _, w := range words {
		r := []rune(w)
		if t := k.nameToken(unit, string(r[:min(len(r), maxPrefix)])); !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// indexNames writes the name tokens of each case, replacing what it had, in
// the transaction that writes its name: registration, import, correction
// and every other save. An anonymised case (or one without a name) keeps no
// token, so its old name finds nothing.
func (t *Tx) indexNames(ctx context.Context, list []*tryggspor.Case, fresh bool) error {
	for _, c := range list {
		var tokens []int64
		if !c.Anonymised {
			tokens = t.s.keys.nameTokens(c.Unit, c.Personal.PersonName)
		}
		if err := t.writeNameTokens(ctx, c.ID, tokens, fresh); err != nil {
			return fmt.Errorf("name index of %s: %w", c.Ref, err)
		}
	}
	return nil
}

// writeNameTokens makes the case's stored tokens exactly tokens, made with the
// current key. A save that leaves the name as it was (most saves: an event)
// writes nothing but the comparison.
func (t *Tx) writeNameTokens(ctx context.Context, id string, tokens []int64, fresh bool) error {
	var year, seq int
	var key string
	if err := t.QueryRowContext(ctx, `SELECT ref_year, ref_seq, name_key FROM cases WHERE id = ?`, id).Scan(&year, &seq, &key); err != nil {
		return err
	}
	if !fresh && key == t.s.keys.current {
		same, err := t.sameNameTokens(ctx, year, seq, tokens)
		if err != nil || same {
			return err
		}
	}
	if !fresh {
		if _, err := t.ExecContext(ctx, `DELETE FROM case_name_tokens WHERE ref_year = ? AND ref_seq = ?`, year, seq); err != nil {
			return err
		}
	}
	if len(tokens) > 0 {
		args := make([]any, 0, 3*len(tokens))
		for _, tok := range tokens {
			args = append(args, tok, year, seq)
		}
		q := `INSERT INTO case_name_tokens (token, ref_year, ref_seq) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?),", len(tokens)), ",")
		if _, err := t.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	_, err := t.ExecContext(ctx, `UPDATE cases SET name_key = ? WHERE id = ?`, t.s.keys.current, id)
	return err
}

// sameNameTokens says whether the case (ref year and number) has exactly
// these tokens stored.
func (t *Tx) sameNameTokens(ctx context.Context, year, seq int, tokens []int64) (bool, error) {
	rows, err := t.QueryContext(ctx, `SELECT token FROM case_name_tokens WHERE ref_year = ? AND ref_seq = ?`, year, seq)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	want := map[int64]bool{}
	for _, tok := range tokens {
		want[tok] = true
	}
	n := 0
	for rows.Next() {
		var tok int64
		if err := rows.Scan(&tok); err != nil {
			return false, err
		}
		if !want[tok] {
			return false, nil
		}
		n++
	}
	return n == len(want), rows.Err()
}

// reindexBatch is how many cases one transaction of the index's backfill
// takes: small enough that requests wait little behind it.
const reindexBatch = 2000

// ReindexNames gives every case whose name tokens were made with another key
// (a database older than the name search, or a key rotation) its tokens under
// the current key, in batches, each a transaction. Open runs it; a second
// run finds nothing to do. It returns the number of cases indexed.
func (s *Store) ReindexNames(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.write(ctx, func(t *Tx) error {
			stale, err := t.staleNames(ctx)
			if err != nil {
				return err
			}
			n = len(stale)
			return t.indexNames(ctx, stale, false)
		})
		if err != nil {
			return total, fmt.Errorf("index names for the case list: %w", err)
		}
		if total += n; n < reindexBatch {
			return total, nil
		}
	}
}

// staleNames reads (and decrypts) up to reindexBatch cases whose tokens were
// not made with the current key.
func (t *Tx) staleNames(ctx context.Context) ([]*tryggspor.Case, error) {
	rows, err := t.QueryContext(ctx, `SELECT id, ref, unit, personal, COALESCE(key_id, ''), anonymised_at IS NOT NULL
		FROM cases WHERE name_key < ? OR name_key > ? LIMIT ?`, t.s.keys.current, t.s.keys.current, reindexBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tryggspor.Case
	for rows.Next() {
		c := &tryggspor.Case{}
		var personal []byte
		var key string
		if err := rows.Scan(&c.ID, &c.Ref, &c.Unit, &personal, &key, &c.Anonymised); err != nil {
			return nil, err
		}
		if err := t.s.keys.open(personal, key, "case:"+c.ID, &c.Personal); err != nil {
			return nil, fmt.Errorf("case %s: %w", c.Ref, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
