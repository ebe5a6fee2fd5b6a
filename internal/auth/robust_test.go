package auth

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"tryggspor/internal/tryggspor"
)

// hanging accepts connections and never answers.
func hanging(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				<-done
				return
			}
			held = append(held, c)
		}
	}()
	t.Cleanup(func() { ln.Close(); close(done) })
	return "http://" + ln.Addr().String()
}

func TestDiscoveryIsBoundedAndRetriedInTheBackground(t *testing.T) {
	iss := hanging(t)
	// The provider never answers, so only the timeout can end New: a missing
	// timeout hangs here until the test binary's deadline (no bound on the
	// machine's speed).
	if _, err := New(context.Background(), Config{Issuer: iss, ClientID: "c", Timeout: 300 * time.Millisecond}, nil); err == nil {
		t.Fatal("discovery of a silent provider succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := Start(ctx, Config{Issuer: iss, ClientID: "c", Timeout: 200 * time.Millisecond}, nil, slog.New(slog.DiscardHandler))
	if err := c.Ready(); !errors.Is(err, ErrNotReady) {
		t.Errorf("Ready before discovery: %v", err)
	}
	if _, _, err := c.Begin("s", "n", ""); !errors.Is(err, ErrNotReady) {
		t.Errorf("Begin before discovery: %v", err)
	}
	// A provider that comes up later is found by the retries.
	op, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer op.Shutdown()
	c2 := Start(ctx, Config{Issuer: op.Issuer(), ClientID: op.Config().ClientID}, nil, slog.New(slog.DiscardHandler))
	for i := 0; i < 100 && c2.Ready() != nil; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if err := c2.Ready(); err != nil {
		t.Errorf("not ready after discovery: %v", err)
	}
	if s := NewSet(c, c2); s.Ready() == nil {
		t.Error("a set with an undiscovered provider is ready")
	}
}

// nameless is a mockoidc user whose ID token has no name or e-mail; its
// userinfo has them (and the given subject).
type nameless struct{ sub, infoSub string }

func (u nameless) ID() string { return u.sub }
func (u nameless) Userinfo([]string) ([]byte, error) {
	return []byte(`{"sub":"` + u.infoSub + `","name":"Ulla Userinfo","email":"ulla@example.org"}`), nil
}
func (u nameless) Claims(_ []string, c *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &struct {
		*mockoidc.IDTokenClaims
		Role string `json:"tryggspor_role"`
	}{c, "guide"}, nil
}

// Authorize plays the browser: it follows the provider's authorization URL
// and returns the code the provider sends back. It is exported for the
// external tests in auth_test, which share this test binary.
func Authorize(t *testing.T, authURL string) string {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("no code in redirect %q (status %d)", resp.Header.Get("Location"), resp.StatusCode)
	}
	return loc.Query().Get("code")
}

func TestUserinfoFillsNameAndEmailForTheSameSubject(t *testing.T) {
	op, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer op.Shutdown()
	cfg := op.Config()
	c, err := New(context.Background(), Config{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		RedirectURL: "http://127.0.0.1/auth/callback", RoleClaim: "tryggspor_role"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	op.QueueUser(nameless{sub: "u9", infoSub: "u9"})
	u, p, _ := c.Begin("s", "n", "")
	res, err := c.Finish(context.Background(), p, Authorize(t, u))
	if err != nil {
		t.Fatal(err)
	}
	if res.Identity.Name != "Ulla Userinfo" || res.Identity.Email != "ulla@example.org" || res.IDToken == "" {
		t.Errorf("identity %+v", res.Identity)
	}
	op.QueueUser(nameless{sub: "u9", infoSub: "someone-else"})
	u, p, _ = c.Begin("s", "n", "")
	if _, err := c.Finish(context.Background(), p, Authorize(t, u)); !errors.Is(err, ErrSubject) {
		t.Errorf("userinfo for another subject: %v", err)
	}
}

func TestHangingTokenEndpointTimesOut(t *testing.T) {
	op, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer op.Shutdown()
	target, _ := url.Parse(op.Addr())
	var stall atomic.Bool
	rp := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stall.Load() && r.URL.Path == "/oidc/token" {
			io.Copy(io.Discard, r.Body) // so the server notices the client leaving
			<-r.Context().Done()        // only the client's timeout ends this
			return
		}
		rp.ServeHTTP(w, r)
	}))
	defer front.Close()
	cfg := op.Config()
	c, err := New(context.Background(), Config{Issuer: cfg.Issuer, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret,
		RedirectURL: "http://127.0.0.1/auth/callback", Timeout: 300 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Point the token endpoint at the stalling front.
	ep := *c.ep.Load()
	ep.oauth.Endpoint.TokenURL = front.URL + "/oidc/token"
	c.ep.Store(&ep)
	stall.Store(true)
	u, p, _ := c.Begin("s", "n", "")
	_, err = c.Finish(context.Background(), p, Authorize(t, u))
	var ae *Error
	if !errors.As(err, &ae) || !ae.Timeout() || ae.Step != "token" {
		t.Errorf("hanging token endpoint: %v", err)
	}
}

func TestClaimMapping(t *testing.T) {
	c := newClient(Config{Name: "p", RoleClaim: "resource_access.tryggspor.roles", OrgClaim: "org",
		RoleMap: map[string]string{"Officer": "officer", "Leader": "leader"}, OrgMap: map[string]string{"Seksjon Bærum": "baerum"}}, nil)
	id := c.identity("iss", "sub", map[string]any{
		"resource_access": map[string]any{"tryggspor": map[string]any{"roles": []any{"Officer", "Leader", "Other"}}},
		"org":             "Seksjon Bærum", "given_name": "Per", "family_name": "Politi", "email": "p@x.no", "email_verified": false,
	})
	if !slices.Equal(id.Roles, []tryggspor.Role{"officer", "leader"}) || id.Role != "" || id.Org != "baerum" || id.Name != "Per Politi" || id.Email != "" {
		t.Errorf("identity %+v", id)
	}
	got := orgNumbers([]any{
		map[string]any{"type": "ansattporten:orgno", "orgno": map[string]any{"authority": "iso6523-actorid-upis", "ID": "0192:977293812"}},
		map[string]any{"type": "ansattporten:altinn:service", "reportees": []any{map[string]any{"ID": "0192:977293812"}, map[string]any{"ID": "0192:996551075"}}},
	})
	if !slices.Equal(got, []string{"977293812", "996551075"}) {
		t.Errorf("orgNumbers: %v", got)
	}
}

func TestLogoutURL(t *testing.T) {
	c := NewStatic(Config{Issuer: "https://idp", ClientID: "cid", PostLogoutRedirectURL: "https://app/signedout"},
		Endpoints{Auth: "https://idp/a", Token: "https://idp/t", JWKS: "https://idp/k", EndSession: "https://idp/logout?x=1"}, nil)
	u, _ := url.Parse(c.LogoutURL("tok"))
	q := u.Query()
	if u.Path != "/logout" || q.Get("x") != "1" || q.Get("id_token_hint") != "tok" || q.Get("client_id") != "cid" ||
		q.Get("post_logout_redirect_uri") != "https://app/signedout" {
		t.Errorf("logout URL %s", u)
	}
	if NewStatic(Config{}, Endpoints{}, nil).LogoutURL("tok") != "" {
		t.Error("a provider without end_session got a logout URL")
	}
}
