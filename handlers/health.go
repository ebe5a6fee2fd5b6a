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
// a write, and every sign-in provider has been discovered.
func (h *Handler) readyz(c echo.Context) error {
	if err := h.Service.Ready(c.Request().Context()); err != nil {
		h.Log.Error("readiness: database", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	if err := h.Auth.Ready(); err != nil {
		h.Log.Warn("readiness: sign-in", "err", err.Error())
		return c.String(http.StatusServiceUnavailable, "sign-in provider not ready")
	}
	return c.String(http.StatusOK, "ok")
}
