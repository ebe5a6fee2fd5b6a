package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

// A form sent after the session has ended is not lost: the answer is a page
// that says nothing was saved and holds what was typed in the same form. When
// the ended session's user is known, the form is also held server-side
// (encrypted, for that user alone, as long as a sign-in may take) and "Logg
// inn og fortsett" brings the user back to it filled in after signing in;
// otherwise the page asks the user to sign in again in a new tab and send it
// again (docs/decisions.md, "A form sent after the session ended").

// resumeCookie names the form held for the user of an ended session.
const resumeCookie = "__Host-tryggspor-resume"

// resumedField marks a form sent again from that page. The page has no CSRF
// token (there was no session to take one from), so the first send after
// signing in gets the same page back with the new session's token; only the
// send after that is acted on.
const resumedField = "resumed"

type keptField struct {
	Name, Label, Value string
	Long               bool // a textarea
}

type keptPage struct {
	Page
	Action   string
	Back     string
	Fields   []keptField
	Hidden   [][2]string
	SignedIn bool // the second step: signed in again, check and send
	File     bool // the form held a file, which cannot be kept
	Held     bool // held server-side: signing in here brings the form back
	Resumed  bool // brought back after signing in again (resume)
}

// keptLabels names the fields of every form a session can run out on.
var keptLabels = func() map[string]string {
	m := map[string]string{"name": "Navn", "code": "Kode", "kind": "Type", "parent": "Overordnet", "municipality": "Kommune"}
	for _, f := range registerFields {
		m[f.Name] = f.Label
	}
	for _, s := range tryggspor.EventSpecs() {
		for _, f := range s.Fields {
			m[f.Name] = f.Label
		}
	}
	return m
}()

// keptHidden are fields the user did not type: they travel unseen.
var keptHidden = map[string]bool{"type": true, "field": true, "confirmed": true}

// keepForm answers a POST whose session has ended (or, signedIn, the first
// send after signing in again) with the typed form kept.
func (h *Handler) keepForm(c echo.Context, signedIn bool) error {
	r := c.Request()
	if err := parseBody(r); err != nil {
		return h.badBody(c, err)
	}
	p := keptPageOf(h.page(c, "Økten er utløpt"), r.URL.Path, r.PostForm, signedIn)
	p.File = r.MultipartForm != nil && len(r.MultipartForm.File) > 0
	status := http.StatusUnauthorized
	if signedIn {
		status = http.StatusOK
	} else if uid, ok := c.Get("endedUser").(int64); ok && !p.File {
		held, err := h.holdForResume(c, uid, r.URL.Path, r.PostForm)
		if err != nil {
			return err
		}
		p.Held = held
	}
	return h.render(c, status, "kept", p)
}

// keptPageOf is the kept-form page for a form sent to action.
func keptPageOf(page Page, action string, form url.Values, signedIn bool) keptPage {
	p := keptPage{Page: page, Action: action, Back: getOf(action), SignedIn: signedIn}
	names := make([]string, 0, len(form))
	for k := range form {
		names = append(names, k)
	}
	sort.SliceStable(names, func(i, j int) bool { return fieldRank(names[i]) < fieldRank(names[j]) })
	for _, k := range names {
		v := form.Get(k)
		switch {
		case k == "csrf_token" || k == resumedField:
		case keptHidden[k]:
			p.Hidden = append(p.Hidden, [2]string{k, v})
		default:
			label := keptLabels[k]
			if label == "" {
				label = k
			}
			p.Fields = append(p.Fields, keptField{Name: k, Label: label, Value: v,
				Long: strings.Contains(v, "\n") || len(v) > 80 || k == "notes" || k == "note" || k == "reason"})
		}
	}
	return p
}

// holdForResume keeps the posted form for user until the sign-in is done
// (only the newest, and not one too large to hold: the page still shows it).
func (h *Handler) holdForResume(c echo.Context, user int64, path string, form map[string][]string) (bool, error) {
	values := map[string][]string{}
	for k, v := range form {
		if k != "csrf_token" && k != resumedField {
			values[k] = v
		}
	}
	tok, err := h.Sessions.HoldForm(c.Request().Context(), user, tryggspor.HoldResume, tryggspor.HeldForm{Path: path, Values: values})
	if errors.Is(err, tryggspor.ErrTooLargeToHold) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	setCookie(c, resumeCookie, tok, int(tryggspor.HoldResume.Lifetime().Seconds()))
	return true, nil
}

// resume is where signing in again leads when a form was held over the ended
// session: the register form, or the kept form, filled in as it was sent,
// with a word that nothing was saved. It is used once; another user's held
// form is never shown (and is dropped).
func (h *Handler) resume(c echo.Context) error {
	ck, err := c.Cookie(resumeCookie)
	clearCookie(c, resumeCookie)
	sess := session(c)
	var held tryggspor.HeldForm
	if err == nil {
		held, err = h.Sessions.HeldForm(c.Request().Context(), ck.Value, sess.User.ID, tryggspor.HoldResume, true)
	}
	if errors.Is(err, tryggspor.ErrNoSession) || errors.Is(err, http.ErrNoCookie) {
		if ck != nil {
			h.Sessions.DropHeldForm(c.Request().Context(), ck.Value) // another user's: gone
		}
		flash(c, "resume-gone")
		return c.Redirect(http.StatusSeeOther, sess.User.Role.Home())
	} else if err != nil {
		return err
	}
	form := url.Values(held.Values)
	if held.Path == "/cases" && sess.User.Role == tryggspor.RoleOfficer {
		in := caseInputOf(form)
		if in.FormID == "" {
			in.FormID = tryggspor.RandomToken()
		}
		return h.caseFormWith(c, http.StatusOK, in, nil, resumedNote)
	}
	p := keptPageOf(h.page(c, "Send skjemaet på nytt"), held.Path, form, true)
	p.Resumed, p.Posted = true, getOf(held.Path)
	return h.render(c, http.StatusOK, "kept", p)
}

// resumedNote is what a form brought back after signing in says.
const resumedNote = "Du ble logget ut, og ingenting ble lagret. Her er det du skrev: kontroller skjemaet og send det."

// fieldRank orders a kept form's fields as the forms show them.
func fieldRank(name string) int {
	for i, f := range registerFields {
		if f.Name == name {
			return i
		}
	}
	for _, s := range tryggspor.EventSpecs() {
		for i, f := range s.Fields {
			if f.Name == name {
				return 100 + i
			}
		}
	}
	return 200
}
