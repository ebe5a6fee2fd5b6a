package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
)

var (
	tagsRe    = regexp.MustCompile(`(?s)<script.*?</script>|<[^>]*>`)
	isoDateRe = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
)

// visible is the text a user sees on a page: no tags, attributes or input
// values.
func visible(body string) string {
	return html.UnescapeString(tagsRe.ReplaceAllString(body, " "))
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// TestEventsThatEndWorkAskFirst: each of the six events that end someone's
// work answers 200 with a confirmation page and writes nothing; sent again
// with confirmed=yes, it is recorded.
func TestEventsThatEndWorkAskFirst(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	guide := app.SignIn(t, "guide")
	statutory := with(proposeTo("bekkestua-ungdomsskole", "statutory", inDays(7)), "legal_reference", "barnevernsloven § 13-5")
	tests := []struct {
		name   string
		setup  func() string
		who    *testkit.Client
		event  url.Values
		button string
	}{
		{"declined", func() string { return app.CreateCase(t, officer) }, officer,
			url.Values{"type": {"declined"}, "date": {day(0)}, "by": {"guardian"}, "reason": {"Vil ikke"}}, "Registrer at familien takket nei"},
		{"no_response", func() string {
			p := app.CreateCase(t, officer)
			post(t, officer, p, url.Values{"type": {"contact_attempt"}, "date": {day(1)}, "channel": {"sms"}, "reached": {"no"}, "with": {"guardian"}}, 200)
			return p
		}, officer, url.Values{"type": {"no_response"}, "date": {day(0)}}, "Registrer at familien ikke svarte"},
		{"closed", func() string { return heldCase(t, app, officer) }, officer,
			url.Values{"type": {"closed"}, "date": {day(0)}, "reason": {"Trygg igjen"}, "safety": {"4"}}, "Avslutt saken"},
		{"handover_withdrawn", func() string {
			p := heldCase(t, app, officer)
			post(t, officer, p, statutory, 200)
			return p
		}, officer, url.Values{"type": {"handover_withdrawn"}, "date": {day(0)}, "reason": {"Feil mottaker"}}, "Trekk tilbake overføringen"},
		{"handover_accepted", func() string {
			p := heldCase(t, app, officer)
			post(t, officer, p, statutory, 200)
			return p
		}, guide, url.Values{"type": {"handover_accepted"}, "date": {day(0)}}, "Godta overføringen"},
		{"handover_rejected", func() string {
			p := heldCase(t, app, officer)
			post(t, officer, p, statutory, 200)
			return p
		}, guide, url.Values{"type": {"handover_rejected"}, "date": {day(0)}, "reason": {"Ikke vår elev"}}, "Avvis overføringen"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.setup()
			before := len(events(t, app, path))
			post(t, tc.who, path, tc.event, http.StatusOK)
			page := tc.who.Body
			if n := len(events(t, app, path)); n != before {
				t.Fatalf("without confirmed=yes %d events were written", n-before)
			}
			if !strings.Contains(page, `<button class="ds-button" type="submit">`+tc.button+`</button>`) {
				t.Errorf("the confirmation page has no button %q:\n%s", tc.button, page)
			}
			if !strings.Contains(page, `name="confirmed" value="yes"`) || !strings.Contains(page, `href="`+path+`"`) {
				t.Error("the confirmation page lacks confirmed=yes or a way back")
			}
			for k := range tc.event {
				if !strings.Contains(page, `type="hidden" name="`+k+`" value="`+html.EscapeString(tc.event.Get(k))+`"`) {
					t.Errorf("the confirmation form does not repeat %s", k)
				}
			}
			if !strings.Contains(page, "Ingenting er registrert ennå.") {
				t.Error("the page does not say nothing is recorded yet")
			}
			// Sending the confirmation page's own form records it.
			tc.who.Post(path+"/events", with(tc.event, "confirmed", "yes"))
			if tc.who.Status() != http.StatusOK {
				t.Fatalf("confirmed: %d", tc.who.Status())
			}
			evs := events(t, app, path)
			if len(evs) != before+1 || string(evs[len(evs)-1].Type) != tc.name {
				t.Errorf("confirmed: %d new events, want one %s", len(evs)-before, tc.name)
			}
		})
	}
}

