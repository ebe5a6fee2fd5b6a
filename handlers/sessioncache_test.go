package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

// TestNewRoleAtSignInReachesTheOtherBrowserAtOnce: sessions are kept in
// memory a few seconds (store/sessioncache.go). An officer signed in in one
// browser who signs in elsewhere as a guide (the provider now says so) has
// the guide's rights and menu in the first browser on its very next page,
// not 5 s later: /cases refused, /handovers open, no officer link shown.
func TestNewRoleAtSignInReachesTheOtherBrowserAtOnce(t *testing.T) {
	app := testkit.NewApp(t)
	first := app.SignIn(t, "politi")
	if first.Get("/cases"); first.Status() != http.StatusOK { // the session is now in memory
		t.Fatalf("/cases as an officer: %d", first.Status())
	}
	second := app.SignInClaims(t, "politi", map[string]any{"name": "Test politi", "email": "politi@example.org",
		"tryggspor_role": "guide", "tryggspor_org": "bekkestua-ungdomsskole"})
	if second.Status() != http.StatusOK {
		t.Fatalf("sign-in as a guide: %d at %s", second.Status(), second.Path())
	}
	if first.Get("/cases"); first.Status() != http.StatusForbidden {
		t.Errorf("the first browser still opens /cases after the role became guide: %d", first.Status())
	}
	if first.Get("/handovers"); first.Status() != http.StatusOK {
		t.Errorf("the first browser does not have the guide's /handovers: %d", first.Status())
	}
	if strings.Contains(first.Body, `href="/cases/new"`) {
		t.Error("the first browser's menu is still the officer's")
	}
}
