package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
)

// TestFormSentAfterTheSessionEndedComesBackAfterSigningIn: a register form
// sent after the idle timeout is answered with a page saying nothing was
// saved; signing in again in the same browser brings back the register form
// filled in as it was sent, with that word, and sending it registers one
// case. The held form is for that user alone and used once.
func TestFormSentAfterTheSessionEndedComesBackAfterSigningIn(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases/new")
	form := testkit.ValidCase()
	form.Set("form_id", formIDRe.FindStringSubmatch(c.Body)[1])
	form.Set("csrf_token", c.CSRF())
	app.Clock.T = app.Clock.T.Add(20 * time.Minute) // the session ends
	c.Post("/cases", form)
	if c.Status() != http.StatusUnauthorized || !strings.Contains(c.Body, "Ingenting er lagret") || !strings.Contains(c.Body, `href="/login">Logg inn og fortsett`) {
		t.Fatalf("form after the session ended: %d\n%.2000s", c.Status(), c.Body)
	}
	if n := countCases(t, app); n != 0 {
		t.Fatalf("%d cases written by a form sent without a session", n)
	}
	app.Clock.T = app.Clock.T.Add(2 * time.Minute) // the sign-in takes a while
	c.SignInAgain("politi")
	if c.Path() != "/resume" || !strings.Contains(c.Body, "ingenting ble lagret") ||
		!strings.Contains(c.Body, "Kari Canary7Q4Z Nordmann") || !strings.Contains(c.Body, `action="/cases"`) {
		t.Fatalf("after signing in again: %d at %s\n%.3000s", c.Status(), c.Path(), c.Body)
	}
	if m := formIDRe.FindStringSubmatch(c.Body); m == nil || m[1] != form.Get("form_id") {
		t.Errorf("the form came back without its form_id")
	}
	form.Set("csrf_token", c.CSRF())
	c.Post("/cases", form)
	if n := countCases(t, app); n != 1 || !strings.HasPrefix(c.Path(), "/cases/") {
		t.Fatalf("the form brought back and sent: %d cases, at %s", n, c.Path())
	}
	// Used once: the address again shows nothing of it.
	c.Get("/resume")
	if strings.Contains(c.Body, `value="Kari Canary7Q4Z`) || !strings.Contains(c.Body, "kunne ikke hentes tilbake") {
		t.Errorf("/resume a second time: %.1000s", c.Body)
	}
}

// TestHeldFormIsForItsUserAlone: on a shared computer, the next person who
// signs in does not see what the previous one typed.
func TestHeldFormIsForItsUserAlone(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases/new")
	form := testkit.ValidCase()
	form.Set("csrf_token", c.CSRF())
	app.Clock.T = app.Clock.T.Add(20 * time.Minute)
	c.Post("/cases", form)
	c.SignInAgain("politi-asker")
	if strings.Contains(c.Body, "Kari Canary7Q4Z") || strings.Contains(c.Body, "canary-note-9X2W") {
		t.Fatalf("another officer saw the held form at %s", c.Path())
	}
	// …and it is gone for its own user too (dropped, not kept for later).
	c.SignInAgain("politi")
	if strings.Contains(c.Body, "Kari Canary7Q4Z") {
		t.Error("the held form survived another user's sign-in")
	}
}
