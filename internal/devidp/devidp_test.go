package devidp

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func start(t *testing.T) (*Provider, *httptest.Server) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	p, err := New(base+"/devidp", base+"/auth/callback", DemoUsers)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = p.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return p, srv
}

func authURL(p *Provider, extra url.Values, verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {p.ClientID}, "redirect_uri": {p.RedirectURL}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"s"}, "nonce": {"n"}, "code_challenge_method": {"S256"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}}
	for k, v := range extra {
		q[k] = v
	}
	return p.AuthURL() + "?" + q.Encode()
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestLoginHintSkipsThePickerAndPKCEIsChecked(t *testing.T) {
	p, _ := start(t)
	verifier := strings.Repeat("v", 50)
	resp, err := noFollow.Get(authURL(p, url.Values{"login_hint": {"politi"}}, verifier))
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	code := loc.Query().Get("code")
	if resp.StatusCode != http.StatusFound || code == "" || loc.Query().Get("state") != "s" {
		t.Fatalf("login_hint: %d %s", resp.StatusCode, loc)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {p.RedirectURL},
		"code_verifier": {"wrong" + verifier}, "client_id": {p.ClientID}, "client_secret": {p.ClientSecret}}
	r, _ := http.PostForm(p.TokenURL(), form)
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("wrong verifier: %d, want 400", r.StatusCode)
	}
	form.Set("code_verifier", verifier)
	if r, _ := http.PostForm(p.TokenURL(), form); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a code spent by a failed exchange worked: %d", r.StatusCode)
	}
	resp, _ = noFollow.Get(authURL(p, url.Values{"login_hint": {"politi"}}, verifier))
	loc, _ = url.Parse(resp.Header.Get("Location"))
	form.Set("code", loc.Query().Get("code"))
	if r, _ := http.PostForm(p.TokenURL(), form); r.StatusCode != http.StatusOK {
		t.Errorf("right verifier: %d", r.StatusCode)
	}
	if r, _ := http.PostForm(p.TokenURL(), form); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a code must work once: second use got %d", r.StatusCode)
	}
}

func TestPickerAndRefusals(t *testing.T) {
	p, _ := start(t)
	resp, _ := http.Get(authURL(p, nil, strings.Repeat("v", 50)))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("picker: %d", resp.StatusCode)
	}
	q := url.Values{"redirect_uri": {"http://evil.example/cb"}}
	if resp, _ := noFollow.Get(authURL(p, q, "x")); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("foreign redirect_uri: %d", resp.StatusCode)
	}
	q = url.Values{"code_challenge": {""}, "login_hint": {"politi"}}
	resp, _ = noFollow.Get(authURL(p, q, "x"))
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error=invalid_request") {
		t.Errorf("no PKCE: redirected to %q", loc)
	}
}
