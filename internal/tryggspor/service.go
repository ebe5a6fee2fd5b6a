package tryggspor

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditEntry is one line of the audit log: who did what to which object, why,
// and whether it was allowed. It never holds personal data.
type AuditEntry struct {
	Actor   Actor
	Action  string // e.g. case.view, case.create, event.append, login, denied
	CaseID  string
	Object  string
	Purpose string
	Outcome string // ok | denied | failed
	Detail  string
}

// CaseFilter narrows a case list.
type CaseFilter struct {
	Status Status
	Ref    string
	Limit  int
}

// Decision is called by the store inside the write transaction with the case as
// it is now; it returns the event to append (and may change the case's own
// fields, for corrections) or an error that aborts without writing.
type Decision func(c *Case, events []Event) (Event, error)

// Store is what the domain needs from persistence. Every case query takes a
// Scope and returns NotFound for cases outside it, so a caller cannot forget the
// object-level check.
type Store interface {
	GetOrganisation(ctx context.Context, code string) (Organisation, error)
	ListOrganisations(ctx context.Context) ([]Organisation, error)
	UpsertUser(ctx context.Context, u User, a AuditEntry) (User, error)
	CreateCase(ctx context.Context, c *Case, first Event, a AuditEntry) error
	ListCases(ctx context.Context, scope Scope, f CaseFilter) ([]Case, error)
	GetCase(ctx context.Context, scope Scope, id string) (*Case, []Event, error)
	AppendEvent(ctx context.Context, scope Scope, id string, decide Decision, a AuditEntry) (*Case, error)
	Audit(ctx context.Context, entries ...AuditEntry) error
	UpsertOrganisations(ctx context.Context, orgs []Organisation, a AuditEntry) error
	// DueHandovers lists the ids of cases whose pending handover's accept-by
	// date is before today (YYYY-MM-DD).
	DueHandovers(ctx context.Context, today string) ([]string, error)
	// Anonymise removes the personal fields of cases closed before the date.
	Anonymise(ctx context.Context, closedBefore string, dryRun bool, a AuditEntry) ([]string, error)
}

// Service holds the use cases. Each takes the acting user and decides
// permission before anything is read or written.
type Service struct {
	Store Store
	Now   func() time.Time
}

// purposes records why each role touches case data, for the audit log.
var purposes = map[Role]string{
	RoleOfficer: "saksbehandling", RoleGuide: "oppfølging som trygghetsguide",
	RoleLeader: "statistikk", RoleAdmin: "administrasjon", RoleAuditor: "tilsyn",
}

func (s *Service) entry(a Actor, action, caseID, detail string) AuditEntry {
	p := purposes[a.Role]
	if a.IsSystem() {
		p = "automatisk oppfølging"
	}
	return AuditEntry{Actor: a, Action: action, CaseID: caseID, Purpose: p, Outcome: "ok", Detail: detail}
}

// deny audits a refused attempt and returns err unchanged.
func (s *Service) deny(ctx context.Context, a Actor, action, caseID string, err error) error {
	e := s.entry(a, action, caseID, ErrorMessage(err))
	e.Outcome = "denied"
	if aerr := s.Store.Audit(ctx, e); aerr != nil {
		return fmt.Errorf("audit denial: %w", aerr)
	}
	return err
}

// scope is the actor's case scope on today's date.
func (s *Service) scope(a Actor) Scope {
	sc := ScopeFor(a)
	sc.Today = FormatDate(Today(s.Now()))
	return sc
}

// Identity is a verified sign-in from the OpenID Provider.
type Identity struct {
	Issuer, Subject, Name, Email string
	Role                         Role
	Org                          string
}

// SignIn admits a verified identity whose role and organisation are known;
// everyone else is refused (no self-sign-up) and the refusal is audited.
func (s *Service) SignIn(ctx context.Context, id Identity) (User, error) {
	who := Actor{Name: id.Subject, Role: id.Role, Org: id.Org}
	if !id.Role.Valid() {
		return User{}, s.deny(ctx, who, "login", "", Forbidden("Brukeren har ingen rolle i Tryggspor."))
	}
	org, err := s.Store.GetOrganisation(ctx, id.Org)
	if ErrorKind(err) == KindNotFound {
		return User{}, s.deny(ctx, who, "login", "", Forbidden("Brukerens organisasjon er ikke registrert i Tryggspor."))
	} else if err != nil {
		return User{}, err
	}
	if (id.Role == RoleOfficer || id.Role == RoleLeader) && org.Kind != OrgPoliceUnit {
		return User{}, s.deny(ctx, who, "login", "", Forbidden("Rollen krever en politienhet som organisasjon."))
	}
	u := User{Issuer: id.Issuer, Subject: id.Subject, Name: id.Name, Email: id.Email, Role: id.Role, Org: id.Org}
	return s.Store.UpsertUser(ctx, u, s.entry(who, "login", "", ""))
}

