package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

// TestEnglishPagesTranslateRefusalsWithValues: two real refusals with a
// date in them, on English pages.
func TestEnglishPagesTranslateRefusalsWithValues(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer) // registered 3 days ago, contact 2 days ago
	officer.Get(path + "?lang=en")
	post(t, officer, path, url.Values{"type": {"correction"}, "field": {"registered_on"}, "value": {day(1)},
		"reason": {"Feil ved registrering"}}, http.StatusUnprocessableEntity)
	want := "The registration date cannot be after the first later event in the case (Contact attempt, " + shown(day(2)) + ")."
	if !strings.Contains(officer.Body, want) {
		t.Errorf("the English correction form does not say %q:\n%s", want, visible(officer.Body))
	}
	path = app.CreateCase(t, officer) // registered 3 days ago
	post(t, officer, path, url.Values{"type": {"contact_attempt"}, "date": {day(5)}, "channel": {"phone"},
		"reached": {"yes"}, "with": {"guardian"}}, http.StatusUnprocessableEntity)
	want = "The date cannot be before the case was registered (" + shown(day(3)) + ")."
	if !strings.Contains(officer.Body, want) {
		t.Errorf("the English event form does not say %q:\n%s", want, visible(officer.Body))
	}
}
