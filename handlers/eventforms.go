package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"sort"

	"tryggspor/internal/tryggspor"
)

type eventForm struct {
	Body    template.HTML // the blank form's fields, when cached
	bodyKey string        // … and the key they were cached under
	Type    string
	Title   string // the imperative: "Registrer kontaktforsøk"
	Fields  []formField
	Values  map[string]string
	Errors  map[string]string
	Summary []summaryItem // the refused form's messages, in form order
	Error   string        // a refusal that is not about one field
	Open    bool
	Correct string // a correction's chosen field ("": choose one first)
	Choose  [][2]string
}

type formField struct {
	Name, Label, Kind string // kind: date, select, text, textarea, radio, number
	Options           [][2]string
	Required          bool
}

// summaryItem is one line of an error summary: the message and the field it
// links to.
type summaryItem struct{ ID, Label, Message string }

// choices are the options the event forms draw on beyond the vocabulary.
type choices struct {
	dests   [][2]string // destinations of a handover or consent
	schools [][2]string // the schools, for a correction of the school
	correct string      // the field a correction is about (?rett=)
	// measures are the case's open plan measures, for an evaluation's
	// choice of measure (per case, so that form is never cached).
	measures [][2]string
	// destsKey is a digest of dests, which every blank form's cache key
	// names: made once per page (digestPairs), not once per form.
	destsKey string
}

// digestPairs is a digest of a list of (code, name) pairs.
func digestPairs(pairs [][2]string) string {
	h := sha256.New()
	for _, d := range pairs {
		h.Write([]byte(d[0] + "\x00" + d[1] + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// eventForms are the forms for the events the actor may record now: the
// refused one (fs) or else the next expected step, open at the top; the
// others collapsed below.
func (h *Handler) eventForms(p Page, cs *tryggspor.Case, a tryggspor.Actor, ch choices, fs *formState) (*eventForm, []eventForm, error) {
	today := tryggspor.Today(h.Now())
	next := tryggspor.NextStep(cs, a)
	var top *eventForm
	var others []eventForm
	for _, t := range tryggspor.NextEvents(cs, a) {
		spec, _ := t.Spec()
		f := eventForm{Type: string(t), Title: spec.Action, Values: map[string]string{"date": tryggspor.FormatDate(today)}}
		if t == tryggspor.EvHandoverProposed {
			f.Values["accept_by"] = tryggspor.FormatDate(today.AddDate(0, 0, h.AcceptByDays))
		}
		if t == tryggspor.EvCorrection {
			f.Correct = ch.correct
			if fs != nil && fs.in.Type == string(t) {
				f.Correct = fs.in.Field
			}
			if _, ok := tryggspor.CorrectionValue(f.Correct); !ok {
				f.Correct = ""
			}
			f.Values["value"] = cs.FieldValue(f.Correct)
			f.Open = ch.correct != ""
			for _, term := range tryggspor.Correctable() {
				f.Choose = append(f.Choose, [2]string{term.Code, term.Label})
			}
		}
		f.Fields = eventFields(t, f.Correct, ch)
		refused := fs != nil && fs.in.Type == string(t)
		switch {
		case refused:
			f.Values, f.Errors, f.Open = fs.in.Values(), tryggspor.ErrorFields(fs.err), true
			f.Summary = summary(&p, string(t)+"-", f.Fields, f.Errors)
			if len(f.Errors) == 0 {
				f.Error = tryggspor.ErrorMessage(fs.err)
			}
		case t != tryggspor.EvCorrection && t != tryggspor.EvPlanEvaluation:
			var err error
			if f.Body, f.bodyKey, err = h.blank.get(h, p, f, ch.destsKey); err != nil {
				return nil, nil, err
			}
		}
		if refused || (fs == nil && t == next) {
			f.Open = true
			top = &f
			continue
		}
		others = append(others, f)
	}
	return top, others, nil
}

// summary lists a form's messages in the order of its fields, each linking to
// its field (the first radio button of a group).
func summary(p *Page, prefix string, fields []formField, errs map[string]string) []summaryItem {
	var out []summaryItem
	seen := map[string]bool{}
	for _, f := range fields {
		msg, ok := errs[f.Name]
		if !ok {
			continue
		}
		id := prefix + f.Name
		if f.Kind == "radio" {
			id += "-0"
		}
		out = append(out, summaryItem{ID: id, Label: p.T(f.Label), Message: p.T(msg)})
		seen[f.Name] = true
	}
	var rest []string // messages about no field on the form, by name
	for name := range errs {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		it := summaryItem{Message: p.T(errs[name])}
		if tryggspor.Known("field", name) {
			it.Label = p.T(label("field", name))
		}
		out = append(out, it)
	}
	return out
}

// safetyOptions are the ratings of the safety scale.
var safetyOptions = [][2]string{{"1", "1 – svært utrygg"}, {"2", "2"}, {"3", "3"}, {"4", "4"}, {"5", "5 – svært trygg"}}

// eventFields is the form of an event type, from its spec in the domain. A
// correction's value takes the input of the field being corrected.
func eventFields(t tryggspor.EventType, correct string, ch choices) []formField {
	spec, _ := t.Spec()
	out := make([]formField, 0, len(spec.Fields))
	for _, fs := range spec.Fields {
		if t == tryggspor.EvCorrection && fs.Name == "field" {
			continue // chosen first, then posted as a hidden field
		}
		if t == tryggspor.EvCorrection && fs.Name == "value" {
			fs, _ = tryggspor.CorrectionValue(correct)
			fs.Label = "Ny verdi"
		}
		f := formField{Name: fs.Name, Label: fs.Label, Kind: string(fs.Kind), Required: fs.Required}
		switch fs.Kind {
		case tryggspor.FieldSelect, tryggspor.FieldRadio:
			f.Options = opts(fs.Dim)
		case tryggspor.FieldOrg:
			f.Kind, f.Options = "select", ch.dests
			if t == tryggspor.EvCorrection {
				f.Options = append([][2]string{{"", "Ingen / ukjent"}}, ch.schools...)
			}
		case tryggspor.FieldMeasure:
			f.Kind, f.Options = "select", ch.measures
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
type blankForms struct{ dayCache[template.HTML] }

func (b *blankForms) get(h *Handler, p Page, f eventForm, destsKey string) (template.HTML, string, error) {
	day := f.Values["date"]
	key := p.Lang + "|" + f.Type + "|" + f.Values["accept_by"] + "|" + destsKey
	if html, ok := b.dayCache.get(day, key); ok {
		return html, day + "|" + key, nil
	}
	var buf bytes.Buffer
	if err := h.pages.get(p.Lang, "case_show").ExecuteTemplate(&buf, "event-fields", map[string]any{"P": &p, "F": f}); err != nil {
		return "", "", fmt.Errorf("render %s form: %w", f.Type, err)
	}
	html := template.HTML(buf.String())
	b.put(day, key, html)
	return html, day + "|" + key, nil
}
