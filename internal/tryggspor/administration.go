package tryggspor

import (
	"context"
	"fmt"
	"strings"
)

// Organisations lists every organisation. Any signed-in user may read them:
// pages name the owning unit, the school and handover destinations.
func (s *Service) Organisations(ctx context.Context) ([]Organisation, error) {
	orgs, err := s.Store.ListOrganisations(ctx)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	return orgs, nil
}

// Users lists the users known from sign-ins; administrators only.
func (s *Service) Users(ctx context.Context, a Actor) ([]User, error) {
	if a.Role != RoleAdmin {
		return nil, s.deny(ctx, a, ActUserList, "", Forbidden("Bare administratorer kan se brukerne."))
	}
	users, err := s.Store.ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	if err := s.Store.Audit(ctx, NewEntry(a, ActUserList, "", "").With(Det(DetUsers, len(users)))); err != nil {
		return nil, fmt.Errorf("audit user list: %w", err)
	}
	return users, nil
}

// SaveOrganisation creates (isNew) or updates one organisation; admins only.
// The police unit tree is checked as a whole, and the change audited.
func (s *Service) SaveOrganisation(ctx context.Context, a Actor, o Organisation, isNew bool) error {
	if a.Role != RoleAdmin {
		return s.deny(ctx, a, ActOrgSave, "", Forbidden("Bare administratorer kan endre organisasjoner."))
	}
	all, err := s.Store.ListOrganisations(ctx)
	if err != nil {
		return fmt.Errorf("save organisation %q: %w", o.Code, err)
	}
	fe := o.Validate(all)
	exists := false
	for _, x := range all {
		exists = exists || x.Code == o.Code
	}
	if isNew && exists {
		fe.Add("code", "Koden er allerede i bruk.")
	} else if !isNew && !exists {
		return NotFound("Ukjent organisasjon.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	act := ActOrgUpdate
	if isNew {
		act = ActOrgCreate
	}
	if err := s.Store.UpsertOrganisations(ctx, []Organisation{o}, NewEntry(a, act, "", "").With(Det(DetOrg, o.Code)).On(o.Code)); err != nil {
		return fmt.Errorf("save organisation %q: %w", o.Code, err)
	}
	return nil
}

// ImportOrganisations adds or updates organisations in bulk (the command
// line's `orgs import`, acting as System, or an admin), audited as one
// import for administration. The list comes checked against the known
// organisations (orgs.ParseCSV); it is written all or nothing.
func (s *Service) ImportOrganisations(ctx context.Context, a Actor, list []Organisation) error {
	if a.Role != RoleAdmin && !a.IsSystem() {
		return s.deny(ctx, a, ActOrgImport, "", Forbidden("Bare administratorer kan importere organisasjoner."))
	}
	e := NewEntry(a, ActOrgImport, "", fmt.Sprintf("%d organisasjoner", len(list))).For(PurposeAdmin)
	if err := s.Store.UpsertOrganisations(ctx, list, e); err != nil {
		return fmt.Errorf("import organisations: %w", err)
	}
	return nil
}

// ResidenceUse is one residence value as stored, with the cases that carry
// it (refs in order).
type ResidenceUse struct {
	Value string
	Refs  []string
}

// Residences lists every stored residence value with the refs of its
// cases, for `tryggspor check residences` (System only: it crosses units),
// audited as a case listing for administration.
func (s *Service) Residences(ctx context.Context, a Actor) ([]ResidenceUse, error) {
	if !a.IsSystem() {
		return nil, s.deny(ctx, a, ActCaseList, "", Forbidden("Bare kommandolinjen kan kontrollere bostedene i alle saker."))
	}
	uses, err := s.Store.ListResidences(ctx)
	if err != nil {
		return nil, fmt.Errorf("residences: %w", err)
	}
	e := NewEntry(a, ActCaseList, "", fmt.Sprintf("bostedskontroll: %d verdier", len(uses))).For(PurposeAdmin)
	if err := s.Store.Audit(ctx, e); err != nil {
		return nil, fmt.Errorf("audit residences: %w", err)
	}
	return uses, nil
}

// AuditLog returns one page of the audit log, filtered as the
// data-protection officer asked, with this month's summary; reading the log
// is itself audited, with the filter.
func (s *Service) AuditLog(ctx context.Context, a Actor, q AuditQuery) (*AuditPage, error) {
	if a.Role != RoleAuditor {
		return nil, s.deny(ctx, a, ActAuditView, "", Forbidden("Bare personvernombudet kan lese loggen."))
	}
	f, err := s.auditFilter(ctx, q)
	if err != nil {
		return nil, err
	}
	p, err := s.auditPage(ctx, f, q.Page)
	if err != nil {
		return nil, err
	}
	p.Ref = strings.ToUpper(strings.TrimSpace(q.Ref))
	if err := s.Store.Audit(ctx, NewEntry(a, ActAuditView, f.CaseID, "").With(q.describe()...).On(p.Ref)); err != nil {
		return nil, fmt.Errorf("audit log view: %w", err)
	}
	return p, nil
}

// AuditCase is who saw or changed one case, by its id or TP- reference; an
// unknown case is NotFound.
func (s *Service) AuditCase(ctx context.Context, a Actor, idOrRef string, page int) (*AuditPage, error) {
	if a.Role != RoleAuditor {
		return nil, s.deny(ctx, a, ActAuditView, "", Forbidden("Bare personvernombudet kan lese loggen."))
	}
	id, ref, err := s.Store.CaseRef(ctx, idOrRef)
	if err != nil {
		return nil, err
	}
	p, err := s.auditPage(ctx, AuditFilter{CaseID: id}, page)
	if err != nil {
		return nil, err
	}
	p.Ref = ref
	if err := s.Store.Audit(ctx, NewEntry(a, ActAuditView, id, "").On(ref)); err != nil {
		return nil, fmt.Errorf("audit log view: %w", err)
	}
	return p, nil
}

// AuditExport hands every entry matching q (newest first, at most
// maxAuditExport) to each, for the auditor's CSV; audited as an export. The
// entries are streamed, so the download starts at once whatever its size;
// a selection too large is refused before anything is sent.
func (s *Service) AuditExport(ctx context.Context, a Actor, q AuditQuery, each func(AuditRecord) error) error {
	if a.Role != RoleAuditor {
		return s.deny(ctx, a, ActAuditExport, "", Forbidden("Bare personvernombudet kan laste ned loggen."))
	}
	f, err := s.auditFilter(ctx, q)
	if err != nil {
		return err
	}
	f.Limit = 1
	_, total, err := s.Store.SearchAudit(ctx, f)
	if err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	if total > maxAuditExport {
		return Invalid("Utvalget har mer enn %d oppføringer; en nedlasting kan ha høyst %d. Snevre inn utvalget.", maxAuditExport, maxAuditExport)
	}
	if err := s.Store.Audit(ctx, NewEntry(a, ActAuditExport, f.CaseID, "").With(append(q.describe(), Det(DetCount, total))...)); err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	f.Limit = maxAuditExport
	return s.Store.EachAudit(ctx, f, each)
}

// maxAuditExport bounds one download of the log.
const maxAuditExport = MaxAuditCount

// auditFilter turns the officer's query into a filter: dates are whole days
// in Europe/Oslo; a reference must name a case.
func (s *Service) auditFilter(ctx context.Context, q AuditQuery) (AuditFilter, error) {
	f := AuditFilter{User: strings.TrimSpace(q.User), Action: Action(q.Action), Outcome: q.Outcome}
	fe := FieldErrors{}
	if q.Action != "" && !Known("action", q.Action) {
		fe.Add("action", "Velg en handling fra listen.")
	}
	if q.Outcome != "" && !Known("audit_outcome", q.Outcome) {
		fe.Add("outcome", "Velg et resultat fra listen.")
	}
	if d := parseDateField(fe, "from", q.From, false); !d.IsZero() {
		f.From = OsloMidnight(d)
	}
	if d := parseDateField(fe, "to", q.To, false); !d.IsZero() {
		f.To = OsloMidnight(d.AddDate(0, 0, 1))
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		fe.Add("to", "Til-datoen er før fra-datoen.")
	}
	if ref := strings.TrimSpace(q.Ref); ref != "" {
		id, _, err := s.Store.CaseRef(ctx, ref)
		if ErrorKind(err) == KindNotFound {
			fe.Add("ref", "Ingen sak har referansen "+ref+".")
		} else if err != nil {
			return f, fmt.Errorf("audit filter: %w", err)
		}
		f.CaseID = id
	}
	return f, fe.Err()
}

// auditPage reads one page of entries matching f and this month's summary.
func (s *Service) auditPage(ctx context.Context, f AuditFilter, page int) (*AuditPage, error) {
	p := &AuditPage{Page: max(page, 1), PerPage: AuditPerPage}
	f.Limit, f.Offset, f.CountUpTo = AuditPerPage, (p.Page-1)*AuditPerPage, AuditPageCount+1
	var err error
	if p.Records, p.Total, err = s.Store.SearchAudit(ctx, f); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	if p.Total > AuditPageCount {
		p.Total, p.More = AuditPageCount, true
	}
	p.Pages = max(1, (p.Total+AuditPerPage-1)/AuditPerPage)
	month := OsloMidnight(Today(s.Now()).AddDate(0, 0, 1-Today(s.Now()).Day()))
	counts, err := s.Store.AuditCounts(ctx, month)
	if err != nil {
		return nil, fmt.Errorf("audit summary: %w", err)
	}
	if p.Month.Lookups, err = s.monthLookups(ctx, month); err != nil {
		return nil, err
	}
	p.Month.LookupLimit = s.lookupsPerDay()
	for act, byOutcome := range counts {
		for outcome, n := range byOutcome {
			p.Month.add(act, outcome, n)
		}
	}
	return p, nil
}

func (m *AuditSummary) add(act Action, outcome string, n int) {
	if outcome == OutcomeDenied {
		m.Denials += n
		return
	}
	switch act.Kind() {
	case KindView:
		m.Views += n
	case KindChange:
		m.Changes += n
	case KindExport:
		m.Exports += n
	case KindSignIn:
		m.SignIns += n
	}
}

// describe is the filter as the audit entry of reading the log records it:
// codes as codes, which the auditor's pages put in words in their language.
func (q AuditQuery) describe() Details {
	var d Details
	for _, x := range []Detail{{DetUser, q.User}, {DetRef, q.Ref}, {DetAction, q.Action}, {DetOutcome, q.Outcome},
		{DetFrom, q.From}, {DetTo, q.To}} {
		if x.Value = strings.TrimSpace(x.Value); x.Value != "" {
			d = append(d, x)
		}
	}
	return d
}
