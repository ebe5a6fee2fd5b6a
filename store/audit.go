package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tryggspor/internal/tryggspor"
)

// Audit appends entries to the audit log, each chained to the one before.
// They are committed (synchronous=FULL) before it returns, in the writer's
// next batch together with the other audit-only writes waiting then.
func (s *Store) Audit(ctx context.Context, entries ...tryggspor.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return s.submit(ctx, &job{ctx: ctx, audit: entries, err: make(chan error, 1)})
}

// audit appends one entry inside the current transaction. The hash covers the
// row's id and every column, and the previous row's hash, so editing, removing
// or reordering any row breaks the chain from there on.
func (t *Tx) audit(ctx context.Context, e tryggspor.AuditEntry) error {
	return t.auditMany(ctx, []tryggspor.AuditEntry{e})
}

// auditChunk is how many entries one INSERT appends: the statements stay
// few in kind (one to auditChunk rows), so the writer keeps them prepared.
const auditChunk = 16

// auditMany appends entries in order, each chained to the one before, with
// one statement per auditChunk entries.
func (t *Tx) auditMany(ctx context.Context, entries []tryggspor.AuditEntry) error {
	for len(entries) > 0 {
		n := min(len(entries), auditChunk)
		if err := t.auditRows(ctx, entries[:n]); err != nil {
			return err
		}
		entries = entries[n:]
	}
	return nil
}

