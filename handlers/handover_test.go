package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/stats"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

func inDays(n int) string {
	return tryggspor.FormatDate(tryggspor.Today(time.Now()).AddDate(0, 0, n))
}

// heldCase registers a case and works it to a held conversation.
func heldCase(t *testing.T, app *testkit.App, officer *testkit.Client) string {
	t.Helper()
	path := app.CreateCase(t, officer)
	for _, s := range []url.Values{
		{"type": {"contact_attempt"}, "date": {day(2)}, "channel": {"phone"}, "reached": {"yes"}, "with": {"guardian"}},
		{"type": {"offer_made"}, "date": {day(2)}},
		{"type": {"conversation_held"}, "date": {day(1)}, "safety": {"2"}},
	} {
		officer.Post(path+"/events", s)
		if officer.Status() != http.StatusOK {
			t.Fatalf("%s: %d", s.Get("type"), officer.Status())
		}
	}
	return path
}

func post(t *testing.T, c *testkit.Client, path string, v url.Values, want int) {
	t.Helper()
	c.Get(path) // a fresh token from the page itself
	c.Post(path+"/events", v)
	if c.Status() != want {
		t.Fatalf("%s: status %d, want %d\n%s", v.Get("type"), c.Status(), want, c.Body)
	}
}

func consentFor(dest string, expires string) url.Values {
	return url.Values{"type": {"consent_recorded"}, "date": {day(0)}, "by": {"both"}, "destination": {dest}, "expires_on": {expires}}
}

func proposeTo(dest, basis string, acceptBy string) url.Values {
	return url.Values{"type": {"handover_proposed"}, "date": {day(0)}, "destination": {dest}, "legal_basis": {basis},
		"accept_by": {acceptBy}}
}

