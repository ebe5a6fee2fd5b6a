package handlers

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

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
	Next     *eventForm  // the step expected now (or the refused form), open at the top
	Others   []eventForm // everything else the actor may record, collapsed
	Forms    renderedForms
	Facts    []fact // the facts list, in words
	Guide    bool
	UnitName string
	School   string
	Pending  string              // the organisation a pending handover waits for
	Refusal  string              // a refused event that has no form on the page now
	Contact  *tryggspor.User     // for a guide: the officer to reach about the case
	Prior    []priorCase         // the person's cases in the 12 months before, in any unit
	Plan     []tryggspor.Measure // the follow-up plan: open measures first
	Today    time.Time
	// Withheld is the day's lookup limit when the repeat-victim indicator
	// was withheld because the officer reached it (0: not withheld).
	Withheld int
}

// priorCase is an earlier case of the same person as the page names it.
type priorCase struct {
	UnitName     string
	RegisteredOn time.Time
}

// fact is one line of the case's facts: a label and its value in words (a
// telephone number is a link).
type fact struct {
	Label, Value string
	Tel          bool
}

// shownFacts are the facts the case page lists, as the actor may see them: a
// guide sees neither the registration's details nor the police report.
func shownFacts(p *casePage, c *tryggspor.Case) []fact {
	t := p.T
	or := func(s string) string {
		if s == "" {
			return "–"
		}
		return s
	}
	out := make([]fact, 0, 14)
	add := func(label, value string) { out = append(out, fact{Label: t(label), Value: value}) }
	add("Kategori", t(label("category", c.Category)))
	add("Alder", strconv.Itoa(c.Age))
	if !p.Guide {
		add("Registrert dato", showDate(c.RegisteredOn))
		add("Rolle", t(label("role", c.Role)))
		add("Bostedskommune", c.Residence)
		add("Anmeldt", t(label("yesno", yesNo(c.Reported))))
		if c.Personal.BirthDate != "" {
			add("Fødselsdato", showDate(c.Personal.BirthDate))
		}
		if c.Personal.PoliceReportRef != "" {
			add("Anmeldelsesnummer", c.Personal.PoliceReportRef)
		}
	} else if !c.HeldOn.IsZero() {
		add("Trygghetssamtale", showDate(c.HeldOn))
	}
	add("Foresattes navn", or(c.Personal.GuardianName))
	out = append(out, fact{Label: t("Foresattes telefon"), Value: or(c.Personal.GuardianPhone), Tel: c.Personal.GuardianPhone != ""})
	add("Skole", or(p.School))
	add("Eierenhet", p.UnitName)
	if c.Guide != "" {
		add("Trygghetsguide", c.Guide)
	}
	if c.PendingTo != "" {
		add("Overføring venter", p.Pending+", "+t("svarfrist")+" "+showDate(c.AcceptBy))
	}
	return out
}

type timelineItem struct {
	Date, Label, Actor, Detail, Text string
}

// caseShow shows one case with its timeline and the forms for what may happen
// next. A case the actor may not see is 404, the same as one that does not
// exist.
func (h *Handler) caseShow(c echo.Context) error {
	return h.showCase(c, http.StatusOK, nil)
}

