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
	Schools []tryggspor.Organisation
	Today   string
}

func (h *Handler) caseForm(c echo.Context, status int, in tryggspor.CaseInput, errs map[string]string) error {
	orgs, err := h.Admin.ListOrganisations(c.Request().Context())
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
	if len(errs) > 0 {
		p.Error = "Skjemaet har feil. Se meldingene ved feltene."
	}
	return h.render(c, status, "case_new", p)
}

// caseNew shows the register form with today's date and "no" preselected.
func (h *Handler) caseNew(c echo.Context) error {
	in := tryggspor.CaseInput{RegisteredOn: tryggspor.FormatDate(tryggspor.Today(h.Now())), Role: "victim",
		Reported: "no", IntraFamily: "no"}
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

// caseShow shows one case with its timeline and the forms for what may happen
// next. A case the actor may not see is 404, the same as one that does not
// exist.
func (h *Handler) caseShow(c echo.Context) error {
	return h.showCase(c, http.StatusOK, nil)
}

// eventCreate appends one event. A refused or invalid event re-renders the
// case page with the message beside the form and changes nothing.
func (h *Handler) eventCreate(c echo.Context) error {
	in := tryggspor.EventInput{
		Type: c.FormValue("type"), Date: c.FormValue("date"), Channel: c.FormValue("channel"),
		Reached: c.FormValue("reached"), With: c.FormValue("with"), By: c.FormValue("by"),
		Reason: c.FormValue("reason"), Destination: c.FormValue("destination"), ExpiresOn: c.FormValue("expires_on"),
		LegalBasis: c.FormValue("legal_basis"), LegalReference: c.FormValue("legal_reference"),
		AcceptBy: c.FormValue("accept_by"), Safety: c.FormValue("safety"), Note: c.FormValue("note"),
		Field: c.FormValue("field"), Value: c.FormValue("value"),
	}
	a := actor(c)
	cs, err := h.Service.RecordEvent(c.Request().Context(), a, c.Param("id"), in)
	switch tryggspor.ErrorKind(err) {
	case tryggspor.KindInternal:
		if err != nil {
			return err
		}
	case tryggspor.KindNotFound:
		return err
	default:
		return h.showCase(c, statusOf(err), &formState{in: in, err: err})
	}
	flash(c, "recorded")
	// A guide who rejects a handover (or hands the case on) no longer sees it.
	if a.Role == tryggspor.RoleGuide && !tryggspor.GuideMayAccess(cs, a.Org, tryggspor.Today(h.Now())) {
		return c.Redirect(http.StatusSeeOther, a.Role.Home())
	}
	return c.Redirect(http.StatusSeeOther, "/cases/"+cs.ID)
}

func statusOf(err error) int {
	switch tryggspor.ErrorKind(err) {
	case tryggspor.KindInvalid:
		return http.StatusUnprocessableEntity
	case tryggspor.KindForbidden:
		return http.StatusForbidden
	case tryggspor.KindConflict:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}
