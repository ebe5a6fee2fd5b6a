package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

type adminPage struct {
	Page
	Orgs  []tryggspor.Organisation
	Users []tryggspor.User
	Names map[string]string // organisation names by code
}

// adminHome lists organisations and the users known from sign-ins; no case
// content is reachable from here.
func (h *Handler) adminHome(c echo.Context) error {
	ctx := c.Request().Context()
	orgs, err := h.Service.Organisations(ctx)
	if err != nil {
		return err
	}
	users, err := h.Service.Users(ctx, actor(c))
	if err != nil {
		return err
	}
	p := adminPage{Page: h.page(c, "Administrasjon"), Orgs: orgs, Users: users, Names: tryggspor.NewDirectory(orgs).Names()}
	return h.render(c, http.StatusOK, "admin", p)
}
