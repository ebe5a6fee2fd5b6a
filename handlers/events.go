package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

// eventCreate appends one event. A refused or invalid event re-renders the
// case page with the messages at the top of the form and changes nothing; an
// event that ends someone's work and is not yet confirmed gets the
// confirmation page (SPEC §12), and nothing is written until it is sent.
func (h *Handler) eventCreate(c echo.Context) error {
	var in tryggspor.EventInput
	if err := (&echo.DefaultBinder{}).BindBody(c, &in); err != nil {
		return tryggspor.Invalid("Skjemaet kunne ikke leses.")
	}
	a := actor(c)
	ctx := c.Request().Context()
	if held := c.FormValue(heldField); held != "" && in.Confirmed == "yes" {
		// Sent from the confirmation page: what is recorded is what the
		// page showed — the held values, for this case — used once.
		values, ok, err := h.takeHeld(c, held)
		if err != nil {
			return err
		} else if !ok {
			flash(c, "confirm-used")
			return c.Redirect(http.StatusSeeOther, "/cases/"+c.Param("id"))
		}
		in = tryggspor.EventInputFrom(values)
		in.Confirmed = "yes"
	}
	cs, err := h.Service.RecordEvent(ctx, a, c.Param("id"), in)
	if errors.Is(err, tryggspor.ErrNeedsConfirmation) {
		// Nothing is written: the values wait server-side (encrypted, one
		// use, short-lived) for the confirmation page, a GET of its own, so
		// Back, reload and history work on it (SPEC §13).
		values := map[string][]string{}
		for _, kv := range in.Pairs() {
			values[kv[0]] = []string{kv[1]}
		}
		tok, err := h.Sessions.HoldForm(ctx, a.UserID, tryggspor.HoldConfirm, tryggspor.HeldForm{Path: "/cases/" + cs.ID, Values: values})
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/cases/"+cs.ID+"/confirm?"+heldField+"="+tok)
	}
	switch tryggspor.ErrorKind(err) {
	case tryggspor.KindInternal:
		if err != nil {
			return err
		}
	case tryggspor.KindNotFound:
		return err
	default:
		return h.showCase(c, statusOf(err), &formState{in: in, err: err})
	}
	flash(c, "event:"+in.Type)
	// A guide who rejects a handover (or closes the case) no longer sees it.
	if a.Role == tryggspor.RoleGuide && !h.Service.GuideMayAccess(cs, a.Org) {
		return c.Redirect(http.StatusSeeOther, a.Role.Home())
	}
	return c.Redirect(http.StatusSeeOther, "/cases/"+cs.ID)
}

type confirmPage struct {
	Page
	CaseID  string
	Ref     string
	Name    string
	Title   string
	Explain string
	Button  string
	Facts   [][2]string // what was typed, in words, in form order
	Hidden  [][2]string // every posted field, to send again with confirmed=yes
}

// heldField names the token of a form held for its confirmation page.
const heldField = "held"

// takeHeld uses up the confirmation held under tok for this user and this
// case (the path of the request): another case's token, a used or expired
// one, is not ok and is left as it is.
func (h *Handler) takeHeld(c echo.Context, tok string) (map[string][]string, bool, error) {
	ctx, uid := c.Request().Context(), actor(c).UserID
	held, err := h.Sessions.HeldForm(ctx, tok, uid, tryggspor.HoldConfirm, false)
	if errors.Is(err, tryggspor.ErrNoSession) || (err == nil && held.Path != "/cases/"+c.Param("id")) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	held, err = h.Sessions.HeldForm(ctx, tok, uid, tryggspor.HoldConfirm, true) // one DELETE: two sends, one use
	if errors.Is(err, tryggspor.ErrNoSession) {
		return nil, false, nil
	}
	return held.Values, err == nil, err
}

// confirmShow is the confirmation page of an event held by eventCreate. A
// token that is used, expired or another user's leads back to the case with
// a word that nothing more was recorded.
func (h *Handler) confirmShow(c echo.Context) error {
	a := actor(c)
	ctx := c.Request().Context()
	tok := c.QueryParam(heldField)
	held, err := h.Sessions.HeldForm(ctx, tok, a.UserID, tryggspor.HoldConfirm, false)
	if errors.Is(err, tryggspor.ErrNoSession) {
		flash(c, "confirm-used")
		return c.Redirect(http.StatusSeeOther, "/cases/"+c.Param("id"))
	} else if err != nil {
		return err
	}
	v, err := h.Service.ViewCase(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	if held.Path != "/cases/"+v.Case.ID {
		return tryggspor.NotFound("Saken finnes ikke.")
	}
	return h.confirmEvent(c, v.Case, tryggspor.EventInputFrom(held.Values), tok)
}

// confirmEvent asks the user to confirm an event that ends someone's work,
// saying in plain words what will happen; its form repeats every held field
// with confirmed=yes and the held form's token.
func (h *Handler) confirmEvent(c echo.Context, cs *tryggspor.Case, in tryggspor.EventInput, tok string) error {
	t := tryggspor.EventType(in.Type)
	spec, _ := t.Spec()
	p := confirmPage{Page: h.page(c, spec.Action), CaseID: cs.ID, Ref: cs.Ref, Name: cs.Personal.PersonName,
		Title: spec.Action, Explain: spec.Confirm.Explain, Button: spec.Confirm.Button}
	dir, err := h.Service.Directory(c.Request().Context())
	if err != nil {
		return err
	}
	names := dir.Names()
	values := in.Values()
	for _, f := range eventFields(t, "", choices{}) {
		v := values[f.Name]
		if v == "" {
			continue
		}
		shown := v
		switch {
		case f.Kind == "date":
			shown = showDate(v)
		case f.Options != nil:
			for _, o := range f.Options {
				if o[0] == v {
					shown = p.T(o[1])
				}
			}
		case names[v] != "":
			shown = names[v]
		}
		p.Facts = append(p.Facts, [2]string{p.T(f.Label), shown})
	}
	for _, kv := range in.Pairs() {
		if kv[0] != "confirmed" {
			p.Hidden = append(p.Hidden, kv)
		}
	}
	p.Hidden = append(p.Hidden, [2]string{heldField, tok})
	return h.render(c, http.StatusOK, "confirm", p)
}
