package tryggspor

import (
	"strings"
	"testing"
	"time"
)

// TestWhoMayRecordWhat walks every actor × every event type on a case in the
// middle of a chain (followed up by bekkestua, an onward handover to
// barnehuset pending) and on one whose handover was imported: only officers
// of the owning unit record consent, propose or withdraw (issue 10).
func TestWhoMayRecordWhat(t *testing.T) {
	chain := &Case{Unit: "baerum", State: State{Status: StatusHandoverPending, HandoverTo: "bekkestua",
		PendingTo: "barnehuset", PendingBy: "bekkestua"}}
	imported := &Case{Unit: "baerum", State: State{Status: StatusClosed, HandoverTo: "bekkestua", HandoverImported: true}}
	officerEvs := []EventType{EvContactAttempt, EvOfferMade, EvScheduled, EvHeld, EvDeclined, EvNoResponse, EvConsent,
		EvHandoverProposed, EvHandoverWithdrawn, EvPlanMeasure, EvPlanEvaluation, EvClosed, EvCorrection}
	tests := []struct {
		name  string
		c     *Case
		actor Actor
		may   []EventType
	}{
		{"officer of the unit", chain, officerBaerum, officerEvs},
		{"officer of another unit", chain, officerAsker, nil},
		{"guide following up", chain, guideSchool, []EventType{EvGuideContact, EvPlanMeasure, EvPlanEvaluation, EvClosed}},
		{"guide of the pending destination", chain, guideOther, []EventType{EvHandoverAccepted, EvHandoverRejected}},
		{"guide of a third organisation", chain, Actor{UserID: 5, Role: RoleGuide, Org: "sandvika"}, nil},
		{"guide of the proposing organisation", &Case{Unit: "baerum", State: State{Status: StatusHandoverPending,
			PendingTo: "barnehuset", PendingBy: "bekkestua"}}, guideSchool, nil},
		{"leader", chain, Actor{UserID: 6, Role: RoleLeader, Org: "vest"}, nil},
		{"admin", chain, Actor{UserID: 7, Role: RoleAdmin, Org: "oslo"}, nil},
		{"auditor", chain, Actor{UserID: 8, Role: RoleAuditor, Org: "oslo"}, nil},
		{"system", chain, System("job"), []EventType{EvNoResponse, EvHandoverExpired}},
		{"guide of an imported handover", imported, guideSchool, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			may := map[EventType]bool{}
			for _, e := range tt.may {
				may[e] = true
			}
			for _, spec := range eventSpecs {
				err := permittedRole(tt.c, tt.actor, spec.Type)
				if may[spec.Type] && err != nil {
					t.Errorf("%s refused: %v", spec.Type, err)
				}
				if !may[spec.Type] && ErrorKind(err) != KindForbidden {
					t.Errorf("%s: %v, want Forbidden", spec.Type, err)
				}
			}
		})
	}
	err := permittedRole(chain, guideSchool, EvConsent)
	if msg := ErrorMessage(err); !strings.Contains(msg, "forebyggere") || !strings.Contains(msg, "forslag") {
		t.Errorf("a guide's refused consent does not say who may and what to do instead: %q", msg)
	}
}

