package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

func day(daysAgo int) string {
	return tryggspor.FormatDate(tryggspor.Today(time.Now()).AddDate(0, 0, -daysAgo))
}

// shown is a YYYY-MM-DD date as the pages write it (dd.mm.yyyy).
func shown(iso string) string {
	d, _ := tryggspor.ParseDate(iso)
	return d.Format("02.01.2006")
}

func events(t *testing.T, app *testkit.App, casePath string) []tryggspor.Event {
	t.Helper()
	_, evs, err := app.Store.GetCase(context.Background(), tryggspor.Scope{All: true}, strings.TrimPrefix(casePath, "/cases/"))
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestOfficerWorksCaseToOutcome(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	if c.Path() != "/cases" {
		t.Fatalf("officer landed on %s, want /cases", c.Path())
	}
	path := app.CreateCase(t, c)
	if !regexp.MustCompile(`TP-\d{4}-\d{4}`).MatchString(c.Body) || !strings.Contains(c.Body, "Saken er registrert.") {
		t.Fatalf("case page shows no ref or confirmation:\n%s", c.Body)
	}
	steps := []url.Values{
		{"type": {"contact_attempt"}, "date": {day(2)}, "channel": {"phone"}, "reached": {"yes"}, "with": {"guardian"}},
		{"type": {"offer_made"}, "date": {day(2)}},
		{"type": {"conversation_scheduled"}, "date": {day(1)}},
		{"type": {"conversation_held"}, "date": {day(0)}, "safety": {"2"}},
	}
	for _, s := range steps {
		c.Post(path+"/events", s)
		if c.Status() != http.StatusOK || c.Path() != path {
			t.Fatalf("%s: %d at %s\n%s", s.Get("type"), c.Status(), c.Path(), c.Body)
		}
	}
	for _, want := range []string{"Kontaktforsøk", "Tilbud gitt", "Samtale avtalt", "Trygghetssamtale gjennomført", shown(day(2)), shown(day(1)), shown(day(0))} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	if n := len(events(t, app, path)); n != 5 {
		t.Fatalf("case has %d events, want 5", n)
	}

	// A decline after the held conversation is refused with a message, no 5xx.
	c.Post(path+"/events", url.Values{"type": {"declined"}, "date": {day(0)}, "by": {"guardian"}})
	if c.Status() != http.StatusConflict || !strings.Contains(c.Body, "Trygghetssamtalen er gjennomført") {
		t.Errorf("decline after conversation: %d, body lacks the message", c.Status())
	}
	// An officer accepting a handover is refused the same way.
	c.Post(path+"/events", url.Values{"type": {"handover_accepted"}, "date": {day(0)}})
	if c.Status() != http.StatusForbidden || !strings.Contains(c.Body, "Bare trygghetsguider") {
		t.Errorf("officer accepting handover: %d", c.Status())
	}
	if n := len(events(t, app, path)); n != 5 {
		t.Errorf("refused events changed the case: %d events", n)
	}
	cs, _, _ := app.Store.GetCase(context.Background(), tryggspor.Scope{All: true}, strings.TrimPrefix(path, "/cases/"))
	if cs.Outcome != tryggspor.OutcomeConversation || cs.Status != tryggspor.StatusHeld {
		t.Errorf("case is %s/%s, want conversation_held/conversation", cs.Status, cs.Outcome)
	}
}

func TestRegisterFormKeepsInputAndExplains(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases/new")
	form := testkit.ValidCase()
	form.Set("category", "violence")
	form.Set("age", "25")
	c.Post("/cases", form)
	if c.Status() != http.StatusUnprocessableEntity {
		t.Fatalf("adult victim of violence: status %d, want 422", c.Status())
	}
	ageMsg := regexp.MustCompile(`id="age"[^>]*aria-invalid="true"[^>]*aria-describedby="age-error"[\s\S]*?<p class="ds-validation-message"[^>]*id="age-error">Personer over 18 år`)
	if !ageMsg.MatchString(c.Body) {
		t.Errorf("no message beside the age field:\n%s", c.Body)
	}
	if !strings.Contains(c.Body, `value="Kari Canary7Q4Z Nordmann"`) || !strings.Contains(c.Body, `value="25"`) {
		t.Error("the form lost the user's input")
	}
	cs, _ := app.Store.ListCases(context.Background(), tryggspor.Scope{All: true}, tryggspor.CaseFilter{})
	if len(cs) != 0 {
		t.Errorf("a refused registration wrote %d cases", len(cs))
	}
	// The same person as a witness is accepted.
	form.Set("role", "witness")
	c.Post("/cases", form)
	if c.Status() != http.StatusOK || !strings.HasPrefix(c.Path(), "/cases/") {
		t.Errorf("adult witness: %d at %s", c.Status(), c.Path())
	}
}

func TestOnlyTheOwningUnitSeesTheCase(t *testing.T) {
	app := testkit.NewApp(t)
	path := app.CreateCase(t, app.SignIn(t, "politi"))
	want := map[string]int{"guide": 404, "barnehuset": 404, "politi-asker": 404, "leder": 403, "admin": 403, "revisor": 403}
	for user, code := range want {
		c := app.SignIn(t, user)
		c.Get(path)
		if c.Status() != code {
			t.Errorf("%s: GET case got %d, want %d", user, c.Status(), code)
		}
		if strings.Contains(c.Body, "Canary7Q4Z") {
			t.Errorf("%s saw the person's name", user)
		}
	}
	asker := app.SignIn(t, "politi-asker")
	asker.Get("/cases")
	if strings.Contains(asker.Body, "Canary7Q4Z") {
		t.Error("another unit's officer sees the case in the list")
	}
	anon := app.Anonymous(t)
	if r := anon.NoRedirect("GET", path, nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("anonymous: %d to %q, want 303 to /login", r.StatusCode, r.Header.Get("Location"))
	}
	entries, err := app.Store.ListAudit(context.Background(), strings.TrimPrefix(path, "/cases/"), 100)
	if err != nil {
		t.Fatal(err)
	}
	denied := 0
	for _, e := range entries {
		if e.Entry.Action == "case.view" && e.Entry.Outcome == "denied" {
			denied++
		}
	}
	if denied != 3 {
		t.Errorf("%d denied case views audited for the case, want 3 (guide, barnehuset, politi-asker)", denied)
	}
}

func TestPostWithoutCSRFTokenIsRefused(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.PostRaw("/cases", testkit.ValidCase())
	if c.Status() != http.StatusForbidden {
		t.Fatalf("POST without token: %d, want 403", c.Status())
	}
	bad := testkit.ValidCase()
	bad.Set("csrf_token", "forged")
	c.PostRaw("/cases", bad)
	if c.Status() != http.StatusForbidden {
		t.Fatalf("POST with a wrong token: %d, want 403", c.Status())
	}
	cs, _ := app.Store.ListCases(context.Background(), tryggspor.Scope{All: true}, tryggspor.CaseFilter{})
	if len(cs) != 0 {
		t.Errorf("%d cases written without a valid token", len(cs))
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases")
	c.Post("/logout", url.Values{})
	if c.Status() != http.StatusOK || !strings.Contains(c.Body, "logget ut") {
		t.Fatalf("logout: %d", c.Status())
	}
	// Replay the old cookie by hand: the server must no longer know it.
	u, _ := url.Parse(app.URL)
	fresh := app.Anonymous(t)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "__Host-tryggspor" {
			t.Fatal("the browser kept the session cookie after logout")
		}
	}
	_ = fresh
}

func TestOldSessionCookieOpensNothingAfterLogout(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	u, _ := url.Parse(app.URL)
	var old *http.Cookie
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "__Host-tryggspor" {
			old = ck
		}
	}
	if old == nil {
		t.Fatal("no session cookie after sign-in")
	}
	c.Get("/cases")
	c.Post("/logout", url.Values{})
	replay := app.Anonymous(t)
	replay.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: old.Name, Value: old.Value, Path: "/"}})
	for _, p := range []string{"/cases", "/cases/new", "/"} {
		if r := replay.NoRedirect("GET", p, nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("old cookie on %s: %d to %q", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases")
	h := c.Resp.Header
	for k, want := range map[string]string{
		"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
		"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "style-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(c.Body, "<script>") || strings.Contains(c.Body, "style=") {
		t.Error("inline script or style")
	}
	u, _ := url.Parse(app.URL)
	_ = u
	if !strings.Contains(c.Resp.Request.Header.Get("Cookie"), "__Host-tryggspor=") {
		t.Error("session cookie not sent under the __Host- name")
	}
}
