package auth_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"tryggspor/internal/auth"
	"tryggspor/internal/tryggspor"
)

func setup(t *testing.T) (*mockoidc.MockOIDC, *auth.Client) {
	t.Helper()
	op, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { op.Shutdown() })
	cfg := op.Config()
	c, err := auth.New(context.Background(), auth.Config{Issuer: cfg.Issuer, ClientID: cfg.ClientID,
		ClientSecret: cfg.ClientSecret, RedirectURL: "http://127.0.0.1/auth/callback", RoleClaim: "groups",
		Scopes:   []string{"openid", "profile", "groups"},
		OrgClaim: "preferred_username", RoleMap: map[string]string{"tp-officer": "officer"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return op, c
}

func TestCodeFlowMapsClaims(t *testing.T) {
	op, c := setup(t)
	op.QueueUser(&mockoidc.MockUser{Subject: "u1", PreferredUsername: "baerum", Groups: []string{"other", "tp-officer"}})
	u, p, _ := c.Begin("state-1", "nonce-1", "")
	if got := mustParse(t, u).Query(); got.Get("code_challenge_method") != "S256" || got.Get("nonce") != "nonce-1" {
		t.Fatalf("authorization URL lacks PKCE or nonce: %s", u)
	}
	res, err := c.Finish(context.Background(), p, auth.Authorize(t, u))
	if err != nil {
		t.Fatal(err)
	}
	id := res.Identity
	if id.Subject != "u1" || id.Role != tryggspor.RoleOfficer || id.Org != "baerum" || id.Issuer != op.Issuer() {
		t.Errorf("identity = %+v", id)
	}
}

func TestNonceIsCompared(t *testing.T) {
	_, c := setup(t)
	u, p, _ := c.Begin("state-2", "nonce-A", "")
	p.Nonce = "nonce-B" // a token minted for another sign-in
	if _, err := c.Finish(context.Background(), p, auth.Authorize(t, u)); !errors.Is(err, auth.ErrNonce) {
		t.Fatalf("nonce mismatch accepted: %v", err)
	}
}

func TestPKCEVerifierIsRequired(t *testing.T) {
	_, c := setup(t)
	u, p, _ := c.Begin("state-3", "nonce-3", "")
	p.Verifier = "a-different-verifier-of-sufficient-length-0123456789"
	if _, err := c.Finish(context.Background(), p, auth.Authorize(t, u)); err == nil {
		t.Fatal("a code was exchanged with the wrong PKCE verifier")
	}
}

func TestLoginHintIsPassedOn(t *testing.T) {
	_, c := setup(t)
	u, _, _ := c.Begin("s", "n", "politi")
	if mustParse(t, u).Query().Get("login_hint") != "politi" {
		t.Errorf("login_hint missing from %s", u)
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
