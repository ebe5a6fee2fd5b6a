// Package auth is the OpenID Connect client: the authorization code flow with
// PKCE (S256), a fresh state and nonce per sign-in, ID-token verification,
// userinfo when the ID token lacks name or e-mail, and RP-initiated logout.
// go-oidc checks issuer, audience, expiry and signature; it does not compare
// the nonce, so Finish does.
//
// Every call to a provider (discovery, keys, token, userinfo) is bounded by
// Config.Timeout. A Client started with Start discovers its provider in the
// background and keeps retrying, so a provider that does not answer leaves
// the service running and not ready instead of hanging its start.
package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"tryggspor/internal/tryggspor"
)

// DefaultTimeout bounds each call to a provider when Config.Timeout is 0
// (and when oidc.timeout is unset: the configuration reads it from here).
const DefaultTimeout = 5 * time.Second

// DefaultScopes are the scopes asked for when none are configured.
func DefaultScopes() []string { return []string{oidc.ScopeOpenID, "profile", "email"} }

// Config describes the relying party at one provider, and how far that
// provider is trusted.
type Config struct {
	Name         string // slug; "oidc" when empty
	Label        string // button text on the sign-in page
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string
	// PostLogoutRedirectURL is where the provider sends the browser after
	// signing out; empty: no post_logout_redirect_uri is sent.
	PostLogoutRedirectURL string
	Scopes                []string
	RoleClaim             string
	OrgClaim              string
	// RoleMap maps claim values to roles; when empty, the claim must hold a
	// role name itself.
	RoleMap map[string]string
	// OrgValue is "code" (default) or "orgno": the org claim holds
	// organisation numbers, or objects holding them (authorization_details).
	OrgValue string
	// OrgMap maps org claim values to organisation codes; values it does
	// not map are passed on as they are.
	OrgMap map[string]string
	// FixedRole and FixedOrg replace the claims for providers without them.
	FixedRole, FixedOrg string
	// Trust is what the provider may assert; nil: anything.
	Trust *tryggspor.Trust
	// Timeout bounds each call to the provider; 0: DefaultTimeout.
	Timeout time.Duration
	// TokenAuthMethod is "client_secret_basic" or "client_secret_post";
	// empty: from the provider's discovery document (see authStyle).
	TokenAuthMethod string
}

