package handlers

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

// formState carries a refused event form back to the page it came from.
type formState struct {
	in  tryggspor.EventInput
	err error
}

type casePage struct {
	Page
	Case     *tryggspor.Case
	Timeline []timelineItem
	Forms    []eventForm
	Guide    bool
	UnitName string
	School   string
	Contact  *tryggspor.User // for a guide: the officer to reach about the case
}

type timelineItem struct {
	Date, Label, Actor, Detail, Text string
}

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

func (h *Handler) showCase(c echo.Context, status int, fs *formState) error {
	ctx := c.Request().Context()
	a := actor(c)
	cs, evs, err := h.Service.ViewCase(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	orgs, err := h.Admin.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	var dests [][2]string
	for _, o := range orgs {
		names[o.Code] = o.Name
		if o.Kind != tryggspor.OrgPoliceUnit {
			dests = append(dests, [2]string{o.Code, o.Name})
		}
	}
	p := casePage{Page: h.page(c, cs.Ref), Case: cs, Guide: a.Role == tryggspor.RoleGuide,
		UnitName: names[cs.Unit], School: names[cs.School]}
	p.Timeline = timeline(evs, names, p.Guide)
	if p.Guide {
		p.Contact = h.policeContact(ctx, evs)
	}
	today := tryggspor.FormatDate(tryggspor.Today(h.Now()))
	for _, t := range tryggspor.NextEvents(cs, a) {
		f := eventForm{Type: string(t), Label: t.Label(), Fields: eventFields(t, dests),
			Values: map[string]string{"date": today}}
		if fs != nil && fs.in.Type == string(t) {
			f.Values, f.Errors, f.Open = fs.in.Values(), tryggspor.ErrorFields(fs.err), true
			f.Error = tryggspor.ErrorMessage(fs.err)
		} else if f.Body, err = h.blankForm(p.Page, f, dests); err != nil {
			return err
		}
		p.Forms = append(p.Forms, f)
	}
	if fs != nil {
		p.Error = tryggspor.ErrorMessage(fs.err)
	}
	return h.render(c, status, "case_show", p)
}

// guideVisible are the events a trygghetsguide sees: the conversation, the
// handover and the follow-up, never the police's contact history or notes.
var guideVisible = map[tryggspor.EventType]bool{
	tryggspor.EvHeld: true, tryggspor.EvHandoverProposed: true, tryggspor.EvHandoverAccepted: true,
	tryggspor.EvHandoverRejected: true, tryggspor.EvHandoverWithdrawn: true, tryggspor.EvHandoverExpired: true,
	tryggspor.EvGuideContact: true, tryggspor.EvClosed: true,
}

func timeline(evs []tryggspor.Event, names map[string]string, guide bool) []timelineItem {
	var out []timelineItem
	for _, e := range evs {
		if guide && !guideVisible[e.Type] {
			continue
		}
		it := timelineItem{Date: tryggspor.FormatDate(e.Date), Label: e.Type.Label(), Actor: e.ActorName}
		if it.Actor == "" {
			it.Actor = "Tryggspor (automatisk)"
		}
		it.Detail = eventDetail(e, names)
		if !guide || e.Type == tryggspor.EvGuideContact {
			it.Text = eventText(e)
		}
		out = append(out, it)
	}
	return out
}

func eventDetail(e tryggspor.Event, names map[string]string) string {
	d := e.Data
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	switch e.Type {
	case tryggspor.EvContactAttempt:
		add(label("channel", d.Channel))
		add("nådd: " + strings.ToLower(label("yesno", d.Reached)))
		add("med: " + strings.ToLower(label("with", d.With)))
	case tryggspor.EvDeclined, tryggspor.EvConsent:
		add("av: " + strings.ToLower(label("by", d.By)))
	case tryggspor.EvCorrection:
		add("felt: " + label("field", d.Field))
	}
	if d.Destination != "" {
		add("til: " + names[d.Destination])
	}
	if d.LegalBasis != "" {
		add("hjemmel: " + strings.ToLower(label("basis", d.LegalBasis)))
	}
	if d.AcceptBy != "" {
		add("svarfrist: " + d.AcceptBy)
	}
	if d.ExpiresOn != "" {
		add("gyldig til: " + d.ExpiresOn)
	}
	if d.Safety > 0 {
		add(fmt.Sprintf("trygghet: %d av 5", d.Safety))
	}
	if d.Supersedes != "" {
		add("erstatter utfallet «" + label("outcome", d.Supersedes) + "»")
	}
	if d.Auto {
		add("automatisk")
	}
	return strings.Join(parts, ", ")
}

func eventText(e tryggspor.Event) string {
	t := e.Text
	var parts []string
	for _, s := range []string{t.Reason, t.Note, t.LegalReference} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if e.Type == tryggspor.EvCorrection {
		parts = append(parts, fmt.Sprintf("«%s» → «%s»", t.OldValue, t.Value))
	}
	return strings.Join(parts, " — ")
}

var (
	dateField   = formField{Name: "date", Label: "Dato", Kind: "date", Required: true}
	safetyField = formField{Name: "safety", Label: "Trygghetsvurdering (1–5)", Kind: "select",
		Options: [][2]string{{"", "Ikke oppgitt"}, {"1", "1 – svært utrygg"}, {"2", "2"}, {"3", "3"}, {"4", "4"}, {"5", "5 – svært trygg"}}}
	reasonField = formField{Name: "reason", Label: "Begrunnelse", Kind: "textarea", Required: true}
)

func opts(dim string, values ...string) [][2]string {
	out := make([][2]string, len(values))
	for i, v := range values {
		out[i] = [2]string{v, label(dim, v)}
	}
	return out
}

// eventFields describes the form for each event type (SPEC §10).
func eventFields(t tryggspor.EventType, dests [][2]string) []formField {
	switch t {
	case tryggspor.EvContactAttempt:
		return []formField{dateField,
			{Name: "channel", Label: "Kanal", Kind: "select", Options: opts("channel", "phone", "sms", "letter", "meeting"), Required: true},
			{Name: "reached", Label: "Nådd", Kind: "radio", Options: opts("yesno", "yes", "no"), Required: true},
			{Name: "with", Label: "Med", Kind: "radio", Options: opts("with", "guardian", "person"), Required: true}}
	case tryggspor.EvHeld:
		return []formField{dateField, safetyField}
	case tryggspor.EvDeclined:
		return []formField{dateField, {Name: "by", Label: "Av hvem", Kind: "radio", Options: opts("with", "guardian", "person"), Required: true},
			{Name: "reason", Label: "Begrunnelse", Kind: "textarea"}}
	case tryggspor.EvConsent:
		return []formField{dateField, {Name: "by", Label: "Av hvem", Kind: "radio", Options: opts("by", "guardian", "person", "both"), Required: true},
			{Name: "destination", Label: "Mottaker", Kind: "select", Options: dests, Required: true},
			{Name: "expires_on", Label: "Gyldig til", Kind: "date", Required: true}}
	case tryggspor.EvHandoverProposed:
		return []formField{dateField, {Name: "destination", Label: "Mottaker", Kind: "select", Options: dests, Required: true},
			{Name: "legal_basis", Label: "Hjemmel", Kind: "radio", Options: opts("basis", "consent", "statutory"), Required: true},
			{Name: "legal_reference", Label: "Henvisning til lovhjemmel", Kind: "text"},
			{Name: "accept_by", Label: "Svarfrist", Kind: "date", Required: true}}
	case tryggspor.EvHandoverWithdrawn, tryggspor.EvHandoverRejected:
		return []formField{dateField, reasonField}
	case tryggspor.EvGuideContact:
		s := safetyField
		s.Required, s.Options = true, s.Options[1:]
		return []formField{dateField, s, {Name: "note", Label: "Notat", Kind: "textarea"}}
	case tryggspor.EvClosed:
		return []formField{dateField, reasonField, safetyField}
	case tryggspor.EvCorrection:
		var fields []string
		for f := range labels["field"] {
			fields = append(fields, f)
		}
		return []formField{{Name: "field", Label: "Felt", Kind: "select", Options: sortedOpts("field", fields), Required: true},
			{Name: "value", Label: "Ny verdi", Kind: "text"}, reasonField}
	}
	return []formField{dateField}
}

// blankForms caches the rendered fields of blank event forms. A blank form is
// the same for every case on a given day, in a given language, with a given
// list of destinations; rendering it is most of a case page's cost. The cache
// holds one day's forms and starts afresh when the date changes.
var blankForms struct {
	sync.Mutex
	day   string
	forms map[string]template.HTML
}

func (h *Handler) blankForm(p Page, f eventForm, dests [][2]string) (template.HTML, error) {
	day := f.Values["date"]
	var key strings.Builder
	key.WriteString(p.Lang + "|" + f.Type)
	for _, d := range dests {
		key.WriteString("|" + d[0] + "=" + d[1])
	}
	blankForms.Lock()
	if blankForms.day != day {
		blankForms.day, blankForms.forms = day, map[string]template.HTML{}
	}
	html, ok := blankForms.forms[key.String()]
	blankForms.Unlock()
	if ok {
		return html, nil
	}
	var buf bytes.Buffer
	if err := h.pages.byName["case_show"].ExecuteTemplate(&buf, "event-fields", map[string]any{"P": &p, "F": f}); err != nil {
		return "", fmt.Errorf("render %s form: %w", f.Type, err)
	}
	html = template.HTML(buf.String())
	blankForms.Lock()
	if blankForms.day == day {
		blankForms.forms[key.String()] = html
	}
	blankForms.Unlock()
	return html, nil
}

// policeContact is the officer a guide should call about the case: the one who
// last proposed a handover, else the last officer who recorded anything.
func (h *Handler) policeContact(ctx context.Context, evs []tryggspor.Event) *tryggspor.User {
	var last, proposer int64
	for _, e := range evs {
		if e.ActorRole != tryggspor.RoleOfficer || e.ActorID == 0 {
			continue
		}
		last = e.ActorID
		if e.Type == tryggspor.EvHandoverProposed {
			proposer = e.ActorID
		}
	}
	id := proposer
	if id == 0 {
		id = last
	}
	if id == 0 {
		return nil
	}
	u, err := h.Admin.GetUser(ctx, id)
	if err != nil {
		return nil
	}
	return &u
}
