package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/auth"
	"tryggspor/internal/reminder"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// codeWords are what the log must never show a reader: event and action
// codes, statuses, key=value pairs, dates as YYYY-MM-DD.
func codeWords() *regexp.Regexp {
	var alts []string
	for _, dim := range []string{"event", "action", "status"} {
		for _, c := range tryggspor.Codes(dim) {
			if strings.ContainsAny(c, "_.") {
				alts = append(alts, regexp.QuoteMeta(c))
			}
		}
	}
	return regexp.MustCompile(`\b(` + strings.Join(alts, "|") + `)\b|\pL=|\d{4}-\d{2}-\d{2}`)
}

// bareProvider is the sign-in provider's name where its label should be: a
// cell or a detail that is the name alone.
var bareProvider = regexp.MustCompile(`(?m)>\s*police\s*<|;police\r?$|: police\b`)

// TestAuditLogInWords drives every action the service writes through the
// real service (pages, jobs, a checkpoint), plus entries in the forms the
// log held before its details had a structure, and reads the log as the
// data-protection officer does, in bokmål and English: its pages, one
// case's log, the download and the case's subject access report say each
// entry's details in words in the page's language, never as key=value
// pairs or codes.
func TestAuditLogInWords(t *testing.T) {
	a := testkit.NewAppWith(t, func(c *auth.Config) { c.Name, c.Label = "police", "Politiet" })
	ctx := context.Background()
	old := tryggspor.Actor{Name: "Gammel oppføring", Role: tryggspor.RoleLeader, Org: "vest"}
	for _, e := range []tryggspor.AuditEntry{
		tryggspor.NewEntry(old, tryggspor.ActStatsView, "", "år=2026 enhet=vest prikking=5"),
		tryggspor.NewEntry(old, tryggspor.ActCaseList, "", "status= søk=true antall=4 side=1"),
		tryggspor.NewEntry(old, tryggspor.ActLogin, "", "police"),
		tryggspor.NewEntry(old, tryggspor.ActTaskList, "", "3 oppgaver"),
		tryggspor.NewEntry(old, tryggspor.ActCaseView, "", "bekreft handover_accepted"),
	} {
		if err := a.Store.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	broken := tryggspor.NewEntry(tryggspor.System("audit scrub"), tryggspor.ActAuditBroken, "", "").With(tryggspor.Det(tryggspor.DetBrokenAt, 1234))
	broken.Outcome = tryggspor.OutcomeFailed // as the scrubber writes it (cmd/tryggspor/scrub.go)
	if err := a.Store.Audit(ctx, broken); err != nil {
		t.Fatal(err)
	}
	path, ref := everyAction(t, a)

	rev := a.SignIn(t, "revisor")
	rev.Get("/audit?" + url.Values{"user": {"politi"}, "action": {"case.view"}, "outcome": {"ok"}}.Encode())
	rev.Get("/audit/export.csv")
	recs, _, err := a.Store.SearchAudit(ctx, tryggspor.AuditFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[tryggspor.Action]bool{}
	for _, r := range recs {
		seen[r.Entry.Action] = true
	}
	for _, act := range tryggspor.Codes("action") {
		if !seen[tryggspor.Action(act)] {
			t.Errorf("the log has no %s entry: the test does not cover every action", act)
		}
	}

	bad := codeWords()
	want := map[string][]string{
		"nb": {"År 2026, Enhet Vest, prikkegrense 5", "Bekreftelse vist: Overføring godtatt", "Bekreftelse vist: Takket nei",
			"Innloggingstjeneste: Politiet (police)", "Status «Ny», med søketekst, antall 0", "Med søketekst, antall 4, side 1", "Oppgaver: 3",
			"Hendelse: Trygghetssamtale gjennomført", "Bruker «politi», handling «Åpnet sak», resultat «Tillatt»", "Saker avsluttet før"},
		"en": {"Year 2026, Enhet Vest, suppression limit 5", "Confirmation shown: Handover accepted", "Confirmation shown: Declined",
			"Sign-in service: Politiet (police)", "Status “New”, with search text, number 0", "With search text, number 4, page 1", "Tasks: 3",
			"Event: Safety conversation held", "User “politi”, action “Opened a case”, result “Allowed”", "Cases closed before"},
	}
	for _, lang := range []string{"nb", "en"} {
		var all strings.Builder
		for next := "/audit?lang=" + lang; next != ""; {
			rev.Get(next)
			if rev.Status() != http.StatusOK {
				t.Fatalf("%s: %d", next, rev.Status())
			}
			all.WriteString(rev.Body)
			next = ""
			if m := regexp.MustCompile(`href="(/audit\?[^"]*)" rel="next"`).FindStringSubmatch(rev.Body); m != nil {
				next = strings.ReplaceAll(m[1], "&amp;", "&")
			}
		}
		pages := map[string]string{"/audit": all.String()}
		rev.Get("/audit/cases/" + ref + "?lang=" + lang)
		pages["/audit/cases/"+ref] = rev.Body
		rev.Get("/audit/export.csv?lang=" + lang)
		pages["/audit/export.csv"] = rev.Body
		officer := a.SignIn(t, "politi")
		officer.Get(path + "/innsyn?lang=" + lang)
		pages[path+"/innsyn"] = officer.Body
		for page, body := range pages {
			if m := bad.FindAllString(visibleText(body), 5); m != nil {
				t.Errorf("%s %s shows codes or key=value pairs: %q", lang, page, m)
			}
			if m := bareProvider.FindString(body); m != "" {
				t.Errorf("%s %s shows the provider's name without its label: %q", lang, page, m)
			}
		}
		for _, w := range want[lang] {
			if !strings.Contains(visibleText(all.String()), w) {
				t.Errorf("%s: the log does not say %q", lang, w)
			}
		}
		if !strings.Contains(visibleText(pages[path+"/innsyn"]), want[lang][1]) {
			t.Errorf("%s: the subject access report does not say %q", lang, want[lang][1])
		}
	}
	rev.Get("/audit?lang=en")
	for _, nb := range []string{"prikkegrense", "Bekreftelse vist", "Innloggingstjeneste", "søketekst", "Hendelse:", "antall",
		"sikkerhetsnøkkel", "kunne ikke leses", "Registrer hendelse", "Oppgaver:", "Saker avsluttet"} {
		if strings.Contains(visibleText(rev.Body), nb) {
			t.Errorf("the English log says %q", nb)
		}
	}
}

// everyAction makes the service write each of its audit actions at least
// once, through the pages where there is one and the jobs otherwise, and
// returns the path and reference of the case handed over.
func everyAction(t *testing.T, a *testkit.App) (path, ref string) {
	ctx := context.Background()
	officer := a.SignIn(t, "politi")
	path = heldCase(t, a, officer)
	officer.Get(path)
	ref = regexp.MustCompile(`TP-\d{4}-\d{4}`).FindString(officer.Body)
	officer.Get("/cases?" + url.Values{"status": {"new"}, "q": {"x"}}.Encode())
	officer.Get("/tasks")
	uploadFile(t, a, officer, "saker.csv", []byte(importHeader+day(3)+";baerum;violence;victim;14;Bærum;yes;Ola;\n"))
	confirmImport(t, officer, nil)
	for range 2 { // the same person twice: the second registration shows the indicator (repeat_victim.lookup)
		again := testkit.ValidCase()
		again.Set("birth_date", "2011-05-05")
		officer.Get("/cases/new")
		officer.Post("/cases", again)
	}
	declined := a.CreateCase(t, officer)
	decline := url.Values{"type": {"declined"}, "date": {day(0)}, "by": {"guardian"}}
	post(t, officer, declined, decline, http.StatusOK)
	decline.Set("confirmed", "yes")
	post(t, officer, declined, decline, http.StatusOK)
	post(t, officer, path, consentFor("bekkestua-ungdomsskole", inDays(180)), http.StatusOK)
	post(t, officer, path, proposeTo("bekkestua-ungdomsskole", "consent", inDays(7)), http.StatusOK)
	guide := a.SignIn(t, "guide")
	accept := url.Values{"type": {"handover_accepted"}, "date": {day(0)}}
	post(t, guide, path, accept, http.StatusOK)
	accept.Set("confirmed", "yes")
	post(t, guide, path, accept, http.StatusOK)
	officer.Get(path + "/innsyn")
	guide.Get(path + "/plan?lang=nn") // case.plan
	guide.Get("/stats")               // route.denied
	guide.PostRaw(path+"/events", url.Values{"type": {"guide_contact"}})
	req, _ := http.NewRequest(http.MethodPost, a.URL+path+"/events", strings.NewReader("a=%zz"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := guide.HTTP.Do(req); err == nil {
		resp.Body.Close()
	}
	guide.Post(path+"/events", url.Values{"note": {strings.Repeat("x", 2<<20)}})
	guide.Post("/logout", url.Values{})

	leader := a.SignIn(t, "leder")
	for _, p := range []string{"/stats?year=2026", "/stats/report", "/stats/export.csv"} {
		leader.Get(p)
	}
	admin := a.SignIn(t, "admin")
	admin.Get("/admin")
	admin.Get("/admin/orgs/new")
	admin.Post("/admin/orgs", url.Values{"code": {"ny-skole"}, "name": {"Ny skole"}, "kind": {"school"}, "municipality": {"Bærum"}})
	admin.Get("/admin/orgs/ny-skole")
	admin.Post("/admin/orgs/ny-skole", url.Values{"name": {"Ny skole 2"}, "kind": {"school"}, "municipality": {"Bærum"}})
	// Only another door than the pages reaches a refused save (the pages'
	// guard turns a non-administrator away first).
	officerActor := tryggspor.Actor{Name: "Test politi", Role: tryggspor.RoleOfficer, Org: "baerum"}
	if err := a.Service.SaveOrganisation(ctx, officerActor, tryggspor.Organisation{Code: "x"}, true); err == nil {
		t.Fatal("an officer saved an organisation")
	}

	a.Clock.T = a.Clock.T.AddDate(0, 2, 0)
	inbox := testkit.StartSMTP(t)
	a.Engine.Mailer = reminder.SMTP{Host: inbox.Host, Port: inbox.Port, From: "tryggspor@example.org"}
	if _, err := a.Engine.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Engine.Digest(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Service.Anonymise(ctx, 1, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Store.WriteAuditCheckpoint(ctx); err != nil {
		t.Fatal(err)
	}
	a.Clock.T = time.Now()
	return path, ref
}

// TestDeclinedByInEnglish: the English case page of a declined case says
// who declined with "by", not "of" (the bokmål "av" has one English only).
func TestDeclinedByInEnglish(t *testing.T) {
	a := testkit.NewApp(t)
	officer := a.SignIn(t, "politi")
	path := a.CreateCase(t, officer)
	post(t, officer, path, url.Values{"type": {"declined"}, "date": {day(0)}, "by": {"guardian"}, "confirmed": {"yes"}}, http.StatusOK)
	officer.Get(path + "?lang=en")
	body := visibleText(officer.Body)
	if !strings.Contains(body, "by: guardian") || strings.Contains(body, "of: guardian") {
		t.Errorf("the English page of a declined case does not say who declined with \"by\":\n%s", body)
	}
}