// TestInvalidEndingEventShowsTheFormNotTheConfirmation: a decline without
// "by whom" comes back as the form with the message, not as a confirmation.
func TestInvalidEndingEventShowsTheFormNotTheConfirmation(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := app.CreateCase(t, officer)
	post(t, officer, path, url.Values{"type": {"declined"}, "date": {day(0)}}, http.StatusUnprocessableEntity)
	if strings.Contains(officer.Body, `name="confirmed"`) {
		t.Error("an invalid decline got the confirmation page")
	}
	sum := regexp.MustCompile(`(?s)<div class="ds-error-summary"[^>]*>.*?href="#declined-by-0">Av hvem: Velg en av verdiene.</a>`)
	if !sum.MatchString(officer.Body) {
		t.Errorf("no error summary linking to the field:\n%s", officer.Body)
	}
	if strings.Count(officer.Body, "ds-error-summary") != 1 || strings.Contains(officer.Body, `data-color="danger" role="alert"`) {
		t.Error("more than one error summary, or a second banner")
	}
}

// TestCasePageInWordsAndDates: the officer's case page, the case list, the
// tasks and the guide's handovers write dates as dd.mm.yyyy and codes as
// words, in both languages; in English no bokmål is left on the case page.
func TestCasePageInWordsAndDates(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer)
	post(t, officer, path, url.Values{"type": {"correction"}, "field": {"category"}, "value": {"Vold"}, "reason": {"Feil kategori"}}, http.StatusOK)
	if !strings.Contains(visible(officer.Body), "«Trusler» → «Vold»") {
		t.Errorf("the correction is not shown in words:\n%s", visible(officer.Body))
	}
	post(t, officer, path, with(proposeTo("bekkestua-ungdomsskole", "statutory", inDays(7)), "legal_reference", "bvl. § 13-5"), http.StatusOK)
	guide := app.SignIn(t, "guide")
	codes := []string{"violence", "threats", "police_unit", "intra_family_reason", "case.view", "conversation_held", "handover_pending", "contact_attempt", "sexual_offence"}
	pages := map[string]*testkit.Client{path: officer, "/cases": officer, "/tasks": officer, "/handovers": guide}
	for _, lang := range []string{"nb", "en"} {
		for p, c := range pages {
			c.Get(p + "?lang=" + lang)
			text := visible(c.Body)
			if lang == "nb" && isoDateRe.MatchString(text) {
				t.Errorf("%s shows a date as %s", p, isoDateRe.FindString(text))
			}
			for _, code := range codes {
				if regexp.MustCompile(`\b` + regexp.QuoteMeta(code) + `\b`).MatchString(text) {
					t.Errorf("%s (%s) shows the code %q", p, lang, code)
				}
			}
		}
	}
	officer.Get(path + "?lang=en")
	text := visible(officer.Body)
	for _, nb := range []string{"Registrer", "Saken", "Tidslinje", "Kategori", "Dato", "Trygghetsvurdering", "Begrunnelse",
		"Avslutt", "Overføring", "Foresatt", "nådd", "Vold", "Trusler", "automatisk", "Neste steg", "Hva skjer"} {
		if strings.Contains(text, nb) {
			t.Errorf("the English case page still says %q", nb)
		}
	}
	officer.Get("/cases/new?lang=nb")
}

