package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/app"
	"tryggspor/internal/stats"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// Issue 10: who may do what between organisations.

// followedUpBy works a case to a statutory handover that org's guide has
// accepted, and returns the case path and the guide's browser.
func followedUpBy(t *testing.T, app *testkit.App, officer *testkit.Client, guideUser, org string) (string, *testkit.Client) {
	t.Helper()
	path := heldCase(t, app, officer)
	v := proposeTo(org, "statutory", inDays(7))
	v.Set("legal_reference", "barnevernsloven § 13-5")
	post(t, officer, path, v, http.StatusOK)
	guide := app.SignIn(t, guideUser)
	post(t, guide, path, url.Values{"type": {"handover_accepted"}, "date": {day(0)}, "confirmed": {"yes"}}, http.StatusOK)
	return path, guide
}

// deniedAppends counts the refused event.append entries of role on the case.
func deniedAppends(t *testing.T, app *testkit.App, path string, role tryggspor.Role) int {
	t.Helper()
	entries, err := app.Store.ListAudit(context.Background(), strings.TrimPrefix(path, "/cases/"), 200)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Entry.Outcome == tryggspor.OutcomeDenied && e.Entry.Actor.Role == role && e.Entry.Action == tryggspor.ActEventAppend {
			n++
		}
	}
	return n
}

// TestGuideCannotRecordConsentOrHandOver: the guide who follows a case up,
// and the guide a handover is pending to, get 403 for consent, proposal and
// withdrawal — even the "for ever" values of the issue — nothing is written,
// each refusal is audited, and their page offers no such forms.
func TestGuideCannotRecordConsentOrHandOver(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path, guide := followedUpBy(t, app, officer, "guide", "bekkestua-ungdomsskole")
	forever := consentFor("bekkestua-ungdomsskole", "9999-12-31")
	onward := proposeTo("sandvika-vgs", "statutory", "9999-12-31")
	onward.Set("legal_reference", "opplæringslova § 12-3")
	withdraw := func() url.Values { // fresh each time: a posted form keeps its browser's CSRF token
		return url.Values{"type": {"handover_withdrawn"}, "date": {day(0)}, "reason": {"Vi tar den selv"}, "confirmed": {"yes"}}
	}

	guide.Get(path)
	for _, form := range []string{`value="consent_recorded"`, `value="handover_proposed"`, `value="handover_withdrawn"`} {
		if strings.Contains(guide.Body, form) {
			t.Errorf("the guide's case page offers %s", form)
		}
	}
	if !strings.Contains(guide.Body, `value="guide_contact"`) || !strings.Contains(guide.Body, `name="suggestion"`) {
		t.Error("the guide's case page lacks the contact form with a suggestion field")
	}
	before, denied := len(events(t, app, path)), deniedAppends(t, app, path, tryggspor.RoleGuide)
	post(t, guide, path, forever, http.StatusForbidden)
	if !strings.Contains(guide.Body, "forslag") {
		t.Error("the refusal does not tell the guide to write a suggestion instead")
	}
	post(t, guide, path, onward, http.StatusForbidden)

	// The officer proposes onward to Barnehuset: now neither the guide
	// following up nor Barnehuset may withdraw it or record consent.
	v := proposeTo("barnehuset-oslo", "statutory", inDays(7))
	v.Set("legal_reference", "barnevernsloven § 13-5")
	post(t, officer, path, v, http.StatusOK)
	before++
	post(t, guide, path, withdraw(), http.StatusForbidden)
	bh := app.SignIn(t, "barnehuset")
	post(t, bh, path, consentFor("barnehuset-oslo", "9999-12-31"), http.StatusForbidden)
	post(t, bh, path, withdraw(), http.StatusForbidden)

	if n := len(events(t, app, path)); n != before {
		t.Errorf("%d events after the refusals, want %d", n, before)
	}
	if n := deniedAppends(t, app, path, tryggspor.RoleGuide) - denied; n != 5 {
		t.Errorf("%d refusals audited as denied, want 5", n)
	}
	cs, _, _ := app.Store.GetCase(context.Background(), tryggspor.Scope{All: true}, strings.TrimPrefix(path, "/cases/"))
	if cs.PendingTo != "barnehuset-oslo" || len(cs.Consents) != 0 {
		t.Errorf("after the refusals: pending to %q, consents %v", cs.PendingTo, cs.Consents)
	}
}

