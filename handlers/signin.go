package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/auth"
	"tryggspor/internal/tryggspor"
)

// auditWait bounds an audit write made on a context of its own: a sign-in
// that failed because the provider hung, or whose browser gave up, is still
// audited.
const auditWait = 5 * time.Second

// detached is ctx without its cancellation (the request's may be gone), with
// a bound of its own.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), auditWait)
}

type loginChoice struct {
	Name, Label, Href string
}

type loginPage struct {
	Page
	Choices []loginChoice
}

// login starts the OIDC code flow at the provider named by ?idp=, or the
// one the login_hint belongs to, or the only one; with several and none
// chosen it shows one button per provider. The state is bound to this
// browser by a short-lived cookie; nonce, PKCE verifier and provider stay
// server-side.
func (h *Handler) login(c echo.Context) error {
	hint := strings.TrimSpace(c.QueryParam("login_hint"))
	idp := strings.TrimSpace(c.QueryParam("idp"))
	if session(c) != nil && hint == "" && idp == "" {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	if idp == "" && hint != "" && h.Auth != nil && h.Auth.Route != nil {
		idp = h.Auth.Route(hint)
	}
	if list := h.Auth.List(); idp == "" && len(list) == 1 {
		idp = list[0].Name()
	}
	if idp == "" {
		return h.loginChooser(c, hint, http.StatusOK, "")
	}
	client := h.Auth.Get(idp)
	if client == nil {
		return h.loginChooser(c, hint, http.StatusNotFound, "Ukjent innloggingsvalg. Velg en av dem nedenfor.")
	}
	state, nonce := tryggspor.RandomToken(), tryggspor.RandomToken()
	to, p, err := client.Begin(state, nonce, hint)
	if err != nil {
		h.Log.Error("sign-in not started: provider not ready", "rid", rid(c), "provider", idp, "err", err.Error())
		h.auditSignin(c, "identitetsleverandøren «"+idp+"» er ikke tilgjengelig")
		return h.signinTrouble(c, http.StatusServiceUnavailable,
			"Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt. Vedvarer feilen, kontakt brukerstøtte.")
	}
	ls := tryggspor.LoginState{Nonce: p.Nonce, Verifier: p.Verifier, Provider: idp}
	if err := h.Sessions.SaveLoginState(c.Request().Context(), state, ls); err != nil {
		return err
	}
	setCookie(c, loginCookie, state, 600)
	return c.Redirect(http.StatusFound, to)
}

func (h *Handler) loginChooser(c echo.Context, hint string, status int, msg string) error {
	p := loginPage{Page: h.pageAnon(c, "Logg inn")}
	p.Error = msg
	for _, cl := range h.Auth.List() {
		q := url.Values{"idp": {cl.Name()}}
		if hint != "" {
			q.Set("login_hint", hint)
		}
		p.Choices = append(p.Choices, loginChoice{Name: cl.Name(), Label: cl.Label(), Href: "/login?" + q.Encode()})
	}
	return h.render(c, status, "login", p)
}

type signinPage struct {
	Page
	Message string
}

// callback finishes the sign-in: the state must match this browser's cookie and
// a stored pending sign-in (used once), naming the provider; the ID token's
// nonce must match; the identity must pass the sign-in use case (role,
// organisation, the provider's trust); only then is a new session created,
// replacing any old one. Every failure is audited with its reason and
// logged with the provider's error code.
func (h *Handler) callback(c echo.Context) error {
	ctx := c.Request().Context()
	state := c.QueryParam("state")
	ls, client, ok, err := h.pendingSignIn(c, state)
	if !ok {
		return err // the page saying why has been written
	}
	if e := c.QueryParam("error"); e != "" {
		return h.providerRefused(c, client, e)
	}
	// RFC 9207: a provider that names itself must be the one we asked.
	if iss := c.QueryParam("iss"); iss != "" && iss != client.Issuer() {
		h.Log.Warn("sign-in failed", "rid", rid(c), "provider", client.Name(), "step", "iss", "iss", iss)
		h.auditSignin(c, fmt.Sprintf("svaret kom fra en annen utsteder enn «%s»", client.Name()))
		return h.signinTrouble(c, http.StatusBadRequest, "Innloggingen kunne ikke bekreftes. Prøv igjen.")
	}
	res, err := client.Finish(ctx, authPending(state, ls), c.QueryParam("code"))
	if err != nil {
		return h.finishFailed(c, client, err)
	}
	dctx, cancel := detached(ctx)
	defer cancel()
	u, err := h.Service.SignIn(dctx, res.Identity)
	if tryggspor.ErrorKind(err) == tryggspor.KindForbidden {
		h.Log.Warn("sign-in refused", "rid", rid(c), "provider", client.Name(), "reason", tryggspor.ErrorMessage(err))
		p := signinPage{Page: h.pageAnon(c, "Ingen tilgang"), Message: tryggspor.ErrorMessage(err)}
		return h.render(c, http.StatusForbidden, "noaccess", p)
	} else if err != nil {
		return err
	}
	old := ""
	if ck, err := c.Cookie(sessionCookie); err == nil {
		old = ck.Value
	}
	lo := tryggspor.Logout{Provider: client.Name()}
	if client.HasLogout() { // kept only when it can be used
		lo.IDTokenHint = res.IDToken
	}
	sid, err := h.Sessions.CreateSessionFor(dctx, u.ID, old, lo)
	if err != nil {
		return err
	}
	setCookie(c, sessionCookie, sid, int((tryggspor.AbsoluteTimeout + tryggspor.EndedGrace).Seconds()))
	if ck, err := c.Cookie(resumeCookie); err == nil && ck.Value != "" {
		return c.Redirect(http.StatusSeeOther, "/resume") // a form kept over the ended session (resume.go)
	}
	return c.Redirect(http.StatusSeeOther, u.Role.Home())
}

// pendingSignIn checks the callback belongs to a sign-in this browser
// started here (its cookie and the stored state, used once) and returns the
// provider it was started with; when it does not (ok false), the page
// saying why has been rendered, with err the rendering's error.
func (h *Handler) pendingSignIn(c echo.Context, state string) (ls tryggspor.LoginState, client *auth.Client, ok bool, err error) {
	ck, err := c.Cookie(loginCookie)
	clearCookie(c, loginCookie)
	if err != nil || state == "" || ck.Value != state {
		why := "nettleseren sendte ikke påloggingsinformasjonskapselen"
		if err == nil {
			why = "tilstanden stemmer ikke med nettleserens"
		}
		h.Log.Warn("sign-in failed", "rid", rid(c), "step", "state", "reason", why, "provider_error", c.QueryParam("error"))
		h.auditSignin(c, "innlogging kunne ikke fullføres: "+why)
		return ls, nil, false, h.signinTrouble(c, http.StatusBadRequest,
			"Innloggingen kunne ikke fullføres fordi den ble startet i en annen fane eller er utløpt. Prøv igjen.")
	}
	ls, err = h.Sessions.TakeLoginState(c.Request().Context(), state)
	if err != nil && !errors.Is(err, tryggspor.ErrNoSession) {
		// The database failed, not the browser: the error page with a
		// request id, logged there; no refusal in the audit log.
		return ls, nil, false, fmt.Errorf("sign-in state: %w", err)
	}
	if err != nil {
		h.Log.Warn("sign-in failed", "rid", rid(c), "step", "state", "reason", "unknown or expired state")
		h.auditSignin(c, "innloggingen er utløpt eller allerede brukt")
		return ls, nil, false, h.signinTrouble(c, http.StatusBadRequest, "Innloggingen er utløpt. Prøv igjen.")
	}
	client = h.Auth.Get(ls.Provider)
	if client == nil && ls.Provider == "" && len(h.Auth.List()) == 1 {
		client = h.Auth.List()[0] // started before this version
	}
	if client == nil {
		h.auditSignin(c, "ukjent identitetsleverandør «"+ls.Provider+"»")
		return ls, nil, false, h.signinTrouble(c, http.StatusBadRequest, "Innloggingen er utløpt. Prøv igjen.")
	}
	return ls, client, true, nil
}

// providerRefused handles an error the provider sent back instead of a
// code: access_denied (the user cancelled, or the provider refused them)
// is "no access"; anything else is a technical failure.
func (h *Handler) providerRefused(c echo.Context, client *auth.Client, code string) error {
	desc := c.QueryParam("error_description")
	if len(desc) > 200 {
		desc = desc[:200]
	}
	h.Log.Warn("sign-in failed", "rid", rid(c), "provider", client.Name(), "step", "authorize",
		"provider_error", code, "provider_error_description", desc)
	h.auditSignin(c, fmt.Sprintf("identitetsleverandøren «%s» svarte %s", client.Name(), safeCode(code)))
	if code == "access_denied" || code == "login_required" || code == "consent_required" || code == "interaction_required" {
		p := signinPage{Page: h.pageAnon(c, "Ingen tilgang"),
			Message: "Innloggingen ble avbrutt eller avvist hos identitetsleverandøren (" + safeCode(code) + ")."}
		return h.render(c, http.StatusForbidden, "noaccess", p)
	}
	return h.signinTrouble(c, http.StatusBadGateway,
		"Identitetsleverandøren kunne ikke fullføre innloggingen ("+safeCode(code)+"). Prøv igjen om litt.")
}

// finishFailed handles a failed code exchange, token check or userinfo.
func (h *Handler) finishFailed(c echo.Context, client *auth.Client, err error) error {
	var ae *auth.Error
	step, code := "finish", ""
	if errors.As(err, &ae) {
		step, code = ae.Step, ae.Code
	}
	h.Log.Warn("sign-in failed", "rid", rid(c), "provider", client.Name(), "step", step, "provider_error", code, "err", err.Error())
	if errors.Is(err, auth.ErrNotReady) {
		h.auditSignin(c, "identitetsleverandøren «"+client.Name()+"» er ikke tilgjengelig")
		return h.signinTrouble(c, http.StatusServiceUnavailable, "Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt.")
	}
	if ae != nil && ae.Timeout() {
		h.auditSignin(c, fmt.Sprintf("identitetsleverandøren «%s» svarte ikke i tide (%s)", client.Name(), step))
		return h.signinTrouble(c, http.StatusGatewayTimeout,
			"Identitetsleverandøren svarte ikke i tide, så innloggingen ble avbrutt. Prøv igjen om litt.")
	}
	reason := fmt.Sprintf("innloggingen fra «%s» kunne ikke bekreftes (%s", client.Name(), step)
	if code != "" {
		reason += ", " + safeCode(code)
	}
	h.auditSignin(c, reason+")")
	return h.signinTrouble(c, http.StatusBadGateway, "Innloggingen kunne ikke bekreftes. Prøv igjen.")
}

// safeCode keeps an OAuth error code to its defined alphabet, so the
// provider's text cannot inject anything into the page or the log.
func safeCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || r == '_' || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}

// auditSignin records a failed sign-in on a context of its own.
func (h *Handler) auditSignin(c echo.Context, reason string) {
	ctx, cancel := detached(c.Request().Context())
	defer cancel()
	if err := h.Service.Refused(ctx, actor(c), tryggspor.ActLogin, reason); err != nil {
		h.Log.Error("audit denial failed", "rid", rid(c), "err", err)
	}
}

// signinTrouble is the page for a sign-in that failed for a technical
// reason: not the "no access" page, whose advice is about permissions.
func (h *Handler) signinTrouble(c echo.Context, status int, msg string) error {
	p := signinPage{Page: h.pageAnon(c, "Innloggingen mislyktes"), Message: msg}
	return h.render(c, status, "signinfailed", p)
}

func (h *Handler) pageAnon(c echo.Context, title string) Page {
	p := h.page(c, title)
	p.User, p.CSRF = nil, ""
	return p
}

func authPending(state string, ls tryggspor.LoginState) auth.Pending {
	return auth.Pending{State: state, Nonce: ls.Nonce, Verifier: ls.Verifier}
}
