package reminder

import (
	"fmt"
	"testing"
	"time"

	"tryggspor/internal/tryggspor"
)

func date(s string) time.Time { t, _ := tryggspor.ParseDate(s); return t }

func at(rfc string) time.Time {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		panic(err)
	}
	return t
}

func rules(rs []tryggspor.Reminder) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s %s %s", r.Rule, tryggspor.FormatDate(r.DueOn), r.Recipient))
	}
	return out
}

func has(rs []tryggspor.Reminder, want string) bool {
	for _, s := range rules(rs) {
		if s == want {
			return true
		}
	}
	return false
}

// TestDayBoundaries checks each rule on the day before it falls due and on
// the day it does, with "today" taken from a UTC instant in Europe/Oslo —
// including the two daylight-saving change days of 2026 (29 March, 25 October).
func TestDayBoundaries(t *testing.T) {
	newCase := func(reg string) *tryggspor.Case {
		return &tryggspor.Case{ID: "c", Ref: "TP-2026-0001", Unit: "baerum", CreatedBy: 7, RegisteredOn: date(reg),
			State: tryggspor.State{Status: tryggspor.StatusNew, LastEventAt: at(reg + "T10:00:00Z")}}
	}
	offered := func(last string, unanswered int) *tryggspor.Case {
		c := newCase("2026-01-02")
		c.Status, c.Attempts, c.Unanswered = tryggspor.StatusOffered, unanswered+1, unanswered
		c.OfferedOn, c.LastAttemptOn, c.LastEventAt = date("2026-01-03"), date(last), at(last+"T09:00:00Z")
		return c
	}
	tests := []struct {
		name string
		c    *tryggspor.Case
		now  string // UTC
		want string
		due  bool
	}{
		// Spring forward: 2026-03-29 00:00 in Oslo is 2026-03-28 23:00 UTC (still CET).
		{"first contact, 23:59 the day before (CET)", newCase("2026-03-26"), "2026-03-28T22:59:59Z", "first_contact_due 2026-03-29 user:7", false},
		{"first contact, midnight on the DST day", newCase("2026-03-26"), "2026-03-28T23:00:00Z", "first_contact_due 2026-03-29 user:7", true},
		// Fall back: 2026-10-25 00:00 in Oslo is 2026-10-24 22:00 UTC (still CEST).
		{"first contact, 23:59 before fall-back", newCase("2026-10-22"), "2026-10-24T21:59:59Z", "first_contact_due 2026-10-25 user:7", false},
		{"first contact, midnight on fall-back day", newCase("2026-10-22"), "2026-10-24T22:00:00Z", "first_contact_due 2026-10-25 user:7", true},
		{"first contact, days later", newCase("2026-03-01"), "2026-03-07T12:00:00Z", "first_contact_due 2026-03-04 user:7", true},
		{"no response, day 13", offered("2026-02-01", 3), "2026-02-14T12:00:00Z", "no_response_due 2026-02-15 user:7", false},
		{"no response, day 14", offered("2026-02-01", 3), "2026-02-15T12:00:00Z", "no_response_due 2026-02-15 user:7", true},
		{"no response, only two attempts", offered("2026-02-01", 2), "2026-03-15T12:00:00Z", "no_response_due 2026-02-15 user:7", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate(tt.c, tryggspor.Today(at(tt.now)), DefaultSettings)
			if has(got, tt.want) != tt.due {
				t.Errorf("want %q due=%v, got %v", tt.want, tt.due, rules(got))
			}
		})
	}
}

func TestHandoverAndGuideRules(t *testing.T) {
	c := &tryggspor.Case{ID: "c", Ref: "TP-2026-0002", Unit: "baerum", RegisteredOn: date("2026-01-01"),
		State: tryggspor.State{Status: tryggspor.StatusHandoverPending, PendingTo: "skole", ProposedOn: date("2026-02-01"),
			AcceptBy: date("2026-03-01"), LastEventAt: at("2026-02-01T10:00:00Z")}}
	got := Evaluate(c, date("2026-02-08"), DefaultSettings)
	if !has(got, "handover_unanswered 2026-02-08 guides:skole") || has(got, "handover_unanswered 2026-02-15 officers:baerum") {
		t.Errorf("day 7: %v", rules(got))
	}
	got = Evaluate(c, date("2026-02-15"), DefaultSettings)
	for _, want := range []string{"handover_unanswered 2026-02-15 officers:baerum", "handover_unanswered 2026-02-15 leaders:baerum"} {
		if !has(got, want) {
			t.Errorf("day 14 lacks %q: %v", want, rules(got))
		}
	}
	c.State = tryggspor.State{Status: tryggspor.StatusGuideFollowUp, HandoverTo: "skole", HandoverOn: date("2026-02-01"),
		LastGuideContact: date("2026-02-10"), AccessUntil: date("2026-06-01"), LastEventAt: at("2026-02-10T10:00:00Z")}
	if got := Evaluate(c, date("2026-03-11"), DefaultSettings); !has(got, "guide_follow_up_due 2026-03-12 guides:skole") && has(got, "guide_follow_up_due 2026-03-11 guides:skole") {
		t.Errorf("day 29: %v", rules(got))
	}
	got = Evaluate(c, date("2026-03-27"), DefaultSettings)
	if !has(got, "guide_follow_up_due 2026-03-12 guides:skole") || !has(got, "guide_follow_up_due 2026-03-27 officers:baerum") {
		t.Errorf("day 45: %v", rules(got))
	}
	got = Evaluate(c, date("2026-05-18"), DefaultSettings)
	if !has(got, "consent_expiring 2026-05-18 guides:skole") || !has(got, "consent_expiring 2026-05-18 officers:baerum") {
		t.Errorf("14 days before consent expiry: %v", rules(got))
	}
	if got := Evaluate(c, date("2026-06-02"), DefaultSettings); has(got, "guide_follow_up_due 2026-03-12 guides:skole") {
		t.Error("a guide is reminded about a case whose consent has expired")
	}
}

