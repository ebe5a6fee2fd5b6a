package tryggspor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// RegisterCase creates a case in the officer's own unit with its first event.
func (s *Service) RegisterCase(ctx context.Context, a Actor, in CaseInput) (*Case, error) {
	if a.Role != RoleOfficer {
		return nil, s.deny(ctx, a, ActCaseCreate, "", Forbidden("Bare politiets forebyggere kan registrere saker."))
	}
	now := s.Now()
	c, err := in.Validate(Today(now), s.Places)
	if c.School != "" {
		org, oerr := s.organisation(ctx, c.School)
		if oerr != nil {
			return nil, oerr
		}
		if msg := schoolProblem(org); msg != "" {
			fe := FieldErrors{}
			if ef := ErrorFields(err); ef != nil {
				fe = ef
			}
			fe.Add("school", msg)
			err = fe.Err()
		}
	}
	if msg := backdateProblem(c.RegisteredOn, Today(now)); msg != "" {
		fe := FieldErrors{}
		if ef := ErrorFields(err); ef != nil {
			fe = ef
		}
		fe.Add("registered_on", msg)
		err = fe.Err()
	}
	if err != nil {
		return nil, err
	}
	c.Unit, c.CreatedBy, c.CreatedAt, c.FormID, c.LookupBy = a.Org, a.UserID, now, in.FormID, a.UserID
	first := Event{Type: EvRegistered, Date: c.RegisteredOn, ActorID: a.UserID, ActorName: a.Name, ActorRole: a.Role, ActorOrg: a.Org}
	c.State = Fold([]Event{first})
	if err := s.Store.CreateCase(ctx, &c, first, NewEntry(a, ActCaseCreate, "", "")); errors.Is(err, ErrAlreadyRegistered) {
		return &c, err
	} else if err != nil {
		return nil, fmt.Errorf("register case: %w", err)
	}
	return &c, nil
}

// ErrAlreadyRegistered: the register form was sent before (the same form_id
// by the same officer); nothing new was written, and the case returned with
// it is the one the first send created (its ID and Ref).
var ErrAlreadyRegistered = errors.New("this form has registered its case already")

// ListCases returns the cases the actor may see, audited as one list view.
func (s *Service) ListCases(ctx context.Context, a Actor, f CaseFilter) ([]Case, error) {
	scope := s.scope(a)
	if scope.Unit == "" && scope.Org == "" {
		return nil, s.deny(ctx, a, ActCaseList, "", Forbidden("Du har ikke tilgang til saker."))
	}
	cases, err := s.Store.ListCases(ctx, scope, f)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	if err := s.Store.Audit(ctx, NewEntry(a, ActCaseList, "", "").With(Det(DetStatus, f.Status), Det(DetCount, len(cases)))); err != nil {
		return nil, fmt.Errorf("audit case list: %w", err)
	}
	return cases, nil
}

// ViewCase returns one case and its timeline if the actor may see it; the view
// is audited before anything is returned. Cases outside the actor's scope are
// NotFound, and the attempt is audited as a denial. A guide gets the guide's
// view (see CaseView).
func (s *Service) ViewCase(ctx context.Context, a Actor, id string) (*CaseView, error) {
	c, evs, err := s.Store.GetCase(ctx, s.scope(a), id)
	if ErrorKind(err) == KindNotFound {
		return nil, s.deny(ctx, a, ActCaseView, id, NotFound("Saken finnes ikke."))
	} else if err != nil {
		return nil, fmt.Errorf("view case %s: %w", id, err)
	}
	if err := s.Store.Audit(ctx, NewEntry(a, ActCaseView, c.ID, "")); err != nil {
		return nil, fmt.Errorf("audit case view: %w", err)
	}
	if a.Role != RoleGuide {
		rc, err := s.repeatLookup(ctx, a, c)
		if err != nil {
			return nil, fmt.Errorf("view case %s: %w", c.ID, err)
		}
		return &CaseView{Case: c, Timeline: evs, Repeat: rc}, nil
	}
	v := &CaseView{Case: guideFields(c), Timeline: guideTimeline(evs), Guide: true}
	if id := policeContact(evs); id != 0 {
		u, err := s.Store.GetUser(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("view case %s: police contact: %w", c.ID, err)
		}
		v.Contact = &u
	}
	return v, nil
}