// TestConsentAndAcceptByBounds: an officer's consent beyond 12 months and an
// accept-by date beyond 30 days are refused with the message beside the field
// and nothing written; the bounds themselves are accepted.
func TestConsentAndAcceptByBounds(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer)
	today := tryggspor.Today(time.Now())
	year := tryggspor.FormatDate(today.AddDate(1, 0, 0))
	n := len(events(t, app, path))
	for _, expires := range []string{tryggspor.FormatDate(today.AddDate(1, 0, 1)), "9999-12-31"} {
		post(t, officer, path, consentFor("bekkestua-ungdomsskole", expires), http.StatusUnprocessableEntity)
		if !strings.Contains(officer.Body, `id="consent_recorded-expires_on-error"`) || !strings.Contains(officer.Body, "høyst 12 måneder") {
			t.Errorf("expires_on %s: no message beside the field", expires)
		}
	}
	post(t, officer, path, consentFor("bekkestua-ungdomsskole", day(0)), http.StatusUnprocessableEntity)
	if !strings.Contains(officer.Body, `id="consent_recorded-expires_on-error"`) {
		t.Error("a consent ending the day it is given: no message beside the field")
	}
	for _, by := range []string{inDays(31), "9999-12-31"} {
		v := proposeTo("barnehuset-oslo", "statutory", by)
		v.Set("legal_reference", "barnevernsloven § 13-5")
		post(t, officer, path, v, http.StatusUnprocessableEntity)
		if !strings.Contains(officer.Body, `id="handover_proposed-accept_by-error"`) || !strings.Contains(officer.Body, "høyst 30 dager") {
			t.Errorf("accept_by %s: no message beside the field", by)
		}
	}
	if got := len(events(t, app, path)); got != n {
		t.Fatalf("%d events after refusals, want %d", got, n)
	}
	post(t, officer, path, consentFor("bekkestua-ungdomsskole", year), http.StatusOK)
	post(t, officer, path, proposeTo("bekkestua-ungdomsskole", "consent", inDays(30)), http.StatusOK)
}

// TestGuideLosesAccessWhenTheCaseCloses: with no grace period the guide gets
// 404 and loses the case from /handovers the moment it closes (closing it
// themselves sends them to /handovers).
func TestGuideLosesAccessWhenTheCaseCloses(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path, guide := followedUpBy(t, app, officer, "guide", "bekkestua-ungdomsskole")
	if guide.Get("/handovers"); !strings.Contains(guide.Body, "Canary7Q4Z") {
		t.Fatal("the followed-up case is not on the guide's list")
	}
	post(t, officer, path, url.Values{"type": {"closed"}, "date": {day(0)}, "reason": {"Trygg igjen"}, "confirmed": {"yes"}}, http.StatusOK)
	if guide.Get(path); guide.Status() != http.StatusNotFound {
		t.Errorf("guide opening the closed case: %d", guide.Status())
	}
	if guide.Get("/handovers"); strings.Contains(guide.Body, "Canary7Q4Z") {
		t.Error("the closed case is still on the guide's list")
	}

	path, guide = followedUpBy(t, app, officer, "barnehuset", "barnehuset-oslo")
	guide.Get(path)
	guide.Post(path+"/events", url.Values{"type": {"closed"}, "date": {day(0)}, "reason": {"Ferdig"}, "confirmed": {"yes"}})
	if guide.Status() != http.StatusOK || guide.Path() != "/handovers" {
		t.Errorf("guide closing the case ended at %s (%d), want /handovers", guide.Path(), guide.Status())
	}
	if guide.Get(path); guide.Status() != http.StatusNotFound {
		t.Errorf("guide opening the case they closed: %d", guide.Status())
	}
}