// auditRows appends entries with one statement.
func (t *Tx) auditRows(ctx context.Context, entries []tryggspor.AuditEntry) error {
	head, headID := t.head, t.headID
	key := t.s.keys.audit[t.s.keys.auditCurrent]
	args := make([]any, 0, 15*len(entries))
	rows := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		r := auditRow{ID: headID + 1, At: ts(t.now), ActorID: e.Actor.UserID, Actor: e.Actor.Name, Role: string(e.Actor.Role),
			Org: e.Actor.Org, Action: string(e.Action), CaseID: e.CaseID, Object: e.Object, Purpose: string(e.Purpose),
			Outcome: e.Outcome, Detail: e.Detail, Prev: head, KeyID: key.id}
		r.Hash = key.sum(r.fields())
		args = append(args, r.ID, r.At, nullID(r.ActorID), r.Actor, r.Role, r.Org, r.Action, r.CaseID, r.Object, r.Purpose,
			r.Outcome, r.Detail, r.Prev, r.Hash, r.KeyID)
		head, headID = r.Hash, r.ID
		rows = append(rows, r)
	}
	q := `INSERT INTO audit (id, at, actor_id, actor, role, org, action, case_id, object, purpose, outcome, detail, prev_hash, hash, key_id)
		VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),", len(entries)), ",")
	if _, err := t.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if err := t.auditSummaries(ctx, rows); err != nil {
		return err
	}
	t.head, t.headID = head, headID
	t.s.appended.Store(true)
	return nil
}

// auditSummaries keeps the names in the log (audit_actors) and the entries
// per hour (audit_hour_counts) for the entries just appended, with one
// statement each per batch, in the same transaction: the auditor's user
// filter and month summary read them instead of the whole log.
func (t *Tx) auditSummaries(ctx context.Context, rows []auditRow) error {
	type hourKey struct{ hour, action, outcome string }
	type actorKey struct {
		id   int64
		name string
	}
	hours, actors := map[hourKey]int{}, map[actorKey]bool{}
	for _, r := range rows {
		hours[hourKey{r.At[:min(13, len(r.At))], r.Action, r.Outcome}]++
		actors[actorKey{r.ActorID, r.Actor}] = true
	}
	hargs, aargs := make([]any, 0, 4*len(hours)), make([]any, 0, 2*len(actors))
	for k, n := range hours {
		hargs = append(hargs, k.hour, k.action, k.outcome, n)
	}
	for k := range actors {
		aargs = append(aargs, k.id, k.name)
	}
	_, err := t.ExecContext(ctx, `INSERT INTO audit_hour_counts (hour, action, outcome, n) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?),", len(hours)), ",")+
		` ON CONFLICT (hour, action, outcome) DO UPDATE SET n = n + excluded.n`, hargs...)
	if err == nil {
		_, err = t.ExecContext(ctx, `INSERT OR IGNORE INTO audit_actors (actor_id, actor) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?),", len(actors)), ","), aargs...)
	}
	return wrap(err, "audit summaries")
}

type auditRow struct {
	ID                                                                 int64
	At                                                                 string
	ActorID                                                            int64
	Actor, Role, Org, Action, CaseID, Object, Purpose, Outcome, Detail string
	Prev, Hash, KeyID                                                  string
}

// fields are what an entry's hash covers: its id, every column and the hash
// before it, so editing, removing or reordering any entry breaks the chain.
// A keyed entry's hash also covers its key id.
func (r auditRow) fields() []string {
	f := []string{strconv.FormatInt(r.ID, 10), r.At, strconv.FormatInt(r.ActorID, 10), r.Actor, r.Role, r.Org,
		r.Action, r.CaseID, r.Object, r.Purpose, r.Outcome, r.Detail, r.Prev}
	if r.KeyID != "" {
		f = append(f, r.KeyID)
	}
	return f
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// VerifyResult says how much of the audit chain checked out.
type VerifyResult struct {
	Entries  int
	BrokenAt int64 // id of the first bad entry (or the first missing one); 0 when the chain is whole
	Reason   string
	// Checkpoint is the latest signed checkpoint the chain was checked
	// against; nil when there is none yet.
	Checkpoint *Checkpoint
	// Unanchored says the log has entries but no checkpoint: the chain is
	// whole as far as it goes, but nothing shows whether entries were cut
	// off the end. `audit verify` fails on it.
	Unanchored bool
	// Anchored is the id of the entry recording that checkpoints are kept
	// for this log (0: none): with it in the chain, a checkpoint file gone
	// empty is a finding, not a fresh start.
	Anchored int64
	// Witnessed is the newest checkpoint found in the witness; nil when no
	// witness was asked for.
	Witnessed *Checkpoint
}

// VerifyAudit walks the whole audit log and checks every entry's keyed hash
// and link, and the log against the signed checkpoints kept outside the
// database: an edited, inserted, forged or removed entry, a chain recomputed
// without the key, and a log cut short all fail. A log with entries but no
// checkpoint is Unanchored. It streams: memory stays the same whatever the
// size of the log or of the checkpoint file.
func (s *Store) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	return s.VerifyAuditWitness(ctx, "")
}

// VerifyAuditWitness is VerifyAudit that also holds the log and the local
// checkpoint file against every checkpoint of this log in the witness
// directory dir ("": none): a log or a local file cut back to an earlier
// checkpoint, or rewritten, fails against the witness, which the database's
// administrators cannot rewrite.
func (s *Store) VerifyAuditWitness(ctx context.Context, dir string) (VerifyResult, error) {
	to, err := maxAuditID(ctx, s.chain)
	if err != nil {
		return VerifyResult{}, err
	}
	streams, err := s.checkpointStreams(dir, dir != "")
	if err != nil {
		return VerifyResult{}, err
	}
	defer closeStreams(streams)
	w := newWalker(s.chain, s.keys, streams...)
	if to < splitFrom {
		if err := w.walk(ctx, to, 0, nil); err != nil {
			return w.res, err
		}
		return w.conclude(ctx, s.checkpoints)
	}
	return s.verifySplit(ctx, dir, w, to)
}

// splitFrom is the log size from which verify walks the two halves of the
// log at once, one core each.
var splitFrom int64 = 1_000_000

// verifySplit checks the first half of the log with its own walker (and its
// own reading of the checkpoint files) while rest, which holds the streams
// the result is concluded from, checks the second half from the first
// half's last entry. Together they check every entry, link and checkpoint
// line once; the first bad entry found in the first half wins.
func (s *Store) verifySplit(ctx context.Context, dir string, rest *walker, to int64) (VerifyResult, error) {
	mid := to / 2
	streams, err := s.checkpointStreams(dir, dir != "")
	if err != nil {
		return VerifyResult{}, err
	}
	defer closeStreams(streams)
	first := newWalker(s.chain, s.keys, streams...)
	done := make(chan error, 1)
	go func() { done <- first.walk(ctx, mid, 0, nil) }()
	resumed, rerr := rest.resumeAt(ctx, mid)
	if rerr == nil && resumed {
		rerr = rest.walk(ctx, to, 0, nil)
	}
	if err := <-done; err != nil {
		return first.res, err
	}
	if first.res.BrokenAt == 0 && first.n != mid {
		var next int64
		if err := s.chain.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM audit WHERE id > ?`, first.lastID).Scan(&next); err != nil {
			return first.res, fmt.Errorf("audit verify: %w", err)
		}
		first.res.BrokenAt = first.n + 1
		first.res.Reason = fmt.Sprintf("entry %d is missing (the next one is %d): entries were removed", first.n+1, next)
	}
	if first.res.BrokenAt != 0 {
		first.res.Anchored = first.anchor
		return first.res, nil
	}
	if rerr != nil {
		return rest.res, rerr
	}
	if first.anchor != 0 {
		rest.anchor = first.anchor
	}
	return rest.conclude(ctx, s.checkpoints)
}

