package store

import (
	"cmp"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
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
// and say no more than that. m is the name key's HMAC, reset here.
func nameToken(m hash.Hash, unit, prefix string) int64 {
	m.Reset()
	m.Write([]byte(unit + "\x1f" + prefix))
	var b [8]byte
	copy(b[2:], m.Sum(nil)[:6])
	return int64(binary.BigEndian.Uint64(b[:]))
}

// nameTokens are the tokens of every prefix (up to maxPrefix letters) of
// every word of the name, each once.
func (k *Keyring) nameTokens(unit, name string) []int64 {
	m := hmac.New(sha256.New, k.name)
	seen := map[int64]bool{}
	var out []int64
	for _, w := range nameWords(name) {
		r := []rune(w)
		for i := 1; i <= min(len(r), maxPrefix); i++ {
			if t := nameToken(m, unit, string(r[:i])); !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// searchTokens are the tokens a search text's words must all have, longest
// word first (among words equally rare, the likelier to be rare: see
// rarestFirst), or nil when the text has no word.
func (k *Keyring) searchTokens(unit, text string) []int64 {
	words := nameWords(text)
	slices.SortStableFunc(words, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	m := hmac.New(sha256.New, k.name)
	seen := map[int64]bool{}
	var out []int64
	for _, w := range words {
		r := []rune(w)
		if t := nameToken(m, unit, string(r[:min(len(r), maxPrefix)])); !seen[t] {
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
	var year, seq int64
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
	rows := make([][3]int64, len(tokens))
	for i, tok := range tokens {
		rows[i] = [3]int64{tok, year, seq}
	}
	if err := t.insertNameTokens(ctx, rows); err != nil {
		return err
	}
	_, err := t.ExecContext(ctx, `UPDATE cases SET name_key = ? WHERE id = ?`, t.s.keys.current, id)
	return err
}

// sameNameTokens says whether the case (ref year and number) has exactly
// these tokens stored.
func (t *Tx) sameNameTokens(ctx context.Context, year, seq int64, tokens []int64) (bool, error) {
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

// reindexBatch is how many cases one transaction of the index's build takes:
// about a second of work at open (larger batches write each touched index
// page fewer times), and a few megabytes of tokens in memory.
const reindexBatch = 10000

// ReindexNames gives every case whose name tokens were made with another key
// (a database older than the name search, or a key rotation) its tokens under
// the current key, reindexBatch cases a transaction. Open runs it; a second
// run finds nothing to do. It returns the number of cases indexed.
func (s *Store) ReindexNames(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.reindexNameBatch(ctx)
		if err != nil {
			return total, fmt.Errorf("index names for the case list: %w", err)
		}
		if total += n; n < reindexBatch {
			return total, nil
		}
	}
}

// reindexNameBatch indexes one batch in its own transaction on the writer's
// connection (waiting its turn with the writer's batches). It is not a
// writer job: a job's savepoint would make every statement of a large batch
// pay for the ones before it. The batch's tokens go in in token order, a few
// hundred rows a statement, so a first build of a large database is quick.
func (s *Store) reindexNameBatch(ctx context.Context) (int, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	t := &Tx{tx: tx, s: s, now: s.now().UTC(), prep: map[string]*sql.Stmt{}, refSeq: map[int]int{}}
	stale, err := t.staleNames(ctx)
	if err != nil || len(stale) == 0 {
		return 0, err
	}
	var rows [][3]int64
	var ids []string
	for _, c := range stale {
		if c.indexed {
			if _, err := t.ExecContext(ctx, `DELETE FROM case_name_tokens WHERE ref_year = ? AND ref_seq = ?`, c.year, c.seq); err != nil {
				return 0, err
			}
		}
		if c.name != "" {
			for _, tok := range s.keys.nameTokens(c.unit, c.name) {
				rows = append(rows, [3]int64{tok, c.year, c.seq})
			}
		}
		ids = append(ids, c.id)
	}
	slices.SortFunc(rows, func(a, b [3]int64) int { return cmp.Compare(a[0], b[0]) })
	if err := t.insertNameTokens(ctx, rows); err != nil {
		return 0, err
	}
	list, _ := json.Marshal(ids)
	if _, err := t.ExecContext(ctx, `UPDATE cases SET name_key = ? WHERE id IN (SELECT value FROM json_each(?))`,
		s.keys.current, string(list)); err != nil {
		return 0, err
	}
	return len(stale), tx.Commit()
}

// insertNameTokens inserts (token, ref year, ref number) rows, 500 a statement.
func (t *Tx) insertNameTokens(ctx context.Context, rows [][3]int64) error {
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), 500)]
		rows = rows[len(chunk):]
		args := make([]any, 0, 3*len(chunk))
		for _, r := range chunk {
			args = append(args, r[0], r[1], r[2])
		}
		q := `INSERT INTO case_name_tokens (token, ref_year, ref_seq) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?),", len(chunk)), ",")
		if _, err := t.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// staleCase is what the index needs of a case whose tokens are not the
// current key's: indexed says it has tokens (made with another key) to remove;
// name is empty for an anonymised case.
type staleCase struct {
	id, unit, name string
	year, seq      int64
	indexed        bool
}

// staleNames reads (and decrypts) up to reindexBatch cases whose tokens were
// not made with the current key.
func (t *Tx) staleNames(ctx context.Context) ([]staleCase, error) {
	rows, err := t.QueryContext(ctx, `SELECT id, ref, unit, ref_year, ref_seq, name_key <> '', personal,
		COALESCE(key_id, ''), anonymised_at IS NOT NULL FROM cases WHERE name_key < ? OR name_key > ? LIMIT ?`,
		t.s.keys.current, t.s.keys.current, reindexBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []staleCase
	for rows.Next() {
		var c staleCase
		var ref, key string
		var personal []byte
		var anonymised bool
		if err := rows.Scan(&c.id, &ref, &c.unit, &c.year, &c.seq, &c.indexed, &personal, &key, &anonymised); err != nil {
			return nil, err
		}
		var p tryggspor.Personal
		if err := t.s.keys.open(personal, key, "case:"+c.id, &p); err != nil {
			return nil, fmt.Errorf("case %s: %w", ref, err)
		}
		if !anonymised {
			c.name = p.PersonName
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
