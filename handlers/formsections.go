package handlers

import (
	"bytes"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"

	"tryggspor/internal/tryggspor"
)

// formSections is what the case page's form sections are rendered from.
type formSections struct {
	P      *Page
	Case   *tryggspor.Case
	Next   *eventForm
	Others []eventForm
}

// renderedForms are the two sections as HTML, for the page template.
type renderedForms struct {
	Next, Others template.HTML
}

// sectionCache keeps the case page's form sections once rendered. Rendering
// them is most of a case page's template work (a dozen forms, each a few
// dozen template actions), and blank forms are the same on every case page
// in the same language on the same day with the same choices: only the case
// id and the session's CSRF token differ. So a section is rendered once with
// two marks in their places, cut at the marks, and joined with the real
// values on every page after. A section holding anything typed or stored
// for one case (a refused form's input, a correction's current value, an
// evaluation's measures) is never cached: it is rendered for its page only.
type sectionCache struct {
	marks [2]string             // stand-ins for the case id and the CSRF token
	cut   dayCache[[2][]string] // the sections, cut at the marks
}

// maxCachedSections bounds the cache; it starts afresh when full (a few
// hundred distinct sets of forms in a day is already unusual).
const maxCachedSections = 512

func newSectionCache() *sectionCache {
	return &sectionCache{marks: [2]string{"caseid" + tryggspor.RandomToken()[:20], "csrf" + tryggspor.RandomToken()[:20]},
		cut: dayCache[[2][]string]{max: maxCachedSections}}
}

// sections renders (or reuses) the form sections of a case page.
func (h *Handler) sections(p *Page, cs *tryggspor.Case, next *eventForm, others []eventForm, cacheable bool) (renderedForms, error) {
	fs := formSections{P: p, Case: cs, Next: next, Others: others}
	if !cacheable || !plainToken(cs.ID) || !plainToken(p.CSRF) {
		return h.renderSections(fs)
	}
	sc := h.formCache
	key := sectionKey(p.Lang, next, others)
	day := tryggspor.FormatDate(tryggspor.Today(h.Now()))
	parts, ok := sc.cut.get(day, key)
	if !ok {
		marked := *p
		marked.CSRF = sc.marks[1]
		mc := *cs
		mc.ID = sc.marks[0]
		r, err := h.renderSections(formSections{P: &marked, Case: &mc, Next: next, Others: others})
		if err != nil {
			return renderedForms{}, err
		}
		parts = [2][]string{sc.split(string(r.Next)), sc.split(string(r.Others))}
		sc.cut.put(day, key, parts)
	}
	return renderedForms{Next: sc.join(parts[0], cs.ID, p.CSRF), Others: sc.join(parts[1], cs.ID, p.CSRF)}, nil
}

// renderSections executes the two section templates.
func (h *Handler) renderSections(fs formSections) (renderedForms, error) {
	var out renderedForms
	t := h.pages.get(fs.P.Lang, "case_show")
	for _, s := range []struct {
		name string
		dst  *template.HTML
	}{{"next-section", &out.Next}, {"others-section", &out.Others}} {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, s.name, fs); err != nil {
			return out, fmt.Errorf("render %s: %w", s.name, err)
		}
		*s.dst = template.HTML(buf.String())
	}
	return out, nil
}

// split cuts a section rendered with the marks into text and marks.
func (sc *sectionCache) split(s string) []string {
	var parts []string
	for {
		i, j := strings.Index(s, sc.marks[0]), strings.Index(s, sc.marks[1])
		if i < 0 && j < 0 {
			return append(parts, s)
		}
		mark := 0
		if i < 0 || (j >= 0 && j < i) {
			i, mark = j, 1
		}
		parts = append(parts, s[:i], sc.marks[mark])
		s = s[i+len(sc.marks[mark]):]
	}
}

// join puts the case id and the token in place of the marks.
func (sc *sectionCache) join(parts []string, id, csrf string) template.HTML {
	var b strings.Builder
	for _, s := range parts {
		switch s {
		case sc.marks[0]:
			s = id
		case sc.marks[1]:
			s = csrf
		}
		b.WriteString(s)
	}
	return template.HTML(b.String())
}

// plainToken says s reads the same in every context the forms put it in
// (an attribute, a URL path): letters, digits, '-' and '_' only, as case ids
// and CSRF tokens are. Anything else is rendered without the cache.
func plainToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// sectionKey is everything the sections show besides the case id and the
// token: the language and every field of every form, in order (a blank
// form's rendered fields by the key they were cached under).
// TestSectionKeyCoversEveryField keeps it in step with eventForm.
func sectionKey(lang string, next *eventForm, others []eventForm) string {
	var b strings.Builder
	b.WriteString(lang)
	if next != nil {
		b.WriteString("\x00next")
		writeFormKey(&b, next)
	}
	for i := range others {
		writeFormKey(&b, &others[i])
	}
	return b.String()
}

// writeFormKey writes every field of f that the templates read.
func writeFormKey(b *strings.Builder, f *eventForm) {
	w := func(ss ...string) {
		for _, s := range ss {
			b.WriteString("\x00")
			b.WriteString(s)
		}
	}
	w("form", f.Type, f.Title, f.Error, f.Correct, strconv.FormatBool(f.Open))
	if f.Body != "" {
		w("body", f.bodyKey) // the fields are in the body
	} else {
		for _, fd := range f.Fields {
			w("field", fd.Name, fd.Label, fd.Kind, strconv.FormatBool(fd.Required))
			writePairs(w, fd.Options)
		}
	}
	writePairs(w, f.Choose)
	for _, m := range []map[string]string{f.Values, f.Errors} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		w("map")
		for _, k := range keys {
			w(k, m[k])
		}
	}
	for _, it := range f.Summary {
		w("summary", it.ID, it.Label, it.Message)
	}
}

func writePairs(w func(...string), pairs [][2]string) {
	w("pairs")
	for _, p := range pairs {
		w(p[0], p[1])
	}
}
