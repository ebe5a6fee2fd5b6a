package tryggspor

import (
	"context"
	"fmt"
	"time"
)

// Action names what an audit entry records. Every entry's action is one of the
// constants below, so the auditor's pages and filters have a closed vocabulary
// to translate.
type Action string

// Audit actions.
const (
	ActLogin       Action = "login"
	ActLogout      Action = "logout"
	ActCaseCreate  Action = "case.create"
	ActCaseList    Action = "case.list"
	ActCaseView    Action = "case.view"
	ActCaseImport  Action = "case.import"
	ActCaseAnon    Action = "case.anonymise"
	ActEventAppend Action = "event.append"
	ActStatsView   Action = "stats.view"
	ActStatsExport Action = "stats.export"
	ActStatsReport Action = "stats.report"
	ActAuditView   Action = "audit.view"
	ActAuditExport Action = "audit.export"
	ActCaseInnsyn  Action = "case.innsyn"  // a subject access report
	ActCasePlan    Action = "case.plan"    // the follow-up plan, printed or handed to the family
	ActAuditAnchor Action = "audit.anchor" // the first signed checkpoint of the log was written
	ActAuditBroken Action = "audit.broken" // the background scrubber found the chain broken
	ActOrgCreate   Action = "org.create"
	ActOrgUpdate   Action = "org.update"
	ActOrgSave     Action = "org.save" // a refused create or update
	ActOrgImport   Action = "org.import"
	ActUserList    Action = "user.list"
	ActTaskList    Action = "task.list"
	ActDigestSend  Action = "digest.send"
	ActRouteDenied Action = "route.denied"
	ActCSRFDenied  Action = "csrf.denied"
	ActTooLarge    Action = "request.too_large"
	ActBadRequest  Action = "request.bad"
	// ActRepeatLookup is one showing of the repeat-victim indicator, a
	// disclosure of another case's unit and date (SPEC §13).
	ActRepeatLookup Action = "repeat_victim.lookup"
)

// Kinds of action, for the auditor's summary: what was seen, changed,
// taken out of the service, and sign-ins.
const (
	KindView   = "view"
	KindChange = "change"
	KindExport = "export"
	KindSignIn = "signin"
)

// actionKinds sorts every action into its kind (refusals are counted by
// their outcome, whatever the action).
var actionKinds = map[Action]string{
	ActLogin: KindSignIn, ActLogout: KindSignIn,
	ActCaseList: KindView, ActCaseView: KindView, ActStatsView: KindView, ActAuditView: KindView,
	ActUserList: KindView, ActTaskList: KindView,
	ActCaseCreate: KindChange, ActCaseImport: KindChange, ActCaseAnon: KindChange, ActEventAppend: KindChange,
	ActOrgCreate: KindChange, ActOrgUpdate: KindChange, ActOrgSave: KindChange, ActOrgImport: KindChange,
	ActStatsExport: KindExport, ActStatsReport: KindExport, ActAuditExport: KindExport, ActDigestSend: KindExport,
	ActCaseInnsyn: KindExport, ActRepeatLookup: KindView, ActCasePlan: KindExport,
}

// Kind is the action's kind (KindView, KindChange, KindExport, KindSignIn),
// "" for the web layer's own refusals.
func (a Action) Kind() string { return actionKinds[a] }

// Audit outcomes.
const (
	OutcomeOK     = "ok"
	OutcomeDenied = "denied"
	OutcomeFailed = "failed"
)

// Purpose says why personal data was touched (GDPR Art. 5(1)(b)); the audit
// log records one with every entry.
type Purpose string

// Purposes: one per role, and one per automatic job.
const (
	PurposeCaseWork   Purpose = "saksbehandling"
	PurposeGuide      Purpose = "oppfølging som trygghetsguide"
	PurposeStatistics Purpose = "statistikk"
	PurposeAdmin      Purpose = "administrasjon"
	PurposeSupervise  Purpose = "tilsyn"
	PurposeAutomatic  Purpose = "automatisk oppfølging"
	PurposeRetention  Purpose = "sletting etter oppbevaringstid"
	PurposeReminders  Purpose = "påminnelser"
	PurposeImport     Purpose = "import fra regneark"
	PurposeDemo       Purpose = "demodata"
	// PurposeSignIn is why a sign-in or sign-out is recorded, whoever it
	// is: access control, not the work the role does.
	PurposeSignIn Purpose = "innlogging"
	// PurposeAccess is why a refusal of someone not signed in is recorded.
	PurposeAccess Purpose = "tilgangskontroll"
)

// rolePurposes records why each role touches case data.
var rolePurposes = map[Role]Purpose{
	RoleOfficer: PurposeCaseWork, RoleGuide: PurposeGuide, RoleLeader: PurposeStatistics,
	RoleAdmin: PurposeAdmin, RoleAuditor: PurposeSupervise,
}