func TestOtherRules(t *testing.T) {
	c := &tryggspor.Case{ID: "c", Ref: "R", Unit: "baerum", CreatedBy: 3, RegisteredOn: date("2026-01-01"),
		State: tryggspor.State{Status: tryggspor.StatusScheduled, Attempts: 1, ScheduledFor: date("2026-01-10"),
			LastEventAt: at("2026-01-05T10:00:00Z")}}
	if got := Evaluate(c, date("2026-01-10"), DefaultSettings); has(got, "conversation_overdue 2026-01-11 user:3") {
		t.Error("overdue on the scheduled day itself")
	}
	if got := Evaluate(c, date("2026-01-11"), DefaultSettings); !has(got, "conversation_overdue 2026-01-11 user:3") {
		t.Errorf("not overdue the day after: %v", rules(got))
	}
	if got := Evaluate(c, date("2026-04-05"), DefaultSettings); !has(got, "stale_case 2026-04-05 user:3") {
		t.Errorf("90 days without events: %v", rules(got))
	}
	c.Status = tryggspor.StatusClosed
	if got := Evaluate(c, date("2026-04-05"), DefaultSettings); len(got) != 0 {
		t.Errorf("closed case has reminders: %v", rules(got))
	}
}

func TestAutoNoResponse(t *testing.T) {
	c := &tryggspor.Case{State: tryggspor.State{Status: tryggspor.StatusOffered, OfferedOn: date("2026-01-01"),
		Unanswered: 3, LastAttemptOn: date("2026-01-10")}}
	s := DefaultSettings
	if _, ok := AutoNoResponseDue(c, date("2026-02-10"), s); ok {
		t.Error("automatic no_response while auto_no_response is off")
	}
	s.AutoNoResponse = true
	if _, ok := AutoNoResponseDue(c, date("2026-01-30"), s); ok {
		t.Error("automatic no_response on day 20")
	}
	if d, ok := AutoNoResponseDue(c, date("2026-01-31"), s); !ok || tryggspor.FormatDate(d) != "2026-01-31" {
		t.Errorf("day 21: %v %v", d, ok)
	}
}

// TestGuideSuggestionRule: a guide's suggestion is the owning officer's task
// from the contact's date (in Oslo) until the officer records anything; it
// goes to the unit's officers for an imported case, and not to the guide.
func TestGuideSuggestionRule(t *testing.T) {
	c := &tryggspor.Case{ID: "c", Ref: "TP-2026-0003", Unit: "baerum", CreatedBy: 7, RegisteredOn: date("2026-01-01"),
		State: tryggspor.State{Status: tryggspor.StatusGuideFollowUp, HandoverTo: "skole", HandoverOn: date("2026-03-01"),
			LastGuideContact: date("2026-03-10"), SuggestedOn: date("2026-03-10"), LastEventAt: at("2026-03-10T10:00:00Z")}}
	if got := Evaluate(c, tryggspor.Today(at("2026-03-09T22:59:59Z")), DefaultSettings); has(got, "guide_suggestion 2026-03-10 user:7") {
		t.Errorf("due before the contact's date: %v", rules(got))
	}
	got := Evaluate(c, tryggspor.Today(at("2026-03-09T23:00:00Z")), DefaultSettings) // midnight in Oslo
	if !has(got, "guide_suggestion 2026-03-10 user:7") {
		t.Errorf("not due on the contact's date: %v", rules(got))
	}
	for _, r := range got {
		if r.Rule == GuideSuggestion && r.Recipient != "user:7" {
			t.Errorf("the suggestion went to %s", r.Recipient)
		}
	}
	c.CreatedBy = 0
	if got := Evaluate(c, date("2026-03-20"), DefaultSettings); !has(got, "guide_suggestion 2026-03-10 officers:baerum") {
		t.Errorf("imported case: %v", rules(got))
	}
	c.SuggestedOn = time.Time{} // the officer recorded an event
	if got := Evaluate(c, date("2026-03-20"), DefaultSettings); has(got, "guide_suggestion 2026-03-10 officers:baerum") {
		t.Errorf("still due after the officer acted: %v", rules(got))
	}
	if Labels[GuideSuggestion] != "Trygghetsguiden foreslår videre oppfølging" {
		t.Errorf("label %q", Labels[GuideSuggestion])
	}
}
