package tryggspor

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"
)

// Session limits (SPEC §11). They are domain facts, not storage details: the
// cookie's lifetime in the web layer and the purge in the store both follow
// them.
const (
	IdleTimeout     = 15 * time.Minute
	AbsoluteTimeout = 8 * time.Hour
)

// Session is a signed-in browser. Only the hash of its id is stored, so a copy
// of the database does not let anyone take over a session.
type Session struct {
	User      User
	CSRF      string
	CreatedAt time.Time
	LastSeen  time.Time
}

// LoginState is what the sign-in callback needs to finish a sign-in it
// started: the nonce to compare and the PKCE verifier. It lives server-side
// for ten minutes, keyed by the hash of the state value, with the name of
// the provider it was sent to.
type LoginState struct {
	Nonce, Verifier string
	Provider        string
}

// Logout is what signing out at the provider needs, kept with the session
// (the ID token encrypted) for that purpose only and deleted with it.
type Logout struct {
	Provider    string
	IDTokenHint string
}

// ErrNoSession means the session id or sign-in state is unknown, expired or
// signed out.
var ErrNoSession = errors.New("no session")

// RandomToken returns 32 random bytes, URL-safe base64: session ids, CSRF
// tokens, OIDC state and nonce.
func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
