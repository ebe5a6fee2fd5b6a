package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// home sends each role to its own start page.
func (h *Handler) home(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, session(c).User.Role.Home())
}

// healthz says the process is up.
func (h *Handler) healthz(c echo.Context) error { return c.String(http.StatusOK, "ok") }

// readyz says whether the service can serve: its database answers and takes
// a write.
func (h *Handler) readyz(c echo.Context) error {
	if err := h.Service.Ready(c.Request().Context()); err != nil {
		h.Log.Error("readiness: database", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ok")
}
