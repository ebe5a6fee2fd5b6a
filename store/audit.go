package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"tryggspor/internal/tryggspor"
)

// Audit appends entries to the audit log, each chained to the one before.
func (s *Store) Audit(ctx context.Context, entries ...tryggspor.AuditEntry) error {
	return s.write(ctx, func(t *Tx) error {
		for _, e := range entries {
			if err := t.audit(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// audit appends one entry inside the current transaction. The hash covers the
// row's id and every column, and the previous row's hash, so editing, removing
// or reordering any row breaks the chain from there on.
func (t *Tx) audit(ctx context.Context, e tryggspor.AuditEntry) error {
	return t.auditMany(ctx, []tryggspor.AuditEntry{e})
}

// auditMany appends entries in order with one statement, each chained to the
// one before.
func (t *Tx) auditMany(ctx context.Context, entries []tryggspor.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	head, headID := t.head, t.headID
	args := make([]any, 0, 14*len(entries))
	for _, e := range entries {
		r := auditRow{ID: headID + 1, At: ts(t.now), ActorID: e.Actor.UserID, Actor: e.Actor.Name, Role: string(e.Actor.Role),
			Org: e.Actor.Org, Action: string(e.Action), CaseID: e.CaseID, Object: e.Object, Purpose: string(e.Purpose),
			Outcome: e.Outcome, Detail: e.Detail, Prev: head}
		r.Hash = r.hash()
		args = append(args, r.ID, r.At, nullID(r.ActorID), r.Actor, r.Role, r.Org, r.Action, r.CaseID, r.Object, r.Purpose,
			r.Outcome, r.Detail, r.Prev, r.Hash)
		head, headID = r.Hash, r.ID
	}
	q := `INSERT INTO audit (id, at, actor_id, actor, role, org, action, case_id, object, purpose, outcome, detail, prev_hash, hash)
		VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),", len(entries)), ",")
	if _, err := t.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	t.head, t.headID = head, headID
	return nil
}

type auditRow struct {
	ID                                                                 int64
	At                                                                 string
	ActorID                                                            int64
	Actor, Role, Org, Action, CaseID, Object, Purpose, Outcome, Detail string
	Prev, Hash                                                         string
}

func (r auditRow) hash() string {
	fields := []string{strconv.FormatInt(r.ID, 10), r.At, strconv.FormatInt(r.ActorID, 10), r.Actor, r.Role, r.Org,
		r.Action, r.CaseID, r.Object, r.Purpose, r.Outcome, r.Detail, r.Prev}
	sum := sha256.Sum256([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(sum[:])
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
	BrokenAt int64 // id of the first bad row; 0 when the chain is whole
	Reason   string
}

// VerifyAudit walks the whole audit log and checks every row's hash and link.
func (s *Store) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	return verifyAudit(ctx, s.r)
}

func verifyAudit(ctx context.Context, db querier) (VerifyResult, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, role, org, action, case_id, object, purpose, outcome, detail, prev_hash, hash FROM audit ORDER BY id`)
	if err != nil {
		return VerifyResult{}, err
	}
	defer rows.Close()
	var res VerifyResult
	prev := ""
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.ID, &r.At, &r.ActorID, &r.Actor, &r.Role, &r.Org, &r.Action, &r.CaseID, &r.Object,
			&r.Purpose, &r.Outcome, &r.Detail, &r.Prev, &r.Hash); err != nil {
			return res, err
		}
		res.Entries++
		switch {
		case r.Prev != prev:
			res.BrokenAt, res.Reason = r.ID, "the link to the previous entry does not match (an entry was removed or reordered)"
		case r.hash() != r.Hash:
			res.BrokenAt, res.Reason = r.ID, "the entry's content does not match its hash (it was edited)"
		}
		if res.BrokenAt != 0 {
			return res, nil
		}
		prev = r.Hash
	}
	return res, rows.Err()
}

// ListAudit returns the newest audit entries, optionally for one case.
func (s *Store) ListAudit(ctx context.Context, caseID string, limit int) ([]tryggspor.AuditRecord, error) {
	q := `SELECT id, at, COALESCE(actor_id,0), actor, role, org, action, case_id, object, purpose, outcome, detail FROM audit`
	var args []any
	if caseID != "" {
		q += ` WHERE case_id = ?`
		args = append(args, caseID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tryggspor.AuditRecord
	for rows.Next() {
		var r tryggspor.AuditRecord
		var at string
		e := &r.Entry
		if err := rows.Scan(&r.ID, &at, &e.Actor.UserID, &e.Actor.Name, &e.Actor.Role, &e.Actor.Org, &e.Action,
			&e.CaseID, &e.Object, &e.Purpose, &e.Outcome, &e.Detail); err != nil {
			return nil, err
		}
		if r.At, err = readTS(at); err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
