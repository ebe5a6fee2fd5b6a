package handlers

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/importer"
)

// maxImport bounds an uploaded spreadsheet.
const maxImport = 8 << 20

type importPage struct {
	Page
	Errors []string
	Ready  int
	Data   string // the checked file, base64, carried to the confirm step
	Done   int
	NoFile bool
}

func (h *Handler) importForm(c echo.Context) error {
	return h.render(c, http.StatusOK, "import", importPage{Page: h.page(c, "Importer saker")})
}

// importPost checks an uploaded file (step 1) and imports it when confirmed
// (step 2, which carries the same file and checks it again). A file with any
// bad row lists every error and writes nothing.
func (h *Handler) importPost(c echo.Context) error {
	p := importPage{Page: h.page(c, "Importer saker")}
	data, err := importData(c)
	if err != nil || len(data) == 0 {
		p.NoFile, p.Error = true, "Velg en CSV-fil å laste opp."
		return h.render(c, http.StatusUnprocessableEntity, "import", p)
	}
	confirm := c.FormValue("confirm") == "yes"
	run := h.Import.Check
	if confirm {
		run = h.Import.Commit
	}
	n, err := run(c.Request().Context(), actor(c), bytes.NewReader(data))
	var rowErrs importer.Errors
	switch {
	case errors.As(err, &rowErrs):
		p.Errors, p.Error = rowErrs, "Filen har feil. Ingenting er importert."
		return h.render(c, http.StatusUnprocessableEntity, "import", p)
	case err != nil:
		return err
	case confirm:
		p.Done, p.Flash = n, "Sakene er importert."
	default:
		p.Ready, p.Data = n, base64.StdEncoding.EncodeToString(data)
	}
	return h.render(c, http.StatusOK, "import", p)
}

func importData(c echo.Context) ([]byte, error) {
	if d := c.FormValue("data"); d != "" {
		return base64.StdEncoding.DecodeString(d)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, err
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxImport))
}
