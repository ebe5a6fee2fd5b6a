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
	// EndedGrace is how long an ended session is remembered — its user and
	// nothing else usable — so that a form sent on it can be kept for that
	// user alone to resume after signing in again (SessionEnded). The
	// cookie lives as long.
	EndedGrace = time.Hour
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

// IsToken says whether s has RandomToken's shape (43 URL-safe base64
// characters), so a value a client made up cannot pass for one.
func IsToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// RandomToken returns 32 random bytes, URL-safe base64: session ids, CSRF
// tokens, OIDC state and nonce.
func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HoldPurpose is why a form is held server-side; each purpose has its own
// lifetime and a token of one purpose never opens another's.
type HoldPurpose string

const (
	// HoldConfirm: an event waiting on its confirmation page (SPEC §13).
	HoldConfirm HoldPurpose = "confirm"
	// HoldResume: a form sent after the session ended, waiting for the same
	// user to sign in again.
	HoldResume HoldPurpose = "resume"
)

// HoldPurposes are every purpose, for the purge.
var HoldPurposes = []HoldPurpose{HoldConfirm, HoldResume}

// Lifetime is how long a held form is kept: a confirmation as long as a
// session may stay idle, a resumed form as long as a sign-in may take.
func (p HoldPurpose) Lifetime() time.Duration {
	if p == HoldResume {
		return LoginTimeout
	}
	return IdleTimeout
}

// PerUser is how many held forms of the purpose one user keeps (the newest):
// one form to resume; a few confirmations, one per open tab.
func (p HoldPurpose) PerUser() int {
	if p == HoldResume {
		return 1
	}
	return 5
}

// MaxHeldBytes bounds one held form (sealed): a register form with every
// free-text field full is far below it.
const MaxHeldBytes = 256 << 10

// ErrTooLargeToHold: the form is larger than MaxHeldBytes and is not held.
var ErrTooLargeToHold = errors.New("the form is too large to hold")

// LoginTimeout is how long a sign-in may take, from leaving for the provider
// to coming back.
const LoginTimeout = 10 * time.Minute

// HeldForm is a form kept server-side: the page it belongs to and the values
// sent (csrf_token never among them).
type HeldForm struct {
	Path   string              `json:"path"`
	Values map[string][]string `json:"values"`
}

// SessionEnded is ErrNoSession for a session that existed and ran out of
// time: it names the user, so a form sent on it can be kept for that user
// alone to resume after signing in again.
type SessionEnded struct{ UserID int64 }

func (e *SessionEnded) Error() string { return "session ended" }

// Is makes a SessionEnded an ErrNoSession.
func (e *SessionEnded) Is(target error) bool { return target == ErrNoSession }
