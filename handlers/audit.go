package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/sheet"
	"tryggspor/internal/tryggspor"
)

type auditPage struct {
	Page
	Log     *tryggspor.AuditPage
	Q       tryggspor.AuditQuery
	Errors  map[string]string
	Actions [][2]string
	CaseLog bool   // the log of one case
	Export  string // the CSV of the same filter
	Prev    string
	Next    string
	Orgs    map[string]string // organisation names by code
	Details []string          // each record's details in words, in the page's language
}

// describe puts the page's records' details in words.
func (h *Handler) describe(p *auditPage) {
	w := auditWords{p: &p.Page, orgs: p.Orgs, provider: h.providerLabel}
	p.Details = make([]string, len(p.Log.Records))
	for i, r := range p.Log.Records {
		p.Details[i] = w.details(r.Entry)
	}
}

// auditQuery reads the log's filters from the URL (SPEC §12:
// ?user=&ref=&action=&outcome=&from=&to=&page=).
func auditQuery(c echo.Context) tryggspor.AuditQuery {
	page, _ := strconv.Atoi(c.QueryParam("page"))
	return tryggspor.AuditQuery{User: c.QueryParam("user"), Ref: c.QueryParam("ref"), Action: c.QueryParam("action"),
		Outcome: c.QueryParam("outcome"), From: c.QueryParam("from"), To: c.QueryParam("to"), Page: page}
}

// values is the query as URL parameters, for the page's links.
func auditValues(q tryggspor.AuditQuery) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"user": q.User, "ref": q.Ref, "action": q.Action, "outcome": q.Outcome,
		"from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// auditList is the data-protection officer's workplace: the log filtered by
// user, case, action, outcome and dates, a page at a time, with this month's
// summary and a download of the same selection. A bad filter re-renders the
// form with the message beside the field.
func (h *Handler) auditList(c echo.Context) error {
	q := auditQuery(c)
	p := auditPage{Page: h.page(c, "Logg"), Q: q, Actions: opts("action")}
	log, err := h.Service.AuditLog(c.Request().Context(), actor(c), q)
	if fe := tryggspor.ErrorFields(err); fe != nil {
		p.Errors, p.Log = fe, &tryggspor.AuditPage{Page: 1, Pages: 1}
		return h.render(c, http.StatusUnprocessableEntity, "audit", p)
	} else if err != nil {
		return err
	}
	p.Log = log
	if p.Orgs, err = h.orgNames(c); err != nil {
		return err
	}
	h.describe(&p)
	v := auditValues(q)
	p.Export = "/audit/export.csv?" + v.Encode()
	p.Prev, p.Next = pageLinks("/audit", v, log.Page, log.Pages)
	return h.render(c, http.StatusOK, "audit", p)
}

// auditCase shows who saw or changed one case, found by id or TP- reference;
// an unknown case is 404.
func (h *Handler) auditCase(c echo.Context) error {
	page, _ := strconv.Atoi(c.QueryParam("page"))
	log, err := h.Service.AuditCase(c.Request().Context(), actor(c), c.Param("id"), page)
	if err != nil {
		return err
	}
	p := auditPage{Page: h.page(c, "Logg for "+log.Ref), Log: log, CaseLog: true, Actions: opts("action"),
		Export: "/audit/export.csv?" + url.Values{"ref": {log.Ref}}.Encode()}
	p.Prev, p.Next = pageLinks("/audit/cases/"+url.PathEscape(log.Ref), url.Values{}, log.Page, log.Pages)
	if p.Orgs, err = h.orgNames(c); err != nil {
		return err
	}
	h.describe(&p)
	return h.render(c, http.StatusOK, "audit", p)
}

// pageLinks are the previous and next page's URLs ("" where there is none).
func pageLinks(path string, v url.Values, page, pages int) (prev, next string) {
	link := func(n int) string {
		w := url.Values{}
		for k, s := range v {
			w[k] = s
		}
		w.Set("page", strconv.Itoa(n))
		return path + "?" + w.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if page < pages {
		next = link(page + 1)
	}
	return prev, next
}

// auditExport downloads the filtered log as CSV for Excel (';', BOM), in
// words and Oslo time, every text cell formula-safe.
func (h *Handler) auditExport(c echo.Context) error {
	p := h.page(c, "")
	names, err := h.orgNames(c)
	if err != nil {
		return err
	}
	words := auditWords{p: &p, orgs: names, provider: h.providerLabel}
	var w *sheet.Writer
	n := 0
	err = h.Service.AuditExport(c.Request().Context(), actor(c), auditQuery(c), func(r tryggspor.AuditRecord) error {
		if w == nil {
			w = startAuditCSV(c, p)
		}
		e := r.Entry
		row := []string{strconv.FormatInt(r.ID, 10), r.At.In(tryggspor.Oslo).Format("02.01.2006 15:04:05"), e.Actor.Name,
			p.T(label("userrole", e.Actor.Role)), or(names[e.Actor.Org], e.Actor.Org), p.T(label("action", e.Action)), r.Ref,
			p.T(string(e.Purpose)), p.T(label("audit_outcome", e.Outcome)), words.details(e)}
		if n++; n%500 == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
			c.Response().Flush()
		}
		return w.Write(row)
	})
	if w == nil && err == nil {
		w = startAuditCSV(c, p) // nothing matched: the header row alone
	}
	if w == nil || err != nil {
		return err // before the first byte the error page can still be shown; after it, the download ends short
	}
	return w.Flush()
}

// startAuditCSV sends the download's headers and the header row (with the
// byte order mark Excel reads UTF-8 by, internal/sheet), and returns the
// writer for the rows.
func startAuditCSV(c echo.Context, p Page) *sheet.Writer {
	res := c.Response()
	res.Header().Set("Content-Disposition", `attachment; filename="tryggspor-logg.csv"`)
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.WriteHeader(http.StatusOK)
	w := sheet.NewWriter(res)
	_ = w.Write([]string{p.T("Nr."), p.T("Tid (norsk tid)"), p.T("Hvem"), p.T("Rolle"), p.T("Organisasjon"), p.T("Handling"),
		p.T("Sak"), p.T("Formål"), p.T("Resultat"), p.T("Detaljer")})
	_ = w.Flush()
	res.Flush()
	return w
}

// orgNames are the organisations' names by code.
func (h *Handler) orgNames(c echo.Context) (map[string]string, error) {
	dir, err := h.Service.Directory(c.Request().Context())
	return dir.Names(), err
}

// or is a, or b when a is empty.
func or(a, b string) string {
	if a == "" {
		return b
	}
	return a
}