// ErrNeedsConfirmation is RecordEvent's answer to an event that ends someone's
// work (EventType.NeedsConfirmation) posted without confirmed=yes: the event
// passed every check, and nothing was written.
var ErrNeedsConfirmation = errors.New("the event needs confirmation")

// RecordEvent appends one event to a case if the workflow and the actor's role
// allow it. The check runs inside the write transaction against the case as it
// is then, so two officers cannot both conclude the same case. Who may record
// the event is decided before its fields, so a refused role gets 403 whatever
// was typed. An event that needs confirmation and lacks it is checked in full
// and then refused with ErrNeedsConfirmation, together with the case as it
// is, for the confirmation page; the look at the case is audited as a view.
func (s *Service) RecordEvent(ctx context.Context, a Actor, id string, in EventInput) (*Case, error) {
	r := &recording{s: s, a: a, in: in, today: Today(s.Now())}
	if err := r.lookUp(ctx); err != nil {
		return nil, err
	}
	c, err := s.Store.AppendEvent(ctx, s.scope(a), id, r.decideAll, NewEntry(a, ActEventAppend, id, "").With(r.details()...))
	if errors.Is(err, ErrNeedsConfirmation) && r.seen != nil {
		if err := s.Store.Audit(ctx, NewEntry(a, ActCaseView, r.seen.ID, "").With(Det(DetConfirm, in.Type)).On(r.seen.Ref)); err != nil {
			return nil, fmt.Errorf("audit confirmation of %s: %w", in.Type, err)
		}
		return r.seen, ErrNeedsConfirmation
	}
	switch ErrorKind(err) {
	case KindNotFound:
		return nil, s.deny(ctx, a, ActEventAppend, id, NotFound("Saken finnes ikke."))
	case KindForbidden:
		return nil, s.deny(ctx, a, ActEventAppend, id, err)
	case KindInternal:
		if err != nil {
			return nil, fmt.Errorf("record %s on %s: %w", in.Type, id, err)
		}
	}
	return c, err
}

// recording is one RecordEvent: what was posted, the organisations it names
// (looked up before the write transaction), and the decision taken inside it.
type recording struct {
	s      *Service
	a      Actor
	in     EventInput
	today  time.Time
	dest   *Organisation // the posted destination
	school *Organisation // the organisation a correction of school names
	seen   *Case         // the case as it was, when confirmation is needed
}

func (r *recording) lookUp(ctx context.Context) error {
	var err error
	if r.dest, err = r.s.organisation(ctx, r.in.Destination); err != nil {
		return err
	}
	if r.in.Type == string(EvCorrection) && strings.TrimSpace(r.in.Field) == "school" {
		r.school, err = r.s.organisation(ctx, r.in.Value)
	}
	return err
}

// decideAll is the Decision: the posted event, preceded by the consent that
// allows it when a handover on consent is proposed with the consent given in
// the same form (consentFirst).
func (r *recording) decideAll(c *Case, evs []Event) ([]Event, error) {
	var out []Event
	if r.consentFirst() {
		cr := &recording{s: r.s, a: r.a, today: r.today, dest: r.dest, in: EventInput{Type: string(EvConsent), Date: r.in.Date,
			By: r.in.ConsentBy, Destination: r.in.Destination, ExpiresOn: r.in.ConsentExpiresOn}}
		consent, err := cr.decide(c, evs)
		if err != nil {
			return nil, consentErrors(err)
		}
		out, evs = append(out, consent), append(evs, consent)
		c.State = Fold(evs)
	}
	ev, err := r.decide(c, evs)
	if err != nil {
		return nil, err
	}
	return append(out, ev), nil
}

