package handlers

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"tryggspor/internal/tryggspor"
)

type eventForm struct {
	Body   template.HTML // the blank form's fields, when cached
	Type   string
	Label  string
	Fields []formField
	Values map[string]string
	Errors map[string]string
	Error  string
	Open   bool
}

type formField struct {
	Name, Label, Kind string // kind: date, select, text, textarea, radio
	Options           [][2]string
	Required          bool
}

// eventForms are the forms for the events the actor may record next; a refused
// one (fs) comes back open with what was typed and the messages.
func (h *Handler) eventForms(p Page, cs *tryggspor.Case, a tryggspor.Actor, dests [][2]string, fs *formState) ([]eventForm, error) {
	today := tryggspor.FormatDate(tryggspor.Today(h.Now()))
	var out []eventForm
	for _, t := range tryggspor.NextEvents(cs, a) {
		f := eventForm{Type: string(t), Label: t.Label(), Fields: eventFields(t, dests),
			Values: map[string]string{"date": today}}
		if fs != nil && fs.in.Type == string(t) {
			f.Values, f.Errors, f.Open = fs.in.Values(), tryggspor.ErrorFields(fs.err), true
			f.Error = tryggspor.ErrorMessage(fs.err)
		} else {
			var err error
			if f.Body, err = h.blank.get(h, p, f, dests); err != nil {
				return nil, err
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// safetyOptions are the ratings of the safety scale.
var safetyOptions = [][2]string{{"1", "1 – svært utrygg"}, {"2", "2"}, {"3", "3"}, {"4", "4"}, {"5", "5 – svært trygg"}}

// eventFields is the form of an event type, from its spec in the domain.
func eventFields(t tryggspor.EventType, dests [][2]string) []formField {
	spec, _ := t.Spec()
	out := make([]formField, 0, len(spec.Fields))
	for _, fs := range spec.Fields {
		f := formField{Name: fs.Name, Label: fs.Label, Kind: string(fs.Kind), Required: fs.Required}
		switch fs.Kind {
		case tryggspor.FieldSelect, tryggspor.FieldRadio:
			if fs.Dim == "correctable" {
				for _, term := range tryggspor.Correctable() {
					f.Options = append(f.Options, [2]string{term.Code, term.Label})
				}
			} else {
				f.Options = opts(fs.Dim)
			}
		case tryggspor.FieldOrg:
			f.Kind, f.Options = "select", dests
		case tryggspor.FieldSafety:
			f.Kind, f.Options = "select", safetyOptions
			if !fs.Required {
				f.Options = append([][2]string{{"", "Ikke oppgitt"}}, safetyOptions...)
			}
		}
		out = append(out, f)
	}
	return out
}

// blankForms caches the rendered fields of blank event forms. A blank form is
// the same for every case on a given day, in a given language, with a given
// list of destinations; rendering it is most of a case page's cost. The cache
// holds one day's forms and starts afresh when the date changes.
type blankForms struct {
	sync.Mutex
	day   string
	forms map[string]template.HTML
}

func (b *blankForms) get(h *Handler, p Page, f eventForm, dests [][2]string) (template.HTML, error) {
	day := f.Values["date"]
	var key strings.Builder
	key.WriteString(p.Lang + "|" + f.Type)
	for _, d := range dests {
		key.WriteString("|" + d[0] + "=" + d[1])
	}
	b.Lock()
	if b.day != day {
		b.day, b.forms = day, map[string]template.HTML{}
	}
	html, ok := b.forms[key.String()]
	b.Unlock()
	if ok {
		return html, nil
	}
	var buf bytes.Buffer
	if err := h.pages.byName["case_show"].ExecuteTemplate(&buf, "event-fields", map[string]any{"P": &p, "F": f}); err != nil {
		return "", fmt.Errorf("render %s form: %w", f.Type, err)
	}
	html = template.HTML(buf.String())
	b.Lock()
	if b.day == day {
		b.forms[key.String()] = html
	}
	b.Unlock()
	return html, nil
}
