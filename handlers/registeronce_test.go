package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

var formIDRe = regexp.MustCompile(`name="form_id" value="([^"]+)"`)

// TestRegisterFormIsOneUse: the register form carries a form_id; sending the
// same form twice (Back and send again, a double tap) registers one case, and
// the second answer is 303 to the case the first created. A new form gets a
// new id and registers a new case.
func TestRegisterFormIsOneUse(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases/new")
	m := formIDRe.FindStringSubmatch(c.Body)
	if m == nil {
		t.Fatalf("the register form has no form_id:\n%.2000s", c.Body)
	}
	form := testkit.ValidCase()
	form.Set("form_id", m[1])
	first := c.NoRedirect(http.MethodPost, "/cases", withCSRF(c, form))
	if first.StatusCode != http.StatusSeeOther {
		t.Fatalf("first send: %d", first.StatusCode)
	}
	second := c.NoRedirect(http.MethodPost, "/cases", withCSRF(c, form))
	if second.StatusCode != http.StatusSeeOther || second.Header.Get("Location") != first.Header.Get("Location") {
		t.Fatalf("second send: %d to %q, want 303 to %q", second.StatusCode, second.Header.Get("Location"), first.Header.Get("Location"))
	}
	c.Get(second.Header.Get("Location"))
	if !strings.Contains(c.Body, "Skjemaet var allerede sendt") {
		t.Errorf("the case page after a second send does not say the form was sent already")
	}
	if n := countCases(t, app); n != 1 {
		t.Fatalf("%d cases from one form sent twice", n)
	}
	// A validation error keeps the same id: fixed and sent, one case.
	c.Get("/cases/new")
	id2 := formIDRe.FindStringSubmatch(c.Body)[1]
	if id2 == m[1] {
		t.Fatal("a new register form has the old form_id")
	}
	bad := testkit.ValidCase()
	bad.Set("form_id", id2)
	bad.Set("age", "abc")
	c.Post("/cases", bad)
	if c.Status() != http.StatusUnprocessableEntity || !strings.Contains(c.Body, `name="form_id" value="`+id2+`"`) {
		t.Fatalf("the refused form lost its form_id: %d", c.Status())
	}
	bad.Set("age", "14")
	c.Post("/cases", bad)
	c.Post("/cases", bad)
	if n := countCases(t, app); n != 2 {
		t.Fatalf("%d cases after a second form sent twice, want 2", n)
	}
	// Another officer sending the same id gets a case of their own (the id
	// is one officer's, and says nothing about anyone else's cases).
	other := app.SignIn(t, "politi-asker")
	bad.Del("csrf_token")
	other.Post("/cases", bad)
	if n := countCases(t, app); n != 3 || strings.Contains(other.Path(), strings.TrimPrefix(first.Header.Get("Location"), "/cases/")) {
		t.Fatalf("another officer's send with the same form_id: %d cases, at %s", n, other.Path())
	}
}

// withCSRF adds the browser's current CSRF token to form.
func withCSRF(c *testkit.Client, form url.Values) url.Values {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("csrf_token", c.CSRF())
	return f
}