// consentFirst says whether the posted handover proposal carries a consent
// to record with it: on consent, with the consent's fields filled in (a
// consent already on record for the destination is renewed by it).
func (r *recording) consentFirst() bool {
	in := r.in
	return in.Type == string(EvHandoverProposed) && in.LegalBasis == "consent" && in.ConsentBy != ""
}

// consentErrors names a refused same-step consent's fields as the proposal
// form does (consent_by, consent_expires_on).
func consentErrors(err error) error {
	fe := ErrorFields(err)
	if fe == nil {
		return err
	}
	out := FieldErrors{}
	for k, v := range fe {
		switch k {
		case "by":
			k = "consent_by"
		case "expires_on":
			k = "consent_expires_on"
		}
		out[k] = v
	}
	return out.Err()
}

// details are what the audit entry says was recorded: the event type, and
// the consent before it when the form carries one.
func (r *recording) details() []Detail {
	if r.consentFirst() {
		return []Detail{Det(DetEvent, EvConsent), Det(DetEvent, r.in.Type)}
	}
	return []Detail{Det(DetEvent, r.in.Type)}
}

// decide runs inside the write transaction against the case as it is: role
// first, then the form's fields, the workflow and the event's own rules.
func (r *recording) decide(c *Case, evs []Event) (Event, error) {
	if t := EventType(r.in.Type); t != EvRegistered {
		if _, known := t.Spec(); known {
			if err := permittedRole(c, r.a, t); err != nil {
				return Event{Type: t}, err
			}
		}
	}
	ev, err := r.in.parse(r.today, c.RegisteredOn)
	if err != nil {
		return ev, err
	}
	if err := Permitted(c, r.a, ev.Type); err != nil {
		return ev, err
	}
	if err := r.complete(c, evs, &ev); err != nil {
		return ev, err
	}
	if err := Check(c, r.a, ev, r.s.Handover); err != nil {
		return ev, err
	}
	if ev.Type.NeedsConfirmation() && r.in.Confirmed != "yes" && !r.a.IsSystem() {
		r.seen = c
		return ev, ErrNeedsConfirmation
	}
	return ev, nil
}

// complete fills in what the event carries besides the form: the
// destination's kind, an outcome it supersedes, the suggestion flag, a
// correction's old value, and who recorded it.
func (r *recording) complete(c *Case, evs []Event, ev *Event) error {
	if ev.Data.Destination != "" {
		if r.dest == nil {
			return FieldErrors{"destination": "Ukjent organisasjon."}.Err()
		}
		ev.Data.DestKind = string(r.dest.Kind)
	}
	if ev.Type == EvHeld || ev.Type == EvScheduled {
		if o := c.Outcome; o == OutcomeDeclined || o == OutcomeNoResponse {
			ev.Data.Supersedes = string(o)
		}
	}
	ev.Data.Suggested = ev.Type == EvGuideContact && ev.Text.Suggestion != ""
	if ev.Type == EvCorrection {
		if err := applyCorrection(c, evs, ev, r.today, r.school, r.s.Places); err != nil {
			return err
		}
		if msg := backdateProblem(c.RegisteredOn, r.today); ev.Data.Field == "registered_on" && msg != "" {
			return FieldErrors{"value": msg}.Err()
		}
		if repeatFields[ev.Data.Field] {
			c.LookupBy = r.a.UserID
		}
	}
	ev.ActorID, ev.ActorName, ev.ActorRole, ev.ActorOrg = r.a.UserID, r.a.Name, r.a.Role, r.a.Org
	return nil
}

// organisation looks up a posted organisation code (a destination, a
// school); nil when none was posted or it is unknown (the decision then
// refuses it beside the field).
func (s *Service) organisation(ctx context.Context, code string) (*Organisation, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, nil
	}
	org, err := s.Store.GetOrganisation(ctx, code)
	if ErrorKind(err) == KindNotFound {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("organisation %q: %w", code, err)
	}
	return &org, nil
}

// schoolProblem says why org may not be a case's school ("" when it may): the
// same rule for registration and correction.
func schoolProblem(org *Organisation) string {
	if org == nil || org.Kind != OrgSchool {
		return "Velg en skole fra listen."
	}
	return ""
}
