package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"tryggspor/static"
)

var staticServer = http.StripPrefix("/static/", http.FileServer(http.FS(static.FS)))

// static serves the embedded public assets (CSS, images). They hold no data, so
// they may be cached.
func (h *Handler) static(c echo.Context) error {
	if strings.HasSuffix(c.Request().URL.Path, "/") {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	staticServer.ServeHTTP(c.Response(), c.Request())
	return nil
}
