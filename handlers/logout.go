package handlers

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

// logoutCookie names the one sign-out at the provider still to be made
// by this browser: the key of a logoutHop, never the token itself.
const logoutCookie = "__Host-tryggspor-logout"

// hopLife is how long a finished logout waits for its browser to come to
// /signedout and be sent on to the provider.
const hopLife = 2 * time.Minute

// signedOutPage is the page after "Logg ut". With Continue set it is the
// hop to the provider's end_session_endpoint: a new navigation (meta
// refresh, or the link for a browser that ignores it) rather than a
// redirect of the logout form, because CSP form-action 'self' also covers
// a form's redirects, and a browser drops one to another origin.
type signedOutPage struct {
	Page
	Provider string // the provider's button text
	Continue string // its end-session URL with id_token_hint; "" when none
}

// logout deletes the server-side session, so the old cookie opens nothing;
// audits it; and answers 303 to /signedout (so Back and reload never send
// the form again), which sends the browser on to the provider when it
// offers RP-initiated logout, so the next "Logg inn" on a shared PC does
// not sign the same person in again without asking.
func (h *Handler) logout(c echo.Context) error {
	sess := session(c)
	ctx := c.Request().Context()
	var lo tryggspor.Logout
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		var err error
		if lo, err = h.Sessions.EndSession(ctx, ck.Value); err != nil && !errors.Is(err, tryggspor.ErrNoSession) {
			return err
		}
	}
	clearCookie(c, sessionCookie)
	forgetPages(c)
	if sess != nil {
		if err := h.Service.SignOut(ctx, actor(c)); err != nil {
			return err
		}
		if cl := h.Auth.Get(lo.Provider); cl != nil {
			if to := cl.LogoutURL(lo.IDTokenHint); to != "" {
				key := h.hops.put(h.Now(), logoutHop{provider: cl.Label(), url: to})
				setCookie(c, logoutCookie, key, int(hopLife.Seconds()))
			}
		}
	}
	return c.Redirect(http.StatusSeeOther, "/signedout")
}

// signedOut is the page after logout, and where the provider sends the
// browser back. The first visit after a logout with a provider to sign
// out of is the hop there; every later one (Back, reload) is the plain
// page.
func (h *Handler) signedOut(c echo.Context) error {
	p := signedOutPage{Page: h.pageAnon(c, "Logget ut")}
	if ck, err := c.Cookie(logoutCookie); err == nil {
		clearCookie(c, logoutCookie)
		if hop, ok := h.hops.take(h.Now(), ck.Value); ok {
			p.Provider, p.Continue = hop.provider, hop.url
		}
	}
	forgetPages(c)
	return h.render(c, http.StatusOK, "signedout", p)
}

// forgetPages tells the browser to drop what it kept from this origin, so
// Back cannot bring a case page out of its cache or back/forward cache.
// Not "cookies": that reaches every site of the registrable domain, and
// our own cookie is cleared by name.
func forgetPages(c echo.Context) {
	c.Response().Header().Set("Clear-Site-Data", `"cache", "storage"`)
}

// logoutHop is one sign-out at a provider still to be made.
type logoutHop struct {
	provider, url string
	until         time.Time
}

// logoutHops keeps the provider sign-out addresses of finished logouts for
// hopLife, in memory only: the ID token in them is not written anywhere
// after its session row is deleted, and a restart at that moment costs
// only the hop.
type logoutHops struct {
	mu sync.Mutex
	m  map[string]logoutHop
}

// put keeps hop and returns its one-use key; expired hops go first.
func (l *logoutHops) put(now time.Time, hop logoutHop) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]logoutHop{}
	}
	for k, v := range l.m {
		if now.After(v.until) {
			delete(l.m, k)
		}
	}
	key := tryggspor.RandomToken()
	hop.until = now.Add(hopLife)
	l.m[key] = hop
	return key
}

// take returns the hop for key once, if it has not expired.
func (l *logoutHops) take(now time.Time, key string) (logoutHop, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	hop, ok := l.m[key]
	delete(l.m, key)
	return hop, ok && !now.After(hop.until)
}
