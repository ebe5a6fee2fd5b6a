package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/auth"
	"tryggspor/internal/tryggspor"
)

// login starts the OIDC code flow. The state is bound to this browser by a
// short-lived cookie; nonce and PKCE verifier stay server-side.
func (h *Handler) login(c echo.Context) error {
	if session(c) != nil && c.QueryParam("login_hint") == "" {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	state, nonce := tryggspor.RandomToken(), tryggspor.RandomToken()
	url, p := h.Auth.Begin(state, nonce, strings.TrimSpace(c.QueryParam("login_hint")))
	if err := h.Sessions.SaveLoginState(c.Request().Context(), state, tryggspor.LoginState{Nonce: p.Nonce, Verifier: p.Verifier}); err != nil {
		return err
	}
	setCookie(c, loginCookie, state, 600)
	return c.Redirect(http.StatusFound, url)
}

type signinPage struct {
	Page
	Message string
}

// callback finishes the sign-in: the state must match this browser's cookie and
// a stored pending sign-in (used once); the ID token's nonce must match; only
// then is a new session created, replacing any old one.
func (h *Handler) callback(c echo.Context) error {
	ctx := c.Request().Context()
	state := c.QueryParam("state")
	ck, err := c.Cookie(loginCookie)
	clearCookie(c, loginCookie)
	if err != nil || state == "" || ck.Value != state {
		return h.signinFailed(c, "Innloggingen kunne ikke fullføres fordi den ble startet i en annen fane eller er utløpt. Prøv igjen.")
	}
	ls, err := h.Sessions.TakeLoginState(ctx, state)
	if err != nil {
		return h.signinFailed(c, "Innloggingen er utløpt. Prøv igjen.")
	}
	if e := c.QueryParam("error"); e != "" {
		return h.signinFailed(c, "Innloggingen ble avbrutt hos identitetsleverandøren.")
	}
	id, err := h.Auth.Finish(ctx, authPending(state, ls), c.QueryParam("code"))
	if err != nil {
		h.Log.Warn("sign-in failed", "rid", rid(c), "err", err)
		return h.signinFailed(c, "Innloggingen kunne ikke bekreftes. Prøv igjen.")
	}
	u, err := h.Service.SignIn(ctx, id)
	if k := tryggspor.ErrorKind(err); k == tryggspor.KindForbidden {
		p := signinPage{Page: h.page(c, "Ingen tilgang"), Message: tryggspor.ErrorMessage(err)}
		return h.render(c, http.StatusForbidden, "noaccess", p)
	} else if err != nil {
		return err
	}
	old := ""
	if ck, err := c.Cookie(sessionCookie); err == nil {
		old = ck.Value
	}
	sid, err := h.Sessions.CreateSession(ctx, u.ID, old)
	if err != nil {
		return err
	}
	setCookie(c, sessionCookie, sid, int(tryggspor.AbsoluteTimeout.Seconds()))
	return c.Redirect(http.StatusSeeOther, u.Role.Home())
}

func (h *Handler) signinFailed(c echo.Context, msg string) error {
	h.auditDenied(c, tryggspor.ActLogin, msg)
	p := signinPage{Page: h.page(c, "Innlogging"), Message: msg}
	return h.render(c, http.StatusBadRequest, "noaccess", p)
}

// logout deletes the server-side session, so the old cookie opens nothing.
func (h *Handler) logout(c echo.Context) error {
	sess := session(c)
	if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := h.Sessions.DeleteSession(c.Request().Context(), ck.Value); err != nil && !errors.Is(err, tryggspor.ErrNoSession) {
			return err
		}
	}
	clearCookie(c, sessionCookie)
	if sess != nil {
		if err := h.Service.SignOut(c.Request().Context(), actor(c)); err != nil {
			return err
		}
	}
	return h.render(c, http.StatusOK, "signedout", h.pageAnon(c, "Logget ut"))
}

func (h *Handler) pageAnon(c echo.Context, title string) Page {
	p := h.page(c, title)
	p.User, p.CSRF = nil, ""
	return p
}

func authPending(state string, ls tryggspor.LoginState) auth.Pending {
	return auth.Pending{State: state, Nonce: ls.Nonce, Verifier: ls.Verifier}
}
