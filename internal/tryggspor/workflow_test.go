package tryggspor

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func d(s string) time.Time { t, _ := ParseDate(s); return t }

func ev(t EventType, date string, mod ...func(*Event)) Event {
	e := Event{Type: t, Date: d(date)}
	for _, m := range mod {
		m(&e)
	}
	return e
}

func withData(f func(*EventData)) func(*Event) { return func(e *Event) { f(&e.Data) } }

var (
	officerBaerum = Actor{UserID: 1, Name: "P", Role: RoleOfficer, Org: "baerum"}
	officerAsker  = Actor{UserID: 2, Name: "A", Role: RoleOfficer, Org: "asker"}
	guideSchool   = Actor{UserID: 3, Name: "G", Role: RoleGuide, Org: "bekkestua"}
	guideOther    = Actor{UserID: 4, Name: "B", Role: RoleGuide, Org: "barnehuset"}
)

func caseWith(evs ...Event) *Case {
	all := append([]Event{ev(EvRegistered, "2026-03-01")}, evs...)
	c := &Case{Unit: "baerum", RegisteredOn: d("2026-03-01"), State: Fold(all)}
	return c
}

var (
	contact  = ev(EvContactAttempt, "2026-03-02", withData(func(d *EventData) { d.Reached = "yes" }))
	offer    = ev(EvOfferMade, "2026-03-02")
	schedule = ev(EvScheduled, "2026-03-05")
	held     = ev(EvHeld, "2026-03-05", withData(func(d *EventData) { d.Safety = 2 }))
	declined = ev(EvDeclined, "2026-03-03")
	consent  = ev(EvConsent, "2026-03-05", withData(func(d *EventData) { d.Destination, d.ExpiresOn = "bekkestua", "2026-09-01" }))
	proposed = ev(EvHandoverProposed, "2026-03-06", withData(func(d *EventData) {
		d.Destination, d.DestKind, d.LegalBasis, d.AcceptBy = "bekkestua", "school", "consent", "2026-03-20"
	}))
	accepted = ev(EvHandoverAccepted, "2026-03-07")
)

