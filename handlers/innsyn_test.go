package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

// TestSubjectAccessReportListsEveryViewer: after the guide has seen a case
// handed over to the school and the officer has opened it, the officer's
// report on the case names both, with Oslo times, every stored field
// including the personal ones, and the timeline; the guide gets 404 on it.
func TestSubjectAccessReportListsEveryViewer(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := heldCase(t, app, officer)
	post(t, officer, path, proposeTo("bekkestua-ungdomsskole", "statutory", inDays(7)), http.StatusUnprocessableEntity)
	officer.Get(path)
	v := proposeTo("bekkestua-ungdomsskole", "statutory", inDays(7))
	v.Set("legal_reference", "Opplæringslova § 12-3")
	post(t, officer, path, v, http.StatusOK)
	guide := app.SignIn(t, "guide")
	guide.Get(path)
	if guide.Status() != http.StatusOK {
		t.Fatalf("the guide cannot open the handed-over case: %d", guide.Status())
	}
	officer.Get(path + "/innsyn")
	page := visibleText(officer.Body)
	if officer.Status() != http.StatusOK {
		t.Fatalf("report: %d", officer.Status())
	}
	for _, want := range []string{"Test politi", "Test guide", "Trygghetsguide", "Åpnet sak", "norsk tid",
		"Kari Canary7Q4Z Nordmann", "Ola Canary8W Nordmann", "canary-note-9X2W", "CanaryRef 17652281", "Overføring foreslått"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	guide.Get(path + "/innsyn")
	if guide.Status() != http.StatusNotFound {
		t.Errorf("the guide's request for the report: %d, want 404", guide.Status())
	}
}

// TestAccessibilityStatementIsPublic: the statement opens without signing in
// and names the standard and where to write.
func TestAccessibilityStatementIsPublic(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.Anonymous(t)
	c.Get("/tilgjengelighet")
	if c.Status() != http.StatusOK || !strings.Contains(c.Body, "WCAG 2.1") || !strings.Contains(c.Body, "Tilbakemelding") {
		t.Fatalf("statement: %d", c.Status())
	}
}
