// Package testkit starts a real Tryggspor for tests: a SQLite file in a temp
// directory, the real router behind httptest, and sign-in through the real
// OIDC code flow against mockoidc, an in-process OpenID Provider. Only test
// files import it.
package testkit

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"
	"github.com/oauth2-proxy/mockoidc"

	"tryggspor/handlers"
	"tryggspor/internal/app"
	"tryggspor/internal/auth"
	"tryggspor/internal/config"
	"tryggspor/internal/demo"
	"tryggspor/internal/reminder"
	"tryggspor/internal/stats"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// Clock is a settable clock for tests.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// MustOpenStore opens a fresh database file with a random key and the demo
// organisations.
func MustOpenStore(t testing.TB, now func() time.Time) (*store.Store, string) {
	t.Helper()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	keys, err := store.NewKeyring(key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "t.db")
	st, err := store.Open(context.Background(), path, keys, store.Options{Now: now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	err = st.UpsertOrganisations(context.Background(), demo.Organisations,
		tryggspor.NewEntry(tryggspor.System("test"), tryggspor.ActOrgImport, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	return st, path
}

// Users are the test users by name: the demo users plus an officer of another
// unit.
var Users = map[string][2]string{
	"politi": {"officer", "baerum"}, "politi-asker": {"officer", "asker"},
	"guide": {"guide", "bekkestua-ungdomsskole"}, "barnehuset": {"guide", "barnehuset-oslo"},
	"leder": {"leader", "vest"}, "admin": {"admin", "oslo"}, "revisor": {"auditor", "oslo"},
	"ukjent": {"", "oslo"},
}

// App is a running Tryggspor behind httptest with its own provider.
type App struct {
	URL     string
	Store   *store.Store
	DBPath  string
	Service *tryggspor.Service
	Echo    *echo.Echo
	Handler *handlers.Handler
	OP      *mockoidc.MockOIDC
	Clock   *Clock
	Engine  *reminder.Engine
	Stats   *stats.Service
}

// NewApp starts everything; it is torn down when the test ends. configure
// may change the wiring's options (a handover policy, say) before the use
// cases are built.
func NewApp(t testing.TB, configure ...func(*app.Options)) *App {
	t.Helper()
	return NewAppWith(t, nil, configure...)
}

// NewAppWith is NewApp whose one sign-in provider's configuration (claim
// names, maps, trust) mutate changes first.
func NewAppWith(t testing.TB, mutate func(*auth.Config), configure ...func(*app.Options)) *App {
	t.Helper()
	op, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { op.Shutdown() })
	clock := &Clock{T: time.Now()}
	st, path := MustOpenStore(t, clock.Now)
	a := &App{Store: st, DBPath: path, OP: op, Clock: clock}
	srv := httptest.NewUnstartedServer(nil)
	a.URL = "http://" + srv.Listener.Addr().String()
	cfg := op.Config()
	acfg := auth.Config{Issuer: cfg.Issuer, ClientID: cfg.ClientID,
		ClientSecret: cfg.ClientSecret, RedirectURL: a.URL + "/auth/callback", RoleClaim: "tryggspor_role",
		OrgClaim: "tryggspor_org"}
	if mutate != nil {
		mutate(&acfg)
	}
	ac, err := auth.New(context.Background(), acfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var logTo io.Writer = io.Discard
	if os.Getenv("TRYGGSPOR_TEST_LOG") != "" {
		logTo = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logTo, nil))
	// The defaults production runs with when a key is not set.
	defaults := config.Default()
	defaults.Server.BaseURL = a.URL
	opts := app.OptionsFrom(defaults, clock.Now, log)
	for _, f := range configure {
		f(&opts)
	}
	wired := app.New(st, opts)
	a.Service, a.Engine, a.Stats = wired.Service, wired.Engine, wired.Stats
	a.Echo, a.Handler, err = handlers.New(wired.Handlers(app.Web{Auth: auth.NewSet(ac)}))
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = a.Echo
	srv.Start()
	t.Cleanup(srv.Close)
	return a
}

// claimsUser is a mockoidc user carrying Tryggspor's role and organisation
// claims, as a real provider would be configured to send.
type claimsUser struct{ sub, role, org string }

func (u claimsUser) ID() string                        { return u.sub }
func (u claimsUser) Userinfo([]string) ([]byte, error) { return []byte(`{"sub":"` + u.sub + `"}`), nil }
func (u claimsUser) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &struct {
		*mockoidc.IDTokenClaims
		Name  string `json:"name"`
		Email string `json:"email"`
		Role  string `json:"tryggspor_role,omitempty"`
		Org   string `json:"tryggspor_org,omitempty"`
	}{c, "Test " + u.sub, u.sub + "@example.org", u.role, u.org}, nil
}

// anyClaims is a mockoidc user whose ID token carries extra claims as given.
type anyClaims struct {
	sub    string
	claims map[string]any
}

func (u anyClaims) ID() string                        { return u.sub }
func (u anyClaims) Userinfo([]string) ([]byte, error) { return []byte(`{"sub":"` + u.sub + `"}`), nil }
func (u anyClaims) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	m := jwt.MapClaims{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["name"], m["email"] = "Test "+u.sub, u.sub+"@example.org"
	for k, v := range u.claims {
		m[k] = v
	}
	return m, nil
}

// SignInClaims walks the sign-in with a token for sub carrying claims (as
// decoded JSON: strings, []any, map[string]any) and returns the browser on
// the page it ended on, whatever its status.
func (a *App) SignInClaims(t testing.TB, sub string, claims map[string]any) *Client {
	t.Helper()
	a.OP.QueueUser(anyClaims{sub: sub, claims: claims})
	c := a.Anonymous(t)
	return c.Get("/login")
}

// Client is one browser: a cookie jar and the last page it saw.
type Client struct {
	t    testing.TB
	app  *App
	HTTP *http.Client
	Body string
	Resp *http.Response
}

// Anonymous returns a browser that has not signed in.
func (a *App) Anonymous(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, app: a, HTTP: &http.Client{Jar: jar}} // no client timeout: see Patience
}

// Queue makes user the provider's next sign-in, for a test that walks the
// flow with a browser of its own.
func (a *App) Queue(t testing.TB, user string) {
	t.Helper()
	ru, ok := Users[user]
	if !ok {
		t.Fatalf("no test user %q", user)
	}
	a.OP.QueueUser(claimsUser{sub: user, role: ru[0], org: ru[1]})
}

// SignIn signs user in through the real code flow and returns the browser.
func (a *App) SignIn(t testing.TB, user string) *Client {
	t.Helper()
	ru, ok := Users[user]
	if !ok {
		t.Fatalf("no test user %q", user)
	}
	a.OP.QueueUser(claimsUser{sub: user, role: ru[0], org: ru[1]})
	c := a.Anonymous(t)
	c.Get("/login")
	if c.Resp.StatusCode != http.StatusOK && ru[0] != "" {
		t.Fatalf("sign-in as %s ended with %d at %s: %s", user, c.Resp.StatusCode, c.Resp.Request.URL, c.Body)
	}
	return c
}

// SignInAgain signs user in with this browser (its cookies kept, as after
// a session ended) and returns it on the page the sign-in ended on.
func (c *Client) SignInAgain(user string) *Client {
	c.t.Helper()
	ru, ok := Users[user]
	if !ok {
		c.t.Fatalf("no test user %q", user)
	}
	c.app.OP.QueueUser(claimsUser{sub: user, role: ru[0], org: ru[1]})
	return c.Get("/login")
}

// Get fetches path, following redirects.
func (c *Client) Get(path string) *Client {
	c.t.Helper()
	resp, err := c.HTTP.Get(c.app.URL + path)
	return c.done(resp, err)
}

// NoRedirect fetches path without following redirects.
func (c *Client) NoRedirect(method, path string, form url.Values) *http.Response {
	c.t.Helper()
	hc := *c.HTTP
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest(method, c.app.URL+path, strings.NewReader(form.Encode()))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// Post submits a form with the CSRF token of the last page seen, following
// redirects.
func (c *Client) Post(path string, form url.Values) *Client {
	c.t.Helper()
	if form.Get("csrf_token") == "" && c.CSRF() != "" {
		form.Set("csrf_token", c.CSRF())
	}
	resp, err := c.HTTP.PostForm(c.app.URL+path, form)
	return c.done(resp, err)
}

// PostRaw submits a form exactly as given (no token added).
func (c *Client) PostRaw(path string, form url.Values) *Client {
	c.t.Helper()
	resp, err := c.HTTP.PostForm(c.app.URL+path, form)
	return c.done(resp, err)
}

func (c *Client) done(resp *http.Response, err error) *Client {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	c.Resp, c.Body = resp, string(b)
	return c
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// CSRF returns the token in the last page's forms.
func (c *Client) CSRF() string {
	if m := csrfRe.FindStringSubmatch(c.Body); m != nil {
		return m[1]
	}
	return ""
}

// Status is the last response's status code.
func (c *Client) Status() int { return c.Resp.StatusCode }

// Path is the path of the last page after redirects.
func (c *Client) Path() string { return c.Resp.Request.URL.Path }

// ValidCase is a register form that is accepted.
func ValidCase() url.Values {
	return url.Values{"registered_on": {tryggspor.FormatDate(tryggspor.Today(time.Now()).AddDate(0, 0, -3))},
		"category": {"threats"}, "role": {"victim"}, "age": {"14"}, "residence_municipality": {"Bærum"},
		"reported": {"yes"}, "intra_family": {"no"}, "person_name": {"Kari Canary7Q4Z Nordmann"},
		"guardian_name": {"Ola Canary8W Nordmann"}, "guardian_phone": {"+47 912 34 567"},
		"police_report_ref": {"CanaryRef 17652281"}, "notes": {"canary-note-9X2W"}}
}

// CreateCase registers ValidCase as user and returns the case page path.
func (a *App) CreateCase(t testing.TB, c *Client) string {
	t.Helper()
	c.Get("/cases/new")
	c.Post("/cases", ValidCase())
	if c.Status() != http.StatusOK || !strings.HasPrefix(c.Path(), "/cases/") || c.Path() == "/cases/new" {
		t.Fatalf("register case: %d at %s", c.Status(), c.Path())
	}
	return c.Path()
}
