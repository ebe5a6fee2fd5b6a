// Package devidp is the built-in OpenID Provider of `tryggspor dev`: a small,
// real authorization-code provider (PKCE S256 required, RS256-signed ID tokens,
// discovery and JWKS) with the demo users, so that development and automated
// tests run the same OIDC code flow as production. It must only ever listen on
// loopback; the dev command enforces that.
//
// A user is picked on a page, or, with login_hint=<user> in the authorization
// request, signed in without the page. `tryggspor dev` runs two of them,
// "police" and "municipality" (ProviderUsers), each showing its own users;
// by login_hint each signs in any demo user, so that a provider asserting
// more than it may (the municipality provider claiming an officer) can be
// tried and must be refused.
package devidp

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// User is a demo account; Provider names the dev provider it belongs to.
type User struct {
	Username string
	Name     string
	Role     string
	Org      string
	Provider string
}

// DemoUsers are the users of SPEC §9, each with its provider (§12).
var DemoUsers = []User{
	{"politi", "Politibetjent Per Politi", "officer", "baerum", "police"},
	{"guide", "Trygghetsguide Guri Guide", "guide", "bekkestua-ungdomsskole", "municipality"},
	{"barnehuset", "Trygghetsguide Bente Barnehus", "guide", "barnehuset-oslo", "municipality"},
	{"leder", "Seksjonsleder Lars Leder", "leader", "vest", "police"},
	{"admin", "Systemadministrator Anne Admin", "admin", "oslo", "police"},
	{"revisor", "Personvernombud Rolf Revisor", "auditor", "oslo", "police"},
}

// ProviderUsers are the demo users of one provider.
func ProviderUsers(provider string) []User {
	var out []User
	for _, u := range DemoUsers {
		if u.Provider == provider {
			out = append(out, u)
		}
	}
	return out
}

// ProviderOf names the provider a demo user belongs to, or "".
func ProviderOf(username string) string {
	for _, u := range DemoUsers {
		if u.Username == username {
			return u.Provider
		}
	}
	return ""
}

// Provider is the dev OpenID Provider.
type Provider struct {
	Issuer       string // e.g. http://127.0.0.1:8080/devidp
	ClientID     string
	ClientSecret string
	RedirectURL  string
	// PostLogoutRedirectURL is the one post_logout_redirect_uri accepted.
	PostLogoutRedirectURL string
	users                 map[string]User
	order                 []User
	key                   *rsa.PrivateKey
	kid                   string
	signer                jose.Signer
	now                   func() time.Time

	mu    sync.Mutex
	codes map[string]grant
}

type grant struct {
	user      User
	nonce     string
	challenge string
	redirect  string
	expires   time.Time
}

// New creates a provider with a fresh signing key and client secret. Its
// picker shows users; by login_hint it signs in any of DemoUsers too.
func New(issuer, redirectURL string, users []User) (*Provider, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	p := &Provider{Issuer: strings.TrimRight(issuer, "/"), ClientID: "tryggspor-dev", ClientSecret: random(),
		RedirectURL: redirectURL, users: map[string]User{}, order: users, key: key, kid: random()[:12],
		now: time.Now, codes: map[string]grant{}}
	for _, u := range append(append([]User{}, DemoUsers...), users...) {
		p.users[u.Username] = u
	}
	p.signer, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", p.kid))
	return p, err
}

func random() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Endpoints of the provider.
func (p *Provider) AuthURL() string  { return p.Issuer + "/authorize" }
func (p *Provider) TokenURL() string { return p.Issuer + "/token" }
func (p *Provider) JWKSURL() string  { return p.Issuer + "/jwks" }

// EndSessionURL is the provider's RP-initiated logout endpoint.
func (p *Provider) EndSessionURL() string { return p.Issuer + "/end_session" }

// Prefix is the path under which Handler must be mounted.
func (p *Provider) Prefix() string {
	u, _ := url.Parse(p.Issuer)
	return u.Path
}

// Handler serves the provider's endpoints under Prefix().
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	pre := p.Prefix()
	mux.HandleFunc("GET "+pre+"/.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET "+pre+"/jwks", p.jwks)
	mux.HandleFunc("GET "+pre+"/authorize", p.authorize)
	mux.HandleFunc("POST "+pre+"/authorize", p.authorize)
	mux.HandleFunc("POST "+pre+"/token", p.token)
	mux.HandleFunc("GET "+pre+"/end_session", p.endSession)
	return headers(mux)
}

// Mux serves several providers, each under its own Prefix().
func Mux(ps ...*Provider) http.Handler {
	mux := http.NewServeMux()
	for _, p := range ps {
		mux.Handle(p.Prefix()+"/", p.Handler())
	}
	return mux
}

