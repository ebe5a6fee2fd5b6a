package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"tryggspor/internal/tryggspor"
)

// caseColumns is the SELECT list scanCase reads, in order.
const caseColumns = `c.id, c.ref, c.registered_on, c.unit, c.category, c.role, c.age, c.residence_municipality,
	c.reported, c.intra_family, COALESCE(c.school, ''), c.personal, COALESCE(c.key_id, ''), c.status, c.outcome,
	c.outcome_on, c.pending_to, c.handover_to, c.handover_kind, c.handover_on, COALESCE(c.safety_before, 0),
	COALESCE(c.safety_after, 0), c.closed_on, c.last_event_at, COALESCE(c.created_by, 0), c.created_at,
	c.anonymised_at IS NOT NULL, c.accept_by, c.pending_basis, c.pending_until, c.pending_by, c.access_until,
	c.guide_name, c.last_guide_contact, c.attempts, c.unanswered, c.last_attempt_on, c.offered_on, c.scheduled_for,
	c.held_on, c.proposed_on, c.suggested_on, c.handover_imported, c.plan_agreed, c.plan_evaluated, c.plan_helped,
	c.plan_partly, c.plan_not_helped, c.plan_not_done, c.plan_due, c.plan_guide_due, c.plan_due_org,
	COALESCE(c.repeat_lookup_by, 0)`

// scopeWhere is the object-level check, in SQL: a query for cases can only
// return what the actor's scope allows. An empty scope matches nothing.
func scopeWhere(sc tryggspor.Scope) (string, []any) {
	switch {
	case sc.All:
		return "1=1", nil
	case sc.Unit != "":
		return "c.unit = ?", []any{sc.Unit}
	case sc.Org != "" && sc.Today != "":
		today, ok := tryggspor.ParseDate(sc.Today)
		if !ok {
			return "0=1", nil
		}
		// tryggspor.GuideMayAccess, in SQL: a pending handover, or an accepted
		// one that was not imported, with its consent (if any) still valid; the
		// case open, or closed less than GraceDays days ago.
		open := "c.status <> 'closed'"
		args := []any{sc.Org, sc.Today, sc.Org, sc.Today}
		if sc.GraceDays > 0 {
			open = "(c.status <> 'closed' OR c.closed_on > ?)"
			args = append(args, tryggspor.FormatDate(today.AddDate(0, 0, -sc.GraceDays)))
		}
		return "((c.pending_to = ? AND (c.pending_until = '' OR c.pending_until >= ?)) OR " +
			"(c.handover_to = ? AND c.handover_imported = 0 AND (c.access_until = '' OR c.access_until >= ?))) AND " +
			open, args
	}
	return "0=1", nil
}

type scanner interface{ Scan(dest ...any) error }

// caseScan holds one row of caseColumns while it is being read.
type caseScan struct {
	c                                                                              tryggspor.Case
	reg, reported, intra, outcomeOn, handoverOn, closedOn, lastEvent, created, key string
	acceptBy, pendingUntil, accessUntil, lastGuide, lastAttempt                    string
	offered, scheduled, held, proposed, suggested, planDue, planGuideDue           string
	personal                                                                       []byte
}

// dest lists the scan targets in caseColumns order.
func (cs *caseScan) dest() []any {
	c := &cs.c
	return []any{&c.ID, &c.Ref, &cs.reg, &c.Unit, &c.Category, &c.Role, &c.Age, &c.Residence, &cs.reported, &cs.intra,
		&c.School, &cs.personal, &cs.key, &c.Status, &c.Outcome, &cs.outcomeOn, &c.PendingTo, &c.HandoverTo,
		&c.HandoverKind, &cs.handoverOn, &c.SafetyBefore, &c.SafetyAfter, &cs.closedOn, &cs.lastEvent, &c.CreatedBy,
		&cs.created, &c.Anonymised, &cs.acceptBy, &c.PendingBasis, &cs.pendingUntil, &c.PendingBy, &cs.accessUntil,
		&c.Guide, &cs.lastGuide, &c.Attempts, &c.Unanswered, &cs.lastAttempt, &cs.offered, &cs.scheduled, &cs.held,
		&cs.proposed, &cs.suggested, &c.HandoverImported, &c.PlanCounts.Agreed, &c.PlanCounts.Evaluated,
		&c.PlanCounts.Helped, &c.PlanCounts.Partly, &c.PlanCounts.NotHelped, &c.PlanCounts.NotDone, &cs.planDue, &cs.planGuideDue, &c.PlanDueOrg,
		&c.LookupBy}
}

