package handlers_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

var (
	formActionRe = regexp.MustCompile(`action="(/cases/[^"/?#]+)[^"]*"`)
	allTokensRe  = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	nextTypeRe   = regexp.MustCompile(`(?s)id="next-h".*?name="type" value="([a-z_]+)"`)
)

// formsOf checks that every form on a case page posts to that case with the
// session's own token (the header's logout form is rendered apart from the
// case's forms, so it is the reference) and returns the next step's type.
func formsOf(t *testing.T, c *testkit.Client, casePath string) string {
	t.Helper()
	c.Get(casePath)
	if c.Status() != 200 {
		t.Fatalf("%s: %d", casePath, c.Status())
	}
	acts := formActionRe.FindAllStringSubmatch(c.Body, -1)
	toks := allTokensRe.FindAllStringSubmatch(c.Body, -1)
	if len(acts) < 3 || len(toks) < 3 {
		t.Fatalf("%s: %d case forms, %d tokens: the page lost its forms", casePath, len(acts), len(toks))
	}
	path, _, _ := strings.Cut(casePath, "?")
	for _, m := range acts {
		if m[1] != path {
			t.Errorf("%s: a form acts on %s", casePath, m[1])
		}
	}
	for _, m := range toks {
		if m[1] != toks[0][1] {
			t.Errorf("%s: forms carry two tokens, %s and %s", casePath, toks[0][1], m[1])
		}
	}
	next := nextTypeRe.FindStringSubmatch(c.Body)
	if next == nil {
		return ""
	}
	return next[1]
}

// TestCaseFormsAreTheirOwnCasesAndSessions: the case page's forms are made
// once and reused (formsections.go); whichever case and session come next,
// each page's forms post to its own case with its own session's token, move
// on with the case, and follow the language.
func TestCaseFormsAreTheirOwnCasesAndSessions(t *testing.T) {
	app := testkit.NewApp(t)
	first := app.SignIn(t, "politi")
	x, y := app.CreateCase(t, first), app.CreateCase(t, first)
	second := app.SignIn(t, "politi")
	if n := formsOf(t, first, x); n != "contact_attempt" {
		t.Fatalf("a new case's next step is %q", n)
	}
	tokFirst := first.CSRF()
	formsOf(t, second, y)
	formsOf(t, second, x)
	if second.CSRF() == tokFirst {
		t.Fatal("two sessions' pages carry the same token")
	}
	formsOf(t, first, y)
	if first.CSRF() != tokFirst {
		t.Fatal("the first session's page carries another token")
	}

	first.Get(x)
	first.Post(x+"/events", url.Values{"type": {"contact_attempt"}, "date": {day(0)}, "channel": {"phone"}, "reached": {"yes"}, "with": {"guardian"}})
	if n := formsOf(t, first, x); n == "contact_attempt" || n == "" {
		t.Fatalf("after a contact the next step is still %q", n)
	}
	if n := formsOf(t, second, y); n != "contact_attempt" {
		t.Fatalf("the other case's next step became %q", n)
	}

	nb := first.Get(y).Body
	en := first.Get(y + "?lang=en").Body
	if !strings.Contains(nb, "Registrer kontaktforsøk") || strings.Contains(en, "Registrer kontaktforsøk") {
		t.Fatal("the forms do not follow the language")
	}
	formsOf(t, first, y+"?lang=en")
}