// RegisterCase creates a case in the officer's own unit with its first event.
func (s *Service) RegisterCase(ctx context.Context, a Actor, in CaseInput) (*Case, error) {
	if a.Role != RoleOfficer {
		return nil, s.deny(ctx, a, "case.create", "", Forbidden("Bare politiets forebyggere kan registrere saker."))
	}
	now := s.Now()
	c, err := in.Validate(Today(now))
	if c.School != "" {
		if org, oerr := s.Store.GetOrganisation(ctx, c.School); oerr != nil || org.Kind != OrgSchool {
			fe := FieldErrors{}
			if ef := ErrorFields(err); ef != nil {
				fe = ef
			}
			fe.Add("school", "Velg en skole fra listen.")
			err = fe.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	c.Unit, c.CreatedBy, c.CreatedAt = a.Org, a.UserID, now
	first := Event{Type: EvRegistered, Date: c.RegisteredOn, ActorID: a.UserID, ActorName: a.Name, ActorRole: a.Role, ActorOrg: a.Org}
	c.State = Fold([]Event{first})
	if err := s.Store.CreateCase(ctx, &c, first, s.entry(a, "case.create", "", "")); err != nil {
		return nil, fmt.Errorf("register case: %w", err)
	}
	return &c, nil
}

// ListCases returns the cases the actor may see, audited as one list view.
func (s *Service) ListCases(ctx context.Context, a Actor, f CaseFilter) ([]Case, error) {
	scope := s.scope(a)
	if scope.Unit == "" && scope.Org == "" {
		return nil, s.deny(ctx, a, "case.list", "", Forbidden("Du har ikke tilgang til saker."))
	}
	cases, err := s.Store.ListCases(ctx, scope, f)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	detail := "status=" + string(f.Status) + " antall=" + strconv.Itoa(len(cases))
	if err := s.Store.Audit(ctx, s.entry(a, "case.list", "", detail)); err != nil {
		return nil, fmt.Errorf("audit case list: %w", err)
	}
	return cases, nil
}

// ViewCase returns one case and its timeline if the actor may see it; the view
// is audited before anything is returned. Cases outside the actor's scope are
// NotFound, and the attempt is audited as a denial.
func (s *Service) ViewCase(ctx context.Context, a Actor, id string) (*Case, []Event, error) {
	c, evs, err := s.Store.GetCase(ctx, s.scope(a), id)
	if ErrorKind(err) == KindNotFound {
		return nil, nil, s.deny(ctx, a, "case.view", id, NotFound("Saken finnes ikke."))
	} else if err != nil {
		return nil, nil, fmt.Errorf("view case: %w", err)
	}
	if err := s.Store.Audit(ctx, s.entry(a, "case.view", c.ID, "")); err != nil {
		return nil, nil, fmt.Errorf("audit case view: %w", err)
	}
	return c, evs, nil
}

// RecordEvent appends one event to a case if the workflow and the actor's role
// allow it. The check runs inside the write transaction against the case as it
// is then, so two officers cannot both conclude the same case.
func (s *Service) RecordEvent(ctx context.Context, a Actor, id string, in EventInput) (*Case, error) {
	var dest *Organisation
	if d := strings.TrimSpace(in.Destination); d != "" {
		org, err := s.Store.GetOrganisation(ctx, d)
		if err != nil && ErrorKind(err) != KindNotFound {
			return nil, err
		}
		if err == nil {
			dest = &org
		}
	}
	now := s.Now()
	decide := func(c *Case, _ []Event) (Event, error) {
		ev, err := in.parse(Today(now), c.RegisteredOn)
		if err != nil {
			return ev, err
		}
		if err := Permitted(c, a, ev.Type); err != nil {
			return ev, err
		}
		if ev.Data.Destination != "" {
			if dest == nil {
				return ev, FieldErrors{"destination": "Ukjent organisasjon."}.Err()
			}
			ev.Data.DestKind = string(dest.Kind)
		}
		if ev.Type == EvHeld || ev.Type == EvScheduled {
			if o := c.Outcome; o == OutcomeDeclined || o == OutcomeNoResponse {
				ev.Data.Supersedes = string(o)
			}
		}
		if ev.Type == EvCorrection {
			if err := applyCorrection(c, &ev, Today(now)); err != nil {
				return ev, err
			}
		}
		ev.ActorID, ev.ActorName, ev.ActorRole, ev.ActorOrg = a.UserID, a.Name, a.Role, a.Org
		return ev, Check(c, a, ev)
	}
	c, err := s.Store.AppendEvent(ctx, s.scope(a), id, decide, s.entry(a, "event.append", id, in.Type))
	switch ErrorKind(err) {
	case KindNotFound:
		return nil, s.deny(ctx, a, "event.append", id, NotFound("Saken finnes ikke."))
	case KindForbidden:
		return nil, s.deny(ctx, a, "event.append", id, err)
	}
	return c, err
}
