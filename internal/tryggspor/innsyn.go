package tryggspor

import (
	"context"
	"fmt"
	"time"
)

// AccessReport answers a subject access request (GDPR Art. 15) for one
// case: every stored field and event, and everyone who saw or changed it —
// like a Norwegian patient's right to see who has read their record.
type AccessReport struct {
	Case      *Case
	Timeline  []Event
	Access    []AuditRecord // oldest first
	Generated time.Time
}

// maxAccessHistory bounds the history in one report; a case seen more often
// than this is unheard of, and the report says when it is cut.
const maxAccessHistory = 10000

// SubjectAccess makes the report for one case: for the owning unit's
// officers (others get NotFound, as for the case itself), and for the
// data-protection officer's process through the command line (System). It
// is audited as an export of the case.
func (s *Service) SubjectAccess(ctx context.Context, a Actor, id string) (*AccessReport, error) {
	if a.Role != RoleOfficer && !a.IsSystem() {
		return nil, s.deny(ctx, a, ActCaseInnsyn, id, NotFound("Saken finnes ikke."))
	}
	c, evs, err := s.Store.GetCase(ctx, s.scope(a), id)
	if ErrorKind(err) == KindNotFound {
		return nil, s.deny(ctx, a, ActCaseInnsyn, id, NotFound("Saken finnes ikke."))
	} else if err != nil {
		return nil, fmt.Errorf("subject access %s: %w", id, err)
	}
	recs, _, err := s.Store.SearchAudit(ctx, AuditFilter{CaseID: c.ID, Limit: maxAccessHistory})
	if err != nil {
		return nil, fmt.Errorf("subject access %s: %w", c.Ref, err)
	}
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i]
	}
	if err := s.Store.Audit(ctx, NewEntry(a, ActCaseInnsyn, c.ID, "").On(c.Ref)); err != nil {
		return nil, fmt.Errorf("audit subject access: %w", err)
	}
	return &AccessReport{Case: c, Timeline: evs, Access: recs, Generated: s.Now()}, nil
}

// CaseByRef finds the id of the case with a TP- reference, for the command
// line (System only: it crosses units).
func (s *Service) CaseByRef(ctx context.Context, a Actor, ref string) (string, error) {
	if !a.IsSystem() {
		return "", Forbidden("Bare kommandolinjen kan slå opp saker på tvers av enheter.")
	}
	id, _, err := s.Store.CaseRef(ctx, ref)
	return id, err
}
