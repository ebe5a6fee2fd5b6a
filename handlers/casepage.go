package handlers

import (
	"fmt"
	"net/http"
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
	Forms    []eventForm
	Guide    bool
	UnitName string
	School   string
	Contact  *tryggspor.User // for a guide: the officer to reach about the case
	Prior    []priorCase     // the person's cases in the 12 months before, in any unit
}

// priorCase is an earlier case of the same person as the page names it.
type priorCase struct {
	UnitName     string
	RegisteredOn time.Time
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
// refused event form (fs) open and its messages beside the fields.
func (h *Handler) showCase(c echo.Context, status int, fs *formState) error {
	ctx := c.Request().Context()
	a := actor(c)
	v, err := h.Service.ViewCase(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	orgs, err := h.Service.Organisations(ctx)
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
	cs := v.Case
	p := casePage{Page: h.page(c, cs.Ref), Case: cs, Guide: v.Guide, Contact: v.Contact,
		UnitName: names[cs.Unit], School: names[cs.School], Timeline: timeline(v.Timeline, names)}
	for _, pc := range v.Prior {
		p.Prior = append(p.Prior, priorCase{UnitName: names[pc.Unit], RegisteredOn: pc.RegisteredOn})
	}
	if p.Forms, err = h.eventForms(p.Page, cs, a, dests, fs); err != nil {
		return err
	}
	if fs != nil {
		p.Error = tryggspor.ErrorMessage(fs.err)
	}
	return h.render(c, status, "case_show", p)
}

func timeline(evs []tryggspor.Event, names map[string]string) []timelineItem {
	out := make([]timelineItem, 0, len(evs))
	for _, e := range evs {
		it := timelineItem{Date: tryggspor.FormatDate(e.Date), Label: e.Type.Label(), Actor: e.ActorName,
			Detail: eventDetail(e, names), Text: eventText(e)}
		if it.Actor == "" {
			it.Actor = "Tryggspor (automatisk)"
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

// eventText is the event's free text as the use case left it (a guide's view
// holds only the guides' own notes).
func eventText(e tryggspor.Event) string {
	t := e.Text
	var parts []string
	for _, s := range []string{t.Reason, t.Note, t.LegalReference} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if e.Type == tryggspor.EvCorrection && (t.Value != "" || t.OldValue != "") {
		parts = append(parts, fmt.Sprintf("«%s» → «%s»", t.OldValue, t.Value))
	}
	return strings.Join(parts, " — ")
}
