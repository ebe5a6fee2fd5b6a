package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

// eventCreate appends one event. A refused or invalid event re-renders the
// case page with the message beside the form and changes nothing.
func (h *Handler) eventCreate(c echo.Context) error {
	var in tryggspor.EventInput
	if err := (&echo.DefaultBinder{}).BindBody(c, &in); err != nil {
		return tryggspor.Invalid("Skjemaet kunne ikke leses.")
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
	// A guide who rejects a handover (or closes the case) no longer sees it.
	if a.Role == tryggspor.RoleGuide && !h.Service.GuideMayAccess(cs, a.Org) {
		return c.Redirect(http.StatusSeeOther, a.Role.Home())
	}
	return c.Redirect(http.StatusSeeOther, "/cases/"+cs.ID)
}
