package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/a11y"
	"tryggspor/internal/privacy"
)

type privacyPage struct {
	Page
	Record privacy.Record
}

// adminPrivacy is the record of processing activities (GDPR Art. 30),
// generated from the running configuration, in the page's language.
func (h *Handler) adminPrivacy(c echo.Context) error {
	p := privacyPage{Page: h.page(c, "Behandlingsprotokoll"), Record: h.Privacy}
	if p.Lang == "en" && h.PrivacyEnglish.Title != "" {
		p.Record = h.PrivacyEnglish
	}
	return h.render(c, http.StatusOK, "privacy", p)
}

type a11yPage struct {
	Page
	Result   a11y.Result
	Recorded bool
	Contact  string
}

// accessibility is the accessibility statement, public, in the structure of
// the Authority for Universal Design of ICT's template; its date and result
// are the last recorded browser check's.
func (h *Handler) accessibility(c echo.Context) error {
	r, ok := a11y.Last()
	p := a11yPage{Page: h.page(c, "Tilgjengelighetserklæring"), Result: r, Recorded: ok, Contact: h.A11yContact}
	return h.render(c, http.StatusOK, "a11y", p)
}
