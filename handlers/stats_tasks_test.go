package handlers_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/demo"
	"tryggspor/internal/testkit"
)

// TestLeadersTasksShowRefsNotCounts: a leader's task list (escalated
// handovers on the demo data) names cases by ref and due date only; no
// count of anything appears that suppression would have to cover.
func TestLeadersTasksShowRefsNotCounts(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	if err := demo.Seed(ctx, app.Store, app.Service, app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	officer := app.SignIn(t, "politi")
	for i := 0; i < 2; i++ { // two handovers left unanswered
		path := heldCase(t, app, officer)
		post(t, officer, path, consentFor("bekkestua-ungdomsskole", inDays(200)), http.StatusOK)
		post(t, officer, path, proposeTo("bekkestua-ungdomsskole", "consent", inDays(25)), http.StatusOK) // within the 30-day bound
	}
	app.Clock.T = app.Clock.T.AddDate(0, 0, 20) // they escalate to the leaders
	if _, err := app.Engine.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	c := app.SignIn(t, "leder")
	c.Get("/tasks")
	main := c.Body[strings.Index(c.Body, `<main`):strings.Index(c.Body, `</main>`)]
	text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(main, " "))
	refs := regexp.MustCompile(`TP-\d{4}-\d{4,}`).FindAllString(text, -1)
	rest := regexp.MustCompile(`TP-\d{4}-\d{4,}|\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}`).ReplaceAllString(text, "")
	if regexp.MustCompile(`\d`).MatchString(rest) {
		t.Errorf("the leader's tasks show a number besides refs and dates:\n%s", strings.Join(strings.Fields(rest), " "))
	}
	if strings.Contains(main, `href="/cases/`) {
		t.Error("the leader's tasks link to case pages")
	}
	if len(refs) == 0 {
		t.Fatal("no escalated handover reached the leader: the test shows nothing")
	}
}
