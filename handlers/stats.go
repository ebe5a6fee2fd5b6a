package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/stats"
	"tryggspor/internal/tryggspor"
)

// statsForm is the filter form as typed, so a bad value is shown back with
// its message beside it.
type statsForm struct {
	Year, Unit, Suppress string
	Errors               map[string]string
}

// statsQuery reads ?year=&unit=&suppress=. Whether the reader may ask for the
// unit, and the defaults, are the statistics use case's to decide.
func statsQuery(c echo.Context) (stats.Query, statsForm, error) {
	var q stats.Query
	f := statsForm{Year: c.QueryParam("year"), Unit: c.QueryParam("unit"), Suppress: c.QueryParam("suppress")}
	fe := tryggspor.FieldErrors{}
	if y := strings.TrimSpace(f.Year); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			fe.Add("year", "Velg et år mellom 2000 og 2100.")
		}
		q.Year = n
	}
	if s := strings.TrimSpace(f.Suppress); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			fe.Add("suppress", "Prikkegrensen må være et tall fra 0 til 100.")
		}
		q.Suppress = &n
	}
	q.Unit = f.Unit
	return q, f, fe.Err()
}

// statsLinks are the page's downloads and report, each carrying exactly the
// year, unit and suppression shown.
func statsLinks(s *stats.Summary) map[string]string {
	q := url.Values{"year": {strconv.Itoa(s.Year)}, "unit": {s.Unit}, "suppress": {strconv.Itoa(s.Suppress)}}.Encode()
	return map[string]string{"csv": "/stats/export.csv?" + q, "xlsx": "/stats/export.xlsx?" + q,
		"json": "/stats/export.json?" + q, "report": "/stats/report?" + q, "page": "/stats?" + q}
}

type statsPage struct {
	Page
	S        *stats.Summary // nil when the form has errors
	Form     statsForm
	Units    []tryggspor.Organisation
	Years    []int
	Links    map[string]string
	Chart    chart
	History  chart
	Groups   []figureGroup
	Past     pastView
	Sections []sectionRow
}

// figureGroup is one table of the page: its rows with this year, last year
// and the change.
type figureGroup struct {
	Title   string
	Key     string
	Figures []stats.Figure
}

// groups splits the summary's figures by table, in order.
func groups(s *stats.Summary) []figureGroup {
	var out []figureGroup
	for _, f := range s.Figures() {
		if len(out) == 0 || out[len(out)-1].Key != f.TableKey {
			out = append(out, figureGroup{Title: f.Table, Key: f.TableKey})
		}
		out[len(out)-1].Figures = append(out[len(out)-1].Figures, f)
	}
	return out
}

// pastView is the five-year table: a row per category and per outcome, a
// column per year.
type pastView struct {
	Years                []int
	Total                []string
	Categories, Outcomes []pastRow
}

type pastRow struct {
	Label  string
	Values []string
}

func past(s *stats.Summary) pastView {
	var v pastView
	row := func(table string, term tryggspor.Term) pastRow {
		r := pastRow{Label: term.Label}
		for _, y := range s.Years {
			c := y.Cell(table, term.Code)
			r.Values = append(r.Values, stats.Show(c.Value, c.Hidden))
		}
		return r
	}
	for _, y := range s.Years {
		v.Years = append(v.Years, y.Year)
		v.Total = append(v.Total, stats.Show(y.Total, y.TotalHidden))
	}
	for _, t := range tryggspor.Terms("category") {
		v.Categories = append(v.Categories, row("by_category", t))
	}
	for _, t := range tryggspor.Terms("outcome") {
		v.Outcomes = append(v.Outcomes, row("by_outcome", t))
	}
	return v
}

// sectionRow compares one section under the unit: cases, conversations and
// their share, handovers.
type sectionRow struct {
	Name, Cases, Conversations, Share, Handovers string
	Direct                                       bool
}

func sections(s *stats.Summary) []sectionRow {
	var out []sectionRow
	for _, sec := range s.Sections {
		conv := sec.Cell("by_outcome", "conversation")
		ho, hoHidden := sec.HandoverTotal()
		r := sectionRow{Name: sec.UnitName, Direct: sec.Direct, Cases: stats.Show(sec.Total, sec.TotalHidden),
			Conversations: stats.Show(conv.Value, conv.Hidden), Handovers: stats.Show(ho, hoHidden), Share: stats.Mark}
		// The share is shown only beside the count it comes from: a
		// percentage of a visible total would give a hidden count away.
		if !conv.Hidden && !sec.TotalHidden {
			r.Share = "–"
			if sec.Total > 0 {
				r.Share = strconv.Itoa((conv.Value*100+sec.Total/2)/sec.Total) + " %"
			}
		}
		out = append(out, r)
	}
	return out
}

// statsShow is the leader's annual summary page.
func (h *Handler) statsShow(c echo.Context) error {
	q, form, err := statsQuery(c)
	var s *stats.Summary
	if err == nil {
		s, err = h.Stats.Summary(c.Request().Context(), actor(c), q, tryggspor.ActStatsView)
	}
	return h.statsRender(c, s, form, err)
}