func TestHandoverToSchoolAndGuideFollowUp(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer)
	guide, barnehuset := app.SignIn(t, "guide"), app.SignIn(t, "barnehuset")

	// Without a legal basis the proposal is refused and reaches nobody.
	noBasis := proposeTo("bekkestua-ungdomsskole", "", inDays(7))
	post(t, officer, path, noBasis, http.StatusUnprocessableEntity)
	if !strings.Contains(officer.Body, `id="handover_proposed-legal_basis-error"`) {
		t.Error("no message beside the legal basis")
	}
	post(t, officer, path, proposeTo("bekkestua-ungdomsskole", "consent", inDays(7)), http.StatusUnprocessableEntity)
	if !strings.Contains(officer.Body, "ikke registrert samtykke") {
		t.Error("consent basis without a recorded consent was not explained")
	}
	guide.Get("/handovers")
	if strings.Contains(guide.Body, "Canary7Q4Z") {
		t.Fatal("a refused proposal reached the guide")
	}
	if guide.Get(path); guide.Status() != http.StatusNotFound {
		t.Fatalf("guide opened a case not handed over: %d", guide.Status())
	}

	post(t, officer, path, consentFor("bekkestua-ungdomsskole", inDays(180)), http.StatusOK)
	post(t, officer, path, proposeTo("bekkestua-ungdomsskole", "consent", inDays(7)), http.StatusOK)

	guide.Get("/handovers")
	if !strings.Contains(guide.Body, "Canary7Q4Z") || !strings.Contains(guide.Body, `value="handover_accepted"`) {
		t.Fatal("the destination's guide does not see the pending handover with an accept button")
	}
	barnehuset.Get("/handovers")
	if strings.Contains(barnehuset.Body, "Canary7Q4Z") {
		t.Error("another organisation's guide sees the handover")
	}
	if barnehuset.Get(path); barnehuset.Status() != http.StatusNotFound {
		t.Errorf("barnehuset opened the case: %d", barnehuset.Status())
	}

	guide.Get(path)
	if guide.Status() != http.StatusOK {
		t.Fatalf("guide opening the handed-over case: %d", guide.Status())
	}
	for _, policeOnly := range []string{"CanaryRef", "canary-note-9X2W", "samme familie", "Kontaktforsøk"} {
		if strings.Contains(guide.Body, policeOnly) {
			t.Errorf("the guide's page shows police-only %q", policeOnly)
		}
	}
	for _, needed := range []string{"Canary7Q4Z", "Canary8W", "912 34 567", "Forebyggende seksjon Bærum", "Test politi"} {
		if !strings.Contains(guide.Body, needed) {
			t.Errorf("the guide's page lacks %q", needed)
		}
	}
	post(t, guide, path, url.Values{"type": {"handover_accepted"}, "date": {day(0)}, "confirmed": {"yes"}}, http.StatusOK)
	post(t, guide, path, url.Values{"type": {"guide_contact"}, "date": {day(0)}, "safety": {"4"}, "note": {"Møtte eleven"}}, http.StatusOK)

	officer.Get(path)
	for _, want := range []string{"Overføring godtatt", "Kontakt med trygghetsguide", "trygghet: 4 av 5", "Møtte eleven", "Test guide"} {
		if !strings.Contains(officer.Body, want) {
			t.Errorf("the officer's timeline lacks %q", want)
		}
	}
	cs, _, _ := app.Store.GetCase(context.Background(), tryggspor.Scope{All: true}, strings.TrimPrefix(path, "/cases/"))
	if cs.Unit != "baerum" || cs.HandoverTo != "bekkestua-ungdomsskole" || cs.HandoverKind != "school" ||
		cs.SafetyBefore != 2 || cs.SafetyAfter != 4 || cs.Status != tryggspor.StatusGuideFollowUp {
		t.Errorf("after handover: unit %s, to %s (%s), safety %d→%d, status %s", cs.Unit, cs.HandoverTo, cs.HandoverKind,
			cs.SafetyBefore, cs.SafetyAfter, cs.Status)
	}
	post(t, guide, path, url.Values{"type": {"closed"}, "date": {day(0)}, "reason": {"Trygg igjen"}, "safety": {"5"}, "confirmed": {"yes"}}, http.StatusOK)
	// The summary's rollup follows every event: one conversation, one handover to a school, ratings 2 → 5.
	sum, err := stats.Build(context.Background(), app.Store, tryggspor.Today(time.Now()).Year(), "baerum", 0)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total != 1 || sum.Table("by_outcome").Cells[0].Value != 1 || sum.Table("handovers").Cells[0].Value != 1 ||
		sum.SafetyBefore != 2 || sum.SafetyAfter != 5 {
		t.Errorf("summary after the handover: total %d, tables %+v, safety %.1f → %.1f", sum.Total, sum.Table("handovers").Cells[0],
			sum.SafetyBefore, sum.SafetyAfter)
	}
	cs, _, _ = app.Store.GetCase(context.Background(), tryggspor.Scope{All: true}, strings.TrimPrefix(path, "/cases/"))
	if cs.Status != tryggspor.StatusClosed || cs.SafetyAfter != 5 {
		t.Errorf("closing the follow-up: %s, safety after %d", cs.Status, cs.SafetyAfter)
	}
}

func TestGuidesGet404OnCasesNotHandedOverAndItIsAudited(t *testing.T) {
	app := testkit.NewApp(t)
	path := app.CreateCase(t, app.SignIn(t, "politi"))
	id := strings.TrimPrefix(path, "/cases/")
	for _, g := range []string{"guide", "barnehuset"} {
		c := app.SignIn(t, g)
		if c.Get(path); c.Status() != http.StatusNotFound {
			t.Errorf("%s: %d", g, c.Status())
		}
		c.Get("/handovers")
		c.Post(path+"/events", url.Values{"type": {"handover_accepted"}, "date": {day(0)}})
		if c.Status() != http.StatusNotFound {
			t.Errorf("%s accepting a case not handed over: %d", g, c.Status())
		}
	}
	entries, _ := app.Store.ListAudit(context.Background(), id, 50)
	n := 0
	for _, e := range entries {
		if e.Entry.Outcome == "denied" && e.Entry.Actor.Role == tryggspor.RoleGuide {
			n++
		}
	}
	if n < 4 {
		t.Errorf("%d denied guide attempts audited, want 4 (two views, two accepts)", n)
	}
}

