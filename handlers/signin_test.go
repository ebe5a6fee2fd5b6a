package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"tryggspor/internal/auth"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// lastLoginDenial is the newest refused sign-in in the audit log.
func lastLoginDenial(t *testing.T, app *testkit.App) string {
	t.Helper()
	recs, _, err := app.Store.SearchAudit(context.Background(), tryggspor.AuditFilter{Action: tryggspor.ActLogin,
		Outcome: tryggspor.OutcomeDenied, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		return ""
	}
	return recs[0].Entry.Detail
}

// noSession says the browser is not signed in.
func noSession(t *testing.T, c *testkit.Client) {
	t.Helper()
	if c.Get("/cases"); c.Path() == "/cases" {
		t.Error("a refused sign-in left a session")
	}
}

// schoolGuidesOnly is a provider trusted for guides at schools only, whose
// roles come from a "groups" claim through a role map.
func schoolGuidesOnly(c *auth.Config) {
	c.Name, c.RoleClaim = "skole", "groups"
	c.RoleMap = map[string]string{"tp-guide": "guide", "tp-leder": "leader", "tp-politi": "officer"}
	c.Trust = &tryggspor.Trust{Roles: []tryggspor.Role{tryggspor.RoleGuide}, OrgKinds: []tryggspor.OrgKind{tryggspor.OrgSchool}}
}

func TestProviderTrustLimitsWhatATokenMayAssert(t *testing.T) {
	app := testkit.NewAppWith(t, schoolGuidesOnly)
	cases := []struct {
		name   string
		claims map[string]any
		reason string
	}{
		{"a leader from a guides-only provider", map[string]any{"groups": []any{"tp-leder"}, "tryggspor_org": "vest"},
			"«skole» kan ikke gi rollen leader"},
		{"a guide at Barnehuset from a schools-only provider", map[string]any{"groups": []any{"tp-guide"}, "tryggspor_org": "barnehuset-oslo"},
			"«skole» kan ikke gi tilgang for organisasjonstypen barnehuset"},
		{"two roles", map[string]any{"groups": []any{"other", "tp-guide", "tp-politi"}, "tryggspor_org": "bekkestua-ungdomsskole"},
			"mer enn én rolle (guide, officer)"},
		{"two organisations", map[string]any{"groups": []any{"tp-guide"}, "tryggspor_org": []any{"bekkestua-ungdomsskole", "sandvika-vgs"}},
			"mer enn én organisasjon"},
		{"no role", map[string]any{"groups": []any{"other"}, "tryggspor_org": "bekkestua-ungdomsskole"},
			"ingen rolle"},
	}
	for _, tc := range cases {
		c := app.SignInClaims(t, "u-"+strings.ReplaceAll(tc.name, " ", "-"), tc.claims)
		if c.Status() != http.StatusForbidden || !strings.Contains(c.Body, "Ingen tilgang") || !strings.Contains(c.Body, tc.reason) {
			t.Errorf("%s: %d: %.400s", tc.name, c.Status(), c.Body)
		}
		if got := lastLoginDenial(t, app); !strings.Contains(got, tc.reason) {
			t.Errorf("%s: audited as %q", tc.name, got)
		}
		noSession(t, c)
	}
	c := app.SignInClaims(t, "ok-guide", map[string]any{"groups": []any{"other", "tp-guide"}, "tryggspor_org": "bekkestua-ungdomsskole"})
	if c.Path() != "/handovers" || c.Status() != http.StatusOK {
		t.Errorf("a guide at a school: %d at %s", c.Status(), c.Path())
	}
}

// TestAnsattportenAuthorizationDetails maps the organisation an employee
// acts for, named by its number in Ansattporten's authorization_details, to
// the organisation registered with that orgno.
func TestAnsattportenAuthorizationDetails(t *testing.T) {
	app := testkit.NewAppWith(t, func(c *auth.Config) {
		c.Name, c.FixedRole, c.OrgClaim, c.OrgValue = "ansattporten", "guide", "authorization_details", "orgno"
		c.Trust = &tryggspor.Trust{Roles: []tryggspor.Role{tryggspor.RoleGuide},
			OrgKinds: []tryggspor.OrgKind{tryggspor.OrgSchool, tryggspor.OrgBarnehuset, tryggspor.OrgMunicipalService}}
	})
	details := func(orgnos ...string) map[string]any {
		var reportees []any
		for _, n := range orgnos {
			reportees = append(reportees, map[string]any{"Rights": []any{"Read"}, "Authority": "iso6523-actorid-upis",
				"ID": "0192:" + n, "Name": "ORG " + n})
		}
		return map[string]any{"authorization_details": []any{map[string]any{
			"type": "ansattporten:altinn:service", "resource": "urn:altinn:resource:tryggspor-guide",
			"reportees": reportees}}}
	}
	c := app.SignInClaims(t, "ap-1", details("977293812")) // Bekkestua ungdomsskole in the demo data
	if c.Path() != "/handovers" || c.Status() != http.StatusOK {
		t.Fatalf("authorization_details with Bekkestua's orgno: %d at %s: %.300s", c.Status(), c.Path(), c.Body)
	}
	var u tryggspor.User
	users, _ := app.Store.ListUsers(context.Background())
	for _, x := range users {
		if x.Subject == "ap-1" {
			u = x
		}
	}
	if u.Org != "bekkestua-ungdomsskole" || u.Role != tryggspor.RoleGuide {
		t.Errorf("signed in as %+v", u)
	}
	// The same shape with the orgno object of Ansattporten's orgno type.
	c = app.SignInClaims(t, "ap-2", map[string]any{"authorization_details": []any{map[string]any{"type": "ansattporten:orgno",
		"orgno": map[string]any{"authority": "iso6523-actorid-upis", "ID": "0192:996551075"}}}})
	if c.Path() != "/handovers" {
		t.Errorf("orgno object for Sandvika vgs: %d at %s", c.Status(), c.Path())
	}
	// A police unit's number is outside this provider's trust; an unknown
	// number is an unregistered organisation; two numbers are refused.
	for _, tc := range []struct {
		orgnos []string
		reason string
	}{
		{[]string{"931445677"}, "organisasjonstypen police_unit"},
		{[]string{"921111118"}, "ikke registrert"},
		{[]string{"977293812", "996551075"}, "mer enn én organisasjon"},
	} {
		c := app.SignInClaims(t, "ap-x", details(tc.orgnos...))
		if c.Status() != http.StatusForbidden || !strings.Contains(lastLoginDenial(t, app), tc.reason) {
			t.Errorf("%v: %d, audited %q", tc.orgnos, c.Status(), lastLoginDenial(t, app))
		}
	}
}

// TestProviderErrorIsAuditedAndExplained: access_denied from the provider
// is "no access", audited with the provider's code; a callback whose state
// this browser did not start is a technical failure with its own page.
func TestProviderErrorIsAuditedAndExplained(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.Anonymous(t)
	resp := c.NoRedirect("GET", "/login", nil)
	loc := resp.Header.Get("Location")
	state := loc[strings.Index(loc, "state=")+len("state="):]
	state = state[:strings.IndexAny(state+"&", "&")]
	c.Get("/auth/callback?error=access_denied&error_description=User+cancelled&state=" + state)
	if c.Status() != http.StatusForbidden || !strings.Contains(c.Body, "access_denied") {
		t.Errorf("access_denied: %d %.300s", c.Status(), c.Body)
	}
	if got := lastLoginDenial(t, app); !strings.Contains(got, "svarte access_denied") {
		t.Errorf("audited as %q", got)
	}
	c = app.Anonymous(t)
	c.Get("/auth/callback?code=x&state=not-mine")
	if c.Status() != http.StatusBadRequest || !strings.Contains(c.Body, "Innloggingen mislyktes") || strings.Contains(c.Body, "Tilgang til Tryggspor gis av") {
		t.Errorf("foreign state: %d %.300s", c.Status(), c.Body)
	}
	if got := lastLoginDenial(t, app); !strings.Contains(got, "påloggingsinformasjonskapselen") {
		t.Errorf("lost cookie audited as %q", got)
	}
}
