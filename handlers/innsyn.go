package handlers

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

// innsynPage is the subject access report: every stored field and event of
// the case in words, and everyone who saw or changed it.
type innsynPage struct {
	Page
	Report   *tryggspor.AccessReport
	Facts    [][2]string
	Timeline []timelineItem
	Orgs     map[string]string
	Details  []string // each access's details in words
}

// caseInnsyn is the printable report for a subject access request, for the
// owning unit's officers; it is audited as an export of the case.
func (h *Handler) caseInnsyn(c echo.Context) error {
	r, err := h.Service.SubjectAccess(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	orgs, err := h.Service.Organisations(c.Request().Context())
	if err != nil {
		return err
	}
	p := newInnsynPage(h.page(c, "Innsyn "+r.Case.Ref), r, orgs, h.providerLabel)
	return h.render(c, http.StatusOK, "innsyn", p)
}

// newInnsynPage puts the report in words; provider names the sign-in
// providers (nil on the command line, which shows their names).
func newInnsynPage(pg Page, r *tryggspor.AccessReport, orgs []tryggspor.Organisation, provider func(string) string) innsynPage {
	names := tryggspor.NewDirectory(orgs).Names()
	p := innsynPage{Page: pg, Report: r, Facts: caseFacts(r.Case, names), Orgs: names}
	p.Timeline = timeline(&p.Page, r.Timeline, names)
	w := auditWords{p: &p.Page, orgs: names, provider: provider}
	for _, a := range r.Access {
		p.Details = append(p.Details, w.details(a.Entry))
	}
	return p
}

// caseFacts are every stored field of the case, labelled, in words: what the
// person is entitled to see (the personal fields included). The register
// form's fields come from the domain's one table of them.
func caseFacts(c *tryggspor.Case, names map[string]string) [][2]string {
	or := func(s string) string {
		if s == "" {
			return "–"
		}
		return s
	}
	facts := [][2]string{{"Referanse", c.Ref}, {"Eierenhet", or(names[c.Unit])}}
	for _, f := range tryggspor.CaseFields() {
		facts = append(facts, [2]string{f.Label, or(fieldWords(nil, f.Code, c.FieldValue(f.Code), names))})
	}
	facts = append(facts, [][2]string{
		{"Status", label("status", c.Status)}, {"Utfall", label("outcome", c.Outcome)},
		{"Overført til", or(names[c.HandoverTo])}, {"Trygghet før (1–5)", safety(c.SafetyBefore)},
		{"Trygghet etter (1–5)", safety(c.SafetyAfter)},
	}...)
	if c.Anonymised {
		facts = append(facts, [2]string{"Anonymisert", "Personopplysningene er slettet etter oppbevaringstiden."})
	}
	return facts
}

func safety(n int) string {
	if n == 0 {
		return "–"
	}
	return strconv.Itoa(n)
}

// RenderAccessReport writes the subject access report as a standalone HTML
// page, for `tryggspor innsyn --format html`.
func RenderAccessReport(w io.Writer, r *tryggspor.AccessReport, orgs []tryggspor.Organisation, lang string) error {
	pages, err := parsePages()
	if err != nil {
		return err
	}
	p := newInnsynPage(Page{Title: "Innsyn " + r.Case.Ref, Lang: lang}, r, orgs, nil)
	if err := pages.get(lang, "innsyn").Execute(w, &p); err != nil {
		return fmt.Errorf("render subject access report: %w", err)
	}
	return nil
}
