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

// TestRepeatVictimIsRecognisedAcrossUnits registers Kari Nordmann in Asker,
// then "kari  NORDMANN" with the same birth date in Bærum two months later:
// the Bærum officer sees that the person was registered before — Asker, and
// the date — and nothing else of the Asker case, which stays 404 to them; the
// summary counts one repeat victim for Bærum in the later case's year.
func TestRepeatVictimIsRecognisedAcrossUnits(t *testing.T) {
	app := testkit.NewApp(t)
	app.Clock.T = time.Date(2026, 9, 15, 10, 0, 0, 0, time.UTC)
	register := func(user, name, born, on string) (path, page string) {
		return registerPerson(t, app.SignIn(t, user), user, name, born, on)
	}
	asker, _ := register("politi-asker", "Kari Nordmann", "2010-05-01", "2026-06-10")
	baerum, page := register("politi", "kari  NORDMANN", "2010-05-01", "2026-08-12")
	officer := app.SignIn(t, "politi")
	if !strings.Contains(page, "Personen er registrert før") || !strings.Contains(page, "Asker") ||
		!strings.Contains(page, "10.06.2026") && !strings.Contains(page, "2026-06-10") {
		t.Fatalf("the Bærum officer is not told of the Asker case: %s", page)
	}
	if strings.Contains(page, "Hemmelig notat fra politi-asker") {
		t.Fatal("the earlier case's content leaked into the Bærum case page")
	}
	officer.Get(baerum)
	if strings.Contains(visibleText(officer.Body), "Personen er registrert før") {
		t.Error("the indicator is shown again on a later visit, not only at registration")
	}
	officer.Get(asker)
	if officer.Status() != http.StatusNotFound {
		t.Fatalf("the Asker case opened for the Bærum officer: %d", officer.Status())
	}
	counts, err := app.Store.SummaryCounts(context.Background(), 2026, []string{"baerum"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if counts.RepeatVictims != 1 {
		t.Errorf("repeat victims in Bærum 2026: %d, want 1", counts.RepeatVictims)
	}
	if c, _ := app.Store.SummaryCounts(context.Background(), 2026, []string{"asker"}, ""); c.RepeatVictims != 0 {
		t.Errorf("the first case counts as a repeat: %d", c.RepeatVictims)
	}
	zero := 0
	sum, err := app.Stats.Summary(context.Background(), tryggspor.System("test"), stats.Query{Year: 2026, Unit: "baerum", Suppress: &zero}, tryggspor.ActStatsExport)
	if err != nil || sum.RepeatVictims != 1 || sum.RepeatHidden {
		t.Errorf("the published summary for Bærum 2026: repeat victims %d (hidden %v), %v; want 1", sum.RepeatVictims, sum.RepeatHidden, err)
	}
	_, namesakePage := register("politi", "Kari Nordmann", "2011-02-03", "2026-09-01")
	if strings.Contains(namesakePage, "Personen er registrert før") {
		t.Error("a namesake with another birth date was taken for the same person")
	}
}

// registerPerson registers a case for the person as officer c and returns
// the case's path and the page the registration led to, as the officer saw
// it (the only page that shows the repeat-victim indicator).
func registerPerson(t *testing.T, c *testkit.Client, user, name, born, on string) (path, page string) {
	t.Helper()
	c.Get("/cases/new")
	form := testkit.ValidCase()
	form.Set("person_name", name)
	form.Set("birth_date", born)
	form.Set("registered_on", on)
	form.Set("notes", "Hemmelig notat fra "+user)
	c.Post("/cases", form)
	if c.Status() != http.StatusOK || !strings.HasPrefix(c.Path(), "/cases/") || c.Path() == "/cases/new" {
		t.Fatalf("register as %s: %d at %s", user, c.Status(), c.Path())
	}
	return c.Path(), visibleText(c.Body)
}

// TestRepeatVictimLookupIsADisclosure is issue 17's insider probe: Ola
// Oraklet has a case in Asker; a Bærum officer registering him sees the
// indicator once (not on reload); the Asker case's audit page and subject
// access report name that officer's lookup with time and purpose; after the
// day's 20 lookups the 21st is withheld with a plain message and the
// refusal is audited; correcting the probe case's name to someone else
// clears its repeat_victim flag and the year's summary drops back; and the
// auditor's month summary shows the officer near the limit.
func TestRepeatVictimLookupIsADisclosure(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	askerPath, _ := registerPerson(t, app.SignIn(t, "politi-asker"), "politi-asker", "Ola Oraklet", "2011-05-05", day(30))
	officer := app.SignIn(t, "politi")
	probe, page := registerPerson(t, officer, "politi", "ola oraklet", "05.05.2011", day(1))
	if strings.Count(page, "Personen er registrert før") != 1 || !strings.Contains(page, "Asker") ||
		!strings.Contains(page, shown(day(30))) {
		t.Fatalf("the Bærum officer is not told once of the Asker case: %s", page)
	}
	officer.Get(probe)
	if strings.Contains(visibleText(officer.Body), "Personen er registrert før") {
		t.Fatal("a reload shows the indicator again: every view would be a lookup")
	}
	year := tryggspor.Today(app.Clock.Now()).AddDate(0, 0, -1).Year()
	repeats := func() int {
		c, err := app.Store.SummaryCounts(ctx, year, []string{"baerum"}, "")
		if err != nil {
			t.Fatal(err)
		}
		return c.RepeatVictims
	}
	if n := repeats(); n != 1 {
		t.Fatalf("repeat victims in Bærum %d: %d, want 1", year, n)
	}

	askerID := strings.TrimPrefix(askerPath, "/cases/")
	rep, err := app.Service.SubjectAccess(ctx, tryggspor.System("innsyn"), askerID) // what `tryggspor innsyn --ref` runs
	if err != nil {
		t.Fatal(err)
	}
	var lookups []tryggspor.AuditRecord
	for _, r := range rep.Access {
		if r.Entry.Action == tryggspor.ActRepeatLookup && r.Entry.Actor.Org == "baerum" {
			lookups = append(lookups, r)
		}
	}
	if len(lookups) != 1 || lookups[0].Entry.Actor.Org != "baerum" || lookups[0].Entry.Purpose != tryggspor.PurposeCaseWork ||
		lookups[0].At.IsZero() || lookups[0].Entry.Outcome != tryggspor.OutcomeOK {
		t.Fatalf("the Asker case's subject access report lists the lookups %+v, want the Bærum officer's one", lookups)
	}
	who := lookups[0].Entry.Actor.Name
	askerOfficer := app.SignIn(t, "politi-asker")
	askerOfficer.Get(askerPath + "/innsyn")
	if txt := visibleText(askerOfficer.Body); !strings.Contains(txt, "Sjekket om personen er registrert før") || !strings.Contains(txt, who) {
		t.Errorf("the Asker case's innsyn page does not name %s's lookup: %s", who, txt)
	}
	auditor := app.SignIn(t, "revisor")
	auditor.Get("/audit/cases/" + rep.Case.Ref)
	if txt := visibleText(auditor.Body); !strings.Contains(txt, "Sjekket om personen er registrert før") ||
		!strings.Contains(txt, who) || !strings.Contains(txt, "saksbehandling") {
		t.Errorf("/audit/cases/%s does not list the lookup with who and why: %s", rep.Case.Ref, txt)
	}

	names := []string{"OLA ORAKLET", "Ola Oraklet"}
	correct := func(field, value string) string {
		post(t, officer, probe, url.Values{"type": {"correction"}, "field": {field}, "value": {value},
			"reason": {"skrivefeil"}}, http.StatusOK)
		return visibleText(officer.Body)
	}
	for i := 2; i <= 20; i++ {
		if page := correct("person_name", names[i%2]); !strings.Contains(page, "Personen er registrert før") {
			t.Fatalf("lookup %d of the day was not shown: %s", i, page)
		}
	}
	page = correct("person_name", names[1])
	if strings.Contains(page, "Personen er registrert før") || !strings.Contains(page, "holdt tilbake") ||
		!strings.Contains(page, "20 oppslag") {
		t.Fatalf("the 21st lookup of the day was not withheld with a message: %s", page)
	}
	probeID := strings.TrimPrefix(probe, "/cases/")
	refused, _, err := app.Store.SearchAudit(ctx, tryggspor.AuditFilter{CaseID: probeID, Action: tryggspor.ActRepeatLookup,
		Outcome: tryggspor.OutcomeDenied})
	if err != nil || len(refused) != 1 {
		t.Fatalf("refused lookups audited on the probe case: %d, %v; want 1", len(refused), err)
	}
	if rep, _ := app.Service.SubjectAccess(ctx, tryggspor.System("innsyn"), askerID); countAction(rep.Access, tryggspor.ActRepeatLookup) != 20 {
		t.Errorf("the Asker case lists %d disclosures, want 20", countAction(rep.Access, tryggspor.ActRepeatLookup))
	}

	auditor.Get("/audit")
	if txt := visibleText(auditor.Body); !strings.Contains(txt, "Oppslag om tidligere registrering") ||
		!strings.Contains(txt, "nær eller over grensen") {
		t.Errorf("the month summary does not show the officer near the lookup limit: %s", txt)
	}

	correct("person_name", "Per Ingenting")
	if n := repeats(); n != 0 {
		t.Errorf("after the name was corrected to someone else, repeat victims in Bærum %d: %d, want 0", year, n)
	}
	post(t, officer, probe, url.Values{"type": {"correction"}, "field": {"registered_on"}, "value": {day(400)},
		"reason": {"skrivefeil"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(visibleText(officer.Body), "365 dager før i dag") {
		t.Errorf("a registration date more than a year back was not refused plainly: %s", visibleText(officer.Body))
	}
}

// countAction counts the records of one action made at another case (those
// naming an object: for a lookup, the case it was shown at).
func countAction(recs []tryggspor.AuditRecord, act tryggspor.Action) int {
	n := 0
	for _, r := range recs {
		if r.Entry.Action == act && r.Entry.Object != "" {
			n++
		}
	}
	return n
}
