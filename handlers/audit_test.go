package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// rawKeys are what the log page must never show: action keys and route
// patterns.
var rawKeys = regexp.MustCompile(`\b(case\.(view|list|create)|event\.append|audit\.view|route\.denied|csrf\.denied|stats\.export)\b|/:id|/:code|GET /`)

// TestAuditorFindsWhoSawACase works as the data-protection officer does:
// filter the log by a user and a date range, open one case's log by its TP-
// reference, download the selection; in both languages, with nothing but
// words and Oslo times on the page.
func TestAuditorFindsWhoSawACase(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	path := app.CreateCase(t, officer)
	officer.Get(path)
	ref := regexp.MustCompile(`TP-\d{4}-\d{4}`).FindString(officer.Body)
	guide := app.SignIn(t, "guide")
	guide.Get(path) // refused: not handed over
	guide.Get("/stats")
	today := tryggspor.FormatDate(tryggspor.Today(app.Clock.Now()))

	rev := app.SignIn(t, "revisor")
	for _, lang := range []string{"nb", "en"} {
		rev.Get("/audit?lang=" + lang)
		rev.Get("/audit?" + url.Values{"user": {"politi"}, "from": {today}, "to": {today}}.Encode())
		if rev.Status() != http.StatusOK {
			t.Fatalf("%s: filtered log: %d", lang, rev.Status())
		}
		body := visibleText(rev.Body)
		if !strings.Contains(body, ref) || strings.Contains(body, "Test guide") {
			t.Errorf("%s: the filter by politi does not show exactly politi's entries", lang)
		}
		if m := rawKeys.FindString(body); m != "" {
			t.Errorf("%s: the log page shows the raw key %q", lang, m)
		}
		wantTime := map[string]string{"nb": "norsk tid", "en": "Norwegian time"}[lang]
		if !strings.Contains(body, wantTime) {
			t.Errorf("%s: times are not said to be Norwegian time", lang)
		}
		if regexp.MustCompile(`\d{4}-\d{2}-\d{2}`).MatchString(body) {
			t.Errorf("%s: the log writes dates as YYYY-MM-DD", lang)
		}
	}
	rev.Get("/audit?lang=nb")
	rev.Get("/audit/cases/" + ref)
	body := visibleText(rev.Body)
	if rev.Status() != http.StatusOK || !strings.Contains(body, "Åpnet sak") || !strings.Contains(body, "Test politi") ||
		!strings.Contains(body, "Test guide") || !strings.Contains(body, "Avvist") {
		t.Fatalf("the case's log by reference does not list the officer's view and the guide's refused one: %d\n%s", rev.Status(), body)
	}
	rev.Get("/audit/cases/TP-1999-0001")
	if rev.Status() != http.StatusNotFound {
		t.Errorf("an unknown case's log: %d, want 404", rev.Status())
	}
	rev.Get("/audit?ref=TP-1999-0001")
	if rev.Status() != http.StatusUnprocessableEntity || !strings.Contains(rev.Body, "Ingen sak har referansen") {
		t.Errorf("an unknown reference in the filter: %d, want the form with a message", rev.Status())
	}
	rev.Get("/audit/export.csv?" + url.Values{"ref": {ref}}.Encode())
	csv := rev.Body
	if rev.Status() != http.StatusOK || !strings.HasPrefix(csv, "\ufeff") || !strings.Contains(csv, "Åpnet sak") ||
		!strings.Contains(csv, ref) || rawKeys.MatchString(csv) {
		t.Fatalf("export of the selection: %d\n%.600s", rev.Status(), csv)
	}
}

var tags = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)

// visibleText is the page as a reader sees it: no tags, attributes or input
// values.
func visibleText(html string) string { return tags.ReplaceAllString(html, " ") }
