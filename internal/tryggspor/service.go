package tryggspor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CaseFilter narrows a case list.
type CaseFilter struct {
	Status Status
	Ref    string
	Limit  int
}

// Decision is called by the store inside the write transaction with the case as
// it is now; it returns the events to append, in order — one, or a consent
// recorded in the same step as the handover it allows — (and may change the
// case's own fields, for corrections) or an error that aborts without writing.
type Decision func(c *Case, events []Event) ([]Event, error)

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
	// ListResidences lists every stored residence value with its cases.
	ListResidences(ctx context.Context) ([]ResidenceUse, error)
	CreateCase(ctx context.Context, c *Case, first Event, a AuditEntry) error
	ListCases(ctx context.Context, scope Scope, f CaseFilter) ([]Case, error)
	// SearchCases returns the page of the cases in scope that q asks for
	// (CasesPerPage, the page chosen by PageOf) and how many match in all:
	// the text as CaseQuery says, sorted by q.Sort with ties by ref.
	SearchCases(ctx context.Context, scope Scope, q CaseQuery) (CaseList, error)
	GetCase(ctx context.Context, scope Scope, id string) (*Case, []Event, error)
	AppendEvent(ctx context.Context, scope Scope, id string, decide Decision, a AuditEntry) (*Case, error)
	// SearchAudit returns the entries matching f, newest first, and how many
	// match in all.
	SearchAudit(ctx context.Context, f AuditFilter) ([]AuditRecord, int, error)
	// EachAudit hands the entries matching f, newest first, to fn as they
	// are read, without counting them.
	EachAudit(ctx context.Context, f AuditFilter, fn func(AuditRecord) error) error
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
	// RepeatLookup shows c's repeat-victim indicator once to the officer
	// by, if one is due for them: in one transaction it counts their
	// lookups since since, reads the person's cases in the 12 months before
	// c, and writes the entries decide returns (repeat.go).
	RepeatLookup(ctx context.Context, c *Case, by int64, since time.Time, decide LookupDecision) (bool, error)
	// RepeatLookups lists the indicator's showings and refusals since from,
	// for the auditor's month summary.
	RepeatLookups(ctx context.Context, from time.Time) ([]AuditRecord, error)
	// Ready reports whether the database can be written to now.
	Ready(ctx context.Context) error
}

// Service holds the use cases. Each takes the acting user and decides
// permission before anything is read or written; each view and change is
// audited here, so the web layer and the command line cannot forget it.
type Service struct {
	Store Store
	Now   func() time.Time
	// Places are the residences a case may have: the municipalities and the
	// configured extras (nil: the official list with the default extras).
	Places Places
	// Handover bounds consents and accept-by dates and sets the guides'
	// grace period after closing (config [handover]); zero values mean the
	// defaults.
	Handover HandoverPolicy
	// LookupsPerDay bounds each officer's repeat-victim lookups per day
	// (config [privacy] repeat_victim_lookups_per_day; 0: 20).
	LookupsPerDay int
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

// Identity is a verified sign-in from an OpenID Provider: who the provider
// says the person is, what it asserts about their role and organisation,
// and what that provider may assert at all.
type Identity struct {
	Issuer, Subject, Name, Email string
	// Provider is the configured provider's name (audit and messages).
	Provider string
	// Role and Org are the single role and organisation code asserted.
	Role Role
	Org  string
	// Roles are all distinct Tryggspor roles the token asserted, after the
	// provider's role map; more than one is refused, never a silent pick.
	// Empty: Role alone.
	Roles []Role
	// Orgs are all organisation codes asserted; OrgNos the organisation
	// numbers asserted (Ansattporten). Together they must name exactly one
	// organisation. Empty: Org alone.
	Orgs   []string
	OrgNos []string
	// Trust is what the provider may assert; nil: anything (the single
	// [oidc] table of earlier versions without allowed_* keys).
	Trust *Trust
}

// Trust is what one provider is trusted to assert: its roles, the kinds of
// organisation, and optionally the organisations themselves (each admits
// that organisation and those below it).
type Trust struct {
	Roles    []Role
	OrgKinds []OrgKind
	Orgs     []string
}

// SignIn admits a verified identity whose role and organisation are known
// and within what its provider may assert; everyone else is refused (no
// self-sign-up) and the refusal is audited with its reason.
func (s *Service) SignIn(ctx context.Context, id Identity) (User, error) {
	roles := id.Roles
	if len(roles) == 0 && id.Role != "" {
		roles = []Role{id.Role}
	}
	role := Role("")
	if len(roles) == 1 {
		role = roles[0]
	}
	who := Actor{Name: id.Subject, Role: role, Org: id.Org}
	refuse := func(format string, args ...any) (User, error) {
		return User{}, s.deny(ctx, who, ActLogin, "", Forbidden(format, args...))
	}
	switch {
	case len(roles) > 1:
		return refuse("Innloggingen%s gir mer enn én rolle (%s). En bruker har én rolle i Tryggspor; be administrator av identitetsleverandøren fjerne den ene.", from(id), joinRoles(roles))
	case !role.Valid():
		return refuse("Brukeren har ingen rolle i Tryggspor%s.", from(id))
	}
	org, found, err := s.identityOrg(ctx, id)
	if err != nil {
		if ErrorKind(err) == KindForbidden {
			return User{}, s.deny(ctx, who, ActLogin, "", err)
		}
		return User{}, err
	}
	if !found {
		return refuse("Brukerens organisasjon er ikke registrert i Tryggspor%s.", from(id))
	}
	who.Org = org.Code
	if (role == RoleOfficer || role == RoleLeader) && org.Kind != OrgPoliceUnit {
		return refuse("Rollen krever en politienhet som organisasjon.")
	}
	if reason, err := s.outsideTrust(ctx, id, role, org); err != nil {
		return User{}, err
	} else if reason != "" {
		return refuse("%s", reason)
	}
	u := User{Issuer: id.Issuer, Subject: id.Subject, Name: id.Name, Email: id.Email, Role: role, Org: org.Code}
	u, err = s.Store.UpsertUser(ctx, u, NewEntry(who, ActLogin, "", "").With(Det(DetProvider, id.Provider)))
	if err != nil {
		return User{}, fmt.Errorf("sign in: %w", err)
	}
	return u, nil
}

func from(id Identity) string {
	if id.Provider == "" {
		return ""
	}
	return " fra «" + id.Provider + "»"
}

func joinRoles(rs []Role) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return strings.Join(out, ", ")
}

