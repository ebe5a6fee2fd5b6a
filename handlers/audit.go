package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

type auditPage struct {
	Page
	Entries []tryggspor.AuditRecord
	CaseID  string
}

// auditList shows the newest audit entries to the data-protection officer.
func (h *Handler) auditList(c echo.Context) error {
	return h.auditPage(c, "")
}

// auditCase shows who saw or changed one case.
func (h *Handler) auditCase(c echo.Context) error {
	return h.auditPage(c, c.Param("id"))
}

func (h *Handler) auditPage(c echo.Context, caseID string) error {
	entries, err := h.Service.AuditLog(c.Request().Context(), actor(c), caseID)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "audit", auditPage{Page: h.page(c, "Logg"), Entries: entries, CaseID: caseID})
}