// TestHandoverDateBounds checks consent expiry and accept-by dates at and
// around the policy's bounds, for the defaults, a configured policy and the
// zero policy (which must mean the defaults, not "no bound").
func TestHandoverDateBounds(t *testing.T) {
	held := caseWith(contact, offer, held)
	held.Consents = map[string]time.Time{"bekkestua": d("2027-03-01")}
	consentTo := func(expires string) Event {
		return ev(EvConsent, "2026-03-06", withData(func(d *EventData) { d.Destination, d.DestKind, d.ExpiresOn = "bekkestua", "school", expires }))
	}
	proposeBy := func(acceptBy string) Event {
		return ev(EvHandoverProposed, "2026-03-06", withData(func(d *EventData) {
			d.Destination, d.DestKind, d.LegalBasis, d.AcceptBy = "bekkestua", "school", "statutory", acceptBy
		}))
	}
	six := HandoverPolicy{ConsentMonths: 6, AcceptDays: 10}
	tests := []struct {
		name  string
		p     HandoverPolicy
		e     Event
		field string // "" when accepted
		msg   string
	}{
		{"consent 12 months", DefaultHandoverPolicy, consentTo("2027-03-06"), "", ""},
		{"consent a day beyond 12 months", DefaultHandoverPolicy, consentTo("2027-03-07"), "expires_on", "høyst 12 måneder"},
		{"consent for ever", DefaultHandoverPolicy, consentTo("9999-12-31"), "expires_on", "til og med 06.03.2027"},
		{"consent ending the day it is given", DefaultHandoverPolicy, consentTo("2026-03-06"), "expires_on", "fram i tid"},
		{"consent ending before it is given", DefaultHandoverPolicy, consentTo("2026-03-01"), "expires_on", "fram i tid"},
		{"consent 6 months, configured", six, consentTo("2026-09-06"), "", ""},
		{"consent beyond 6 months, configured", six, consentTo("2026-09-07"), "expires_on", "høyst 6 måneder"},
		{"consent beyond 12 months, zero policy", HandoverPolicy{}, consentTo("2027-03-07"), "expires_on", "høyst 12 måneder"},
		{"consent to a police unit", DefaultHandoverPolicy, ev(EvConsent, "2026-03-06", withData(func(d *EventData) {
			d.Destination, d.DestKind, d.ExpiresOn = "asker", "police_unit", "2026-06-01"
		})), "destination", "skole"},
		{"accept-by 30 days", DefaultHandoverPolicy, proposeBy("2026-04-05"), "", ""},
		{"accept-by 31 days", DefaultHandoverPolicy, proposeBy("2026-04-06"), "accept_by", "høyst 30 dager"},
		{"accept-by for ever", DefaultHandoverPolicy, proposeBy("9999-12-31"), "accept_by", "til og med 05.04.2026"},
		{"accept-by the same day", DefaultHandoverPolicy, proposeBy("2026-03-06"), "accept_by", "etter datoen"},
		{"accept-by 10 days, configured", six, proposeBy("2026-03-16"), "", ""},
		{"accept-by 11 days, configured", six, proposeBy("2026-03-17"), "accept_by", "høyst 10 dager"},
		{"accept-by beyond 30 days, zero policy", HandoverPolicy{}, proposeBy("2026-04-06"), "accept_by", "høyst 30 dager"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(held, officerBaerum, tt.e, tt.p)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v %v", err, ErrorFields(err))
				}
				return
			}
			if ErrorKind(err) != KindInvalid || !strings.Contains(ErrorFields(err)[tt.field], tt.msg) {
				t.Errorf("%v %v: want %q beside %s", err, ErrorFields(err), tt.msg, tt.field)
			}
		})
	}
}

// TestGuideMayAccess is the guide-access rule on timelines: pending and
// accepted handovers, consent expiry, closing with and without grace days,
// imported handovers (never, not even after a later consent).
func TestGuideMayAccess(t *testing.T) {
	closeOn := func(date string) Event { return ev(EvClosed, date) }
	importedAccept := ev(EvHandoverAccepted, "2026-03-07", withData(func(d *EventData) { d.Imported = true }))
	statutory := ev(EvHandoverProposed, "2026-03-06", withData(func(d *EventData) {
		d.Destination, d.DestKind, d.LegalBasis, d.AcceptBy = "bekkestua", "school", "statutory", "2026-03-20"
	}))
	laterConsent := ev(EvConsent, "2026-03-08", withData(func(d *EventData) { d.Destination, d.ExpiresOn = "bekkestua", "2026-12-01" }))
	tests := []struct {
		name  string
		c     *Case
		org   string
		today string
		grace int
		want  bool
	}{
		{"pending, destination", caseWith(contact, offer, held, consent, proposed), "bekkestua", "2026-03-10", 0, true},
		{"pending, other organisation", caseWith(contact, offer, held, consent, proposed), "barnehuset", "2026-03-10", 0, false},
		{"accepted, consent's last day", caseWith(contact, offer, held, consent, proposed, accepted), "bekkestua", "2026-09-01", 0, true},
		{"accepted, consent expired", caseWith(contact, offer, held, consent, proposed, accepted), "bekkestua", "2026-09-02", 0, false},
		{"statutory, a year on", caseWith(contact, offer, held, statutory, accepted), "bekkestua", "2027-03-10", 0, true},
		{"closed today, no grace", caseWith(contact, offer, held, statutory, accepted, closeOn("2026-03-10")), "bekkestua", "2026-03-10", 0, false},
		{"closed today, 3 grace days", caseWith(contact, offer, held, statutory, accepted, closeOn("2026-03-10")), "bekkestua", "2026-03-10", 3, true},
		{"closed, third grace day", caseWith(contact, offer, held, statutory, accepted, closeOn("2026-03-10")), "bekkestua", "2026-03-12", 3, true},
		{"closed, grace over", caseWith(contact, offer, held, statutory, accepted, closeOn("2026-03-10")), "bekkestua", "2026-03-13", 3, false},
		{"closed with a date in the past", caseWith(contact, offer, held, statutory, accepted, closeOn("2026-03-08")), "bekkestua", "2026-03-12", 3, false},
		{"consent ends before the grace does", caseWith(contact, offer, held, consent, proposed, accepted, closeOn("2026-08-31")), "bekkestua", "2026-09-02", 7, false},
		{"negative grace is none", caseWith(contact, offer, held, statutory, accepted, closeOn("2026-03-10")), "bekkestua", "2026-03-09", -5, false},
		{"imported handover", caseWith(contact, offer, held, statutory, importedAccept), "bekkestua", "2026-03-10", 0, false},
		{"imported handover, later consent", caseWith(contact, offer, held, statutory, importedAccept, laterConsent), "bekkestua", "2026-03-10", 0, false},
		{"imported handover, closed, grace", caseWith(contact, offer, held, statutory, importedAccept, closeOn("2026-03-10")), "bekkestua", "2026-03-10", 30, false},
		{"no organisation", caseWith(contact, offer, held), "", "2026-03-10", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GuideMayAccess(tt.c, tt.org, d(tt.today), tt.grace); got != tt.want {
				t.Errorf("GuideMayAccess = %v, want %v (state %+v)", got, tt.want, tt.c.State)
			}
		})
	}
	// A real proposal and acceptance after an imported one does give access.
	c := caseWith(contact, offer, held, statutory, importedAccept, ev(EvHandoverProposed, "2026-03-08", withData(func(d *EventData) {
		d.Destination, d.DestKind, d.LegalBasis, d.AcceptBy = "barnehuset", "barnehuset", "statutory", "2026-03-20"
	})), ev(EvHandoverAccepted, "2026-03-09"))
	if !GuideMayAccess(c, "barnehuset", d("2026-03-10"), 0) || GuideMayAccess(c, "bekkestua", d("2026-03-10"), 0) {
		t.Errorf("after a real handover following an imported one: %+v", c.State)
	}
}

