package tryggspor

import (
	"strings"
	"time"
)

// OrgKind is the kind of an organisation (SPEC §3).
type OrgKind string

// Organisation kinds.
const (
	OrgPoliceUnit       OrgKind = "police_unit"
	OrgSchool           OrgKind = "school"
	OrgBarnehuset       OrgKind = "barnehuset"
	OrgMunicipalService OrgKind = "municipal_service"
	OrgOther            OrgKind = "other"
)

// Valid reports whether k is one of the SPEC kinds.
func (k OrgKind) Valid() bool {
	switch k {
	case OrgPoliceUnit, OrgSchool, OrgBarnehuset, OrgMunicipalService, OrgOther:
		return true
	}
	return false
}

// Organisation is a police unit, school, Barnehuset or municipal service.
type Organisation struct {
	Code         string
	Name         string
	Kind         OrgKind
	Parent       string
	Municipality string
	// OrgNo is the nine-digit Norwegian organisation number
	// (Enhetsregisteret), optional. A sign-in provider that names the
	// organisation an employee acts for by its number (Ansattporten) is
	// mapped through it.
	OrgNo string
}

// ValidOrgNo reports whether s is a Norwegian organisation number: nine
// digits whose last is the mod-11 check digit of the first eight (weights
// 3 2 7 6 5 4 3 2; a remainder that would need check digit 10 is never
// issued).
func ValidOrgNo(s string) bool {
	if len(s) != 9 {
		return false
	}
	weights := [8]int{3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i := 0; i < 9; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		if i < 8 {
			sum += int(s[i]-'0') * weights[i]
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[8]-'0')
}

// NormaliseOrgNo removes the spaces people write in organisation numbers
// ("974 760 673") and the ISO 6523 prefix "0192:" that Altinn and
// Ansattporten put before them.
func NormaliseOrgNo(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "0192:")
	return strings.ReplaceAll(s, " ", "")
}

// Role is a user's one role (SPEC §2).
type Role string

// Roles.
const (
	RoleOfficer Role = "officer"
	RoleGuide   Role = "guide"
	RoleLeader  Role = "leader"
	RoleAdmin   Role = "admin"
	RoleAuditor Role = "auditor"
)

// Valid reports whether r is one of the five roles.
func (r Role) Valid() bool {
	switch r {
	case RoleOfficer, RoleGuide, RoleLeader, RoleAdmin, RoleAuditor:
		return true
	}
	return false
}

// Home is the page a role lands on after sign-in.
func (r Role) Home() string {
	switch r {
	case RoleOfficer:
		return "/cases"
	case RoleGuide:
		return "/handovers"
	case RoleLeader:
		return "/stats"
	case RoleAdmin:
		return "/admin"
	case RoleAuditor:
		return "/audit"
	}
	return "/login"
}

// User is a person who may sign in, keyed by (Issuer, Subject).
type User struct {
	ID      int64
	Issuer  string
	Subject string
	Name    string
	Email   string
	Role    Role
	Org     string
}

// Actor is who performs a use case: a signed-in user, someone not (yet)
// signed in, or the system itself (reminder jobs, imports, the command
// line) with ID 0 and a descriptive Name, made only by System.
type Actor struct {
	UserID int64
	Name   string
	Role   Role
	Org    string
	system bool
}

// System is the actor for automatic work such as expiry and imports.
func System(name string) Actor { return Actor{Name: "system:" + name, system: true} }

// IsSystem reports whether a is the system rather than a person. Only
// System makes one: someone not signed in, or an identity without a role,
// has no role either and must not get the system's reach.
func (a Actor) IsSystem() bool { return a.system && a.UserID == 0 && a.Role == "" }

// Scope limits which cases a store query may return. Exactly one of Unit and Org
// is set; an empty scope matches nothing.
type Scope struct {
	Unit string // officer: cases owned by this police unit
	Org  string // guide: cases handed over (pending or accepted) to this organisation
	All  bool   // system jobs only
	// Today (YYYY-MM-DD, Europe/Oslo) ends a guide's access when the consent
	// behind a handover has expired, or the case closed more than GraceDays
	// days ago (GuideMayAccess). A guide scope without Today matches nothing.
	Today     string
	GraceDays int
}

// ScopeFor returns the case scope of an actor: deny by default.
func ScopeFor(a Actor) Scope {
	switch {
	case a.IsSystem():
		return Scope{All: true}
	case a.Role == RoleOfficer && a.Org != "":
		return Scope{Unit: a.Org}
	case a.Role == RoleGuide && a.Org != "":
		return Scope{Org: a.Org}
	}
	return Scope{}
}

// Reminder is one due follow-up: a rule, a case, the date it fell due, and
// who should act — "user:<id>", or a group "officers:<unit>", "guides:<org>",
// "leaders:<unit>".
type Reminder struct {
	Rule      string
	CaseID    string
	CaseRef   string
	DueOn     time.Time
	Recipient string
}

// Task is an open reminder with the facts of its case, enough to check it is
// still due and to link to it; the case's personal fields are not loaded.
type Task struct {
	Reminder
	Case *Case
}

// Subtree returns root and every organisation below it, root first.
func Subtree(root string, orgs []Organisation) []string {
	kids := map[string][]string{}
	for _, o := range orgs {
		kids[o.Parent] = append(kids[o.Parent], o.Code)
	}
	out, queue, seen := []string{}, []string{root}, map[string]bool{}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c] {
			continue
		}
		seen[c] = true
		out = append(out, c)
		queue = append(queue, kids[c]...)
	}
	return out
}

// Counts are the raw figures of one year for a set of units (SPEC §7).
type Counts struct {
	Total     int
	Category  map[string]int
	Outcome   map[string]int
	Handover  map[string]int
	Residence map[string]int
	Role      map[string]int
	AgeBand   map[string]int
	Reported  map[string]int
	// RepeatVictims are the cases whose person had a case in the 12 months
	// before (SPEC §12).
	RepeatVictims int
	// Safety ratings: sums and how many cases have one.
	SafetyBeforeSum, SafetyBeforeN int
	SafetyAfterSum, SafetyAfterN   int
	// Measures are the follow-up plans' measures of the year's cases
	// (SPEC §13): agreed, and evaluated by their latest result (keys of the
	// result vocabulary, adding up to the evaluated ones).
	MeasuresAgreed int
	Measures       map[string]int
}
