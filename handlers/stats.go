package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/stats"
	"tryggspor/internal/tryggspor"
)

type statsQuery struct {
	Year     int
	Unit     string
	Suppress int
}

// statsQuery reads ?year=&unit=&suppress= for a leader: the unit must be the
// leader's own or one below it (default: their own); suppress defaults to 0,
// the exact figures the unit's own leader may see.
func (h *Handler) statsQuery(c echo.Context) (statsQuery, []tryggspor.Organisation, error) {
	u := session(c).User
	q := statsQuery{Year: tryggspor.Today(h.Now()).Year(), Unit: u.Org}
	if y := c.QueryParam("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return q, nil, tryggspor.Invalid("Ugyldig år.")
		}
		q.Year = n
	}
	if s := c.QueryParam("suppress"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 100 {
			return q, nil, tryggspor.Invalid("Prikkegrensen må være et tall fra 0 til 100.")
		}
		q.Suppress = n
	}
	orgs, err := h.Admin.ListOrganisations(c.Request().Context())
	if err != nil {
		return q, nil, err
	}
	var mine []tryggspor.Organisation
	allowed := map[string]bool{}
	for _, code := range tryggspor.Subtree(u.Org, orgs) {
		allowed[code] = true
	}
	for _, o := range orgs {
		if allowed[o.Code] && o.Kind == tryggspor.OrgPoliceUnit {
			mine = append(mine, o)
		}
	}
	if un := c.QueryParam("unit"); un != "" {
		if !allowed[un] {
			h.auditDenied(c, "stats.view", "unit="+un)
			return q, nil, tryggspor.Forbidden("Du kan se statistikk for din enhet og enhetene under den.")
		}
		q.Unit = un
	}
	return q, mine, nil
}

func (h *Handler) summary(c echo.Context, action string) (*stats.Summary, []tryggspor.Organisation, error) {
	q, units, err := h.statsQuery(c)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	s, err := stats.Build(ctx, h.Stats, q.Year, q.Unit, q.Suppress)
	if err != nil {
		return nil, nil, err
	}
	e := tryggspor.AuditEntry{Actor: actor(c), Action: action, Purpose: "statistikk", Outcome: "ok",
		Detail: fmt.Sprintf("år=%d enhet=%s prikking=%d", q.Year, q.Unit, q.Suppress)}
	if err := h.Admin.Audit(ctx, e); err != nil {
		return nil, nil, err
	}
	return s, units, nil
}

type statsPage struct {
	Page
	S       *stats.Summary
	Units   []tryggspor.Organisation
	Years   []int
	Query   string
	Chart   chart
	Changes []change
}

type change struct {
	Label, This, Prev, Diff string
}

// statsShow is the leader's annual summary page.
func (h *Handler) statsShow(c echo.Context) error {
	s, units, err := h.summary(c, "stats.view")
	if err != nil {
		return err
	}
	p := statsPage{Page: h.page(c, "Statistikk"), S: s, Units: units, Chart: barChart(s),
		Query: fmt.Sprintf("year=%d&unit=%s&suppress=%d", s.Year, s.Unit, s.Suppress)}
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
		s, _, err := h.summary(c, "stats.export")
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
	s, _, err := h.summary(c, "stats.report")
	if err != nil {
		return err
	}
	n, hidden := s.HandoverTotal()
	p := reportPage{Page: h.page(c, "Rapportavsnitt"), S: s, Handovers: stats.Show(n, hidden),
		Generated: tryggspor.FormatDate(tryggspor.Today(h.Now()))}
	if s.Municipality != "" {
		if p.Local, err = stats.BuildResidents(c.Request().Context(), h.Stats, s.Year, s.Unit, s.Municipality, s.Suppress); err != nil {
			return err
		}
	}
	return h.render(c, http.StatusOK, "stats_report", p)
}
