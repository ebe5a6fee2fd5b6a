package tryggspor

import (
	"strings"
	"testing"
)

// measureEv is a plan_measure recorded by actor on date, to evaluate by by.
func measureEv(seq int, date, by string, actor Actor) Event {
	e := ev(EvPlanMeasure, date, withData(func(d *EventData) { d.Owner, d.EvaluateBy = "guide", by }))
	e.Seq, e.ActorRole, e.ActorOrg, e.Text.Measure = seq, actor.Role, actor.Org, "Gå skoleveien sammen"
	return e
}

// evaluationEv evaluates measure number ref on date.
func evaluationEv(seq int, date, ref, result, cont string) Event {
	e := ev(EvPlanEvaluation, date, withData(func(d *EventData) { d.Measure, d.Result, d.Continue = ref, result, cont }))
	e.Seq = seq
	return e
}

// followed is a case a school's guide follows up (timeline seq 1–7).
func followed(more ...Event) *Case {
	base := []Event{contact, offer, held, consent, proposed, accepted}
	for i := range base {
		base[i].Seq = i + 2
	}
	return caseWith(append(base, more...)...)
}

// TestPlanRules walks the plan's own rules: evaluation dates within six
// months after the measure, evaluations only of an open measure of the same
// case, and nothing once the case is closed.
func TestPlanRules(t *testing.T) {
	m := measureEv(8, "2026-03-10", "2026-03-24", guideSchool)
	tests := []struct {
		name  string
		c     *Case
		actor Actor
		e     Event
		kind  Kind
		msg   string
	}{
		{"guide adds a measure", followed(), guideSchool, measureEv(8, "2026-03-10", "2026-03-24", guideSchool), 0, ""},
		{"officer adds a measure", followed(), officerBaerum, measureEv(8, "2026-03-10", "2026-03-24", officerBaerum), 0, ""},
		{"evaluate_by on the day", followed(), guideSchool, measureEv(8, "2026-03-10", "2026-03-10", guideSchool), KindInvalid, "etter datoen"},
		{"evaluate_by beyond six months", followed(), guideSchool, measureEv(8, "2026-03-10", "2026-09-11", guideSchool), KindInvalid, "innen seks måneder"},
		{"other school's guide", followed(), guideOther, measureEv(8, "2026-03-10", "2026-03-24", guideOther), KindForbidden, ""},
		{"other unit's officer", followed(), officerAsker, measureEv(8, "2026-03-10", "2026-03-24", officerAsker), KindForbidden, ""},
		{"before the conversation", caseWith(contact, offer), officerBaerum, measureEv(4, "2026-03-03", "2026-03-24", officerBaerum), KindConflict, "etter gjennomført"},
		{"evaluate an open measure", followed(m), guideSchool, evaluationEv(9, "2026-03-24", "8", "helped", "no"), 0, ""},
		{"evaluate a measure of no plan", followed(m), guideSchool, evaluationEv(9, "2026-03-24", "3", "helped", "no"), KindInvalid, "Velg et tiltak"},
		{"evaluate twice", followed(m, evaluationEv(9, "2026-03-24", "8", "helped", "no"), measureEv(10, "2026-03-24", "2026-04-24", guideSchool)),
			guideSchool, evaluationEv(11, "2026-03-25", "8", "helped", "no"), KindInvalid, "allerede evaluert"},
		{"evaluate a continued one again", followed(m, evaluationEv(9, "2026-03-24", "8", "partly", "yes")), guideSchool,
			evaluationEv(10, "2026-04-07", "8", "helped", "no"), 0, ""},
		{"after closing", followed(m, ev(EvClosed, "2026-03-20")), guideSchool, evaluationEv(10, "2026-03-24", "8", "helped", "no"), KindConflict, "avsluttet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.c, tt.actor, tt.e, DefaultHandoverPolicy)
			if tt.kind == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			all := ErrorMessage(err)
			for _, m := range ErrorFields(err) {
				all += " " + m
			}
			if ErrorKind(err) != tt.kind || !strings.Contains(all, tt.msg) {
				t.Fatalf("got %q (%v), want kind %v with %q", all, ErrorKind(err), tt.kind, tt.msg)
			}
		})
	}
}

// TestPlanFold checks what the case row keeps of a plan: counts by the
// latest evaluation, and the earliest open evaluation with the recorder's
// organisation; a continued measure is due again as long after.
func TestPlanFold(t *testing.T) {
	c := followed(measureEv(8, "2026-03-10", "2026-03-24", guideSchool), measureEv(9, "2026-03-10", "2026-04-10", officerBaerum),
		evaluationEv(10, "2026-03-24", "8", "partly", "yes"), evaluationEv(11, "2026-04-10", "9", "helped", "no"))
	want := PlanCounts{Agreed: 2, Evaluated: 2, Helped: 1, Partly: 1}
	if c.PlanCounts != want {
		t.Errorf("counts %+v, want %+v", c.PlanCounts, want)
	}
	if due := FormatDate(c.PlanGuideDue); due != "2026-04-07" || c.PlanDueOrg != "bekkestua" || !c.PlanDue.IsZero() {
		t.Errorf("due %s for %q, want 2026-04-07 for the school's guides", due, c.PlanDueOrg)
	}
	if got := c.PlanInOrder(); len(got) != 2 || got[0].Seq != 8 || !got[0].Overdue(d("2026-04-08")) {
		t.Errorf("plan order: open, overdue measure 8 first; got %+v", got)
	}
}
