package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/reminder"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

type handoverPage struct {
	Page
	Pending  []tryggspor.Case
	Accepted []tryggspor.Case
	Orgs     map[string]string
	Today    string
}

// handoverList shows the cases handed over to the guide's organisation:
// pending ones, each with accept and reject forms, and the ones the
// organisation follows up. The store's scope guarantees nothing else is listed.
func (h *Handler) handoverList(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	cases, err := h.Service.ListCases(ctx, a, tryggspor.CaseFilter{})
	if err != nil {
		return err
	}
	orgs, err := h.Admin.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	p := handoverPage{Page: h.page(c, "Overføringer"), Orgs: map[string]string{},
		Today: tryggspor.FormatDate(tryggspor.Today(h.Now()))}
	for _, o := range orgs {
		p.Orgs[o.Code] = o.Name
	}
	for _, cs := range cases {
		if cs.PendingTo == a.Org {
			p.Pending = append(p.Pending, cs)
		} else {
			p.Accepted = append(p.Accepted, cs)
		}
	}
	return h.render(c, http.StatusOK, "handovers", p)
}

type taskPage struct {
	Page
	Tasks  []tryggspor.Task
	Links  bool
	Labels map[string]string
}

// taskList shows the user's due reminders: what, since when, and a link to
// the case (leaders see references only: they have no case pages).
func (h *Handler) taskList(c echo.Context) error {
	s := session(c)
	tasks, err := h.Tasks.Tasks(c.Request().Context(), s.User)
	if err != nil {
		return err
	}
	p := taskPage{Page: h.page(c, "Oppgaver"), Tasks: tasks, Links: s.User.Role != tryggspor.RoleLeader,
		Labels: reminder.Labels}
	return h.render(c, http.StatusOK, "tasks", p)
}

type auditPage struct {
	Page
	Entries []store.AuditRecord
	CaseID  string
}

// auditList shows the newest audit entries to the data-protection officer;
// reading the log is itself audited.
func (h *Handler) auditList(c echo.Context) error {
	return h.auditPage(c, "")
}

// auditCase shows who saw or changed one case.
func (h *Handler) auditCase(c echo.Context) error {
	return h.auditPage(c, c.Param("id"))
}

func (h *Handler) auditPage(c echo.Context, caseID string) error {
	ctx := c.Request().Context()
	entries, err := h.Admin.ListAudit(ctx, caseID, 200)
	if err != nil {
		return err
	}
	if err := h.Admin.Audit(ctx, tryggspor.AuditEntry{Actor: actor(c), Action: "audit.view", CaseID: caseID,
		Purpose: "tilsyn", Outcome: "ok"}); err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "audit", auditPage{Page: h.page(c, "Logg"), Entries: entries, CaseID: caseID})
}

type adminPage struct {
	Page
	Orgs  []tryggspor.Organisation
	Users []tryggspor.User
}

// adminHome lists organisations and the users known from sign-ins; no case
// content is reachable from here.
func (h *Handler) adminHome(c echo.Context) error {
	ctx := c.Request().Context()
	orgs, err := h.Admin.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	users, err := h.Admin.ListUsers(ctx)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "admin", adminPage{Page: h.page(c, "Administrasjon"), Orgs: orgs, Users: users})
}
