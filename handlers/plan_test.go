package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// Issue 21: the follow-up plan.

// measure is a plan_measure form: evaluate_by days from today.
func measure(text, owner string, evaluateIn int) url.Values {
	return url.Values{"type": {"plan_measure"}, "date": {day(0)}, "measure": {text}, "owner": {owner},
		"evaluate_by": {inDays(evaluateIn)}}
}

// evaluation is a plan_evaluation form of the measure numbered ref.
func evaluation(ref, result, cont string) url.Values {
	return url.Values{"type": {"plan_evaluation"}, "date": {day(0)}, "measure": {ref}, "result": {result},
		"continue": {cont}, "note": {"Samtale med kontaktlærar"}}
}

// measureRefs are the numbers of the case's measures, in the order agreed.
func measureRefs(t *testing.T, app *testkit.App, path string) []string {
	t.Helper()
	var out []string
	for _, e := range events(t, app, path) {
		if e.Type == tryggspor.EvPlanMeasure {
			out = append(out, strconv.Itoa(e.Seq))
		}
	}
	return out
}

// TestGuideWorksThePlanOfficerSeesIt is the acceptance walk: the
// guide of an accepted handover adds two measures, evaluates one as helped
// and continues the other; the officer sees both with their evaluations;
// another school's guide gets 404 on the case and its plan; after the case
// closes the guide can no longer add or evaluate.
func TestGuideWorksThePlanOfficerSeesIt(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path, guide := followedUpBy(t, app, officer, "guide", "bekkestua-ungdomsskole")

	guide.Get(path)
	if !strings.Contains(guide.Body, "Legg til tiltak") {
		t.Fatalf("the guide's case page offers no «Legg til tiltak»:\n%s", visible(guide.Body))
	}
	post(t, guide, path, measure("Gå til skulen saman med ein vaksen i to veker", "guide", 14), http.StatusOK)
	post(t, guide, path, measure("Ein fast vaksen å gå til i friminutta", "guardian", 28), http.StatusOK)
	refs := measureRefs(t, app, path)
	if len(refs) != 2 {
		t.Fatalf("measures recorded: %v", refs)
	}
	if !strings.Contains(guide.Body, "Evaluer") {
		t.Fatalf("no «Evaluer» form once the plan has measures")
	}
	post(t, guide, path, evaluation(refs[0], "helped", "no"), http.StatusOK)
	post(t, guide, path, evaluation(refs[1], "partly", "yes"), http.StatusOK)
	// The first measure ended: a second evaluation of it is refused beside
	// the field, and nothing is written.
	before := len(events(t, app, path))
	post(t, guide, path, evaluation(refs[0], "helped", "no"), http.StatusUnprocessableEntity)
	if !strings.Contains(guide.Body, "allerede evaluert") || len(events(t, app, path)) != before {
		t.Fatalf("a second evaluation of an ended measure was not refused clearly")
	}

	officer.Get(path)
	page := visible(officer.Body)
	for _, want := range []string{"Tiltaksplan", "Gå til skulen saman med ein vaksen i to veker", "Ein fast vaksen å gå til i friminutta",
		"Sist evaluert " + shown(day(0)) + ": Hjalp", "Hjalp delvis, fortsetter"} {
		if !strings.Contains(page, want) {
			t.Errorf("the officer's case page lacks %q", want)
		}
	}
	officer.Get(path + "/plan")
	if officer.Status() != http.StatusOK || !strings.Contains(officer.Body, "Hjalp delvis") {
		t.Fatalf("the officer's plan page: %d", officer.Status())
	}

	other := app.SignInClaims(t, "sandvika-guide", map[string]any{"tryggspor_role": "guide", "tryggspor_org": "sandvika-vgs"})
	for _, p := range []string{path, path + "/plan"} {
		if other.Get(p); other.Status() != http.StatusNotFound {
			t.Errorf("another school's guide got %d on %s, want 404", other.Status(), p)
		}
	}
	other.Get("/handovers")
	other.Post(path+"/events", measure("Noko anna", "guide", 14))
	if other.Status() != http.StatusNotFound {
		t.Errorf("another school's guide added a measure: %d", other.Status())
	}

	post(t, officer, path, url.Values{"type": {"closed"}, "date": {day(0)}, "reason": {"Trygg igjen"}, "confirmed": {"yes"}}, http.StatusOK)
	guide.Get("/handovers")
	for _, v := range []url.Values{measure("Etter avslutning", "guide", 14), evaluation(refs[1], "helped", "no")} {
		guide.Post(path+"/events", v)
		if guide.Status() == http.StatusOK {
			t.Errorf("the guide recorded %s after the case closed", v.Get("type"))
		}
	}
	if n := len(events(t, app, path)); n != before+1 {
		t.Errorf("events after closing: %d, want %d (only the closing)", n, before+1)
	}

	// The leader's statistics count the year's measures (exact at 0).
	leader := app.SignIn(t, "leder")
	leader.Get("/stats?year=" + day(0)[:4] + "&unit=vest&suppress=0")
	stats := strings.Join(strings.Fields(visible(leader.Body)), " ")
	for _, want := range []string{"Tiltak i planene", "Avtalt 2", "Hjalp 1", "Hjalp delvis 1", "Evaluert 2"} {
		if !strings.Contains(stats, want) {
			t.Errorf("/stats lacks %q", want)
		}
	}
}