// TestCasePageLeads: the next expected step is the first form, open, with an
// imperative title; the timeline is in the order things happened; the
// guide's first form is "Logg kontakt", above the timeline.
func TestCasePageLeads(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := app.CreateCase(t, officer)
	next := regexp.MustCompile(`(?s)<section aria-labelledby="next-h" class="ds-card next-step">\s*<h2[^>]*>([^<]+)</h2>`)
	if m := next.FindStringSubmatch(officer.Body); m == nil || m[1] != "Registrer kontaktforsøk" {
		t.Fatalf("the new case's first step is %v, want Registrer kontaktforsøk", m)
	}
	if strings.Index(officer.Body, "next-step") > strings.Index(officer.Body, "Tidslinje") {
		t.Error("the next step is below the timeline")
	}
	post(t, officer, path, url.Values{"type": {"contact_attempt"}, "date": {day(1)}, "channel": {"phone"}, "reached": {"yes"}, "with": {"guardian"}}, 200)
	if !strings.Contains(officer.Body, "Kontaktforsøket er registrert. Neste steg: Registrer at tilbud er gitt.") {
		t.Errorf("the success message does not say what happened and what is next:\n%s", officer.Body)
	}
	// Recorded later, happened earlier: listed first.
	post(t, officer, path, url.Values{"type": {"contact_attempt"}, "date": {day(2)}, "channel": {"letter"}, "reached": {"no"}, "with": {"guardian"}}, 200)
	tl := officer.Body[strings.Index(officer.Body, `<ol class="timeline">`):]
	if a, b := strings.Index(tl, shown(day(2))), strings.Index(tl, shown(day(1))); a < 0 || b < 0 || a > b {
		t.Errorf("timeline not in event-date order: %s at %d, %s at %d", day(2), a, day(1), b)
	}
	post(t, officer, path, url.Values{"type": {"offer_made"}, "date": {day(1)}}, 200)
	if m := next.FindStringSubmatch(officer.Body); m == nil || m[1] != "Avtal trygghetssamtale" {
		t.Errorf("after the offer the next step is %v", m)
	}
	post(t, officer, path, url.Values{"type": {"conversation_held"}, "date": {day(0)}}, 200)
	if m := next.FindStringSubmatch(officer.Body); m == nil || m[1] != "Foreslå overføring" {
		t.Errorf("after the conversation the next step is %v", m)
	}
	if !strings.Contains(officer.Body, `name="accept_by" type="date" value="`+inDays(14)+`"`) {
		t.Error("the accept-by date is not prefilled 14 days ahead")
	}
	post(t, officer, path, with(proposeTo("bekkestua-ungdomsskole", "statutory", inDays(14)), "legal_reference", "bvl."), 200)
	guide := app.SignIn(t, "guide")
	post(t, guide, path, url.Values{"type": {"handover_accepted"}, "date": {day(0)}, "confirmed": {"yes"}}, 200)
	if m := next.FindStringSubmatch(guide.Body); m == nil || m[1] != "Logg kontakt" {
		t.Fatalf("the guide's first form is %v, want Logg kontakt", m)
	}
	if strings.Index(guide.Body, "Logg kontakt") > strings.Index(guide.Body, "Tidslinje") {
		t.Error("the guide's contact form is below the timeline")
	}
}

// TestRegisterFormPreselectsNothingItShouldAsk: "reported" and "same
// family" are answered by the officer, not preselected; a missing answer is
// explained beside the field.
func TestRegisterFormPreselectsNothingItShouldAsk(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases/new")
	for _, f := range []string{"reported", "intra_family"} {
		if regexp.MustCompile(`name="` + f + `" value="[a-z]+" checked`).MatchString(c.Body) {
			t.Errorf("%s is preselected", f)
		}
	}
	form := testkit.ValidCase()
	form.Del("reported")
	form.Del("intra_family")
	c.Post("/cases", form)
	if c.Status() != http.StatusUnprocessableEntity {
		t.Fatalf("without answers: %d", c.Status())
	}
	for _, f := range []string{"reported", "intra_family"} {
		if !strings.Contains(c.Body, `id="`+f+`-error">Velg ja eller nei.`) {
			t.Errorf("no message beside %s", f)
		}
	}
	sum := c.Body[strings.Index(c.Body, "ds-error-summary"):]
	if a, b := strings.Index(sum, "#reported-0"), strings.Index(sum, "#intra_family-0"); a < 0 || b < a {
		t.Error("the error summary is not in form order")
	}
}

