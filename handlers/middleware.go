package handlers

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

const (
	sessionCookie = "__Host-tryggspor"
	loginCookie   = "__Host-tryggspor-login"
	maxBody       = 1 << 20
	// maxMemoryForm is how much of a multipart form is held in memory: a
	// whole spreadsheet, so no personal data is spilled into a temporary
	// file.
	maxMemoryForm = maxImport + 1<<20
)

func (h *Handler) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		c.Set("rid", id)
		c.Response().Header().Set("X-Request-Id", id)
		return next(c)
	}
}

// logRequests logs one line per request with the route pattern, never the raw
// URL or query, which may hold search terms a user typed.
func (h *Handler) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		if h.Metrics != nil {
			h.Metrics.Observe(c.Path(), c.Request().Method, c.Response().Status, time.Since(start))
		}
		h.Log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
			slog.String("rid", rid(c)), slog.String("method", c.Request().Method), slog.String("route", c.Path()),
			slog.Int("status", c.Response().Status), slog.Duration("took", time.Since(start)))
		return nil
	}
}

func (h *Handler) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
			}
		}()
		return next(c)
	}
}

// limitBody caps every request body. Only a signed-in officer posting to
// the import page may send a spreadsheet (32 MB and the form around it);
// anyone else, signed in or not, gets the 1 MB cap before any of the body
// is read, so a large upload cannot be used to fill the server's memory.
// It runs after the session is loaded, before anything reads the body.
func (h *Handler) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		limit := int64(maxBody)
		if s := session(c); r.URL.Path == "/cases/import" && s != nil && s.User.Role == tryggspor.RoleOfficer {
			limit = maxImport + 1<<20
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}

// securityHeaders sets the SPEC §11 headers on every response. Pages default to
// no-store; only static assets override it.
func (h *Handler) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		hd := c.Response().Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		hd.Set("Cache-Control", "no-store")
		return next(c)
	}
}

func (h *Handler) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		sess, err := h.Sessions.GetSession(c.Request().Context(), ck.Value)
		if errors.Is(err, tryggspor.ErrNoSession) {
			clearCookie(c, sessionCookie)
			c.Set("expired", true) // a form sent now is kept (keepForm)
			var ended *tryggspor.SessionEnded
			if errors.As(err, &ended) {
				c.Set("endedUser", ended.UserID) // … and held for this user to resume
			}
			return next(c)
		} else if err != nil {
			return fmt.Errorf("load session: %w", err)
		}
		c.Set("sess", sess)
		return next(c)
	}
}

// checkCSRF guards every state-changing request. First line: the browser's
// own word on where the request came from — an Origin that is not this host,
// or a Sec-Fetch-Site other than same-origin, is refused for everyone. Second
// line, for a signed-in user: the session's token, taken only from the form
// body (csrf_token) or the X-CSRF-Token header, never from the query string,
// where it would leak into logs and Referer headers. Anonymous requests change
// nothing: the guard sends them to sign-in. A body over the cap is 413, not a
// token failure. Each refusal is audited once, with its reason.
func (h *Handler) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			return next(c)
		}
		if reason := crossSite(r); reason != "" {
			h.auditDenied(c, tryggspor.ActCSRFDenied, reason+": "+pageName(c))
			return echo.NewHTTPError(http.StatusForbidden, "Forespørselen kom fra et annet nettsted og ble avvist.")
		}
		sess := session(c)
		if sess == nil {
			return next(c)
		}
		tok := r.Header.Get("X-CSRF-Token")
		if tok == "" {
			if err := parseBody(r); err != nil {
				return h.badBody(c, err)
			}
			tok = r.PostFormValue("csrf_token")
		}
		if tok == "" && r.PostFormValue(resumedField) == "1" {
			// A form kept over an ended session, sent again after signing in:
			// shown once more with this session's token, nothing acted on.
			return h.keepForm(c, true)
		}
		if tok == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(sess.CSRF)) != 1 {
			h.auditDenied(c, tryggspor.ActCSRFDenied, "mangler eller feil sikkerhetsnøkkel: "+pageName(c))
			return echo.NewHTTPError(http.StatusForbidden, "Skjemaet er utløpt eller mangler sikkerhetsnøkkel. Last siden på nytt og prøv igjen.")
		}
		return next(c)
	}
}