// showCase renders the case as the use case lets the actor see it, with a
// refused event form (fs) open at the top and its messages beside the fields.
func (h *Handler) showCase(c echo.Context, status int, fs *formState) error {
	ctx := c.Request().Context()
	a := actor(c)
	v, err := h.Service.ViewCase(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	dir, err := h.Service.Directory(ctx)
	if err != nil {
		return err
	}
	names := dir.Names()
	ch := choices{dests: dir.Options(func(o tryggspor.Organisation) bool { return o.Kind != tryggspor.OrgPoliceUnit }),
		schools: dir.Options(func(o tryggspor.Organisation) bool { return o.Kind == tryggspor.OrgSchool })}
	ch.destsKey = digestPairs(ch.dests)
	cs := v.Case
	p := casePage{Page: h.page(c, cs.Ref), Case: cs, Guide: v.Guide, Contact: v.Contact,
		UnitName: names[cs.Unit], School: names[cs.School], Pending: names[cs.PendingTo]}
	p.Timeline = timeline(&p.Page, v.Timeline, names)
	p.Facts = shownFacts(&p, cs)
	if r := v.Repeat; r != nil {
		for _, pc := range r.Prior {
			p.Prior = append(p.Prior, priorCase{UnitName: names[pc.Unit], RegisteredOn: pc.RegisteredOn})
		}
		if r.Withheld {
			p.Withheld = r.Limit
		}
	}
	ch.correct = c.QueryParam("rett")
	p.Plan, p.Today = cs.PlanInOrder(), tryggspor.Today(h.Now())
	ch.measures = measureChoices(&p.Page, cs.OpenMeasures())
	if p.Next, p.Others, err = h.eventForms(p.Page, cs, a, ch, fs); err != nil {
		return err
	}
	if p.Forms, err = h.sections(&p.Page, cs, p.Next, p.Others, fs == nil && ch.correct == "" && len(cs.OpenMeasures()) == 0); err != nil {
		return err
	}
	if fs != nil && (p.Next == nil || p.Next.Type != fs.in.Type) {
		p.Refusal = tryggspor.ErrorMessage(fs.err)
	}
	if p.Flash != "" && fs == nil && p.Next != nil {
		p.Flash = p.T(p.Flash) + " " + p.T("Neste steg") + ": " + p.T(p.Next.Title) + "."
	}
	return h.render(c, status, "case_show", p)
}

// timeline is the case's events in the order they happened (event date;
// events of the same day in the order they were recorded), in words.
func timeline(p *Page, evs []tryggspor.Event, names map[string]string) []timelineItem {
	evs = append([]tryggspor.Event(nil), evs...)
	sort.SliceStable(evs, func(i, j int) bool {
		if !evs[i].Date.Equal(evs[j].Date) {
			return evs[i].Date.Before(evs[j].Date)
		}
		return evs[i].Seq < evs[j].Seq
	})
	out := make([]timelineItem, 0, len(evs))
	for _, e := range evs {
		it := timelineItem{Date: showDate(e.Date), Label: p.T(e.Type.Label()), Actor: e.ActorName,
			Detail: eventDetail(p, e, names), Text: eventText(p, e, names)}
		if it.Actor == "" {
			it.Actor = p.T("Tryggspor (automatisk)")
		}
		out = append(out, it)
	}
	return out
}

// eventDetail is the event's coded fields in words, in the page's language.
func eventDetail(p *Page, e tryggspor.Event, names map[string]string) string {
	d := e.Data
	var parts []string
	add := func(name, value string) {
		if value == "" {
			return
		}
		if name == "" {
			parts = append(parts, value)
			return
		}
		parts = append(parts, p.T(name)+": "+value)
	}
	word := func(dim, code string) string { return strings.ToLower(p.T(label(dim, code))) }
	switch e.Type {
	case tryggspor.EvContactAttempt:
		add("", p.T(label("channel", d.Channel)))
		add("nådd", word("yesno", d.Reached))
		add("med", word("with", d.With))
	case tryggspor.EvDeclined, tryggspor.EvConsent:
		add("av", word("by", d.By))
	case tryggspor.EvCorrection:
		add("felt", p.T(label("field", d.Field)))
	case tryggspor.EvPlanMeasure:
		add("ansvarlig", word("owner", d.Owner))
		add("evalueres innen", showDate(d.EvaluateBy))
	case tryggspor.EvPlanEvaluation:
		add("tiltak nr.", d.Measure)
		add("resultat", word("result", d.Result))
		add("fortsetter", word("yesno", d.Continue))
	}
	if d.Destination != "" {
		add("til", names[d.Destination])
	}
	if d.LegalBasis != "" {
		add("hjemmel", word("basis", d.LegalBasis))
	}
	add("svarfrist", showDate(d.AcceptBy))
	add("gyldig til", showDate(d.ExpiresOn))
	if d.Safety > 0 {
		add("trygghet", fmt.Sprintf(p.T("%d av 5"), d.Safety))
	}
	if d.Supersedes != "" {
		add("erstatter utfallet", "«"+p.T(label("outcome", d.Supersedes))+"»")
	}
	if d.Auto {
		add("", p.T("automatisk"))
	}
	if e.WasImported() {
		add("", p.T("importert"))
	}
	return strings.Join(parts, ", ")
}

// eventText is the event's free text as the use case left it (a guide's view
// holds only the guides' own notes); a correction shows the old and the new
// value in words («Trusler» → «Vold»).
func eventText(p *Page, e tryggspor.Event, names map[string]string) string {
	t := e.Text
	var parts []string
	for _, s := range []string{t.Measure, t.OwnerName, t.Reason, t.Note, t.LegalReference} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if t.Suggestion != "" {
		parts = append(parts, p.T("Forslag om videre oppfølging")+": "+t.Suggestion)
	}
	if e.Type == tryggspor.EvCorrection && (t.Value != "" || t.OldValue != "") {
		parts = append(parts, fmt.Sprintf("«%s» → «%s»", fieldWords(p, e.Data.Field, t.OldValue, names),
			fieldWords(p, e.Data.Field, t.Value, names)))
	}
	return strings.Join(parts, " — ")
}

// fieldWords is a case field's stored value as the pages write it: a label
// for a code (in p's language; bokmål when p is nil), dd.mm.yyyy for a date,
// a name for an organisation.
func fieldWords(p *Page, field, v string, names map[string]string) string {
	f, ok := tryggspor.CaseFieldOf(field)
	spec := f.Input
	switch {
	case v == "" || !ok:
		return v
	case spec.Dim != "" && p == nil:
		return label(spec.Dim, v)
	case spec.Dim != "":
		return p.T(label(spec.Dim, v))
	case spec.Kind == tryggspor.FieldDate:
		return showDate(v)
	case spec.Kind == tryggspor.FieldOrg:
		if n := names[v]; n != "" {
			return n
		}
	}
	return v
}

// measureChoices are the open measures as an evaluation form offers them:
// the number the plan shows, the words, and when it is due.
func measureChoices(p *Page, open []tryggspor.Measure) [][2]string {
	out := [][2]string{{"", p.T("Velg tiltak")}}
	for _, m := range open {
		out = append(out, [2]string{fmt.Sprint(m.Seq), fmt.Sprintf("%d: %s (%s %s)", m.Seq, m.Text, p.T("evalueres innen"), showDate(m.Due))})
	}
	return out
}