// TestGuideKeepsAccessForTheGraceDays: with [handover] guide_grace_days = 3
// the guide keeps a closed case for the closing day and the two after it.
func TestGuideKeepsAccessForTheGraceDays(t *testing.T) {
	app := testkit.NewApp(t, func(o *app.Options) { o.Handover.GuideGraceDays = 3 })
	officer := app.SignIn(t, "politi")
	path, _ := followedUpBy(t, app, officer, "guide", "bekkestua-ungdomsskole")
	post(t, officer, path, url.Values{"type": {"closed"}, "date": {day(0)}, "reason": {"Trygg igjen"}, "confirmed": {"yes"}}, http.StatusOK)
	for _, tt := range []struct {
		days int
		want bool
	}{{0, true}, {2, true}, {3, false}, {10, false}} {
		app.Clock.T = time.Now().AddDate(0, 0, tt.days)
		guide := app.SignIn(t, "guide") // sessions idle out meanwhile
		guide.Get(path)
		if got := guide.Status() == http.StatusOK; got != tt.want {
			t.Errorf("day %d after closing: status %d, want access %v", tt.days, guide.Status(), tt.want)
		}
		guide.Get("/handovers")
		if listed := strings.Contains(guide.Body, "Canary7Q4Z"); listed != tt.want {
			t.Errorf("day %d after closing: listed %v, want %v", tt.days, listed, tt.want)
		}
	}
}

// TestImportedHandoverIsStatisticsOnly: the import row with
// handover_to=barnehuset-oslo counts in the summary but gives Barnehuset no
// access — not on the day, not with a grace period, not after a consent — and
// the timeline says the events were imported.
func TestImportedHandoverIsStatisticsOnly(t *testing.T) {
	app := testkit.NewApp(t, func(o *app.Options) { o.Handover.GuideGraceDays = 30 })
	officer := app.SignIn(t, "politi")
	row := "registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on;handover_to;handover_on;person_name\n" +
		day(10) + ";baerum;violence;victim;14;Bærum;yes;conversation;" + day(5) + ";barnehuset-oslo;" + day(1) + ";Per CanaryImp Hansen\n"
	uploadFile(t, app, officer, "historikk.csv", []byte(row))
	confirmImport(t, officer, nil)
	if officer.Status() != http.StatusOK {
		t.Fatalf("import: %d\n%.800s", officer.Status(), officer.Body)
	}
	cases, err := app.Store.ListCases(context.Background(), tryggspor.Scope{Unit: "baerum"}, tryggspor.CaseFilter{})
	if err != nil || len(cases) != 1 {
		t.Fatalf("imported cases: %d %v", len(cases), err)
	}
	path := "/cases/" + cases[0].ID

	bh := app.SignIn(t, "barnehuset")
	if bh.Get(path); bh.Status() != http.StatusNotFound {
		t.Errorf("barnehuset opening the imported case: %d", bh.Status())
	}
	if bh.Get("/handovers"); strings.Contains(bh.Body, "CanaryImp") || strings.Contains(bh.Body, cases[0].Ref) {
		t.Error("the imported case is on barnehuset's list")
	}
	// The case is closed: no consent can be recorded to reopen it either.
	post(t, officer, path, consentFor("barnehuset-oslo", inDays(30)), http.StatusConflict)
	if bh.Get(path); bh.Status() != http.StatusNotFound {
		t.Errorf("barnehuset after a consent attempt: %d", bh.Status())
	}

	officer.Get(path)
	evs := events(t, app, path)
	if !strings.Contains(officer.Body, "Overføring godtatt") || strings.Count(officer.Body, "importert)") != len(evs) {
		t.Errorf("the officer's timeline does not say each of the %d events was imported", len(evs))
	}
	for _, e := range evs {
		if !e.Data.Imported || e.ActorRole != tryggspor.RoleOfficer || e.ActorOrg != "baerum" {
			t.Errorf("%s recorded as %s %s, imported %v", e.Type, e.ActorRole, e.ActorOrg, e.Data.Imported)
		}
	}
	sum, err := stats.Build(context.Background(), app.Store, cases[0].RegisteredOn.Year(), "baerum", 0)
	if err != nil {
		t.Fatal(err)
	}
	if bhCell := sum.Table("handovers").Cells[1]; bhCell.Key != "barnehuset" || bhCell.Value != 1 {
		t.Errorf("the summary's handovers: %+v", bhCell)
	}
}

