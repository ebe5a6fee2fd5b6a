package tryggspor

import (
	"sort"
	"strconv"
	"time"
)

// MaxEvaluateMonths bounds how far ahead a measure's evaluation may be set:
// a measure no one looks at for half a year is not being followed up
// (issue 21).
const MaxEvaluateMonths = 6

// Measure is one agreed measure of a case's follow-up plan (SPEC §13), as
// its plan_measure event and the evaluations after it add up. It is derived
// from the timeline by Fold, never stored on its own.
type Measure struct {
	Seq        int // the plan_measure event's place on the timeline: the number the plan shows
	Date       time.Time
	Text       string // what was agreed (personal: it is encrypted with the event)
	Owner      string // owner vocabulary: guide, officer, guardian, person
	OwnerName  string
	EvaluateBy time.Time
	ByRole     Role   // who recorded it: the reminder goes to their organisation
	ByOrg      string // the recorder's organisation
	ByName     string
	// Due is when the next evaluation is due: EvaluateBy, or after a
	// continued evaluation as long again from that evaluation; zero once
	// the measure has ended.
	Due         time.Time
	Evaluations []Evaluation
}

// Evaluation is one judgement of a measure.
type Evaluation struct {
	Seq      int
	Date     time.Time
	Result   string // result vocabulary
	Continue bool
	Note     string
	ByName   string
}

// Open reports whether the measure still runs: never evaluated, or
// continued at its last evaluation. Only an open measure may be evaluated.
func (m Measure) Open() bool {
	return len(m.Evaluations) == 0 || m.Evaluations[len(m.Evaluations)-1].Continue
}

// Last is the measure's latest evaluation, nil when it has none.
func (m Measure) Last() *Evaluation {
	if len(m.Evaluations) == 0 {
		return nil
	}
	return &m.Evaluations[len(m.Evaluations)-1]
}

// Overdue reports whether the measure's evaluation is late on today.
func (m Measure) Overdue(today time.Time) bool {
	return m.Open() && !m.Due.IsZero() && m.Due.Before(today)
}

// PlanCounts are one case's measures as the year's statistics count them:
// agreed, evaluated at least once, and evaluated by their latest result
// (so the four results add up to evaluated). They are kept on the case row
// so the summary never reads the timeline.
type PlanCounts struct {
	Agreed, Evaluated, Helped, Partly, NotHelped, NotDone int
}

// ByResult returns the evaluated measures by result code.
func (p PlanCounts) ByResult() map[string]int {
	return map[string]int{"helped": p.Helped, "partly": p.Partly, "not_helped": p.NotHelped, "not_done": p.NotDone}
}

// applyPlan folds a plan event into the state.
func (s *State) applyPlan(e Event) {
	switch e.Type {
	case EvPlanMeasure:
		by, _ := ParseDate(e.Data.EvaluateBy) // checked when recorded
		s.Plan = append(s.Plan, Measure{Seq: e.Seq, Date: e.Date, Text: e.Text.Measure, Owner: e.Data.Owner,
			OwnerName: e.Text.OwnerName, EvaluateBy: by, Due: by, ByRole: e.ActorRole, ByOrg: e.ActorOrg, ByName: e.ActorName})
	case EvPlanEvaluation:
		m := s.measure(e.Data.Measure)
		if m == nil {
			return
		}
		m.Evaluations = append(m.Evaluations, Evaluation{Seq: e.Seq, Date: e.Date, Result: e.Data.Result,
			Continue: e.Data.Continue == "yes", Note: e.Text.Note, ByName: e.ActorName})
		m.Due = time.Time{}
		if e.Data.Continue == "yes" {
			m.Due = e.Date.Add(m.EvaluateBy.Sub(m.Date))
		}
	}
	s.settlePlan()
}

// measure finds the measure with the number ref ("" or unknown: nil).
func (s *State) measure(ref string) *Measure {
	n, err := strconv.Atoi(ref)
	if err != nil {
		return nil
	}
	for i := range s.Plan {
		if s.Plan[i].Seq == n {
			return &s.Plan[i]
		}
	}
	return nil
}