func (c *Config) defaults() {
	if c.Name == "" {
		c.Name = "oidc"
	}
	if c.Label == "" {
		c.Label = "Logg inn"
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if len(c.Scopes) == 0 {
		c.Scopes = DefaultScopes()
	}
}

// Client signs users in against one provider.
type Client struct {
	cfg  Config
	http *http.Client
	ep   atomic.Pointer[endpoints]

	mu      sync.Mutex
	lastErr error
}

// endpoints are what discovery found.
type endpoints struct {
	provider   *oidc.Provider
	oauth      oauth2.Config
	verifier   *oidc.IDTokenVerifier
	endSession string
	// styles are the token endpoint's client authentication methods to
	// try, in order; worked is the index of the one that last worked + 1.
	styles []oauth2.AuthStyle
	worked atomic.Int32
}

// ErrNotReady means the provider has not been discovered (yet).
var ErrNotReady = errors.New("sign-in provider not discovered yet")

func newClient(cfg Config, hc *http.Client) *Client {
	cfg.defaults()
	if hc == nil {
		hc = &http.Client{Timeout: cfg.Timeout}
	}
	return &Client{cfg: cfg, http: hc}
}

// New discovers the provider at cfg.Issuer now, within the timeout. hc nil:
// a client whose every request is bounded by cfg.Timeout.
func New(ctx context.Context, cfg Config, hc *http.Client) (*Client, error) {
	c := newClient(cfg, hc)
	if err := c.discover(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Start returns at once and discovers the provider in the background,
// retrying with backoff (1 s doubling to 1 min) until it answers or ctx
// ends. Failures and success are logged with the issuer.
func Start(ctx context.Context, cfg Config, hc *http.Client, log *slog.Logger) *Client {
	c := newClient(cfg, hc)
	c.setErr(ErrNotReady)
	go func() {
		wait := time.Second
		for {
			err := c.discover(ctx)
			if err == nil {
				log.Info("sign-in provider discovered", "provider", c.cfg.Name, "issuer", c.cfg.Issuer,
					"end_session", c.ep.Load().endSession != "")
				return
			}
			if ctx.Err() != nil {
				return
			}
			log.Error("sign-in provider discovery failed; retrying", "provider", c.cfg.Name, "issuer", c.cfg.Issuer,
				"err", short(err), "retry_in", wait.String())
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(wait*2, time.Minute)
		}
	}()
	return c
}

// Endpoints are a provider's endpoints when they are known without
// discovery.
type Endpoints struct {
	Auth, Token, JWKS, UserInfo, EndSession string
}

// NewStatic builds a client from known endpoints without a discovery request;
// the built-in dev provider uses it because it serves on the same listener that
// is not yet accepting connections at start.
func NewStatic(cfg Config, ep Endpoints, hc *http.Client) *Client {
	c := newClient(cfg, hc)
	pc := oidc.ProviderConfig{IssuerURL: cfg.Issuer, AuthURL: ep.Auth, TokenURL: ep.Token, JWKSURL: ep.JWKS,
		UserInfoURL: ep.UserInfo, Algorithms: []string{oidc.RS256}}
	c.use(pc.NewProvider(oidc.ClientContext(context.Background(), c.http)), ep.EndSession, nil)
	return c
}

// discover fetches the provider's metadata, within the timeout.
func (c *Client) discover(ctx context.Context) error {
	dctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	p, err := oidc.NewProvider(oidc.ClientContext(dctx, c.http), c.cfg.Issuer)
	if err != nil {
		err = fmt.Errorf("oidc discovery at %s: %w", c.cfg.Issuer, err)
		c.setErr(err)
		return err
	}
	var meta struct {
		EndSession  string   `json:"end_session_endpoint"`
		AuthMethods []string `json:"token_endpoint_auth_methods_supported"`
	}
	_ = p.Claims(&meta)
	c.use(p, meta.EndSession, meta.AuthMethods)
	return nil
}

// authStyles are the ways the client may authenticate at the token
// endpoint, in the order to try them: the configured one alone; else
// client_secret_basic and client_secret_post as the provider's discovery
// document names them (both when it names neither: some providers name
// one and accept only the other), basic first.
func authStyles(configured string, supported []string) []oauth2.AuthStyle {
	switch configured {
	case "client_secret_basic":
		return []oauth2.AuthStyle{oauth2.AuthStyleInHeader}
	case "client_secret_post":
		return []oauth2.AuthStyle{oauth2.AuthStyleInParams}
	}
	basic, post := slices.Contains(supported, "client_secret_basic"), slices.Contains(supported, "client_secret_post")
	switch {
	case basic && !post:
		return []oauth2.AuthStyle{oauth2.AuthStyleInHeader}
	case post && !basic:
		return []oauth2.AuthStyle{oauth2.AuthStyleInParams}
	}
	return []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams}
}

func (c *Client) use(p *oidc.Provider, endSession string, authMethods []string) {
	ep := p.Endpoint()
	styles := authStyles(c.cfg.TokenAuthMethod, authMethods)
	ep.AuthStyle = styles[0]
	// Verifier (not VerifierContext): the key set is fetched with the
	// provider's own http client (ours, with its timeout) and is not tied
	// to the short discovery context.
	c.ep.Store(&endpoints{
		provider: p,
		oauth: oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
			Endpoint: ep, Scopes: c.cfg.Scopes},
		verifier:   p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID}),
		endSession: endSession,
		styles:     styles,
	})
	c.setErr(nil)
}

func (c *Client) setErr(err error) {
	c.mu.Lock()
	c.lastErr = err
	c.mu.Unlock()
}

// Ready is nil once the provider is discovered; before, the last discovery
// error (wrapping ErrNotReady when there was no attempt yet).
func (c *Client) Ready() error {
	if c.ep.Load() != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lastErr == nil || errors.Is(c.lastErr, ErrNotReady) {
		return ErrNotReady
	}
	return fmt.Errorf("%w: %w", ErrNotReady, c.lastErr)
}

// Name, Label and Issuer describe the client (for the sign-in page).
func (c *Client) Name() string   { return c.cfg.Name }
func (c *Client) Label() string  { return c.cfg.Label }
func (c *Client) Issuer() string { return c.cfg.Issuer }

// Pending is a started sign-in: kept server-side until the callback.
type Pending struct {
	State, Nonce, Verifier string
}

// Begin starts a sign-in and returns the provider URL to redirect to.
// loginHint is passed on to the provider when set. ErrNotReady when the
// provider has not been discovered.
func (c *Client) Begin(state, nonce, loginHint string) (string, Pending, error) {
	ep := c.ep.Load()
	if ep == nil {
		return "", Pending{}, c.Ready()
	}
	p := Pending{State: state, Nonce: nonce, Verifier: oauth2.GenerateVerifier()}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(p.Verifier)}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	return ep.oauth.AuthCodeURL(state, opts...), p, nil
}

// ErrNonce means the ID token was not issued for this sign-in.
var ErrNonce = errors.New("id token nonce does not match this sign-in")

// ErrSubject means userinfo answered for another subject than the ID token.
var ErrSubject = errors.New("userinfo subject does not match the id token")

// Error is a failed step of Finish: which step, the provider's error code
// when it gave one (or "timeout"), and the cause. Its text holds no token.
type Error struct {
	Step string // "token", "verify", "nonce", "userinfo"
	Code string // e.g. invalid_grant, timeout
	Err  error
}