// TestGuideSuggestionBecomesTheOfficersTask: a guide's contact with a
// suggestion is on the officer's /tasks after a sweep (not the guide's), the
// officer reads it on the timeline, and it leaves the list when the officer
// records an event.
func TestGuideSuggestionBecomesTheOfficersTask(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path, guide := followedUpBy(t, app, officer, "guide", "bekkestua-ungdomsskole")
	cs, _, _ := app.Store.GetCase(context.Background(), tryggspor.Scope{All: true}, strings.TrimPrefix(path, "/cases/"))
	const label = "Trygghetsguiden foreslår videre oppfølging"

	post(t, guide, path, url.Values{"type": {"guide_contact"}, "date": {day(0)}, "safety": {"3"}, "note": {"Samtale i friminuttet"}}, http.StatusOK)
	if _, err := app.Engine.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if officer.Get("/tasks"); strings.Contains(officer.Body, label) {
		t.Fatal("a contact without a suggestion made a task")
	}
	post(t, guide, path, url.Values{"type": {"guide_contact"}, "date": {day(0)}, "safety": {"3"},
		"suggestion": {"Barnehuset bør overta: SuggestCanary"}}, http.StatusOK)
	if _, err := app.Engine.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	officer.Get("/tasks")
	if !strings.Contains(officer.Body, label) || !strings.Contains(officer.Body, cs.Ref) {
		t.Fatalf("the officer's tasks lack the suggestion on %s", cs.Ref)
	}
	if guide.Get("/tasks"); strings.Contains(guide.Body, label) {
		t.Error("the guide has the officer's task")
	}
	if officer.Get(path); !strings.Contains(officer.Body, "SuggestCanary") {
		t.Error("the officer's timeline does not show the suggestion")
	}
	var stored tryggspor.Event
	for _, e := range events(t, app, path) {
		if e.Text.Suggestion != "" {
			stored = e
		}
	}
	if !stored.Data.Suggested || stored.Text.Suggestion != "Barnehuset bør overta: SuggestCanary" {
		t.Errorf("the suggestion was stored as %+v / %+v", stored.Data, stored.Text)
	}

	post(t, officer, path, consentFor("barnehuset-oslo", inDays(90)), http.StatusOK)
	if officer.Get("/tasks"); strings.Contains(officer.Body, label) {
		t.Error("the task is still listed after the officer recorded an event")
	}
	if _, err := app.Engine.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if officer.Get("/tasks"); strings.Contains(officer.Body, label) {
		t.Error("the task came back after the next sweep")
	}
}

// TestCorrectionsFollowTheFieldsRules: a correction of school to a police
// unit or Barnehuset, or of registered_on to after a later event or into the
// future, is refused beside the field and changes nothing; valid ones pass.
func TestCorrectionsFollowTheFieldsRules(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer) // registered 3 days ago, contact 2 days ago, conversation yesterday
	correct := func(field, value string) url.Values {
		return url.Values{"type": {"correction"}, "field": {field}, "value": {value}, "reason": {"Feil ved registrering"}}
	}
	n := len(events(t, app, path))
	for _, tt := range []struct{ field, value, msg string }{
		{"school", "baerum", "Velg en skole"},
		{"school", "barnehuset-oslo", "Velg en skole"},
		{"school", "finnes-ikke", "Velg en skole"},
		{"registered_on", day(1), "etter den første senere hendelsen"},
		{"registered_on", inDays(1), "framtiden"},
		{"category", "theft", "Velg en kategori"},
		{"role", "offender", "utsatt eller vitne"},
	} {
		post(t, officer, path, correct(tt.field, tt.value), http.StatusUnprocessableEntity)
		if !strings.Contains(officer.Body, `id="correction-value-error"`) || !strings.Contains(officer.Body, tt.msg) {
			t.Errorf("%s = %s: no %q beside the field", tt.field, tt.value, tt.msg)
		}
	}
	if got := len(events(t, app, path)); got != n {
		t.Fatalf("%d events after refused corrections, want %d", got, n)
	}
	post(t, officer, path, correct("school", "bekkestua-ungdomsskole"), http.StatusOK)
	post(t, officer, path, correct("registered_on", day(2)), http.StatusOK)
	cs, _, _ := app.Store.GetCase(context.Background(), tryggspor.Scope{All: true}, strings.TrimPrefix(path, "/cases/"))
	if cs.School != "bekkestua-ungdomsskole" || tryggspor.FormatDate(cs.RegisteredOn) != day(2) {
		t.Errorf("after valid corrections: school %q, registered %s", cs.School, tryggspor.FormatDate(cs.RegisteredOn))
	}
}
