package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

type caseListPage struct {
	Page
	List     tryggspor.CaseList
	Status   string
	Query    string
	Sort     string
	Asc      bool
	Statuses []tryggspor.Status
	Heads    []sortHead
	Prev     string // link to the previous page, "" on the first
	Next     string
	Pages    []pageLink
}

// sortHead is a sortable column heading: its link and its aria-sort.
type sortHead struct {
	Key, Label, Href, AriaSort string
}

type pageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool // "…" in place of skipped pages
}

// caseList shows the officer's own unit's cases, 50 a page, searched by
// reference or name, filtered by status and sorted by a column. Every
// choice is in the URL, so a link or the back button keeps it.
func (h *Handler) caseList(c echo.Context) error {
	q := tryggspor.CaseQuery{Status: tryggspor.Status(c.QueryParam("status")), Text: strings.TrimSpace(c.QueryParam("q")),
		Sort: c.QueryParam("sort"), Asc: c.QueryParam("dir") == "asc"}
	if !tryggspor.Known("status", string(q.Status)) {
		q.Status = ""
	}
	if !slices.Contains(tryggspor.SortKeys, q.Sort) {
		q.Sort = "date"
	}
	q.Page, _ = strconv.Atoi(c.QueryParam("page"))
	list, err := h.Service.FindCases(c.Request().Context(), actor(c), q)
	if err != nil {
		return err
	}
	p := caseListPage{Page: h.page(c, "Saker"), List: list, Status: string(q.Status), Query: q.Text,
		Sort: q.Sort, Asc: q.Asc, Statuses: tryggspor.Statuses}
	p.links(q, list)
	return h.render(c, http.StatusOK, "cases", p)
}

// links builds the sort headings and the page links, each keeping the other
// choices.
func (p *caseListPage) links(q tryggspor.CaseQuery, list tryggspor.CaseList) {
	href := func(sort string, asc bool, page int) string {
		v := url.Values{}
		if q.Text != "" {
			v.Set("q", q.Text)
		}
		if q.Status != "" {
			v.Set("status", string(q.Status))
		}
		if sort != "date" {
			v.Set("sort", sort)
		}
		if asc {
			v.Set("dir", "asc")
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return "/cases"
		}
		return "/cases?" + v.Encode()
	}
	for _, k := range [][2]string{{"ref", "Referanse"}, {"date", "Registrert dato"}, {"status", "Status"}} {
		hd := sortHead{Key: k[0], Label: k[1], Href: href(k[0], k[0] == "ref", 1)}
		if k[0] == q.Sort {
			hd.AriaSort, hd.Href = "descending", href(k[0], true, 1)
			if q.Asc {
				hd.AriaSort, hd.Href = "ascending", href(k[0], false, 1)
			}
		}
		p.Heads = append(p.Heads, hd)
	}
	if list.Page > 1 {
		p.Prev = href(q.Sort, q.Asc, list.Page-1)
	}
	if list.Page < list.Pages {
		p.Next = href(q.Sort, q.Asc, list.Page+1)
	}
	for n := 1; n <= list.Pages; n++ {
		near := n == 1 || n == list.Pages || (n >= list.Page-2 && n <= list.Page+2)
		switch {
		case near:
			p.Pages = append(p.Pages, pageLink{N: n, Href: href(q.Sort, q.Asc, n), Current: n == list.Page})
		case len(p.Pages) > 0 && !p.Pages[len(p.Pages)-1].Gap:
			p.Pages = append(p.Pages, pageLink{Gap: true})
		}
	}
}

// Head returns the sort heading of key.
func (p *caseListPage) Head(key string) sortHead {
	for _, hd := range p.Heads {
		if hd.Key == key {
			return hd
		}
	}
	return sortHead{}
}

// Showing says which cases of how many the page shows.
func (p *caseListPage) Showing() string {
	return fmt.Sprintf(p.T("Side %d av %d"), p.List.Page, p.List.Pages) + " · " + fmt.Sprintf(p.T("%d saker"), p.List.Total)
}

type caseFormPage struct {
	Page
	In      tryggspor.CaseInput
	Errors  map[string]string
	Summary []summaryItem
	Schools []tryggspor.Organisation
	Today   string
	Places  []string // the residences the form offers
	Note    string   // why the form comes back filled in (resume)
}