// endSession is RP-initiated logout: the dev provider keeps no session of
// its own, so it only sends the browser back to the registered
// post_logout_redirect_uri (any other is refused).
func (p *Provider) endSession(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	to := q.Get("post_logout_redirect_uri")
	switch {
	case to == "":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Logget ut fra utviklings-ID.\n"))
	case to != p.PostLogoutRedirectURL || (q.Get("client_id") != "" && q.Get("client_id") != p.ClientID):
		http.Error(w, "unknown post_logout_redirect_uri or client", http.StatusBadRequest)
	default:
		http.Redirect(w, r, to, http.StatusFound)
	}
}

func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self' http://127.0.0.1:* http://localhost:*; frame-ancestors 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		h.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (p *Provider) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": p.Issuer, "authorization_endpoint": p.AuthURL(), "token_endpoint": p.TokenURL(),
		"jwks_uri": p.JWKSURL(), "response_types_supported": []string{"code"},
		"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported": []string{"S256"}, "scopes_supported": []string{"openid", "profile", "email"},
		"end_session_endpoint":                  p.EndSessionURL(),
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &p.key.PublicKey, KeyID: p.kid, Algorithm: string(jose.RS256), Use: "sig"}}})
}

// authorize validates the request, then signs in the hinted or picked user, or
// shows the picker.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	q := r.Form
	if q.Get("client_id") != p.ClientID || q.Get("redirect_uri") != p.RedirectURL {
		http.Error(w, "unknown client or redirect_uri", http.StatusBadRequest)
		return
	}
	fail := func(code, desc string) {
		u, _ := url.Parse(p.RedirectURL)
		v := url.Values{"error": {code}, "error_description": {desc}, "state": {q.Get("state")}}
		u.RawQuery = v.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "only code is supported")
		return
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		fail("invalid_request", "PKCE with S256 is required")
		return
	case !strings.Contains(" "+q.Get("scope")+" ", " openid "):
		fail("invalid_scope", "openid scope is required")
		return
	}
	name := q.Get("user")
	if name == "" {
		name = q.Get("login_hint")
	}
	u, ok := p.users[name]
	if !ok {
		p.picker(w, q)
		return
	}
	code := random()
	p.mu.Lock()
	p.codes[code] = grant{user: u, nonce: q.Get("nonce"), challenge: q.Get("code_challenge"),
		redirect: q.Get("redirect_uri"), expires: p.now().Add(time.Minute)}
	p.mu.Unlock()
	ru, _ := url.Parse(p.RedirectURL)
	ru.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, ru.String(), http.StatusFound)
}

var pickerPage = template.Must(template.New("picker").Parse(`<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Velg demobruker – Tryggspor utviklings-ID</title>
<link rel="stylesheet" href="/static/designsystemet/theme.css"><link rel="stylesheet" href="/static/designsystemet/designsystemet.css"><link rel="stylesheet" href="/static/app.css">
</head><body><main class="page">
<h1 class="ds-heading">Velg demobruker</h1>
<p class="ds-paragraph">Dette er den innebygde OpenID-leverandøren i <code>tryggspor dev</code>. Den finnes bare i utviklingsmodus.</p>
<form method="post" action="{{.Action}}">
{{range $k, $v := .Params}}{{range $v}}<input type="hidden" name="{{$k}}" value="{{.}}">{{end}}{{end}}
<ul class="picker">{{range .Users}}<li><button class="ds-button" data-variant="secondary" type="submit" name="user" value="{{.Username}}">{{.Name}} <small>({{.Username}}, {{.Role}}, {{.Org}})</small></button></li>{{end}}</ul>
</form></main></body></html>`))

func (p *Provider) picker(w http.ResponseWriter, q url.Values) {
	params := url.Values{}
	for _, k := range []string{"client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method"} {
		if v := q.Get(k); v != "" {
			params.Set(k, v)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pickerPage.Execute(w, map[string]any{"Action": p.AuthURL(), "Params": params, "Users": p.order})
}

// token exchanges a code for an ID token after checking the client, the
// redirect URI and the PKCE verifier. Codes work once.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	code := r.PostForm.Get("code")
	p.mu.Lock()
	g, found := p.codes[code]
	delete(p.codes, code)
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code":
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	case !found || p.now().After(g.expires) || g.redirect != r.PostForm.Get("redirect_uri"),
		base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	now := p.now()
	claims := map[string]any{
		"iss": p.Issuer, "sub": g.user.Username, "aud": p.ClientID, "iat": now.Unix(),
		"exp": now.Add(5 * time.Minute).Unix(), "auth_time": now.Unix(), "nonce": g.nonce,
		"name": g.user.Name, "preferred_username": g.user.Username, "email": g.user.Username + "@example.org",
		"tryggspor_role": g.user.Role, "tryggspor_org": g.user.Org,
	}
	idToken, err := jwt.Signed(p.signer).Claims(claims).Serialize()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": random(), "token_type": "Bearer",
		"expires_in": 300, "id_token": idToken})
}