// maxAuditID is the id of the newest entry (0: none).
func maxAuditID(ctx context.Context, db querier) (int64, error) {
	var id int64
	err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit`).Scan(&id)
	return id, wrap(err, "audit head")
}

// conclude turns a finished walk into the result: lines beyond the log's
// end, the newest line of every file, a checkpoint file gone missing, and a
// local file behind the witness.
func (w *walker) conclude(ctx context.Context, file string) (VerifyResult, error) {
	w.res.Anchored = w.anchor
	if w.res.BrokenAt != 0 {
		return w.res, nil
	}
	if err := w.finish(ctx); err != nil || w.res.BrokenAt != 0 {
		return w.res, err
	}
	local := w.streams[0]
	w.res.Checkpoint = local.Latest()
	switch {
	case w.res.Checkpoint == nil && w.anchor > 0:
		w.res.BrokenAt = w.anchor
		w.res.Reason = "entry " + strconv.FormatInt(w.anchor, 10) + " records that checkpoints were written to " + file +
			", which now has none: the checkpoint file was removed or emptied"
	case w.res.Checkpoint == nil && w.res.Entries > 0:
		w.res.Unanchored, w.res.Reason = true, "no signed checkpoint in "+file+": nothing shows whether entries were removed"
	}
	for _, ws := range w.streams[1:] {
		wl := ws.latest
		if wl == nil || (w.res.Witnessed != nil && w.res.Witnessed.Size >= wl.Size) {
			continue
		}
		w.res.Witnessed = ws.Latest()
		if w.res.BrokenAt == 0 && (w.res.Checkpoint == nil || w.res.Checkpoint.Size < wl.Size) {
			w.res.BrokenAt, w.res.Unanchored = wl.Size, false
			w.res.Reason = fmt.Sprintf("the local checkpoint file %s is behind the signed checkpoint of %s in the %s, which counts %d entries: "+
				"the local file was cut back or replaced", file, wl.At.Format(time.RFC3339), ws.where(wl), wl.Size)
		}
	}
	return w.res, nil
}

// verifyAudit walks the chain in db against checkpoints already read and
// checked (a backup's): contiguous ids, links, keyed hashes, and the hash at
// every checkpoint's size.
func verifyAudit(ctx context.Context, db querier, keys *Keyring, cps []Checkpoint) (VerifyResult, error) {
	to, err := maxAuditID(ctx, db)
	if err != nil {
		return VerifyResult{}, err
	}
	w := newWalker(db, keys, sliceStream(cps))
	if err := w.walk(ctx, to, 0, nil); err != nil {
		return w.res, err
	}
	w.res.Anchored = w.anchor
	return w.res, nil
}

// CaseRef finds a case by id or TP- reference, in any unit; NotFound when
// there is none.
func (s *Store) CaseRef(ctx context.Context, idOrRef string) (string, string, error) {
	var id, ref string
	err := s.r.QueryRowContext(ctx, `SELECT id, ref FROM cases WHERE id = ? OR ref = ? LIMIT 1`,
		idOrRef, strings.ToUpper(strings.TrimSpace(idOrRef))).Scan(&id, &ref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", tryggspor.NotFound("Saken finnes ikke.")
	}
	return id, ref, wrap(err, "find case %q", idOrRef)
}