// registerFields are the register form's fields in the order it shows them,
// with the kind of their input, for the error summary.
var registerFields = []formField{
	{Name: "registered_on", Label: "Registrert dato"}, {Name: "category", Label: "Kategori"},
	{Name: "role", Label: "Rolle", Kind: "radio"}, {Name: "age", Label: "Alder"},
	{Name: "residence_municipality", Label: "Bostedskommune"}, {Name: "reported", Label: "Anmeldt", Kind: "radio"},
	{Name: "intra_family", Label: "Gjerningsperson i samme familie", Kind: "radio"},
	{Name: "intra_family_reason", Label: "Begrunnelse for å ta inn saken"}, {Name: "school", Label: "Skole"},
	{Name: "person_name", Label: "Navn"}, {Name: "birth_date", Label: "Fødselsdato"},
	{Name: "guardian_name", Label: "Foresattes navn"}, {Name: "guardian_phone", Label: "Foresattes telefon"},
	{Name: "police_report_ref", Label: "Anmeldelsesnummer"}, {Name: "notes", Label: "Notater"},
}

func (h *Handler) caseForm(c echo.Context, status int, in tryggspor.CaseInput, errs map[string]string) error {
	return h.caseFormWith(c, status, in, errs, "")
}

// caseFormWith is the register form with a note above it.
func (h *Handler) caseFormWith(c echo.Context, status int, in tryggspor.CaseInput, errs map[string]string, note string) error {
	dir, err := h.Service.Directory(c.Request().Context())
	if err != nil {
		return err
	}
	var schools []tryggspor.Organisation
	for _, o := range dir.List() {
		if o.Kind == tryggspor.OrgSchool {
			schools = append(schools, o)
		}
	}
	p := caseFormPage{Page: h.page(c, "Registrer ny sak"), In: in, Errors: errs, Schools: schools, Places: h.Places,
		Today: tryggspor.FormatDate(tryggspor.Today(h.Now())), Note: note}
	if note != "" {
		p.Posted = "/cases/new" // a reload shows a new form, not this one again
	}
	p.Summary = summary(&p.Page, "", registerFields, errs)
	return h.render(c, status, "case_new", p)
}

// caseNew shows the register form with today's date. Whether the offence is
// reported and whether the offender is in the family are left unanswered: a
// silent "no" would be recorded without anyone deciding it.
func (h *Handler) caseNew(c echo.Context) error {
	in := tryggspor.CaseInput{RegisteredOn: tryggspor.FormatDate(tryggspor.Today(h.Now())), Role: "victim",
		FormID: tryggspor.RandomToken()}
	return h.caseForm(c, http.StatusOK, in, nil)
}

// caseCreate registers a case; bad input re-renders the form with the user's
// input and a message beside each bad field.
func (h *Handler) caseCreate(c echo.Context) error {
	if err := parseBody(c.Request()); err != nil {
		return h.badBody(c, err)
	}
	in := caseInputOf(c.Request().PostForm)
	cs, err := h.Service.RegisterCase(c.Request().Context(), actor(c), in)
	if errors.Is(err, tryggspor.ErrAlreadyRegistered) {
		// Sent twice (Back and send, a double tap, a retry): the case the
		// first send created, never a second one.
		flash(c, "again")
		return c.Redirect(http.StatusSeeOther, "/cases/"+cs.ID)
	}
	if fe := tryggspor.ErrorFields(err); fe != nil {
		return h.caseForm(c, http.StatusUnprocessableEntity, in, fe)
	} else if err != nil {
		return err
	}
	flash(c, "created")
	return c.Redirect(http.StatusSeeOther, "/cases/"+cs.ID)
}

// caseInputOf reads the register form's fields.
func caseInputOf(f url.Values) tryggspor.CaseInput {
	return tryggspor.CaseInput{
		RegisteredOn: f.Get("registered_on"), Category: f.Get("category"), Role: f.Get("role"),
		Age: f.Get("age"), Residence: f.Get("residence_municipality"), Reported: f.Get("reported"),
		IntraFamily: f.Get("intra_family"), IntraFamilyReason: f.Get("intra_family_reason"),
		PersonName: f.Get("person_name"), BirthDate: f.Get("birth_date"),
		GuardianName: f.Get("guardian_name"), GuardianPhone: f.Get("guardian_phone"),
		PoliceReportRef: f.Get("police_report_ref"), School: f.Get("school"), Notes: f.Get("notes"),
		FormID: formID(f.Get("form_id")),
	}
}

// formID is the register form's one-use id as the server issued it; any
// other value (empty, too long, made up) registers as a form without one.
func formID(v string) string {
	if tryggspor.IsToken(v) {
		return v
	}
	return ""
}