// settlePlan derives what the case row keeps of the plan: its counts, the
// earliest evaluation due of the officers' measures, and that of the
// guides' measures with the organisation that recorded it.
func (s *State) settlePlan() {
	s.PlanCounts = PlanCounts{}
	s.PlanDue, s.PlanGuideDue, s.PlanDueOrg = time.Time{}, time.Time{}, ""
	for _, m := range s.Plan {
		s.PlanCounts.Agreed++
		if last := m.Last(); last != nil {
			s.PlanCounts.Evaluated++
			switch last.Result {
			case "helped":
				s.PlanCounts.Helped++
			case "partly":
				s.PlanCounts.Partly++
			case "not_helped":
				s.PlanCounts.NotHelped++
			case "not_done":
				s.PlanCounts.NotDone++
			}
		}
		if !m.Open() || m.Due.IsZero() {
			continue
		}
		if m.ByRole != RoleGuide && (s.PlanDue.IsZero() || m.Due.Before(s.PlanDue)) {
			s.PlanDue = m.Due
		}
		if m.ByRole == RoleGuide && (s.PlanGuideDue.IsZero() || m.Due.Before(s.PlanGuideDue)) {
			s.PlanGuideDue, s.PlanDueOrg = m.Due, m.ByOrg
		}
	}
}

// OpenMeasures are the measures that may still be evaluated, earliest due
// first.
func (s State) OpenMeasures() []Measure {
	var out []Measure
	for _, m := range s.Plan {
		if m.Open() {
			out = append(out, m)
		}
	}
	return out
}

// PlanInOrder is the plan as people read it: open measures first, earliest
// due first, then the ended ones in the order they were agreed.
func (s State) PlanInOrder() []Measure {
	out := append([]Measure(nil), s.Plan...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Open() != b.Open() {
			return a.Open()
		}
		if a.Open() {
			return a.Due.Before(b.Due)
		}
		return a.Seq < b.Seq
	})
	return out
}

// planOpen is the state rule for the plan: it is worked while the case is
// followed up after the conversation, and not once the case is closed.
func planOpen(s State) error {
	switch {
	case s.in(StatusHeld, StatusHandoverPending, StatusGuideFollowUp):
		return nil
	case s.Status == StatusClosed:
		return Conflict("Saken er avsluttet. Planen kan ikke endres lenger.")
	}
	return Conflict("Tiltaksplanen lages etter gjennomført trygghetssamtale.")
}

// checkPlan applies the plan's own rules to ev against the case's plan:
// the evaluation date bounds of a measure, and that an evaluation is of an
// existing measure of this case that is still open.
func checkPlan(fe FieldErrors, c *Case, ev Event) {
	switch ev.Type {
	case EvPlanMeasure:
		by, ok := ParseDate(ev.Data.EvaluateBy)
		if !ok || ev.Date.IsZero() {
			return
		}
		if !by.After(ev.Date) {
			fe.Add("evaluate_by", "Evalueringsdatoen må være etter datoen tiltaket ble avtalt.")
		} else if by.After(ev.Date.AddDate(0, MaxEvaluateMonths, 0)) {
			fe.Add("evaluate_by", "Sett en evalueringsdato innen seks måneder ("+ShowDate(ev.Date.AddDate(0, MaxEvaluateMonths, 0))+").")
		}
	case EvPlanEvaluation:
		m := c.State.measure(ev.Data.Measure)
		switch {
		case m == nil:
			fe.Add("measure", "Velg et tiltak fra planen til denne saken.")
		case !m.Open():
			fe.Add("measure", "Tiltaket er allerede evaluert og ble ikke videreført.")
		case !ev.Date.IsZero() && ev.Date.Before(m.Date):
			fe.Add("date", "Evalueringen kan ikke være før tiltaket ble avtalt ("+ShowDate(m.Date)+").")
		}
	}
}

// keepMeasureApart puts the posted "measure" where it belongs: the words of
// a new measure are free text (encrypted), the number of the measure an
// evaluation judges is plain data. The form uses one name for both (SPEC §13).
func keepMeasureApart(ev *Event) {
	switch ev.Type {
	case EvPlanMeasure:
		ev.Data.Measure = ""
	case EvPlanEvaluation:
		ev.Text.Measure = ""
	default:
		ev.Data.Measure, ev.Text.Measure = "", ""
	}
}