// TestExpiredSessionKeepsTheForm: a form sent after the idle timeout comes
// back with what was typed and a way to sign in again; sent again after
// signing in, it is shown once more with a fresh token and then recorded.
func TestExpiredSessionKeepsTheForm(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	path := app.CreateCase(t, c)
	c.Get(path)
	app.Clock.T = app.Clock.T.Add(16 * time.Minute)
	typed := url.Values{"type": {"contact_attempt"}, "date": {day(0)}, "channel": {"letter"}, "reached": {"no"},
		"with": {"guardian"}}
	c.Post(path+"/events", typed)
	if c.Status() != http.StatusUnauthorized || !strings.Contains(c.Body, "Økten er utløpt") {
		t.Fatalf("expired session: %d\n%s", c.Status(), c.Body)
	}
	if !strings.Contains(c.Body, `name="channel" type="text" value="letter"`) || !strings.Contains(c.Body, `href="/login" target="_blank"`) {
		t.Errorf("the typed form or the sign-in link is missing:\n%s", c.Body)
	}
	before := len(events(t, app, path))
	// Sign in again in "another tab" (the same cookie jar), then send the kept form.
	app.Clock.T = time.Now()
	c2 := app.SignIn(t, "politi")
	c.HTTP.Jar = c2.HTTP.Jar
	kept := url.Values{"resumed": {"1"}}
	for _, m := range regexp.MustCompile(`<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"`).FindAllStringSubmatch(c.Body, -1) {
		if m[1] != "csrf_token" {
			kept.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	c.PostRaw(path+"/events", kept)
	if c.Status() != http.StatusOK || !strings.Contains(c.Body, "Du er logget inn igjen") || c.CSRF() == "" {
		t.Fatalf("sent again after signing in: %d\n%s", c.Status(), c.Body)
	}
	if n := len(events(t, app, path)); n != before {
		t.Fatal("the first send after signing in wrote something")
	}
	kept.Del("resumed")
	c.Post(path+"/events", kept)
	if c.Status() != http.StatusOK || c.Path() != path || len(events(t, app, path)) != before+1 {
		t.Errorf("the kept form was not recorded: %d at %s", c.Status(), c.Path())
	}
}

// TestLanguageLinkKeepsThePage: the language link is the page's own GET
// address with its query; on a form re-rendered by a POST it is the GET of the
// case, never the POST address.
func TestLanguageLinkKeepsThePage(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	path := app.CreateCase(t, c)
	c.Get("/cases?q=kari&status=new")
	if !strings.Contains(c.Body, `href="/cases?lang=en&amp;q=kari&amp;status=new" lang="en"`) {
		t.Error("the language link loses the list's query")
	}
	post(t, c, path, url.Values{"type": {"contact_attempt"}, "date": {day(0)}}, http.StatusUnprocessableEntity)
	link := regexp.MustCompile(`href="([^"]+)" lang="en"`).FindStringSubmatch(c.Body)
	if link == nil || html.UnescapeString(link[1]) != path+"?lang=en" {
		t.Fatalf("the language link on the re-rendered form is %v, want %s?lang=en", link, path)
	}
	c.Get(html.UnescapeString(link[1]))
	if c.Status() != http.StatusOK || !strings.Contains(c.Body, "Record a contact attempt") {
		t.Errorf("following it: %d", c.Status())
	}
	c.Post(path+"/events", url.Values{"type": {"contact_attempt"}, "date": {day(0)}, "channel": {"sms"}, "reached": {"yes"}, "with": {"person"}})
	if !strings.Contains(c.Body, "The contact attempt is recorded.") {
		t.Error("the language choice did not survive the POST and redirect")
	}
}
