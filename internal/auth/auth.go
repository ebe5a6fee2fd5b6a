// Package auth is the OpenID Connect client: the authorization code flow with
// PKCE (S256), a fresh state and nonce per sign-in, and ID-token verification.
// It is built once at start. go-oidc checks issuer, audience, expiry and
// signature; it does not compare the nonce, so Finish does.
package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"tryggspor/internal/tryggspor"
)

// Config describes the relying party.
type Config struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string
	Scopes       []string
	RoleClaim    string
	OrgClaim     string
	// RoleMap maps claim values to roles; when empty, the claim must hold a
	// role name itself.
	RoleMap map[string]string
}

// Client signs users in against one provider.
type Client struct {
	cfg      Config
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	http     *http.Client
}

// New discovers the provider at cfg.Issuer.
func New(ctx context.Context, cfg Config, hc *http.Client) (*Client, error) {
	if hc != nil {
		ctx = oidc.ClientContext(ctx, hc)
	}
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery at %s: %w", cfg.Issuer, err)
	}
	return newClient(ctx, cfg, p, hc), nil
}

// NewStatic builds a client from known endpoints without a discovery request;
// the built-in dev provider uses it because it serves on the same listener that
// is not yet accepting connections at start.
func NewStatic(ctx context.Context, cfg Config, authURL, tokenURL, jwksURL string, hc *http.Client) *Client {
	if hc != nil {
		ctx = oidc.ClientContext(ctx, hc)
	}
	pc := oidc.ProviderConfig{IssuerURL: cfg.Issuer, AuthURL: authURL, TokenURL: tokenURL, JWKSURL: jwksURL,
		Algorithms: []string{oidc.RS256}}
	return newClient(ctx, cfg, pc.NewProvider(ctx), hc)
}

func newClient(ctx context.Context, cfg Config, p *oidc.Provider, hc *http.Client) *Client {
	scopes := cfg.Scopes
	if len(scopes) == 0 {
		scopes = []string{oidc.ScopeOpenID, "profile", "email"}
	}
	return &Client{
		cfg: cfg,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: scopes},
		verifier: p.VerifierContext(ctx, &oidc.Config{ClientID: cfg.ClientID}),
		http:     hc,
	}
}

// Pending is a started sign-in: kept server-side until the callback.
type Pending struct {
	State, Nonce, Verifier string
}

// Begin starts a sign-in and returns the provider URL to redirect to.
// loginHint is passed on to the provider when set.
func (c *Client) Begin(state, nonce, loginHint string) (string, Pending) {
	p := Pending{State: state, Nonce: nonce, Verifier: oauth2.GenerateVerifier()}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(p.Verifier)}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	return c.oauth.AuthCodeURL(state, opts...), p
}

// ErrNonce means the ID token was not issued for this sign-in.
var ErrNonce = errors.New("id token nonce does not match this sign-in")

// Finish exchanges the code, verifies the ID token and its nonce, and maps its
// claims. No token is kept: only the identity leaves this function.
func (c *Client) Finish(ctx context.Context, p Pending, code string) (tryggspor.Identity, error) {
	if c.http != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, c.http)
	}
	tok, err := c.oauth.Exchange(ctx, code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		return tryggspor.Identity{}, fmt.Errorf("code exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return tryggspor.Identity{}, errors.New("token response has no id_token")
	}
	idt, err := c.verifier.Verify(ctx, raw)
	if err != nil {
		return tryggspor.Identity{}, fmt.Errorf("verify id token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.Nonce)) != 1 {
		return tryggspor.Identity{}, ErrNonce
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return tryggspor.Identity{}, fmt.Errorf("id token claims: %w", err)
	}
	return c.identity(idt.Issuer, idt.Subject, claims), nil
}

func (c *Client) identity(iss, sub string, claims map[string]any) tryggspor.Identity {
	id := tryggspor.Identity{Issuer: iss, Subject: sub}
	id.Name, _ = claims["name"].(string)
	if id.Name == "" {
		id.Name, _ = claims["preferred_username"].(string)
	}
	if id.Name == "" {
		id.Name = sub
	}
	id.Email, _ = claims["email"].(string)
	id.Org, _ = claims[c.cfg.OrgClaim].(string)
	for _, v := range claimStrings(claims[c.cfg.RoleClaim]) {
		r := v
		if len(c.cfg.RoleMap) > 0 {
			r = c.cfg.RoleMap[v]
		}
		if tryggspor.Role(r).Valid() {
			id.Role = tryggspor.Role(r)
			break
		}
	}
	return id
}

// claimStrings accepts a claim that is one string or a list of strings.
func claimStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