func TestHandoverExpiresAtTheAcceptByDate(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer)
	post(t, officer, path, url.Values{"type": {"handover_proposed"}, "date": {day(0)}, "destination": {"barnehuset-oslo"},
		"legal_basis": {"statutory"}, "legal_reference": {"barnevernsloven § 13-5"}, "accept_by": {inDays(7)}}, http.StatusOK)
	guide := app.SignIn(t, "barnehuset")
	if guide.Get(path); guide.Status() != http.StatusOK {
		t.Fatalf("guide before expiry: %d", guide.Status())
	}
	ctx := context.Background()
	app.Clock.T = time.Now().AddDate(0, 0, 7) // the accept-by day itself: still open
	if n, err := app.Service.ExpireHandovers(ctx); err != nil || n != 0 {
		t.Fatalf("expired on the accept-by day: %d %v", n, err)
	}
	app.Clock.T = time.Now().AddDate(0, 0, 8)
	if n, err := app.Service.ExpireHandovers(ctx); err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	if n, _ := app.Service.ExpireHandovers(ctx); n != 0 {
		t.Errorf("a second run expired %d more", n)
	}
	guide, officer = app.SignIn(t, "barnehuset"), app.SignIn(t, "politi") // sessions idled out meanwhile
	if guide.Get(path); guide.Status() != http.StatusNotFound {
		t.Errorf("guide after expiry: %d", guide.Status())
	}
	officer.Get(path)
	if !strings.Contains(officer.Body, "Overføring utløpt") || !strings.Contains(officer.Body, inDays(8)) ||
		!strings.Contains(officer.Body, "Samtale gjennomført") {
		t.Error("the officer's page does not show the expiry or the case back with the officer")
	}
}

func TestExpiredConsentEndsTheGuidesAccess(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer)
	post(t, officer, path, consentFor("bekkestua-ungdomsskole", inDays(30)), http.StatusOK)
	post(t, officer, path, proposeTo("bekkestua-ungdomsskole", "consent", inDays(7)), http.StatusOK)
	guide := app.SignIn(t, "guide")
	post(t, guide, path, url.Values{"type": {"handover_accepted"}, "date": {day(0)}, "confirmed": {"yes"}}, http.StatusOK)
	app.Clock.T = time.Now().AddDate(0, 0, 30)
	guide = app.SignIn(t, "guide") // the old session idled out
	if guide.Get(path); guide.Status() != http.StatusOK {
		t.Fatalf("on the consent's last day: %d", guide.Status())
	}
	app.Clock.T = time.Now().AddDate(0, 0, 31)
	guide = app.SignIn(t, "guide")
	if guide.Get(path); guide.Status() != http.StatusNotFound {
		t.Errorf("after the consent expired: %d", guide.Status())
	}
	guide.Get("/handovers")
	if strings.Contains(guide.Body, "Canary7Q4Z") {
		t.Error("the case is still listed after the consent expired")
	}
}