// finishScan converts the text columns and decrypts the personal fields.
func (s *Store) finishScan(cs *caseScan) (*tryggspor.Case, error) {
	c := &cs.c
	err := readDates(dateCol{&c.RegisteredOn, cs.reg}, dateCol{&c.OutcomeOn, cs.outcomeOn}, dateCol{&c.HandoverOn, cs.handoverOn},
		dateCol{&c.ClosedOn, cs.closedOn}, dateCol{&c.AcceptBy, cs.acceptBy}, dateCol{&c.PendingUntil, cs.pendingUntil},
		dateCol{&c.AccessUntil, cs.accessUntil}, dateCol{&c.LastGuideContact, cs.lastGuide}, dateCol{&c.LastAttemptOn, cs.lastAttempt},
		dateCol{&c.OfferedOn, cs.offered}, dateCol{&c.ScheduledFor, cs.scheduled}, dateCol{&c.HeldOn, cs.held},
		dateCol{&c.ProposedOn, cs.proposed}, dateCol{&c.SuggestedOn, cs.suggested}, dateCol{&c.PlanDue, cs.planDue}, dateCol{&c.PlanGuideDue, cs.planGuideDue})
	if err == nil {
		c.LastEventAt, err = readTS(cs.lastEvent)
	}
	if err == nil {
		c.CreatedAt, err = readTS(cs.created)
	}
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", c.Ref, err)
	}
	c.Reported, c.IntraFamily = cs.reported == "yes", cs.intra == "yes"
	if err := s.keys.open(cs.personal, cs.key, "case:"+c.ID, &c.Personal); err != nil {
		return nil, fmt.Errorf("case %s: %w", c.Ref, err)
	}
	return c, nil
}

func (s *Store) scanCase(row scanner) (*tryggspor.Case, error) {
	cs := &caseScan{}
	if err := row.Scan(cs.dest()...); err != nil {
		return nil, wrap(err, "read case")
	}
	return s.finishScan(cs)
}

