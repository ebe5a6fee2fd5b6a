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
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/stats"
	"tryggspor/internal/tryggspor"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages are the page templates, parsed once per language: in the English
// set every {{.T "literal"}} is already the English text (pretranslate).
type pages struct{ byName, en map[string]*template.Template }

// get is the page template name in lang.
func (p *pages) get(lang, name string) *template.Template {
	if lang == "en" {
		return p.en[name]
	}
	return p.byName[name]
}

// parsePages parses every page together with the layout; a broken template
// stops the start rather than failing a user later.
func parsePages() (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	if _, err := loadAssets(); err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	src := map[string]string{}
	for _, n := range names {
		b, err := templateFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		src[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = string(b)
	}
	p := &pages{byName: map[string]*template.Template{}, en: map[string]*template.Template{}}
	for base := range src {
		if base == "layout" || base == "fields" {
			continue
		}
		for _, set := range []struct {
			lang string
			into map[string]*template.Template
		}{{"nb", p.byName}, {"en", p.en}} {
			t, err := template.New("layout.html").Funcs(funcs).Parse(pretranslate(src["layout"], set.lang))
			for _, n := range []string{"fields", base} {
				if err == nil {
					_, err = t.New(n + ".html").Parse(pretranslate(src[n], set.lang))
				}
			}
			if err != nil {
				return nil, fmt.Errorf("template %s: %w", base, err)
			}
			set.into[base] = t
		}
	}
	return p, nil
}

// literalT is a template action translating a string literal: {{.T "…"}},
// {{$.T "…"}}, {{$P.T "…"}}, {{.P.T "…"}} or {{$.P.T "…"}}.
var literalT = regexp.MustCompile(`\{\{(-?\s*)(?:\$|\$P|\.P|\$\.P)?\.T\s+("(?:[^"\\]|\\.)*")(\s*-?)\}\}`)

// pretranslate puts the translation of every literal {{.T "…"}} in the
// template as a string constant ({{"…"}}), escaped by html/template like any
// other value: Page.T of a literal depends only on the language, and a page
// has a few dozen of them, each a reflective method call on every render.
func pretranslate(src, lang string) string {
	return literalT.ReplaceAllStringFunc(src, func(m string) string {
		g := literalT.FindStringSubmatch(m)
		s, err := strconv.Unquote(g[2])
		if err != nil {
			return m
		}
		return "{{" + g[1] + strconv.Quote((&Page{Lang: lang}).T(s)) + g[3] + "}}"
	})
}

var funcs = template.FuncMap{
	"asset":      assetURL,
	"headLinks":  headLinks,
	"caseAssets": caseAssets,
	"date":       showDate,
	"dict":       dict,
	"label":      label,
	"opts":       opts,
	"sub":        func(a, b int) int { return a - b },
	"add":        func(a, b int) int { return a + b },
	"show":       stats.Show,
	"oslo":       func(t time.Time) string { return t.In(tryggspor.Oslo).Format("02.01.2006 15:04:05") },
	"num":        number,
	"prepend": func(code, label string, rest [][2]string) [][2]string {
		return append([][2]string{{code, label}}, rest...)
	},
	"yn": yesNo,
	"orgOpts": func(orgs []tryggspor.Organisation) [][2]string {
		out := [][2]string{{"", "Ingen / ukjent"}}
		for _, o := range orgs {
			out = append(out, [2]string{o.Code, o.Name})
		}
		return out
	},
}

// yesNo is a bool as the yesno vocabulary's code.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// headLinks are the icon and stylesheets every page's head links, made once:
// four fingerprinted URLs that never change while the process runs.
var headLinks = sync.OnceValues(func() (template.HTML, error) {
	return assetTags(`<link rel="icon" href="%s" type="image/svg+xml">`, "favicon.svg",
		`<link rel="stylesheet" href="%s">`, "designsystemet/theme.css",
		`<link rel="stylesheet" href="%s">`, "designsystemet/designsystemet.css",
		`<link rel="stylesheet" href="%s">`, "app.css")
})

// caseAssets are the case pages' own stylesheet and script, made once.
var caseAssets = sync.OnceValues(func() (template.HTML, error) {
	return assetTags(`<link rel="stylesheet" href="%s">`, "app-case.css", `<script src="%s" defer></script>`, "app-case.js")
})

// assetTags writes pairs of (tag with %s for the URL, asset name) as lines,
// each URL fingerprinted and escaped for its attribute.
func assetTags(pairs ...string) (template.HTML, error) {
	lines := make([]string, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		u, err := assetURL(pairs[i+1])
		if err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprintf(pairs[i], template.HTMLEscapeString(u)))
	}
	return template.HTML(strings.Join(lines, "\n")), nil
}

// assetURL is the fingerprinted URL of an embedded static file.
func assetURL(name string) (string, error) {
	a, err := loadAssets()
	if err != nil {
		return "", err
	}
	return a.URL(name)
}

// number writes a count as Norwegian typography does: thin (no-break)
// spaces between thousands.
func number(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "−" + number(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u202f" + s[i:]
	}
	return s
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
	// getURL is the page's own GET address (path and query, without lang),
	// for the language switch; a page rendered by a POST points to the GET
	// of the resource the form belongs to.
	getURL string
	// Posted is that GET address when the page answers a POST (a refused
	// form): the page puts it in the history in place of the POST, so Back
	// and reload never ask to send the form again.
	Posted string
	// Menu is the role's menu as made by Handler.menu ("": the layout makes
	// it from Nav).
	Menu template.HTML
}