// TestHandoverChainsAndCanBeWithdrawn: a handover is withdrawn and made
// again, and the case goes on from Barnehuset to the school. Since issue 10
// the chain runs through the officer: Barnehuset may not record the consent or
// propose the handover itself (it did before), it suggests it in a contact and
// the owning unit's officer records consent and proposes.
func TestHandoverChainsAndCanBeWithdrawn(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer)
	post(t, officer, path, proposeTo("barnehuset-oslo", "statutory", inDays(7)), http.StatusUnprocessableEntity) // no reference
	v := proposeTo("barnehuset-oslo", "statutory", inDays(7))
	v.Set("legal_reference", "barnevernsloven § 13-5")
	post(t, officer, path, v, http.StatusOK)
	post(t, officer, path, url.Values{"type": {"handover_withdrawn"}, "date": {day(0)}, "reason": {"Feil mottaker"}, "confirmed": {"yes"}}, http.StatusOK)
	bh := app.SignIn(t, "barnehuset")
	if bh.Get(path); bh.Status() != http.StatusNotFound {
		t.Fatalf("withdrawn handover still open to barnehuset: %d", bh.Status())
	}
	post(t, officer, path, v, http.StatusOK)
	post(t, bh, path, url.Values{"type": {"handover_accepted"}, "date": {day(0)}, "confirmed": {"yes"}}, http.StatusOK)
	// Barnehuset may not hand on by itself any more ...
	post(t, bh, path, consentFor("bekkestua-ungdomsskole", inDays(90)), http.StatusForbidden)
	post(t, bh, path, proposeTo("bekkestua-ungdomsskole", "consent", inDays(7)), http.StatusForbidden)
	// ... it suggests it, and the officer hands on with the family's consent.
	post(t, bh, path, url.Values{"type": {"guide_contact"}, "date": {day(0)}, "safety": {"4"},
		"suggestion": {"Skolen bør følge opp videre"}}, http.StatusOK)
	post(t, officer, path, consentFor("bekkestua-ungdomsskole", inDays(90)), http.StatusOK)
	post(t, officer, path, proposeTo("bekkestua-ungdomsskole", "consent", inDays(7)), http.StatusOK)
	school := app.SignIn(t, "guide")
	post(t, school, path, url.Values{"type": {"handover_accepted"}, "date": {day(0)}, "confirmed": {"yes"}}, http.StatusOK)
	if bh.Get(path); bh.Status() != http.StatusNotFound {
		t.Errorf("barnehuset keeps access after handing on: %d", bh.Status())
	}
	cs, _, _ := app.Store.GetCase(context.Background(), tryggspor.Scope{All: true}, strings.TrimPrefix(path, "/cases/"))
	if cs.Unit != "baerum" || cs.HandoverTo != "bekkestua-ungdomsskole" {
		t.Errorf("after the chain: unit %s, with %s", cs.Unit, cs.HandoverTo)
	}
}

// TestConsentIsRecordedWithTheHandover: a handover on consent to a
// destination with no consent on record takes the consent in the same form —
// one step records the consent and then the proposal, in one transaction;
// a bad consent date refuses both, with the message beside the consent's
// field; without the consent's fields the proposal is refused as before.
func TestConsentIsRecordedWithTheHandover(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer)
	officer.Get(path)
	for _, want := range []string{`name="consent_by"`, `name="consent_expires_on"`} {
		if !strings.Contains(officer.Body, want) {
			t.Errorf("the handover form lacks %s", want)
		}
	}
	before := len(events(t, app, path))
	bad := proposeTo("bekkestua-ungdomsskole", "consent", inDays(7))
	bad.Set("consent_by", "guardian")
	bad.Set("consent_expires_on", inDays(-1))
	post(t, officer, path, bad, http.StatusUnprocessableEntity)
	if !strings.Contains(officer.Body, `id="handover_proposed-consent_expires_on-error"`) || len(events(t, app, path)) != before {
		t.Fatalf("a consent that has run out: message beside its date? events %d → %d", before, len(events(t, app, path)))
	}
	good := proposeTo("bekkestua-ungdomsskole", "consent", inDays(7))
	good.Set("consent_by", "guardian")
	good.Set("consent_expires_on", inDays(180))
	post(t, officer, path, good, http.StatusOK)
	evs := events(t, app, path)
	if len(evs) != before+2 || evs[before].Type != "consent_recorded" || evs[before+1].Type != "handover_proposed" ||
		evs[before].Data.Destination != "bekkestua-ungdomsskole" || evs[before].Data.By != "guardian" {
		t.Fatalf("after one step: %d new events %v", len(evs)-before, evs[before:])
	}
	guide := app.SignIn(t, "guide")
	if guide.Get(path); guide.Status() != http.StatusOK {
		t.Errorf("the guide the case was handed over to on consent: %d", guide.Status())
	}
}
