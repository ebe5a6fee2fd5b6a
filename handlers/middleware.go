package handlers

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

const (
	sessionCookie = "__Host-tryggspor"
	loginCookie   = "__Host-tryggspor-login"
	maxBody       = 1 << 20
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

func (h *Handler) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		limit := int64(maxBody)
		if r.URL.Path == "/cases/import" {
			limit = 2 * maxImport // the file, and again base64-encoded at the confirm step
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
			return next(c)
		} else if err != nil {
			return fmt.Errorf("load session: %w", err)
		}
		c.Set("sess", sess)
		return next(c)
	}
}

// checkCSRF requires the session's token in the csrf_token field of every
// state-changing request of a signed-in user. Anonymous requests change
// nothing: the guard sends them to sign-in.
func (h *Handler) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		m := c.Request().Method
		if m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions {
			return next(c)
		}
		sess := session(c)
		if sess == nil {
			return next(c)
		}
		tok := c.FormValue("csrf_token")
		if subtle.ConstantTimeCompare([]byte(tok), []byte(sess.CSRF)) != 1 || tok == "" {
			h.auditDenied(c, tryggspor.ActCSRFDenied, c.Path())
			return echo.NewHTTPError(http.StatusForbidden, "Skjemaet er utløpt eller mangler sikkerhetsnøkkel. Last siden på nytt og prøv igjen.")
		}
		return next(c)
	}
}

// guard admits signed-in users with one of roles; anonymous users are sent to
// sign in, and other roles are refused and the refusal audited.
func (h *Handler) guard(roles ...tryggspor.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			sess := session(c)
			if sess == nil {
				return c.Redirect(http.StatusSeeOther, "/login")
			}
			for _, r := range roles {
				if sess.User.Role == r {
					return next(c)
				}
			}
			h.auditDenied(c, tryggspor.ActRouteDenied, c.Request().Method+" "+c.Path())
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