// identityOrg finds the one organisation the identity names, by code or by
// organisation number. Several different organisations are refused.
func (s *Service) identityOrg(ctx context.Context, id Identity) (Organisation, bool, error) {
	codes := id.Orgs
	if len(codes) == 0 && id.Org != "" {
		codes = []string{id.Org}
	}
	if len(codes) == 0 && len(id.OrgNos) == 0 {
		return Organisation{}, false, nil
	}
	all, err := s.Store.ListOrganisations(ctx)
	if err != nil {
		return Organisation{}, false, fmt.Errorf("sign in: organisations: %w", err)
	}
	named := map[string]Organisation{}
	missing := false
	for _, c := range codes {
		o, ok := findOrg(all, func(o Organisation) bool { return o.Code == c })
		missing = missing || !ok
		if ok {
			named[o.Code] = o
		}
	}
	for _, n := range id.OrgNos {
		n = NormaliseOrgNo(n)
		o, ok := findOrg(all, func(o Organisation) bool { return o.OrgNo != "" && o.OrgNo == n })
		missing = missing || !ok
		if ok {
			named[o.Code] = o
		}
	}
	if len(named)+btoi(missing) > 1 {
		return Organisation{}, false, Forbidden("Innloggingen%s gir mer enn én organisasjon. En bruker hører til én organisasjon i Tryggspor.", from(id))
	}
	for _, o := range named {
		return o, true, nil
	}
	return Organisation{}, false, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func findOrg(all []Organisation, match func(Organisation) bool) (Organisation, bool) {
	for _, o := range all {
		if match(o) {
			return o, true
		}
	}
	return Organisation{}, false
}

// outsideTrust says why role at org is more than the identity's provider
// may assert, or "". A failure to read the organisations is an error, not
// a refusal: the user may well be allowed in.
func (s *Service) outsideTrust(ctx context.Context, id Identity, role Role, org Organisation) (string, error) {
	t := id.Trust
	if t == nil {
		return "", nil
	}
	if !slices.Contains(t.Roles, role) {
		return fmt.Sprintf("Identitetsleverandøren «%s» kan ikke gi rollen %s.", id.Provider, role), nil
	}
	if !slices.Contains(t.OrgKinds, org.Kind) {
		return fmt.Sprintf("Identitetsleverandøren «%s» kan ikke gi tilgang for organisasjonstypen %s (%s).", id.Provider, org.Kind, org.Code), nil
	}
	if len(t.Orgs) == 0 {
		return "", nil
	}
	all, err := s.Store.ListOrganisations(ctx)
	if err != nil {
		return "", fmt.Errorf("sign in: organisations: %w", err)
	}
	for _, allowed := range t.Orgs {
		if slices.Contains(Subtree(allowed, all), org.Code) {
			return "", nil
		}
	}
	return fmt.Sprintf("Identitetsleverandøren «%s» kan ikke gi tilgang for organisasjonen %s.", id.Provider, org.Code), nil
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
