package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/importer"
	"tryggspor/internal/tryggspor"
)

// maxImport bounds an uploaded spreadsheet. A larger body is refused whole
// with 413 before anything is read: never truncated.
const maxImport = 32 << 20

type importPage struct {
	Page
	Errors   []string
	Checked  *importer.Checked // a file checked without errors, waiting for confirmation
	Again    bool              // the file was imported before: ask for a deliberate second import
	Imported int               // the result, reached by redirect
	NoFile   bool
	// Full: the officer's files waiting for confirmation, or the space for
	// them, are at the limit; the page offers to discard the officer's own.
	Full      bool
	Discarded int // files just discarded
}

// importForm is the upload form, and after an import (reached by redirect,
// so a reload imports nothing) the result.
func (h *Handler) importForm(c echo.Context) error {
	p := importPage{Page: h.page(c, "Importer saker")}
	p.Imported, _ = strconv.Atoi(c.QueryParam("imported"))
	return h.render(c, http.StatusOK, "import", p)
}

// importPost checks an uploaded file (step 1), or imports the checked file
// when confirmed (step 2). A file with any bad row lists every error and
// writes nothing.
func (h *Handler) importPost(c echo.Context) error {
	if c.FormValue("confirm") == "yes" {
		return h.importCommit(c)
	}
	p := importPage{Page: h.page(c, "Importer saker")}
	if c.FormValue("discard") == "yes" {
		n, err := h.Import.Discard(c.Request().Context(), actor(c))
		if err != nil {
			return err
		}
		p.Discarded = n
		return h.render(c, http.StatusOK, "import", p)
	}
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		p.NoFile, p.Error = true, "Velg en fil å laste opp (CSV eller Excel)."
		return h.render(c, http.StatusUnprocessableEntity, "import", p)
	}
	if fh.Size > maxImport {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, tooLargeFile)
	}
	// The upload is read where the form parser left it (in memory, never a
	// plaintext temporary file: maxMemoryForm), not copied again.
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	checked, err := h.Import.Check(c.Request().Context(), actor(c), fh.Filename, f, fh.Size)
	if tryggspor.ErrorKind(err) == tryggspor.KindLimit {
		p.Error, p.Full = tryggspor.ErrorMessage(err), true
		return h.render(c, http.StatusTooManyRequests, "import", p)
	}
	return h.importResult(c, p, checked, err)
}

// tooLargeFile is the message for a spreadsheet over the limit.
var tooLargeFile = fmt.Sprintf("Filen er for stor. En fil kan være høyst %d MB; del den opp i flere filer og importer dem hver for seg.", maxImport>>20)

// importCommit imports the checked file its token names, once.
func (h *Handler) importCommit(c echo.Context) error {
	p := importPage{Page: h.page(c, "Importer saker")}
	checked, err := h.Import.Commit(c.Request().Context(), actor(c), c.FormValue("token"), c.FormValue("again") == "yes")
	if tryggspor.ErrorKind(err) == tryggspor.KindNotFound {
		p.Error = tryggspor.ErrorMessage(err)
		return h.render(c, http.StatusConflict, "import", p)
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/cases/import?imported="+strconv.Itoa(checked.Cases))
	}
	return h.importResult(c, p, checked, err)
}

// importResult shows a check's outcome: every row's error, or the
// confirmation, which asks again when the file was imported before.
func (h *Handler) importResult(c echo.Context, p importPage, checked importer.Checked, err error) error {
	var rowErrs importer.Errors
	switch {
	case errors.As(err, &rowErrs):
		p.Errors, p.Error = rowErrs, "Filen har feil. Ingenting er importert."
		p.Checked = &checked
		return h.render(c, http.StatusUnprocessableEntity, "import", p)
	case tryggspor.ErrorKind(err) == tryggspor.KindConflict:
		p.Checked, p.Again = &checked, true
		p.Error = tryggspor.ErrorMessage(err)
		return h.render(c, http.StatusConflict, "import", p)
	case err != nil:
		return err
	}
	p.Checked, p.Again = &checked, !checked.ImportedBefore.IsZero()
	return h.render(c, http.StatusOK, "import", p)
}