// TestImportedEventsAreTheOwningUnits: the importer records history as an
// officer of the owning unit; nobody else may record an imported event.
func TestImportedEventsAreTheOwningUnits(t *testing.T) {
	c := caseWith(contact, offer, held, ev(EvHandoverProposed, "2026-03-06", withData(func(d *EventData) {
		d.Destination, d.DestKind, d.LegalBasis, d.AcceptBy = "bekkestua", "school", "statutory", "2026-03-07"
	})))
	acc := ev(EvHandoverAccepted, "2026-03-06", withData(func(d *EventData) { d.Imported = true }))
	if err := Check(c, officerBaerum, acc, DefaultHandoverPolicy); err != nil {
		t.Errorf("the owning unit's import refused: %v", err)
	}
	for _, a := range []Actor{officerAsker, guideSchool} {
		if err := Check(c, a, acc, DefaultHandoverPolicy); ErrorKind(err) != KindForbidden {
			t.Errorf("%s %s recorded an imported acceptance: %v", a.Role, a.Org, err)
		}
	}
	if err := Check(caseWith(contact), officerBaerum, acc, DefaultHandoverPolicy); ErrorKind(err) != KindConflict {
		t.Errorf("an imported acceptance without a pending handover: %v", err)
	}
}

// TestSuggestionWaitsForTheOfficer: a guide's suggestion is dated by the
// contact, stays until the officer records anything, and a second one does
// not move the due date.
func TestSuggestionWaitsForTheOfficer(t *testing.T) {
	suggest := func(date string) Event {
		return ev(EvGuideContact, date, func(e *Event) { e.ActorRole, e.Data.Suggested, e.Data.Safety = RoleGuide, true, 3 })
	}
	plain := ev(EvGuideContact, "2026-03-12", func(e *Event) { e.ActorRole, e.Data.Safety = RoleGuide, 3 })
	byOfficer := func(e Event) Event { e.ActorRole = RoleOfficer; return e }
	base := []Event{ev(EvRegistered, "2026-03-01"), byOfficer(contact), byOfficer(offer), byOfficer(held),
		byOfficer(consent), byOfficer(proposed), ev(EvHandoverAccepted, "2026-03-07", func(e *Event) { e.ActorRole = RoleGuide })}
	tests := []struct {
		name string
		add  []Event
		want string
	}{
		{"none", nil, ""},
		{"plain contact", []Event{plain}, ""},
		{"suggestion", []Event{suggest("2026-03-10")}, "2026-03-10"},
		{"second suggestion keeps the first date", []Event{suggest("2026-03-10"), suggest("2026-03-14")}, "2026-03-10"},
		{"guide's later contact", []Event{suggest("2026-03-10"), plain}, "2026-03-10"},
		{"officer acts", []Event{suggest("2026-03-10"), byOfficer(ev(EvConsent, "2026-03-11", withData(func(d *EventData) {
			d.Destination, d.ExpiresOn = "barnehuset", "2026-09-01"
		})))}, ""},
		{"officer acted before", []Event{byOfficer(ev(EvCorrection, "2026-03-09")), suggest("2026-03-10")}, "2026-03-10"},
		{"system expiry is not the officer", []Event{suggest("2026-03-10"), ev(EvHandoverExpired, "2026-03-11")}, "2026-03-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Fold(append(append([]Event{}, base...), tt.add...))
			if got := FormatDate(s.SuggestedOn); got != tt.want {
				t.Errorf("suggested on %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCorrectionsMeetTheFieldsRules: a correction is refused, beside the
// value, whenever the field's own rule would refuse it.
func TestCorrectionsMeetTheFieldsRules(t *testing.T) {
	today := d("2026-03-20")
	school := &Organisation{Code: "bekkestua", Kind: OrgSchool}
	police := &Organisation{Code: "asker", Kind: OrgPoliceUnit}
	bh := &Organisation{Code: "barnehuset", Kind: OrgBarnehuset}
	later := []Event{ev(EvRegistered, "2026-03-01"), ev(EvCorrection, "2026-03-02"), ev(EvContactAttempt, "2026-03-05"),
		ev(EvOfferMade, "2026-03-04"), ev(EvHeld, "2026-03-09")}
	tests := []struct {
		name, field, value string
		org                *Organisation
		evs                []Event
		msg                string // "" when accepted
	}{
		{"school: a school", "school", "bekkestua", school, nil, ""},
		{"school: a police unit", "school", "asker", police, nil, "Velg en skole"},
		{"school: Barnehuset", "school", "barnehuset", bh, nil, "Velg en skole"},
		{"school: unknown", "school", "nowhere", nil, nil, "Velg en skole"},
		{"school: looked up under another code", "school", "bekkestua", &Organisation{Code: "x", Kind: OrgSchool}, nil, "Velg en skole"},
		{"school: none", "school", "", nil, nil, ""},
		{"category: a category", "category", "robbery", nil, nil, ""},
		{"category: not one", "category", "theft", nil, nil, "Velg en kategori"},
		{"role: not one", "role", "offender", nil, nil, "utsatt eller vitne"},
		{"reported: not yes or no", "reported", "kanskje", nil, nil, "ja eller nei"},
		{"age: adult victim of threats", "age", "30", nil, nil, "over 18"},
		{"registered_on: in the future", "registered_on", "2026-03-21", nil, later, "framtiden"},
		{"registered_on: after the earliest later event", "registered_on", "2026-03-05", nil, later, "(Tilbud gitt, 04.03.2026)"},
		{"registered_on: on the earliest later event", "registered_on", "2026-03-04", nil, later, ""},
		{"registered_on: a correction does not count", "registered_on", "2026-03-03", nil, later, ""},
		{"registered_on: earlier", "registered_on", "2026-02-20", nil, later, ""},
		{"registered_on: nothing after it", "registered_on", "2026-03-19", nil, later[:2], ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Case{Unit: "baerum", RegisteredOn: d("2026-03-01"), Category: "threats", Role: Victim, Age: 14,
				Residence: "Bærum", Personal: Personal{PersonName: "Kari", GuardianName: "Ola", GuardianPhone: "900"}}
			e := Event{Type: EvCorrection, Data: EventData{Field: tt.field}, Text: EventText{Value: tt.value}}
			err := applyCorrection(c, tt.evs, &e, today, tt.org, nil)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("refused: %v", ErrorFields(err))
				}
				return
			}
			if got := ErrorFields(err)["value"]; !strings.Contains(got, tt.msg) {
				t.Errorf("message beside the value %q, want %q", got, tt.msg)
			}
			if c.Category != "threats" || !c.RegisteredOn.Equal(d("2026-03-01")) || c.School != "" {
				t.Errorf("a refused correction changed the case: %+v", c)
			}
		})
	}
}

// TestCorrectionThatBreaksAnotherField: a correction that makes another field
// invalid is refused beside the value, naming that field by its label.
func TestCorrectionThatBreaksAnotherField(t *testing.T) {
	c := &Case{Unit: "baerum", RegisteredOn: d("2026-03-01"), Category: "hate_crime", Role: Victim, Age: 30,
		Residence: "Bærum", Personal: Personal{PersonName: "Kari"}}
	e := Event{Type: EvCorrection, Data: EventData{Field: "category"}, Text: EventText{Value: "threats"}}
	err := applyCorrection(c, nil, &e, d("2026-03-20"), nil, nil)
	want := "Rettingen gjør saken ugyldig (Alder): Personer over 18 år kan bare tas inn for hatkriminalitet eller som vitne."
	if got := ErrorFields(err)["value"]; got != want {
		t.Errorf("message beside the value %q, want %q", got, want)
	}
}
