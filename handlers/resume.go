package handlers

import (
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

// A form sent after the session has ended is not lost: the answer is a page
// that holds what was typed in the same form, asks the user to sign in again
// in a new tab and then to send it again (docs/decisions.md, "A form sent
// after the session ended"). Nothing is stored server-side.

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
	p := keptPage{Page: h.page(c, "Økten er utløpt"), Action: r.URL.Path, Back: getOf(r.URL.Path), SignedIn: signedIn}
	p.File = r.MultipartForm != nil && len(r.MultipartForm.File) > 0
	names := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		names = append(names, k)
	}
	sort.SliceStable(names, func(i, j int) bool { return fieldRank(names[i]) < fieldRank(names[j]) })
	for _, k := range names {
		v := r.PostForm.Get(k)
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
	status := http.StatusUnauthorized
	if signedIn {
		status = http.StatusOK
	}
	return h.render(c, status, "kept", p)
}

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
