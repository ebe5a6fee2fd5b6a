package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

// expected is the role × route matrix: for every route, the status each kind
// of visitor gets. "anon" is a browser that has not signed in. A route added
// without a row here fails TestRoleRouteMatrix.
var expected = map[string]map[string]int{
	"GET /healthz":           {"anon": 200, "politi": 200, "guide": 200, "leder": 200, "admin": 200, "revisor": 200},
	"GET /readyz":            {"anon": 200, "politi": 200, "guide": 200, "leder": 200, "admin": 200, "revisor": 200},
	"GET /static/*":          {"anon": 200, "politi": 200, "guide": 200, "leder": 200, "admin": 200, "revisor": 200},
	"GET /favicon.ico":       {"anon": 200, "politi": 200, "guide": 200, "leder": 200, "admin": 200, "revisor": 200},
	"GET /login":             {"anon": 302, "politi": 303, "guide": 303, "leder": 303, "admin": 303, "revisor": 303},
	"GET /auth/callback":     {"anon": 400, "politi": 400, "guide": 400, "leder": 400, "admin": 400, "revisor": 400},
	"POST /logout":           {"anon": 303, "politi": 303, "guide": 303, "leder": 303, "admin": 303, "revisor": 303},
	"GET /signedout":         {"anon": 200, "politi": 200, "guide": 200, "leder": 200, "admin": 200, "revisor": 200},
	"GET /":                  {"anon": 303, "politi": 303, "guide": 303, "leder": 303, "admin": 303, "revisor": 303},
	"GET /cases":             {"anon": 303, "politi": 200, "guide": 403, "leder": 403, "admin": 403, "revisor": 403},
	"GET /cases/new":         {"anon": 303, "politi": 200, "guide": 403, "leder": 403, "admin": 403, "revisor": 403},
	"POST /cases":            {"anon": 303, "politi": 422, "guide": 403, "leder": 403, "admin": 403, "revisor": 403},
	"GET /cases/import":      {"anon": 303, "politi": 200, "guide": 403, "leder": 403, "admin": 403, "revisor": 403},
	"POST /cases/import":     {"anon": 303, "politi": 422, "guide": 403, "leder": 403, "admin": 403, "revisor": 403},
	"GET /cases/:id":         {"anon": 303, "politi": 200, "guide": 404, "leder": 403, "admin": 403, "revisor": 403},
	"POST /cases/:id/events": {"anon": 303, "politi": 422, "guide": 404, "leder": 403, "admin": 403, "revisor": 403},
	"GET /resume":            {"anon": 303, "politi": 303, "guide": 303, "leder": 303, "admin": 303, "revisor": 303},
	"GET /cases/:id/confirm": {"anon": 303, "politi": 303, "guide": 303, "leder": 403, "admin": 403, "revisor": 403},
	"GET /cases/:id/innsyn":  {"anon": 303, "politi": 200, "guide": 404, "leder": 403, "admin": 403, "revisor": 403},
	"GET /cases/:id/plan":    {"anon": 303, "politi": 200, "guide": 404, "leder": 403, "admin": 403, "revisor": 403},
	"GET /handovers":         {"anon": 303, "politi": 403, "guide": 200, "leder": 403, "admin": 403, "revisor": 403},
	"GET /tasks":             {"anon": 303, "politi": 200, "guide": 200, "leder": 200, "admin": 403, "revisor": 403},
	"GET /stats":             {"anon": 303, "politi": 403, "guide": 403, "leder": 200, "admin": 403, "revisor": 403},
	"GET /stats/report":      {"anon": 303, "politi": 403, "guide": 403, "leder": 200, "admin": 403, "revisor": 403},
	"GET /stats/export.csv":  {"anon": 303, "politi": 403, "guide": 403, "leder": 200, "admin": 403, "revisor": 403},
	"GET /stats/export.xlsx": {"anon": 303, "politi": 403, "guide": 403, "leder": 200, "admin": 403, "revisor": 403},
	"GET /stats/export.json": {"anon": 303, "politi": 403, "guide": 403, "leder": 200, "admin": 403, "revisor": 403},
	"GET /audit":             {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 403, "revisor": 200},
	"GET /audit/cases/:id":   {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 403, "revisor": 200},
	"GET /audit/export.csv":  {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 403, "revisor": 200},
	"GET /admin":             {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 200, "revisor": 403},
	"GET /admin/privacy":     {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 200, "revisor": 200},
	"GET /tilgjengelighet":   {"anon": 200, "politi": 200, "guide": 200, "leder": 200, "admin": 200, "revisor": 200},
	"GET /admin/orgs":        {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 200, "revisor": 403},
	"GET /admin/orgs/new":    {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 200, "revisor": 403},
	"POST /admin/orgs":       {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 422, "revisor": 403},
	"GET /admin/orgs/:code":  {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 200, "revisor": 403},
	"POST /admin/orgs/:code": {"anon": 303, "politi": 403, "guide": 403, "leder": 403, "admin": 422, "revisor": 403},
}

// TestRoleRouteMatrix walks every route the router knows and checks each
// visitor's status against the matrix, through real sessions.
func TestRoleRouteMatrix(t *testing.T) {
	app := testkit.NewApp(t)
	officer := app.SignIn(t, "politi")
	casePath := app.CreateCase(t, officer)
	caseID := strings.TrimPrefix(casePath, "/cases/")
	visitors := map[string]*testkit.Client{"anon": app.Anonymous(t)}
	for _, u := range []string{"politi", "guide", "leder", "admin", "revisor"} {
		visitors[u] = app.SignIn(t, u)
	}
	seen := map[string]bool{}
	for _, r := range app.Echo.Routes() {
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		want, ok := expected[key]
		if !ok {
			t.Errorf("route %s is not in the role × route matrix", key)
			continue
		}
		if _, guarded := app.Handler.Access(r.Method, r.Path); !guarded {
			t.Errorf("route %s has no guard entry", key)
		}
		if app.Handler.RouteName(r.Method, r.Path) == "" {
			t.Errorf("route %s has no name for the audit log", key)
		}
		path := strings.NewReplacer(":id", caseID, "*", "app.css", ":code", "baerum").Replace(r.Path)
		for who, code := range want {
			if r.Path == "/logout" {
				continue // checked last, it ends the session
			}
			c := visitors[who]
			c.Get("/") // a page with this user's CSRF token
			form := url.Values{"csrf_token": {c.CSRF()}, "type": {"contact_attempt"}}
			resp := c.NoRedirect(r.Method, path, form)
			if resp.StatusCode != code {
				t.Errorf("%s as %s: got %d, want %d", key, who, resp.StatusCode, code)
			}
		}
	}
	for key := range expected {
		if !seen[key] {
			t.Errorf("matrix row %s has no route", key)
		}
	}
	for who, c := range visitors {
		c.Get("/healthz")
		form := url.Values{}
		if who != "anon" {
			c.Get("/")
			form.Set("csrf_token", c.CSRF())
		}
		if resp := c.NoRedirect("POST", "/logout", form); resp.StatusCode != expected["POST /logout"][who] {
			t.Errorf("POST /logout as %s: got %d", who, resp.StatusCode)
		}
	}
	_ = http.StatusOK
}