// statsRender shows the page, or — when the query has a bad value — the form
// again with the message beside the field.
func (h *Handler) statsRender(c echo.Context, s *stats.Summary, form statsForm, err error) error {
	status := http.StatusOK
	if err != nil {
		form.Errors = tryggspor.ErrorFields(err)
		if form.Errors == nil {
			return err
		}
		status, s = http.StatusUnprocessableEntity, nil
	}
	units, uerr := h.Stats.Units(c.Request().Context(), actor(c))
	if uerr != nil {
		return uerr
	}
	p := statsPage{Page: h.page(c, "Statistikk"), S: s, Form: form, Units: units}
	for y := tryggspor.Today(h.Now()).Year(); y >= 2015; y-- {
		p.Years = append(p.Years, y)
	}
	if s != nil {
		p.Form = statsForm{Year: strconv.Itoa(s.Year), Unit: s.Unit, Suppress: strconv.Itoa(s.Suppress)}
		p.Links, p.Chart, p.Groups = statsLinks(s), barChart(s, p.Lang), groups(s)
		if len(s.Years) > 0 {
			p.Past, p.History = past(s), yearChart(s)
		}
		p.Sections = sections(s)
	}
	return h.render(c, status, "stats", p)
}

// statsExport downloads the same summary as CSV (for Excel: ';' and BOM),
// XLSX or JSON.
func (h *Handler) statsExport(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		q, form, err := statsQuery(c)
		var s *stats.Summary
		if err == nil {
			s, err = h.Stats.Summary(c.Request().Context(), actor(c), q, tryggspor.ActStatsExport)
		}
		if err != nil {
			return h.statsRender(c, nil, form, err)
		}
		var buf bytes.Buffer
		ctype := map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json",
			"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
		switch format {
		case "csv":
			err = s.CSV(&buf)
		case "xlsx":
			err = s.XLSX(&buf)
		default:
			err = s.JSON(&buf)
		}
		if err != nil {
			return err
		}
		name := fmt.Sprintf("trygghetsprogrammet-%d-%s.%s", s.Year, s.Unit, format)
		if s.Unit == "" {
			name = fmt.Sprintf("trygghetsprogrammet-%d.%s", s.Year, format)
		}
		c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		return c.Blob(http.StatusOK, ctype, buf.Bytes())
	}
}

type reportPage struct {
	Page
	S          *stats.Summary
	Local      *stats.Summary // residents of the unit's municipality
	Paragraphs []string
	Back       string
	Generated  string
}

// statsReport is the printable section for the SLT annual report, in the
// words of section 2.1.3, filled in from the data.
func (h *Handler) statsReport(c echo.Context) error {
	q, form, err := statsQuery(c)
	var s, local *stats.Summary
	if err == nil {
		s, local, err = h.Stats.Report(c.Request().Context(), actor(c), q)
	}
	if err != nil {
		return h.statsRender(c, nil, form, err)
	}
	p := reportPage{Page: h.page(c, "Rapportavsnitt"), S: s, Local: local, Back: statsLinks(s)["page"],
		Generated: tryggspor.Today(h.Now()).Format("02.01.2006")}
	p.Paragraphs = s.Paragraphs(p.Lang)
	return h.render(c, http.StatusOK, "stats_report", p)
}

// Num writes a figure in the page's typography: thin-space thousands, and a
// decimal comma in bokmål, a point in English.
func (p *Page) Num(s string) string {
	s = stats.Group(s)
	if p.Lang == "en" {
		s = strings.Replace(s, ",", ".", 1)
	}
	return s
}

// statsEnglish is the English of the statistics pages' own strings, added to
// the catalogue (labels.go) at start.
var statsEnglish = map[string]string{
	"Seksjonene under": "Sections under",
	"Saker, trygghetssamtaler og overføringer per seksjon": "Cases, safety conversations and handovers by section",
	"Andel med samtale":          "Share with a conversation",
	"Overført":                   "Handed over",
	"registrert direkte":         "registered directly",
	"Fem år":                     "Five years",
	"Saker per kategori og år":   "Cases by category and year",
	"Utfall per år":              "Outcomes by year",
	"Stolpediagram":              "Bar chart",
	"Resultater":                 "Results",
	"Trygghetsprogrammet":        "The safety programme",
	"I alt":                      "Total",
	"Trygghet":                   "Safety",
	"Snitt før samtalen (1–5)":   "Mean before the conversation (1–5)",
	"Snitt ved avslutning (1–5)": "Mean at closing (1–5)",
	"Antall vurderinger (n), før samtalen (1–5)":                                            "Number of ratings (n), before the conversation",
	"Antall vurderinger (n), ved avslutning (1–5)":                                          "Number of ratings (n), at closing",
	"Skriv ut eller kopier teksten inn i årsrapporten.":                                     "Print, or copy the text into the annual report.",
	"Velg et år mellom 2000 og 2100.":                                                       "Choose a year between 2000 and 2100.",
	"Prikkegrensen må være et tall fra 0 til 100.":                                          "The suppression limit must be a number from 0 to 100.",
	"Stolpediagram: saker per år. Tallene står i tabellen under.":                           "Bar chart: cases per year. The figures are in the table below.",
	"Skriv og velg fra listen over kommuner.":                                               "Type, and choose from the list of municipalities.",
	"Ikke en kommune i Norge: velg fra listen (kommunene per 2024, eller Utlandet/Ukjent).": "Not a municipality in Norway: choose from the list (the municipalities as of 2024, or Utlandet/Ukjent).",
}