func yn(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// idSeq orders the ids made within one second.
var idSeq atomic.Uint32

// newID returns a case id: 4 bytes of seconds since 2020, a 2-byte counter and
// 8 random bytes, hex. The random part makes ids unguessable; the ordered
// prefix makes new ids sort after old ones, so the id indexes (cases, events)
// grow at the end instead of splitting pages all over the tree, which was most
// of a bulk import's cost.
func newID() string {
	b := make([]byte, 14)
	binary.BigEndian.PutUint32(b, uint32(time.Now().Unix()-1577836800))
	binary.BigEndian.PutUint16(b[4:], uint16(idSeq.Add(1)))
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// CreateCase inserts a case and its first event, assigns its id and its ref
// TP-YYYY-NNNN (numbered per registration year), and audits, in one transaction.
func (s *Store) CreateCase(ctx context.Context, c *tryggspor.Case, first tryggspor.Event, a tryggspor.AuditEntry) error {
	return s.write(ctx, func(t *Tx) error {
		return t.createCase(ctx, c, first, a)
	})
}

func (t *Tx) createCase(ctx context.Context, c *tryggspor.Case, first tryggspor.Event, a tryggspor.AuditEntry) error {
	if c.FormID != "" {
		// One writer: the check and the insert cannot interleave with a
		// second send of the same form.
		err := t.QueryRowContext(ctx, `SELECT id, ref FROM cases WHERE created_by = ? AND form_id_hash = ?`,
			c.CreatedBy, hashToken(c.FormID)).Scan(&c.ID, &c.Ref)
		if err == nil {
			return tryggspor.ErrAlreadyRegistered
		} else if !errors.Is(err, sql.ErrNoRows) {
			return wrap(err, "look up the register form")
		}
	}
	if err := t.insertCase(ctx, c, []tryggspor.Event{first}); err != nil {
		return wrap(err, "create case")
	}
	if c.FormID != "" {
		if _, err := t.ExecContext(ctx, `UPDATE cases SET form_id_hash = ? WHERE id = ?`, hashToken(c.FormID), c.ID); err != nil {
			return wrap(err, "create case: form id")
		}
	}
	a.CaseID, a.Object = c.ID, c.Ref
	return t.audit(ctx, a)
}

// insertCase gives c an id and its ref, and inserts it, with the state its
// timeline derives, in one row, then the timeline itself.
func (t *Tx) insertCase(ctx context.Context, c *tryggspor.Case, evs []tryggspor.Event) error {
	return t.insertCases(ctx, []*tryggspor.Case{c}, [][]tryggspor.Event{evs})
}

// caseInsertColumns are the columns insertCases writes, 44 of them.
const caseInsertColumns = `id, ref, ref_year, ref_seq, registered_on, unit, category, role, age,
	residence_municipality, reported, intra_family, school, personal, key_id, status, outcome, outcome_on, pending_to,
	handover_to, handover_kind, handover_on, safety_before, safety_after, closed_on, last_event_at, created_by, created_at,
	accept_by, pending_basis, pending_until, pending_by, access_until, guide_name, last_guide_contact, attempts,
	unanswered, last_attempt_on, offered_on, scheduled_for, held_on, proposed_on, suggested_on, handover_imported`

const caseInsertValues = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0),
	?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insertCases inserts new cases with their timelines: ids, refs (numbered per
// registration year) and derived state assigned here, all rows of a kind in
// one statement.
func (t *Tx) insertCases(ctx context.Context, cases []*tryggspor.Case, timelines [][]tryggspor.Event) error {
	args := make([]any, 0, 44*len(cases))
	var allEvents []tryggspor.Event
	d := tryggspor.FormatDate
	for i, c := range cases {
		c.ID = newID()
		year := c.RegisteredOn.Year()
		seq, ok := t.refSeq[year]
		if !ok {
			if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(ref_seq), 0) FROM cases WHERE ref_year = ?`, year).Scan(&seq); err != nil {
				return err
			}
		}
		seq++
		t.refSeq[year] = seq
		c.Ref = fmt.Sprintf("TP-%d-%04d", year, seq)
		evs := timelines[i]
		for j := range evs {
			evs[j].CaseID, evs[j].Seq, evs[j].RecordedAt = c.ID, j+1, t.now
		}
		c.State = tryggspor.Fold(evs)
		allEvents = append(allEvents, evs...)
		personal, keyID, err := t.s.keys.seal(c.Personal, "case:"+c.ID)
		if err != nil {
			return err
		}
		args = append(args, c.ID, c.Ref, year, seq, d(c.RegisteredOn), c.Unit, string(c.Category), string(c.Role), c.Age,
			c.Residence, yn(c.Reported), yn(c.IntraFamily), c.School, personal, nullStr(keyID), string(c.Status),
			string(c.Outcome), d(c.OutcomeOn), c.PendingTo, c.HandoverTo, c.HandoverKind, d(c.HandoverOn), c.SafetyBefore,
			c.SafetyAfter, d(c.ClosedOn), ts(c.LastEventAt), nullID(c.CreatedBy), ts(t.now), d(c.AcceptBy), c.PendingBasis,
			d(c.PendingUntil), c.PendingBy, d(c.AccessUntil), c.Guide, d(c.LastGuideContact), c.Attempts, c.Unanswered,
			d(c.LastAttemptOn), d(c.OfferedOn), d(c.ScheduledFor), d(c.HeldOn), d(c.ProposedOn), d(c.SuggestedOn),
			c.HandoverImported)
	}
	q := `INSERT INTO cases (` + caseInsertColumns + `) VALUES ` +
		strings.TrimSuffix(strings.Repeat(caseInsertValues+",", len(cases)), ",")
	if _, err := t.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("insert case: %w", err)
	}
	if err := t.indexPersons(ctx, cases, true); err != nil {
		return err
	}
	if err := t.indexNames(ctx, cases, true); err != nil {
		return err
	}
	return t.insertEvents(ctx, allEvents)
}

// insertEvents appends events (a new case's whole timeline) with one statement.
func (t *Tx) insertEvents(ctx context.Context, evs []tryggspor.Event) error {
	if len(evs) == 0 {
		return nil
	}
	args := make([]any, 0, 12*len(evs))
	for i := range evs {
		e := &evs[i]
		data, err := json.Marshal(e.Data)
		if err != nil {
			return wrap(err, "insert events")
		}
		secret, keyID, err := t.s.keys.seal(e.Text, fmt.Sprintf("event:%s:%d", e.CaseID, e.Seq))
		if err != nil {
			return wrap(err, "insert events")
		}
		args = append(args, e.CaseID, e.Seq, string(e.Type), tryggspor.FormatDate(e.Date), ts(t.now), nullID(e.ActorID),
			e.ActorName, string(e.ActorRole), e.ActorOrg, string(data), secret, nullStr(keyID))
	}
	q := `INSERT INTO events (case_id, seq, type, on_date, recorded_at, actor_id, actor_name, actor_role, actor_org, data,
		secret, key_id) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),", len(evs)), ",")
	if _, err := t.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	return nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (t *Tx) insertEvent(ctx context.Context, e *tryggspor.Event) error {
	e.RecordedAt = t.now
	return t.insertEvents(ctx, []tryggspor.Event{*e})
}

// saveCase writes the case's own fields and its derived state back to its row.
func (t *Tx) saveCase(ctx context.Context, c *tryggspor.Case) error {
	personal, keyID, err := t.s.keys.seal(c.Personal, "case:"+c.ID)
	if err != nil {
		return wrap(err, "save case")
	}
	if c.Anonymised {
		personal, keyID = nil, ""
	}
	_, err = t.ExecContext(ctx, `UPDATE cases SET registered_on = ?, category = ?, role = ?, age = ?,
		residence_municipality = ?, reported = ?, intra_family = ?, school = NULLIF(?, ''), personal = ?, key_id = ?,
		status = ?, outcome = ?, outcome_on = ?, pending_to = ?, handover_to = ?, handover_kind = ?, handover_on = ?,
		safety_before = NULLIF(?, 0), safety_after = NULLIF(?, 0), closed_on = ?, last_event_at = ?, accept_by = ?,
		pending_basis = ?, pending_until = ?, pending_by = ?, access_until = ?, guide_name = ?, last_guide_contact = ?, attempts = ?, unanswered = ?,
		last_attempt_on = ?, offered_on = ?, scheduled_for = ?, held_on = ?, proposed_on = ?, suggested_on = ?,
		handover_imported = ?, plan_agreed = ?, plan_evaluated = ?, plan_helped = ?, plan_partly = ?, plan_not_helped = ?,
		plan_not_done = ?, plan_due = ?, plan_guide_due = ?, plan_due_org = ? WHERE id = ?`,
		tryggspor.FormatDate(c.RegisteredOn), string(c.Category), string(c.Role), c.Age, c.Residence, yn(c.Reported),
		yn(c.IntraFamily), c.School, personal, nullStr(keyID), string(c.Status), string(c.Outcome),
		tryggspor.FormatDate(c.OutcomeOn), c.PendingTo, c.HandoverTo, c.HandoverKind, tryggspor.FormatDate(c.HandoverOn),
		c.SafetyBefore, c.SafetyAfter, tryggspor.FormatDate(c.ClosedOn), ts(c.LastEventAt), tryggspor.FormatDate(c.AcceptBy),
		c.PendingBasis, tryggspor.FormatDate(c.PendingUntil), c.PendingBy, tryggspor.FormatDate(c.AccessUntil), c.Guide, tryggspor.FormatDate(c.LastGuideContact), c.Attempts,
		c.Unanswered, tryggspor.FormatDate(c.LastAttemptOn), tryggspor.FormatDate(c.OfferedOn),
		tryggspor.FormatDate(c.ScheduledFor), tryggspor.FormatDate(c.HeldOn), tryggspor.FormatDate(c.ProposedOn),
		tryggspor.FormatDate(c.SuggestedOn), c.HandoverImported, c.PlanCounts.Agreed, c.PlanCounts.Evaluated,
		c.PlanCounts.Helped, c.PlanCounts.Partly, c.PlanCounts.NotHelped, c.PlanCounts.NotDone,
		tryggspor.FormatDate(c.PlanDue), tryggspor.FormatDate(c.PlanGuideDue), c.PlanDueOrg, c.ID)
	if err != nil {
		return wrap(err, "save case")
	}
	if err := t.indexPerson(ctx, c, false); err != nil {
		return err
	}
	return t.indexNames(ctx, []*tryggspor.Case{c}, false)
}

// ListCases returns the cases in scope, newest registration first.
func (s *Store) ListCases(ctx context.Context, sc tryggspor.Scope, f tryggspor.CaseFilter) ([]tryggspor.Case, error) {
	where, args := scopeWhere(sc)
	q := `SELECT ` + caseColumns + ` FROM cases c WHERE ` + where
	if f.Status != "" {
		q += ` AND c.status = ?`
		args = append(args, string(f.Status))
	}
	if ref := strings.TrimSpace(f.Ref); ref != "" {
		q += ` AND c.ref LIKE ? ESCAPE '\'`
		args = append(args, "%"+likeEscape(strings.ToUpper(ref))+"%")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	q += ` ORDER BY c.registered_on DESC, c.ref DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := s.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(err, "list cases")
	}
	defer rows.Close()
	var out []tryggspor.Case
	for rows.Next() {
		c, err := s.scanCase(rows)
		if err != nil {
			return nil, wrap(err, "list cases")
		}
		out = append(out, *c)
	}
	return out, wrap(rows.Err(), "list cases")
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// GetCase returns a case in scope with its timeline; NotFound otherwise, so a
// case outside the actor's scope is indistinguishable from one that does not
// exist.
func (s *Store) GetCase(ctx context.Context, sc tryggspor.Scope, id string) (*tryggspor.Case, []tryggspor.Event, error) {
	return s.getCase(ctx, s.rd, sc, id)
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func (s *Store) getCase(ctx context.Context, db querier, sc tryggspor.Scope, id string) (*tryggspor.Case, []tryggspor.Event, error) {
	where, args := scopeWhere(sc)
	c, err := s.scanCase(db.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases c WHERE c.id = ? AND `+where,
		append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, tryggspor.NotFound("Saken finnes ikke.")
	} else if err != nil {
		return nil, nil, err
	}
	evs, err := s.events(ctx, db, c.ID)
	if err != nil {
		return nil, nil, err
	}
	folded := tryggspor.Fold(evs)
	c.State.Consents, c.State.Plan = folded.Consents, folded.Plan
	return c, evs, nil
}

func (s *Store) events(ctx context.Context, db querier, caseID string) ([]tryggspor.Event, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, seq, type, on_date, recorded_at, COALESCE(actor_id, 0), actor_name,
		actor_role, actor_org, data, secret, COALESCE(key_id, '') FROM events WHERE case_id = ? ORDER BY seq`, caseID)
	if err != nil {
		return nil, wrap(err, "read events")
	}
	defer rows.Close()
	var out []tryggspor.Event
	for rows.Next() {
		e := tryggspor.Event{CaseID: caseID}
		var date, rec, data, keyID string
		var secret []byte
		if err := rows.Scan(&e.ID, &e.Seq, &e.Type, &date, &rec, &e.ActorID, &e.ActorName, &e.ActorRole, &e.ActorOrg,
			&data, &secret, &keyID); err != nil {
			return nil, wrap(err, "read events")
		}
		err := readDates(dateCol{&e.Date, date})
		if err == nil {
			e.RecordedAt, err = readTS(rec)
		}
		if err != nil {
			return nil, fmt.Errorf("event %d of case %s: %w", e.ID, caseID, err)
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, fmt.Errorf("event %d data: %w", e.ID, err)
		}
		if err := s.keys.open(secret, keyID, fmt.Sprintf("event:%s:%d", caseID, e.Seq), &e.Text); err != nil {
			return nil, wrap(err, "read events")
		}
		out = append(out, e)
	}
	return out, wrap(rows.Err(), "read events")
}

// AppendEvent loads the case in scope inside the write transaction, asks decide
// for the events, appends them, updates the case's derived state and audits, all
// in one transaction. Nothing is written when decide refuses.
func (s *Store) AppendEvent(ctx context.Context, sc tryggspor.Scope, id string, decide tryggspor.Decision, a tryggspor.AuditEntry) (*tryggspor.Case, error) {
	var out *tryggspor.Case
	err := s.write(ctx, func(t *Tx) error {
		c, evs, err := s.getCase(ctx, t, sc, id)
		if err != nil {
			return err
		}
		add, err := decide(c, evs)
		if err != nil {
			return err
		}
		for _, ev := range add {
			ev.CaseID, ev.Seq = c.ID, len(evs)+1
			if err := t.insertEvent(ctx, &ev); err != nil {
				return err
			}
			evs = append(evs, ev)
		}
		c.State = tryggspor.Fold(evs)
		if err := t.saveCase(ctx, c); err != nil {
			return err
		}
		a.CaseID, a.Object = c.ID, c.Ref
		out = c
		return t.audit(ctx, a)
	})
	return out, err
}

// HasCases reports whether the database holds any case.
func (s *Store) HasCases(ctx context.Context) (bool, error) {
	var has bool
	err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM cases)`).Scan(&has)
	return has, err
}
