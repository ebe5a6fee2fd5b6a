package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

type caseListPage struct {
	Page
	Cases    []tryggspor.Case
	Status   string
	Query    string
	Statuses []tryggspor.Status
}

// caseList shows the officer's own unit's cases, filtered by status and ref.
func (h *Handler) caseList(c echo.Context) error {
	f := tryggspor.CaseFilter{Status: tryggspor.Status(c.QueryParam("status")), Ref: c.QueryParam("q")}
	if label("status", string(f.Status)) == string(f.Status) && f.Status != "" {
		f.Status = ""
	}
	cases, err := h.Service.ListCases(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	p := caseListPage{Page: h.page(c, "Saker"), Cases: cases, Status: string(f.Status), Query: f.Ref,
		Statuses: tryggspor.Statuses}
	return h.render(c, http.StatusOK, "cases", p)
}

type caseFormPage struct {
	Page
	In      tryggspor.CaseInput
	Errors  map[string]string
	Summary []summaryItem
	Schools []tryggspor.Organisation
	Today   string
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
	orgs, err := h.Service.Organisations(c.Request().Context())
	if err != nil {
		return err
	}
	var schools []tryggspor.Organisation
	for _, o := range orgs {
		if o.Kind == tryggspor.OrgSchool {
			schools = append(schools, o)
		}
	}
	p := caseFormPage{Page: h.page(c, "Registrer ny sak"), In: in, Errors: errs, Schools: schools,
		Today: tryggspor.FormatDate(tryggspor.Today(h.Now()))}
	p.Summary = summary(&p.Page, "", registerFields, errs)
	return h.render(c, status, "case_new", p)
}

// caseNew shows the register form with today's date. Whether the offence is
// reported and whether the offender is in the family are left unanswered: a
// silent "no" would be recorded without anyone deciding it.
func (h *Handler) caseNew(c echo.Context) error {
	in := tryggspor.CaseInput{RegisteredOn: tryggspor.FormatDate(tryggspor.Today(h.Now())), Role: "victim"}
	return h.caseForm(c, http.StatusOK, in, nil)
}

// caseCreate registers a case; bad input re-renders the form with the user's
// input and a message beside each bad field.
func (h *Handler) caseCreate(c echo.Context) error {
	in := tryggspor.CaseInput{
		RegisteredOn: c.FormValue("registered_on"), Category: c.FormValue("category"), Role: c.FormValue("role"),
		Age: c.FormValue("age"), Residence: c.FormValue("residence_municipality"), Reported: c.FormValue("reported"),
		IntraFamily: c.FormValue("intra_family"), IntraFamilyReason: c.FormValue("intra_family_reason"),
		PersonName: c.FormValue("person_name"), BirthDate: c.FormValue("birth_date"),
		GuardianName: c.FormValue("guardian_name"), GuardianPhone: c.FormValue("guardian_phone"),
		PoliceReportRef: c.FormValue("police_report_ref"), School: c.FormValue("school"), Notes: c.FormValue("notes"),
	}
	cs, err := h.Service.RegisterCase(c.Request().Context(), actor(c), in)
	if fe := tryggspor.ErrorFields(err); fe != nil {
		return h.caseForm(c, http.StatusUnprocessableEntity, in, fe)
	} else if err != nil {
		return err
	}
	flash(c, "created")
	return c.Redirect(http.StatusSeeOther, "/cases/"+cs.ID)
}