func (e *Error) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("%s (%s): %v", e.Step, e.Code, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Step, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Timeout reports whether the step failed because the provider did not
// answer in time.
func (e *Error) Timeout() bool { return e.Code == "timeout" }

func stepErr(ctx context.Context, step string, err error) *Error {
	e := &Error{Step: step, Err: err}
	var re *oauth2.RetrieveError
	var te interface{ Timeout() bool }
	switch {
	case errors.As(err, &re) && re.ErrorCode != "":
		e.Code = re.ErrorCode
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil || (errors.As(err, &te) && te.Timeout()):
		e.Code = "timeout"
	}
	return e
}

// Result is a finished sign-in: the identity, and the raw ID token, which
// the caller may keep (encrypted) only as id_token_hint for logout.
type Result struct {
	Identity tryggspor.Identity
	IDToken  string
}

// Finish exchanges the code, verifies the ID token and its nonce, asks
// userinfo for name and e-mail when the ID token lacks them, and maps the
// claims. The whole exchange is bounded by the timeout (each call, and all
// of them together by twice it). Role and organisation are read from the ID
// token only.
func (c *Client) Finish(ctx context.Context, p Pending, code string) (Result, error) {
	ep := c.ep.Load()
	if ep == nil {
		return Result{}, c.Ready()
	}
	ctx, cancel := context.WithTimeout(ctx, 2*c.cfg.Timeout)
	defer cancel()
	ctx = oidc.ClientContext(context.WithValue(ctx, oauth2.HTTPClient, c.http), c.http)
	tok, err := ep.exchange(ctx, code, p.Verifier)
	if err != nil {
		return Result{}, stepErr(ctx, "token", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Result{}, &Error{Step: "token", Err: errors.New("token response has no id_token")}
	}
	idt, err := ep.verifier.Verify(ctx, raw)
	if err != nil {
		return Result{}, stepErr(ctx, "verify", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.Nonce)) != 1 {
		return Result{}, &Error{Step: "nonce", Err: ErrNonce}
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Result{}, &Error{Step: "verify", Err: fmt.Errorf("id token claims: %w", err)}
	}
	id := c.identity(idt.Issuer, idt.Subject, claims)
	if (id.Name == "" || id.Email == "") && ep.provider.UserInfoEndpoint() != "" {
		if err := userinfo(ctx, ep.provider, tok, idt.Subject, &id); err != nil {
			return Result{}, err
		}
	}
	if id.Name == "" {
		id.Name, _ = claims["preferred_username"].(string)
	}
	if id.Name == "" {
		id.Name = idt.Subject
	}
	return Result{Identity: id, IDToken: raw}, nil
}

// exchange redeems the code, authenticating the client the way that
// worked last, else each way in turn while the provider refuses the
// request (never after a timeout), and returns the first refusal when
// none works. x/oauth2's own auto-detection returned the last, so a wrong
// secret was reported as "client_secret_post was requested" by a provider
// that answers each method it was not registered for with that.
func (ep *endpoints) exchange(ctx context.Context, code, verifier string) (*oauth2.Token, error) {
	order := ep.styles
	if w := int(ep.worked.Load()); w > 0 {
		order = ep.styles[w-1 : w]
	}
	var first error
	for _, style := range order {
		cfg := ep.oauth
		cfg.Endpoint.AuthStyle = style
		tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
		if err == nil {
			ep.worked.Store(int32(slices.Index(ep.styles, style) + 1))
			return tok, nil
		}
		if first == nil {
			first = err
		}
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) {
			break
		}
	}
	return nil, first
}

// userinfo fills in name and e-mail from the userinfo endpoint, after
// checking it speaks of the same subject (OIDC Core 5.3.2).
func userinfo(ctx context.Context, p *oidc.Provider, tok *oauth2.Token, sub string, id *tryggspor.Identity) error {
	ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return stepErr(ctx, "userinfo", err)
	}
	if subtle.ConstantTimeCompare([]byte(ui.Subject), []byte(sub)) != 1 {
		return &Error{Step: "userinfo", Err: ErrSubject}
	}
	var claims map[string]any
	if err := ui.Claims(&claims); err != nil {
		return &Error{Step: "userinfo", Err: err}
	}
	if id.Name == "" {
		id.Name = personName(claims)
	}
	if id.Email == "" {
		id.Email = email(claims)
	}
	return nil
}

// HasLogout reports whether the provider offers RP-initiated logout (an
// end_session_endpoint): only then is an ID token worth keeping as hint.
func (c *Client) HasLogout() bool {
	ep := c.ep.Load()
	return ep != nil && ep.endSession != ""
}

// LogoutURL is the provider's end_session_endpoint with id_token_hint (when
// kept), client_id and post_logout_redirect_uri, or "" when the provider
// offers no RP-initiated logout.
func (c *Client) LogoutURL(idTokenHint string) string {
	ep := c.ep.Load()
	if ep == nil || ep.endSession == "" {
		return ""
	}
	u, err := url.Parse(ep.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	q.Set("client_id", c.cfg.ClientID)
	if c.cfg.PostLogoutRedirectURL != "" {
		q.Set("post_logout_redirect_uri", c.cfg.PostLogoutRedirectURL)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// short is an error's text cut to a log line's worth: a provider's error
// page can be long.
func short(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
