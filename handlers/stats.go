package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/stats"
	"tryggspor/internal/tryggspor"
)

// statsQuery reads ?year=&unit=&suppress=. Whether the reader may ask for the
// unit, and the defaults, are the statistics use case's to decide.
func statsQuery(c echo.Context) (stats.Query, error) {
	var q stats.Query
	fe := tryggspor.FieldErrors{}
	if y := c.QueryParam("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			fe.Add("year", "Ugyldig år.")
		}
		q.Year = n
	}
	if s := c.QueryParam("suppress"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			fe.Add("suppress", "Prikkegrensen må være et tall fra 0 til 100.")
		}
		q.Suppress = &n
	}
	q.Unit = c.QueryParam("unit")
	return q, fe.Err()
}

// summary is the summary the reader asked for, through the use case, audited
// as act.
func (h *Handler) summary(c echo.Context, act tryggspor.Action) (*stats.Summary, error) {
	q, err := statsQuery(c)
	if err != nil {
		return nil, err
	}
	return h.Stats.Summary(c.Request().Context(), actor(c), q, act)
}

// statsLinks are the page's downloads and report, each carrying exactly the
// year, unit and suppression shown.
func statsLinks(s *stats.Summary) map[string]string {
	q := url.Values{"year": {strconv.Itoa(s.Year)}, "unit": {s.Unit}, "suppress": {strconv.Itoa(s.Suppress)}}.Encode()
	return map[string]string{"csv": "/stats/export.csv?" + q, "xlsx": "/stats/export.xlsx?" + q,
		"json": "/stats/export.json?" + q, "report": "/stats/report?" + q}
}

type statsPage struct {
	Page
	S       *stats.Summary
	Units   []tryggspor.Organisation
	Years   []int
	Links   map[string]string
	Chart   chart
	Changes []change
}

type change struct {
	Label, This, Prev, Diff string
}

// statsShow is the leader's annual summary page.
func (h *Handler) statsShow(c echo.Context) error {
	s, err := h.summary(c, tryggspor.ActStatsView)
	if err != nil {
		return err
	}
	units, err := h.Stats.Units(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	p := statsPage{Page: h.page(c, "Statistikk"), S: s, Units: units, Chart: barChart(s), Links: statsLinks(s)}
	for y := tryggspor.Today(h.Now()).Year(); y >= 2015; y-- {
		p.Years = append(p.Years, y)
	}
	p.Changes = append(p.Changes, changeRow("Saker i alt", s.Total, s.TotalHidden, s.Prev, s.PrevHidden))
	for i, cell := range s.Table("by_category").Cells {
		pc := s.PrevByCat.Cells[i]
		p.Changes = append(p.Changes, changeRow(cell.Label, cell.Value, cell.Hidden, pc.Value, pc.Hidden))
	}
	return h.render(c, http.StatusOK, "stats", p)
}

// changeRow shows this year, last year and the change; the change only when
// both are shown, or it would reveal a hidden figure.
func changeRow(label string, v int, vh bool, p int, ph bool) change {
	ch := change{Label: label, This: stats.Show(v, vh), Prev: stats.Show(p, ph), Diff: stats.Mark}
	if !vh && !ph {
		ch.Diff = fmt.Sprintf("%+d", v-p)
	}
	return ch
}

// statsExport downloads the same summary as CSV (for Excel: ';' and BOM),
// XLSX or JSON.
func (h *Handler) statsExport(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := h.summary(c, tryggspor.ActStatsExport)
		if err != nil {
			return err
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
		c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		return c.Blob(http.StatusOK, ctype, buf.Bytes())
	}
}

type reportPage struct {
	Page
	S         *stats.Summary
	Local     *stats.Summary // residents of the unit's municipality
	Handovers string
	Generated string
}

// statsReport is the printable section for the SLT annual report, in the
// words of section 2.1.3, filled in from the data.
func (h *Handler) statsReport(c echo.Context) error {
	q, err := statsQuery(c)
	if err != nil {
		return err
	}
	s, local, err := h.Stats.Report(c.Request().Context(), actor(c), q)
	if err != nil {
		return err
	}
	n, hidden := s.HandoverTotal()
	p := reportPage{Page: h.page(c, "Rapportavsnitt"), S: s, Local: local, Handovers: stats.Show(n, hidden),
		Generated: tryggspor.FormatDate(tryggspor.Today(h.Now()))}
	return h.render(c, http.StatusOK, "stats_report", p)
}