// crossSite says why a state-changing request looks cross-site, or "".
func crossSite(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		// A proxy may pass the public host on in X-Forwarded-Host; a browser
		// cannot be made to set it, so a match there is as good.
		if err != nil || (u.Host != r.Host && u.Host != r.Header.Get("X-Forwarded-Host")) {
			return "Origin " + o + " er ikke " + r.Host
		}
	} else if o == "null" {
		return "Origin null"
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
		return ""
	default:
		return "Sec-Fetch-Site " + site
	}
}

// parseBody reads the form body once (multipart or URL-encoded) within the
// body cap.
func parseBody(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err := r.ParseMultipartForm(maxMemoryForm)
		if errors.Is(err, http.ErrNotMultipart) {
			return nil
		}
		return err
	}
	return r.ParseForm()
}

// badBody answers a body that could not be read: 413 with the limit named
// when it was too large, 400 otherwise; audited with the reason.
func (h *Handler) badBody(c echo.Context, err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		h.auditDenied(c, tryggspor.ActTooLarge, fmt.Sprintf("over %s: %s", sizeText(tooLarge.Limit), pageName(c)))
		if c.Request().URL.Path == "/cases/import" {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, tooLargeFile)
		}
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("Forespørselen er for stor (høyst %s).", sizeText(tooLarge.Limit)))
	}
	h.auditDenied(c, tryggspor.ActBadRequest, "skjemaet kunne ikke leses: "+pageName(c))
	return echo.NewHTTPError(http.StatusBadRequest, "Skjemaet kunne ikke leses. Prøv igjen.")
}

// sizeText is a byte limit as people write it: "1 MB", "32 MB".
func sizeText(n int64) string {
	return fmt.Sprintf("%d MB", n>>20)
}

// guard admits signed-in users with one of roles; anonymous users are sent to
// sign in, and other roles are refused and the refusal audited.
func (h *Handler) guard(roles ...tryggspor.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			sess := session(c)
			if sess == nil {
				expired, _ := c.Get("expired").(bool)
				if r := c.Request(); r.Method == http.MethodPost && (expired || r.PostFormValue(resumedField) == "1") {
					return h.keepForm(c, false)
				}
				return c.Redirect(http.StatusSeeOther, "/login")
			}
			for _, r := range roles {
				if sess.User.Role == r {
					return next(c)
				}
			}
			h.auditDenied(c, tryggspor.ActRouteDenied, pageName(c))
			return echo.NewHTTPError(http.StatusForbidden, "Du har ikke tilgang til denne siden.")
		}
	}
}

// auditDenied records a refusal the web layer made itself. A failure to audit
// is logged, not shown: the user is refused either way.
func (h *Handler) auditDenied(c echo.Context, act tryggspor.Action, reason string) {
	if err := h.Service.Refused(c.Request().Context(), actor(c), act, reason); err != nil {
		h.Log.Error("audit denial failed", "rid", rid(c), "err", err)
	}
}

func session(c echo.Context) *tryggspor.Session {
	s, _ := c.Get("sess").(*tryggspor.Session)
	return s
}

// actor is the signed-in user as the domain sees them; anonymous has no role.
func actor(c echo.Context) tryggspor.Actor {
	s := session(c)
	if s == nil {
		return tryggspor.Actor{Name: "anonym"}
	}
	return tryggspor.Actor{UserID: s.User.ID, Name: s.User.Name, Role: s.User.Role, Org: s.User.Org}
}

func rid(c echo.Context) string {
	s, _ := c.Get("rid").(string)
	return s
}

func setCookie(c echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode})
}

func clearCookie(c echo.Context, name string) { setCookie(c, name, "", -1) }
