package tryggspor

import (
	"context"
	"fmt"
	"time"
)

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
	Auditor
	GetOrganisation(ctx context.Context, code string) (Organisation, error)
	ListOrganisations(ctx context.Context) ([]Organisation, error)
	UpsertOrganisations(ctx context.Context, orgs []Organisation, a AuditEntry) error
	UpsertUser(ctx context.Context, u User, a AuditEntry) (User, error)
	GetUser(ctx context.Context, id int64) (User, error)
	ListUsers(ctx context.Context) ([]User, error)
	CreateCase(ctx context.Context, c *Case, first Event, a AuditEntry) error
	ListCases(ctx context.Context, scope Scope, f CaseFilter) ([]Case, error)
	// ListCaseKeys returns the searchable few fields (with the decrypted
	// name) of every case in scope, of one status when given.
	ListCaseKeys(ctx context.Context, scope Scope, status Status) ([]CaseKey, error)
	// GetCases returns the cases in scope with these ids, in this order.
	GetCases(ctx context.Context, scope Scope, ids []string) ([]Case, error)
	GetCase(ctx context.Context, scope Scope, id string) (*Case, []Event, error)
	AppendEvent(ctx context.Context, scope Scope, id string, decide Decision, a AuditEntry) (*Case, error)
	// SearchAudit returns the entries matching f, newest first, and how many
	// match in all.
	SearchAudit(ctx context.Context, f AuditFilter) ([]AuditRecord, int, error)
	// AuditCounts counts entries since from by action and outcome.
	AuditCounts(ctx context.Context, from time.Time) (map[Action]map[string]int, error)
	// CaseRef finds a case by its id or TP- reference, whatever its unit:
	// for the auditor, who sees the log of every case but no case content.
	CaseRef(ctx context.Context, idOrRef string) (id, ref string, err error)
	// DueHandovers lists the ids of cases whose pending handover's accept-by
	// date is before today (YYYY-MM-DD).
	DueHandovers(ctx context.Context, today string) ([]string, error)
	// Anonymise removes the personal fields of cases closed before the date.
	Anonymise(ctx context.Context, closedBefore string, dryRun bool, a AuditEntry) ([]string, error)
	// PriorCases are the person's other cases in the 12 months before c, in
	// any unit: unit and date only.
	PriorCases(ctx context.Context, c *Case) ([]PriorCase, error)
	// Ready reports whether the database can be written to now.
	Ready(ctx context.Context) error
}

// Service holds the use cases. Each takes the acting user and decides
// permission before anything is read or written; each view and change is
// audited here, so the web layer and the command line cannot forget it.
type Service struct {
	Store Store
	Now   func() time.Time
	// Handover bounds consents and accept-by dates and sets the guides'
	// grace period after closing (config [handover]); zero values mean the
	// defaults.
	Handover HandoverPolicy
}

// deny audits a refused attempt and returns err unchanged.
func (s *Service) deny(ctx context.Context, a Actor, act Action, caseID string, err error) error {
	return Deny(ctx, s.Store, NewEntry(a, act, caseID, ""), err)
}

// scope is the actor's case scope on today's date.
func (s *Service) scope(a Actor) Scope {
	sc := ScopeFor(a)
	sc.Today, sc.GraceDays = FormatDate(Today(s.Now())), s.Handover.GraceDays()
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
		return User{}, s.deny(ctx, who, ActLogin, "", Forbidden("Brukeren har ingen rolle i Tryggspor."))
	}
	org, err := s.Store.GetOrganisation(ctx, id.Org)
	if ErrorKind(err) == KindNotFound {
		return User{}, s.deny(ctx, who, ActLogin, "", Forbidden("Brukerens organisasjon er ikke registrert i Tryggspor."))
	} else if err != nil {
		return User{}, fmt.Errorf("sign in: organisation %q: %w", id.Org, err)
	}
	if (id.Role == RoleOfficer || id.Role == RoleLeader) && org.Kind != OrgPoliceUnit {
		return User{}, s.deny(ctx, who, ActLogin, "", Forbidden("Rollen krever en politienhet som organisasjon."))
	}
	u := User{Issuer: id.Issuer, Subject: id.Subject, Name: id.Name, Email: id.Email, Role: id.Role, Org: id.Org}
	u, err = s.Store.UpsertUser(ctx, u, NewEntry(who, ActLogin, "", ""))
	if err != nil {
		return User{}, fmt.Errorf("sign in: %w", err)
	}
	return u, nil
}

// SignOut records that a user signed out.
func (s *Service) SignOut(ctx context.Context, a Actor) error {
	if err := s.Store.Audit(ctx, NewEntry(a, ActLogout, "", "")); err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	return nil
}

// Refused records an attempt the web layer turned away before any use case
// ran (a role guard, a form without its CSRF token, a sign-in that failed):
// every refusal is audited once, with its reason.
func (s *Service) Refused(ctx context.Context, a Actor, act Action, reason string) error {
	if err := s.Store.Audit(ctx, NewEntry(a, act, "", "").Denied(reason)); err != nil {
		return fmt.Errorf("audit refusal: %w", err)
	}
	return nil
}

// Ready reports whether the service can do its work: the database answers
// and takes a write (another process holding the write lock for long, or a
// stuck writer, makes it not ready).
func (s *Service) Ready(ctx context.Context) error { return s.Store.Ready(ctx) }
