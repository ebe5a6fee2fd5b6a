package tryggspor

import (
	"slices"
	"testing"
)

// TestNextStep: the step the case page opens for each state and actor is one
// the actor may record, and the one the programme expects next.
func TestNextStep(t *testing.T) {
	tests := []struct {
		name  string
		c     *Case
		actor Actor
		want  EventType
	}{
		{"new", caseWith(), officerBaerum, EvContactAttempt},
		{"contacted", caseWith(contact), officerBaerum, EvOfferMade},
		{"offered", caseWith(contact, offer), officerBaerum, EvScheduled},
		{"scheduled", caseWith(contact, offer, schedule), officerBaerum, EvHeld},
		{"held", caseWith(contact, offer, held), officerBaerum, EvHandoverProposed},
		{"pending, officer waits", caseWith(contact, offer, held, consent, proposed), officerBaerum, ""},
		{"pending, guide answers", caseWith(contact, offer, held, consent, proposed), guideSchool, EvHandoverAccepted},
		{"follow-up, guide", caseWith(contact, offer, held, consent, proposed, accepted), guideSchool, EvGuideContact},
		{"declined", caseWith(declined), officerBaerum, ""},
		{"another unit", caseWith(), officerAsker, ""},
	}
	for _, tc := range tests {
		got := NextStep(tc.c, tc.actor)
		if got != tc.want {
			t.Errorf("%s: next step %q, want %q", tc.name, got, tc.want)
		}
		if got != "" && !slices.Contains(NextEvents(tc.c, tc.actor), got) {
			t.Errorf("%s: next step %q is not among the events the actor may record", tc.name, got)
		}
	}
}

// TestConfirmationIsForEventsThatEndWork: exactly the six events of SPEC §12
// need confirmed=yes, and each says what will happen and names its act.
func TestConfirmationIsForEventsThatEndWork(t *testing.T) {
	want := []EventType{EvDeclined, EvNoResponse, EvHandoverWithdrawn, EvHandoverAccepted, EvHandoverRejected, EvClosed}
	var got []EventType
	for _, s := range EventSpecs() {
		if s.Type.NeedsConfirmation() {
			got = append(got, s.Type)
			if s.Confirm.Explain == "" || s.Confirm.Button == "" {
				t.Errorf("%s: the confirmation lacks words", s.Type)
			}
		}
		if s.Fields != nil && s.Action == "" {
			t.Errorf("%s has a form but no imperative title", s.Type)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("events needing confirmation: %v, want %v", got, want)
	}
}
