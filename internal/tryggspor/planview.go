package tryggspor

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// FollowUpPlan is the plan as the family gets it after a meeting (SPEC §13):
// the young person's first name, the measures with their owners, dates and
// evaluations, and whom to contact. It holds no police-only field (no
// report reference, notes, birth date, family flag, category or timeline)
// and nothing of any other case, so the page made from it can be handed
// over as it is.
type FollowUpPlan struct {
	CaseID, Ref string
	FirstName   string
	Measures    []Measure // open first, earliest due first
	Guide       *User     // the trygghetsguide who accepted the handover; nil before one did
	GuideOrg    string    // the guide's organisation (code)
	Officer     *User     // the police contact
	Unit        string    // the owning unit (code)
	Closed      bool
	Made        time.Time
}

// CasePlan returns the case's follow-up plan to an officer of the owning
// unit or a guide who may see the case, audited as an export: it is made to
// be printed and handed to the family. A case outside the actor's scope is
// NotFound, and the attempt is audited as a denial.
func (s *Service) CasePlan(ctx context.Context, a Actor, id string) (*FollowUpPlan, error) {
	if a.Role != RoleOfficer && a.Role != RoleGuide {
		return nil, s.deny(ctx, a, ActCasePlan, id, NotFound("Saken finnes ikke."))
	}
	c, evs, err := s.Store.GetCase(ctx, s.scope(a), id)
	if ErrorKind(err) == KindNotFound {
		return nil, s.deny(ctx, a, ActCasePlan, id, NotFound("Saken finnes ikke."))
	} else if err != nil {
		return nil, fmt.Errorf("plan of case %s: %w", id, err)
	}
	p := &FollowUpPlan{CaseID: c.ID, Ref: c.Ref, FirstName: firstName(c.Personal.PersonName), Measures: c.PlanInOrder(),
		Unit: c.Unit, Closed: c.Status == StatusClosed, Made: s.Now()}
	if !c.HandoverImported {
		p.GuideOrg = c.HandoverTo
	}
	if p.Guide, err = s.contact(ctx, guideContact(evs)); err != nil {
		return nil, fmt.Errorf("plan of case %s: %w", c.Ref, err)
	}
	if p.Officer, err = s.contact(ctx, policeContact(evs)); err != nil {
		return nil, fmt.Errorf("plan of case %s: %w", c.Ref, err)
	}
	if err := s.Store.Audit(ctx, NewEntry(a, ActCasePlan, c.ID, "").On(c.Ref)); err != nil {
		return nil, fmt.Errorf("audit plan of %s: %w", c.Ref, err)
	}
	return p, nil
}

// contact reads the user with id, nil for 0 (nobody).
func (s *Service) contact(ctx context.Context, id int64) (*User, error) {
	if id == 0 {
		return nil, nil
	}
	u, err := s.Store.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// guideContact is the guide who accepted the latest handover that was not
// imported; 0 when none did.
func guideContact(evs []Event) int64 {
	var id int64
	for _, e := range evs {
		if e.Type == EvHandoverAccepted && !e.WasImported() {
			id = e.ActorID
		}
	}
	return id
}

// firstName is the first word of a name: the plan greets the young person
// by it and shows no more of who they are.
func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}