// LangURL is the address of this page in the language lang: the same GET
// address with the query kept, so switching language never posts a form
// again or meets a 405. The choice is a cookie, so it survives the redirect
// after the next POST.
func (p *Page) LangURL(lang string) string {
	u, err := url.Parse(p.getURL)
	if err != nil || p.getURL == "" {
		return "?lang=" + lang
	}
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

// getOf is the GET address of the resource a POST to path belongs to.
func getOf(path string) string {
	switch {
	case path == "/cases":
		return "/cases/new"
	case path == "/logout":
		return "/"
	case path == "/admin/orgs":
		return "/admin/orgs/new"
	case strings.HasSuffix(path, "/events"):
		return strings.TrimSuffix(path, "/events")
	}
	return path
}

// T translates a bokmål UI string to the page's language; a message with a
// value in it is translated by its pattern (see translate).
func (p *Page) T(s string) string {
	if p.Lang == "en" {
		if en, ok := translate(s, 0); ok {
			return en
		}
	}
	return s
}

// menus are the menus rendered so far, by language, role and the current
// page: a dozen of them, each the same for every page of its kind, and each
// two dozen template actions when made anew.
type menus struct{ dayCache[template.HTML] }

func (ms *menus) get(h *Handler, p *Page) template.HTML {
	current := ""
	for _, l := range p.Nav() {
		if l[0] == p.Path {
			current = l[0]
		}
	}
	key := p.Lang + "|" + string(p.User.Role) + "|" + current
	if html, ok := ms.dayCache.get("", key); ok {
		return html
	}
	var buf bytes.Buffer
	if err := h.pages.get(p.Lang, "noaccess").ExecuteTemplate(&buf, "nav", p); err != nil {
		return "" // the layout makes it itself
	}
	html := template.HTML(buf.String())
	ms.put("", key, html)
	return html
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
		return [][2]string{{"/admin", "Administrasjon"}, {"/admin/orgs", "Organisasjoner"}, {"/admin/privacy", "Behandlingsprotokoll"}}
	case tryggspor.RoleAuditor:
		return [][2]string{{"/audit", "Logg"}, {"/admin/privacy", "Behandlingsprotokoll"}}
	}
	return nil
}

func (h *Handler) page(c echo.Context, title string) Page {
	r := c.Request()
	p := Page{Title: title, Lang: lang(c), RequestID: rid(c), Path: r.URL.Path, getURL: r.URL.Path}
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		q.Del("lang")
		if len(q) > 0 {
			p.getURL += "?" + q.Encode()
		}
	} else {
		p.getURL = getOf(r.URL.Path)
		p.Posted = p.getURL
	}
	if s := session(c); s != nil {
		u := s.User
		p.User, p.CSRF = &u, s.CSRF
		p.Menu = h.menus.get(h, &p)
	}
	if ck, err := c.Cookie("__Host-flash"); err == nil && ck.Value != "" {
		p.Flash = flashText(ck.Value)
		clearCookie(c, "__Host-flash")
	}
	return p
}

// flashes are the confirmations a redirect can carry (by key, so no user text
// travels in a cookie).
var flashes = map[string]string{
	"created":      "Saken er registrert.",
	"again":        "Skjemaet var allerede sendt. Saken ble registrert én gang, og dette er den.",
	"resume-gone":  "Skjemaet kunne ikke hentes tilbake: det er brukt, utløpt eller tilhører en annen bruker. Ingenting er lagret.",
	"confirm-used": "Denne bekreftelsen er allerede brukt eller utløpt. Ingenting mer er registrert.",
	"recorded":     "Hendelsen er registrert.",
	"saved":        "Endringen er lagret.",
}

func flash(c echo.Context, key string) { setCookie(c, "__Host-flash", key, 60) }

// flashText is the confirmation for a flash key: one of flashes, or
// "event:<type>", the recorded event type's own message (its spec's Recorded).
// An unknown key shows nothing.
func flashText(key string) string {
	if t, ok := strings.CutPrefix(key, "event:"); ok {
		if s, ok := tryggspor.EventType(t).Spec(); ok {
			return s.Recorded
		}
		return ""
	}
	return flashes[key]
}

// showDate writes a date as people in Norway read it, dd.mm.yyyy, in both
// languages. It takes a time or a stored YYYY-MM-DD string; a zero or empty
// date is "". Input values stay YYYY-MM-DD (what a date input sends).
func showDate(v any) string {
	switch d := v.(type) {
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.Format("02.01.2006")
	case string:
		if t, ok := tryggspor.ParseDate(d); ok {
			return t.Format("02.01.2006")
		}
		return d
	}
	return fmt.Sprint(v)
}

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
	t := h.pages.get(pageLang(data), name)
	if t == nil {
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

// pageLang is the language of a page's data: its (embedded) Page's Lang.
func pageLang(data any) string {
	v := reflect.ValueOf(data)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if f := v.FieldByName("Lang"); f.IsValid() && f.Kind() == reflect.String {
			return f.String()
		}
	}
	return "nb"
}

// statuses maps the domain's error kinds to HTTP: the one place they meet.
// Anything else (KindInternal) is a 500.
var statuses = map[tryggspor.Kind]int{
	tryggspor.KindNotFound:  http.StatusNotFound,
	tryggspor.KindForbidden: http.StatusForbidden,
	tryggspor.KindInvalid:   http.StatusUnprocessableEntity,
	tryggspor.KindConflict:  http.StatusConflict,
	tryggspor.KindLimit:     http.StatusTooManyRequests,
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
		if he.Code == http.StatusRequestEntityTooLarge && msg == http.StatusText(status) {
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
