package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

var heldRe = regexp.MustCompile(`name="held" value="([^"]+)"`)

// TestConfirmationIsAPageOfItsOwn: an event that needs confirmation, sent
// without it, answers 303 to a GET page (the values wait server-side, never
// in the URL); reload shows it again and writes nothing; its form records
// the event once; the page and its form are used up after that; another
// officer cannot open it.
func TestConfirmationIsAPageOfItsOwn(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	path := app.CreateCase(t, c)
	c.Get(path)
	form := url.Values{"type": {"declined"}, "date": {day(0)}, "by": {"guardian"}, "reason": {"Vil ikke Qx7"}, "csrf_token": {c.CSRF()}}
	r := c.NoRedirect(http.MethodPost, path+"/events", form)
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, path+"/confirm?held=") {
		t.Fatalf("declined without confirmed=yes: %d to %q, want 303 to the confirmation page", r.StatusCode, loc)
	}
	if strings.Contains(loc, "Qx7") || strings.Contains(loc, "guardian") {
		t.Errorf("the typed values travel in the URL: %s", loc)
	}
	before := len(events(t, app, path))
	c.Get(loc)
	c.Get(loc) // reload
	if c.Status() != http.StatusOK || !strings.Contains(c.Body, "Vil ikke Qx7") || !strings.Contains(c.Body, `name="confirmed" value="yes"`) {
		t.Fatalf("confirmation page: %d\n%.1500s", c.Status(), c.Body)
	}
	if n := len(events(t, app, path)); n != before {
		t.Fatal("the confirmation page wrote an event")
	}
	// Another officer with the token: sent back to the case, nothing shown.
	other := app.SignIn(t, "politi-asker")
	other.Get(loc)
	if strings.Contains(other.Body, "Vil ikke Qx7") {
		t.Error("another officer opened the held confirmation")
	}
	// The token is this case's, and the values are the ones the page
	// showed: sent to another case, or with other values, it records
	// nothing else.
	otherCase := app.CreateCase(t, c)
	c.Get(otherCase)
	misuse := url.Values{"type": {"declined"}, "date": {day(0)}, "by": {"guardian"}, "confirmed": {"yes"},
		"held": {heldOf(t, loc)}, "csrf_token": {c.CSRF()}}
	c.Post(otherCase+"/events", misuse)
	if n := len(events(t, app, otherCase)); n != 1 {
		t.Fatalf("another case's confirmation recorded %d events on this one", n-1)
	}
	c.Get(loc)
	if !strings.Contains(c.Body, "Vil ikke Qx7") {
		t.Fatal("a misused token was used up")
	}
	// Confirm: the page's own form.
	confirmed := url.Values{"reason": {"Endret underveis"}} // a changed value: the held one is recorded
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)"`).FindAllStringSubmatch(c.Body, -1) {
		confirmed.Set(m[1], html.UnescapeString(m[2]))
	}
	if heldRe.FindStringSubmatch(c.Body) == nil {
		t.Fatal("the confirmation form does not name its held values")
	}
	c.Post(path+"/events", confirmed)
	if c.Path() != path || len(events(t, app, path)) != before+1 {
		t.Fatalf("confirmed: at %s with %d events, want %s with %d", c.Path(), len(events(t, app, path)), path, before+1)
	}
	if evs := events(t, app, path); evs[len(evs)-1].Text.Reason != "Vil ikke Qx7" {
		t.Errorf("recorded reason %q, want the one the page showed", evs[len(evs)-1].Text.Reason)
	}
	// Back to the confirmation page, and its form sent again: used up.
	c.Get(loc)
	if c.Path() != path || !strings.Contains(c.Body, "allerede brukt") {
		t.Errorf("the used confirmation page: at %s", c.Path())
	}
	confirmed.Set("csrf_token", c.CSRF())
	c.Post(path+"/events", confirmed)
	if n := len(events(t, app, path)); n != before+1 {
		t.Errorf("the confirmation sent twice recorded %d events", n-before)
	}
}

// heldOf is the held token in a confirmation page's address.
func heldOf(t *testing.T, loc string) string {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("held")
}
