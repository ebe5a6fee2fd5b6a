package handlers

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/municipality"
	"tryggspor/internal/stats"
	"tryggspor/internal/tryggspor"
)

//go:embed templates/*.html
var templateFS embed.FS

type pages struct{ byName map[string]*template.Template }

// parsePages parses every page together with the layout; a broken template
// stops the start rather than failing a user later.
func parsePages() (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || base == "fields" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/fields.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		p.byName[base] = t
	}
	return p, nil
}

var funcs = template.FuncMap{
	"date":  tryggspor.FormatDate,
	"dict":  dict,
	"label": label,
	"opts":  opts,
	"sub":   func(a, b int) int { return a - b },
	"add":   func(a, b int) int { return a + b },
	"show":  stats.Show,
	// municipalities are the register form's choices for the residence.
	"municipalities": municipality.Names,
	"cell": func(t *stats.Table, key string) string {
		for _, c := range t.Cells {
			if c.Key == key {
				return stats.Show(c.Value, c.Hidden)
			}
		}
		return "0"
	},
	"yn": func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	},
	"orgOpts": func(orgs []tryggspor.Organisation) [][2]string {
		out := [][2]string{{"", "Ingen / ukjent"}}
		for _, o := range orgs {
			out = append(out, [2]string{o.Code, o.Name})
		}
		return out
	},
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd arguments")
	}
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m, nil
}

// Page is what every page template gets: the signed-in user, the CSRF token,
// the language and a flash message. Page structs embed it.
type Page struct {
	Title     string
	User      *tryggspor.User
	CSRF      string
	Lang      string
	Flash     string
	Error     string
	RequestID string
	Path      string
	query     string // the request's query, kept by the language switch
}

// LangHref is the current page in language l, with the rest of its query
// (year, unit, filters) kept.
func (p *Page) LangHref(l string) string {
	q, _ := url.ParseQuery(p.query)
	q.Set("lang", l)
	return "?" + q.Encode()
}

// T translates a bokmål UI string to the page's language.
func (p *Page) T(s string) string {
	if p.Lang == "en" {
		if en, ok := english[s]; ok {
			return en
		}
	}
	return s
}

// Nav lists the links the signed-in role may follow.
func (p *Page) Nav() [][2]string {
	if p.User == nil {
		return nil
	}
	switch p.User.Role {
	case tryggspor.RoleOfficer:
		return [][2]string{{"/cases", "Saker"}, {"/cases/new", "Registrer sak"}, {"/cases/import", "Importer"}, {"/tasks", "Oppgaver"}}
	case tryggspor.RoleGuide:
		return [][2]string{{"/handovers", "Overføringer"}, {"/tasks", "Oppgaver"}}
	case tryggspor.RoleLeader:
		return [][2]string{{"/stats", "Statistikk"}, {"/tasks", "Oppgaver"}}
	case tryggspor.RoleAdmin:
		return [][2]string{{"/admin", "Administrasjon"}, {"/admin/orgs", "Organisasjoner"}}
	case tryggspor.RoleAuditor:
		return [][2]string{{"/audit", "Logg"}}
	}
	return nil
}

func (h *Handler) page(c echo.Context, title string) Page {
	p := Page{Title: title, Lang: lang(c), RequestID: rid(c), Path: c.Request().URL.Path, query: c.Request().URL.RawQuery}
	if s := session(c); s != nil {
		u := s.User
		p.User, p.CSRF = &u, s.CSRF
	}
	if ck, err := c.Cookie("__Host-flash"); err == nil && ck.Value != "" {
		p.Flash = flashes[ck.Value]
		clearCookie(c, "__Host-flash")
	}
	return p
}

// flashes are the confirmations a redirect can carry (by key, so no user text
// travels in a cookie).
var flashes = map[string]string{
	"created":  "Saken er registrert.",
	"recorded": "Hendelsen er registrert.",
	"saved":    "Endringen er lagret.",
}

func flash(c echo.Context, key string) { setCookie(c, "__Host-flash", key, 60) }

// lang picks bokmål unless the user chose English (?lang=en, remembered in a
// cookie). The browser's Accept-Language is not followed: many officers' PCs
// are set up in English, and the service speaks bokmål first.
func lang(c echo.Context) string {
	if q := c.QueryParam("lang"); q == "en" || q == "nb" {
		c.SetCookie(&http.Cookie{Name: "__Host-lang", Value: q, Path: "/", MaxAge: 365 * 24 * 3600, Secure: true,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return q
	}
	if ck, err := c.Cookie("__Host-lang"); err == nil && (ck.Value == "en" || ck.Value == "nb") {
		return ck.Value
	}
	return "nb"
}

func (h *Handler) render(c echo.Context, status int, name string, data any) error {
	t, ok := h.pages.byName[name]
	if !ok {
		return fmt.Errorf("no page %q", name)
	}
	// Templates get a pointer, so Page's methods are called without copying
	// the page for every translated string.
	ptr := reflect.New(reflect.TypeOf(data))
	ptr.Elem().Set(reflect.ValueOf(data))
	var buf bytes.Buffer
	if err := t.Execute(&buf, ptr.Interface()); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// statuses maps the domain's error kinds to HTTP: the one place they meet.
// Anything else (KindInternal) is a 500.
var statuses = map[tryggspor.Kind]int{
	tryggspor.KindNotFound:  http.StatusNotFound,
	tryggspor.KindForbidden: http.StatusForbidden,
	tryggspor.KindInvalid:   http.StatusUnprocessableEntity,
	tryggspor.KindConflict:  http.StatusConflict,
}

// statusOf is the HTTP status of a use case's error.
func statusOf(err error) int {
	if s, ok := statuses[tryggspor.ErrorKind(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

type errorPage struct {
	Page
	Status  int
	Message string
}

// handleError is the one place errors become responses: domain kinds map to
// their status with their safe message; anything else is logged once and shown
// as a generic page with the request id.
func (h *Handler) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, ""
	if he, ok := err.(*echo.HTTPError); ok {
		status = he.Code
		msg, _ = he.Message.(string)
		if status == http.StatusNotFound || msg == "" || strings.HasPrefix(msg, "code=") {
			msg = http.StatusText(status)
		}
		if he.Code == http.StatusRequestEntityTooLarge {
			msg = "Forespørselen er for stor."
		}
	} else {
		status, msg = statusOf(err), tryggspor.ErrorMessage(err)
	}
	if status == http.StatusNotFound {
		msg = "Siden eller saken finnes ikke, eller du har ikke tilgang til den."
	}
	if status >= 500 {
		h.Log.Error("request failed", "rid", rid(c), "route", c.Path(), "err", err)
		msg = "Noe gikk galt hos oss. Ingenting er endret. Oppgi referansen " + rid(c) + " hvis du kontakter brukerstøtte."
	}
	p := errorPage{Page: h.page(c, "Feil"), Status: status, Message: msg}
	if rerr := h.render(c, status, "error", p); rerr != nil {
		h.Log.Error("render error page", "rid", rid(c), "err", rerr)
		_ = c.String(status, msg)
	}
}
