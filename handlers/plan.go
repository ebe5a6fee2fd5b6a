package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

// planPage is the follow-up plan to print or hand to the family (SPEC §13),
// in bokmål, nynorsk or English. It is a document of its own: no menu, no
// navigation, a print stylesheet; only what FollowUpPlan holds.
type planPage struct {
	Lang     string // nb, nn or en
	Plan     *tryggspor.FollowUpPlan
	Today    time.Time
	GuideOrg string
	Unit     string
	Back     string // the case page, for the screen only
	Langs    [][3]string
}

// planLangs are the plan's languages: code, the name in itself, and the
// HTML lang attribute.
var planLangs = [][3]string{{"nb", "Bokmål", "nb"}, {"nn", "Nynorsk", "nn"}, {"en", "English", "en"}}

// casePlan shows the case's follow-up plan in the language asked for
// (?lang=nb|nn|en; otherwise the page's language). The use case audits it
// as an export; a case the actor may not see is 404.
func (h *Handler) casePlan(c echo.Context) error {
	ctx := c.Request().Context()
	plan, err := h.Service.CasePlan(ctx, actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	dir, err := h.Service.Directory(ctx)
	if err != nil {
		return err
	}
	names := dir.Names()
	l := c.QueryParam("lang")
	if _, ok := planWords[l]; !ok && l != "nb" {
		l = lang(c)
	}
	p := planPage{Lang: l, Plan: plan, Today: tryggspor.Today(h.Now()), GuideOrg: names[plan.GuideOrg],
		Unit: names[plan.Unit], Back: "/cases/" + plan.CaseID, Langs: planLangs}
	var buf bytes.Buffer
	if err := h.pages.get(p.Lang, "plan").ExecuteTemplate(&buf, "plan-doc", &p); err != nil {
		return fmt.Errorf("render plan: %w", err)
	}
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// W is a bokmål text of the plan in the page's language.
func (p *planPage) W(s string) string {
	if w, ok := planWords[p.Lang][s]; ok {
		return w
	}
	return s
}

// Term is a coded value (owner, result) in the page's language.
func (p *planPage) Term(dim, code string) string { return p.W(label(dim, code)) }

// Overdue reports whether m's evaluation is late today.
func (p *planPage) Overdue(m tryggspor.Measure) bool { return m.Overdue(p.Today) }

// HTMLLang is the page's lang attribute.
func (p *planPage) HTMLLang() string {
	for _, l := range planLangs {
		if l[0] == p.Lang {
			return l[2]
		}
	}
	return "nb"
}