// TestPlanPageIsAuditedAndHoldsNoPoliceFields: the family's plan is an
// export in the audit log, and shows the first name, never the surname,
// notes or the police report reference.
func TestPlanPageIsAuditedAndHoldsNoPoliceFields(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path, guide := followedUpBy(t, app, officer, "guide", "bekkestua-ungdomsskole")
	post(t, guide, path, measure("Gruppesamtalar på Barnehuset", "person", 30), http.StatusOK)
	c, _, err := app.Store.GetCase(context.Background(), tryggspor.Scope{All: true}, strings.TrimPrefix(path, "/cases/"))
	if err != nil {
		t.Fatal(err)
	}
	guide.Get(path + "/plan?lang=nb")
	if guide.Status() != http.StatusOK {
		t.Fatalf("plan: %d", guide.Status())
	}
	first := strings.Fields(c.Personal.PersonName)[0]
	body := strings.Join(strings.Fields(visible(guide.Body)), " ")
	if !strings.Contains(body, "Tiltaksplan for "+first) {
		t.Errorf("the plan does not greet %q", first)
	}
	for _, secret := range []string{c.Personal.PersonName, c.Personal.Notes, c.Personal.PoliceReportRef, c.Personal.GuardianPhone} {
		if secret != "" && secret != first && strings.Contains(guide.Body, secret) {
			t.Errorf("the plan shows a police-only or personal field: %q", secret)
		}
	}
	if regexp.MustCompile(`<nav\b`).MatchString(guide.Body) {
		t.Error("the plan has navigation")
	}
	entries, err := app.Store.ListAudit(context.Background(), c.ID, 200)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		found = found || (e.Entry.Action == tryggspor.ActCasePlan && e.Entry.Actor.Role == tryggspor.RoleGuide)
	}
	if !found || tryggspor.ActCasePlan.Kind() != tryggspor.KindExport {
		t.Error("the plan page is not audited as an export")
	}
	// The subject access report holds the plan, and the printing of it.
	officer.Get(path + "/innsyn")
	for _, want := range []string{"Tiltak avtalt", "Gruppesamtalar på Barnehuset", "Skrev ut tiltaksplanen"} {
		if !strings.Contains(visible(officer.Body), want) {
			t.Errorf("the innsyn report lacks %q", want)
		}
	}
}

// bokmaalOnly are words that differ between bokmål and nynorsk (Språkrådet's
// lists; docs/nynorsk.md): none may appear on the nynorsk plan.
var bokmaalOnly = []string{"ikke", "hva", "hjem", "jeg", "hvem", "skole", "hvordan", "fra", "ansvarlig", "noe", "noen",
	"hvis", "dere", "ennå", "avsluttet", "fortsetter", "hvert", "evalueres", "innen", "utskrevet", "saken", "selv",
	"foresatte", "ble", "hjalp", "sammen", "dem", "hjulpet", "nettleserens", "evalueringer", "tiltakene", "også", "bare", "mye"}

// TestPlanPageSpeaksNynorsk: ?lang=nn is nynorsk throughout (no word of
// the bokmål-only list), ?lang=en is English, and both say lang= so a
// screen reader reads them right.
func TestPlanPageSpeaksNynorsk(t *testing.T) {
	if len(bokmaalOnly) < 30 {
		t.Fatal("the list needs at least 30 words")
	}
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path, guide := followedUpBy(t, app, officer, "guide", "bekkestua-ungdomsskole")
	post(t, guide, path, measure("Gå til skulen saman med ein vaksen", "guardian", 14), http.StatusOK)
	post(t, guide, path, measure("Gruppesamtalar", "person", 28), http.StatusOK)
	post(t, guide, path, evaluation(measureRefs(t, app, path)[0], "not_done", "yes"), http.StatusOK)
	guide.Get(path + "/plan?lang=nn")
	if !strings.Contains(guide.Body, `<html lang="nn"`) {
		t.Fatal("the nynorsk plan is not marked lang=nn")
	}
	words := regexp.MustCompile(`[\p{L}]+`).FindAllString(strings.ToLower(visible(guide.Body)), -1)
	seen := map[string]bool{}
	for _, w := range words {
		seen[w] = true
	}
	for _, b := range bokmaalOnly {
		if seen[b] {
			t.Errorf("the nynorsk plan has the bokmål word %q", b)
		}
	}
	for _, want := range []string{"Kven du kan kontakte", "Ansvarleg", "Føresette", "Vart ikkje gjennomført", "Tiltaket held fram."} {
		if !strings.Contains(guide.Body, want) {
			t.Errorf("the nynorsk plan lacks %q", want)
		}
	}
	guide.Get(path + "/plan?lang=en")
	for _, want := range []string{`<html lang="en"`, "Follow-up plan", "Whom you can contact", "Was not carried out", "The measure continues."} {
		if !strings.Contains(guide.Body, want) {
			t.Errorf("the English plan lacks %q", want)
		}
	}
}
