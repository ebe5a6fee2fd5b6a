package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
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
// organisation follows up. The use case's scope guarantees nothing else is
// listed.
func (h *Handler) handoverList(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	cases, err := h.Service.ListCases(ctx, a, tryggspor.CaseFilter{})
	if err != nil {
		return err
	}
	dir, err := h.Service.Directory(ctx)
	if err != nil {
		return err
	}
	p := handoverPage{Page: h.page(c, "Overføringer"), Orgs: dir.Names(),
		Today: tryggspor.FormatDate(tryggspor.Today(h.Now()))}
	for _, cs := range cases {
		if cs.PendingTo == a.Org {
			p.Pending = append(p.Pending, cs)
		} else {
			p.Accepted = append(p.Accepted, cs)
		}
	}
	return h.render(c, http.StatusOK, "handovers", p)
}