// TestNextEvents checks, for every state a case can be in, exactly which
// events each actor is offered; everything not listed is refused.
func TestNextEvents(t *testing.T) {
	corr := EvCorrection
	tests := []struct {
		name  string
		c     *Case
		actor Actor
		want  []EventType
	}{
		{"new", caseWith(), officerBaerum, []EventType{EvContactAttempt, EvOfferMade, EvDeclined, corr}},
		{"contacting", caseWith(contact), officerBaerum, []EventType{EvContactAttempt, EvOfferMade, EvHeld, EvDeclined, EvNoResponse, corr}},
		{"offered", caseWith(contact, offer), officerBaerum, []EventType{EvContactAttempt, EvScheduled, EvHeld, EvDeclined, EvNoResponse, corr}},
		{"scheduled", caseWith(contact, offer, schedule), officerBaerum, []EventType{EvContactAttempt, EvScheduled, EvHeld, EvDeclined, EvNoResponse, corr}},
		{"held", caseWith(contact, offer, held), officerBaerum, []EventType{EvConsent, EvHandoverProposed, EvPlanMeasure, EvClosed, corr}},
		{"declined", caseWith(contact, declined), officerBaerum, []EventType{EvScheduled, EvHeld, corr}},
		{"pending, officer", caseWith(contact, offer, held, consent, proposed), officerBaerum, []EventType{EvConsent, EvHandoverWithdrawn, EvPlanMeasure, corr}},
		{"pending, destination guide", caseWith(contact, offer, held, consent, proposed), guideSchool, []EventType{EvHandoverAccepted, EvHandoverRejected}},
		{"pending, other guide", caseWith(contact, offer, held, consent, proposed), guideOther, nil},
		// A guide follows up; only the officer hands on (issue 10).
		{"follow-up, guide", caseWith(contact, offer, held, consent, proposed, accepted), guideSchool, []EventType{EvGuideContact, EvPlanMeasure, EvClosed}},
		{"follow-up, officer", caseWith(contact, offer, held, consent, proposed, accepted), officerBaerum, []EventType{EvConsent, EvHandoverProposed, EvPlanMeasure, EvClosed, corr}},
		{"other unit's officer", caseWith(contact), officerAsker, nil},
		{"leader", caseWith(contact), Actor{Role: RoleLeader, Org: "vest"}, nil},
		{"closed after conversation", caseWith(contact, offer, held, ev(EvClosed, "2026-03-08")), officerBaerum, []EventType{corr}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, NextEvents(tt.c, tt.actor)); diff != "" {
				t.Errorf("next events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRefusalsExplainThemselves(t *testing.T) {
	heldCase := caseWith(contact, offer, held)
	tests := []struct {
		name  string
		c     *Case
		actor Actor
		e     Event
		kind  Kind
		msg   string
	}{
		{"decline after conversation", heldCase, officerBaerum, ev(EvDeclined, "2026-03-06"), KindConflict, "Trygghetssamtalen er gjennomført"},
		{"officer accepts handover", caseWith(contact, offer, held, consent, proposed), officerBaerum, accepted, KindForbidden, "Bare trygghetsguider"},
		{"handover before conversation", caseWith(contact, offer), officerBaerum, proposed, KindConflict, "krever en gjennomført trygghetssamtale"},
		{"handover without consent", heldCase, officerBaerum, proposed, KindInvalid, "ikke registrert samtykke"},
		{"consent expired", caseWith(contact, offer, held, ev(EvConsent, "2026-03-05", withData(func(d *EventData) { d.Destination, d.ExpiresOn = "bekkestua", "2026-03-05" }))), officerBaerum, proposed, KindInvalid, "utløpt"},
		{"no response before contact", caseWith(), officerBaerum, ev(EvNoResponse, "2026-03-02"), KindConflict, "kontaktforsøk"},
		{"second conversation", heldCase, officerBaerum, held, KindConflict, "allerede registrert"},
		{"statutory handover", heldCase, officerBaerum, ev(EvHandoverProposed, "2026-03-06", withData(func(d *EventData) {
			d.Destination, d.DestKind, d.LegalBasis, d.AcceptBy = "bekkestua", "school", "statutory", "2026-03-20"
		})), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.c, tt.actor, tt.e, DefaultHandoverPolicy)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if ErrorKind(err) != tt.kind {
				t.Fatalf("kind %v, want %v (%v)", ErrorKind(err), tt.kind, err)
			}
			all := ErrorMessage(err)
			for _, m := range ErrorFields(err) {
				all += " " + m
			}
			if !strings.Contains(all, tt.msg) {
				t.Errorf("message %q lacks %q", all, tt.msg)
			}
		})
	}
}

func TestFoldOutcomes(t *testing.T) {
	s := Fold([]Event{ev(EvRegistered, "2026-03-01"), contact, declined})
	if s.Status != StatusClosed || s.Outcome != OutcomeDeclined || s.OutcomeOn != d("2026-03-03") {
		t.Fatalf("after decline: %+v", s)
	}
	s = Fold([]Event{ev(EvRegistered, "2026-03-01"), contact, declined, held})
	if s.Status != StatusHeld || s.Outcome != OutcomeConversation || !s.ClosedOn.IsZero() {
		t.Errorf("a conversation after a decline must supersede it: %+v", s)
	}
	s = Fold([]Event{ev(EvRegistered, "2026-03-01"), contact, offer, held, consent, proposed, accepted,
		ev(EvGuideContact, "2026-03-10", withData(func(d *EventData) { d.Safety = 4 }))})
	if s.HandoverTo != "bekkestua" || s.HandoverKind != "school" || s.SafetyBefore != 2 || s.SafetyAfter != 4 {
		t.Errorf("handover and ratings: %+v", s)
	}
	s = Fold([]Event{ev(EvRegistered, "2026-03-01"), contact, offer, held, consent, proposed, ev(EvHandoverExpired, "2026-03-21")})
	if s.Status != StatusHeld || s.PendingTo != "" {
		t.Errorf("an expired handover returns the case to the officer: %+v", s)
	}
}

func TestCaseInputValidate(t *testing.T) {
	today := d("2026-03-10")
	base := CaseInput{RegisteredOn: "2026-03-01", Category: "violence", Role: "victim", Age: "14",
		Residence: "Bærum", Reported: "no", IntraFamily: "no", PersonName: "Kari", GuardianName: "Ola",
		GuardianPhone: "+47 900 00 000"}
	tests := []struct {
		name  string
		mod   func(*CaseInput)
		field string
	}{
		{"valid", func(*CaseInput) {}, ""},
		{"adult victim of violence", func(in *CaseInput) { in.Age = "18"; in.GuardianName, in.GuardianPhone = "", "" }, "age"},
		{"adult hate crime", func(in *CaseInput) { in.Age, in.Category = "40", "hate_crime"; in.GuardianName = "" }, ""},
		{"adult witness", func(in *CaseInput) { in.Age, in.Role = "30", "witness" }, ""},
		{"age not a number", func(in *CaseInput) { in.Age = "fjorten" }, "age"},
		{"age 121", func(in *CaseInput) { in.Age = "121" }, "age"},
		{"minor without guardian", func(in *CaseInput) { in.GuardianPhone = "" }, "guardian_phone"},
		{"intra-family without reason", func(in *CaseInput) { in.IntraFamily = "yes" }, "intra_family_reason"},
		{"intra-family with reason", func(in *CaseInput) { in.IntraFamily, in.IntraFamilyReason = "yes", "Barnevernet er informert" }, ""},
		{"future date", func(in *CaseInput) { in.RegisteredOn = "2026-03-11" }, "registered_on"},
		{"Norwegian date", func(in *CaseInput) { in.RegisteredOn = "01.03.2026" }, ""},
		{"bad category", func(in *CaseInput) { in.Category = "theft" }, "category"},
		{"notes too long", func(in *CaseInput) { in.Notes = strings.Repeat("x", MaxNotes+1) }, "notes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			tt.mod(&in)
			_, err := in.Validate(today, nil)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v %v", err, ErrorFields(err))
				}
				return
			}
			if _, ok := ErrorFields(err)[tt.field]; !ok {
				t.Errorf("no message on %s: %v", tt.field, ErrorFields(err))
			}
		})
	}
}

func TestOsloDates(t *testing.T) {
	// 23:30 UTC on 30 June is already 1 July in Oslo (summer time, UTC+2).
	if got := Today(time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)); FormatDate(got) != "2026-07-01" {
		t.Errorf("Today = %s", FormatDate(got))
	}
	// 23:30 UTC on 31 December is 00:30 on 1 January in Oslo (UTC+1).
	if got := Today(time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)); FormatDate(got) != "2027-01-01" {
		t.Errorf("Today = %s", FormatDate(got))
	}
}