// AuditEntry is one line of the audit log: who did what to which object, why,
// and whether it was allowed. It never holds personal data.
type AuditEntry struct {
	Actor   Actor
	Action  Action
	CaseID  string
	Object  string
	Purpose Purpose
	Outcome string // OutcomeOK | OutcomeDenied | OutcomeFailed
	Detail  string
}

// NewEntry is the one place audit entries are made: the purpose follows from
// the action for sign-in and sign-out, else from the actor's role (or the
// job, for the system; access control for someone not signed in); the
// outcome is ok.
func NewEntry(a Actor, act Action, caseID, detail string) AuditEntry {
	p := rolePurposes[a.Role]
	switch {
	case act == ActLogin || act == ActLogout:
		p = PurposeSignIn
	case a.IsSystem():
		p = PurposeAutomatic
	case p == "":
		p = PurposeAccess
	}
	return AuditEntry{Actor: a, Action: act, CaseID: caseID, Purpose: p, Outcome: OutcomeOK, Detail: detail}
}

// For returns the entry with another purpose (a job's own, for example).
func (e AuditEntry) For(p Purpose) AuditEntry { e.Purpose = p; return e }

// On returns the entry naming the object it concerns (an organisation code, a
// user).
func (e AuditEntry) On(object string) AuditEntry { e.Object = object; return e }

// Denied returns the entry as a refusal with its reason.
func (e AuditEntry) Denied(reason string) AuditEntry {
	e.Outcome, e.Detail = OutcomeDenied, reason
	return e
}

// AuditRecord is an audit entry as read back, for the auditor's pages.
type AuditRecord struct {
	ID    int64
	At    time.Time
	Entry AuditEntry
	Ref   string // the case's TP- reference, when the entry concerns a case
}

// Auditor appends entries to the audit log. Use cases outside this package
// (statistics, import, reminders) write through it with entries from
// NewEntry.
type Auditor interface {
	Audit(ctx context.Context, entries ...AuditEntry) error
}

// Deny audits a refused attempt and returns err unchanged, so a use case can
// write `return Deny(ctx, log, entry, err)`.
func Deny(ctx context.Context, log Auditor, e AuditEntry, err error) error {
	if aerr := log.Audit(ctx, e.Denied(ErrorMessage(err))); aerr != nil {
		return fmt.Errorf("audit denial of %s: %w", e.Action, aerr)
	}
	return err
}

// AuditFilter selects audit entries. Empty fields match everything; From and
// To are instants (From inclusive, To exclusive).
type AuditFilter struct {
	User    string // part of the actor's name, or a user's sign-in name
	CaseID  string
	Action  Action
	Outcome string
	From    time.Time
	To      time.Time
	Limit   int
	Offset  int
	// CountUpTo stops the count of matches there (0: MaxAuditCount+1): a
	// count of millions would read millions of index entries.
	CountUpTo int
}

// AuditQuery is what the data-protection officer asks of the log: the
// filters as typed, dates as civil dates in Europe/Oslo, and a page.
type AuditQuery struct {
	User, Ref, Action, Outcome string
	From, To                   string // YYYY-MM-DD or DD.MM.YYYY
	Page                       int
}

// AuditPage is one page of the filtered log with what the officer needs
// around it.
type AuditPage struct {
	Records     []AuditRecord
	Total       int  // entries matching the filter, at most AuditPageCount
	More        bool // more than AuditPageCount match
	Page, Pages int
	PerPage     int
	Ref         string // the case, when the log is one case's
	Month       AuditSummary
}

// AuditSummary counts this month's entries by kind, and the refusals.
type AuditSummary struct {
	Views, Changes, Exports, SignIns, Denials int
	// Lookups are the month's repeat-victim lookups per officer, those
	// nearest the daily limit first; LookupLimit is that limit.
	Lookups     []LookupUse
	LookupLimit int
}

// MaxAuditCount is the most entries one download of the log holds, and how
// far its count goes: at national size a filter can match millions of
// entries, and counting them all would read them all. A larger selection is
// refused until the search is narrowed.
const MaxAuditCount = 100_000

// AuditPageCount is how far the log's page counts matches; beyond it the page
// says "more than" (200 pages of 50), and its count costs a tenth of the
// download's.
const AuditPageCount = 10_000

// AuditPerPage is the size of a page of the log.
const AuditPerPage = 50

// CheckpointFileFor is where the audit log's signed checkpoints are kept
// when audit.checkpoint_file is not set: beside the database db (SPEC §12).
func CheckpointFileFor(db string) string { return db + ".audit-checkpoints" }
