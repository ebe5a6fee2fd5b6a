package handlers

import (
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/tryggspor"
)

type orgRow struct {
	tryggspor.Organisation
	Depth int
}

type orgsPage struct {
	Page
	Police []orgRow
	Others []tryggspor.Organisation
}

// orgTree orders police units as a tree (parents first, children indented)
// and lists the other organisations after them.
func orgTree(all []tryggspor.Organisation) ([]orgRow, []tryggspor.Organisation) {
	children := map[string][]tryggspor.Organisation{}
	var others []tryggspor.Organisation
	codes := map[string]bool{}
	for _, o := range all {
		codes[o.Code] = true
	}
	for _, o := range all {
		if o.Kind != tryggspor.OrgPoliceUnit {
			others = append(others, o)
			continue
		}
		parent := o.Parent
		if !codes[parent] {
			parent = ""
		}
		children[parent] = append(children[parent], o)
	}
	var rows []orgRow
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		kids := children[parent]
		sort.Slice(kids, func(i, j int) bool { return kids[i].Name < kids[j].Name })
		for _, k := range kids {
			rows = append(rows, orgRow{Organisation: k, Depth: min(depth, 4)})
			if depth < 16 {
				walk(k.Code, depth+1)
			}
		}
	}
	walk("", 0)
	return rows, others
}

// orgList shows the police unit tree and the other organisations.
func (h *Handler) orgList(c echo.Context) error {
	all, err := h.Service.Organisations(c.Request().Context())
	if err != nil {
		return err
	}
	p := orgsPage{Page: h.page(c, "Organisasjoner")}
	p.Police, p.Others = orgTree(all)
	return h.render(c, http.StatusOK, "orgs", p)
}

type orgFormPage struct {
	Page
	Org     tryggspor.Organisation
	IsNew   bool
	Errors  map[string]string
	Parents [][2]string
	Kinds   [][2]string
	Summary []summaryItem
}

// orgFields are the organisation form's fields in form order.
var orgFields = []formField{{Name: "code", Label: "Kode"}, {Name: "name", Label: "Navn"}, {Name: "kind", Label: "Type"},
	{Name: "parent", Label: "Overordnet"}, {Name: "municipality", Label: "Kommune"}}

func (h *Handler) orgForm(c echo.Context, status int, o tryggspor.Organisation, isNew bool, errs map[string]string) error {
	all, err := h.Service.Organisations(c.Request().Context())
	if err != nil {
		return err
	}
	p := orgFormPage{Page: h.page(c, "Organisasjon"), Org: o, IsNew: isNew, Errors: errs, Kinds: opts("orgkind"),
		Parents: [][2]string{{"", "Ingen"}}}
	p.Summary = summary(&p.Page, "", orgFields, errs)
	for _, x := range all {
		if x.Code != o.Code {
			p.Parents = append(p.Parents, [2]string{x.Code, x.Name + " (" + x.Code + ")"})
		}
	}
	return h.render(c, status, "org_form", p)
}

func (h *Handler) orgNew(c echo.Context) error {
	return h.orgForm(c, http.StatusOK, tryggspor.Organisation{}, true, nil) // the type is chosen, not assumed
}

func (h *Handler) orgEdit(c echo.Context) error {
	all, err := h.Service.Organisations(c.Request().Context())
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.Code == c.Param("code") {
			return h.orgForm(c, http.StatusOK, o, false, nil)
		}
	}
	return echo.ErrNotFound
}

func orgFromForm(c echo.Context, code string) tryggspor.Organisation {
	return tryggspor.Organisation{Code: code, Name: strings.TrimSpace(c.FormValue("name")),
		Kind: tryggspor.OrgKind(c.FormValue("kind")), Parent: c.FormValue("parent"),
		Municipality: strings.TrimSpace(c.FormValue("municipality")),
		OrgNo:        tryggspor.NormaliseOrgNo(c.FormValue("orgno"))}
}

func (h *Handler) orgCreate(c echo.Context) error {
	return h.orgSave(c, orgFromForm(c, strings.TrimSpace(c.FormValue("code"))), true)
}

func (h *Handler) orgUpdate(c echo.Context) error {
	return h.orgSave(c, orgFromForm(c, c.Param("code")), false)
}

func (h *Handler) orgSave(c echo.Context, o tryggspor.Organisation, isNew bool) error {
	err := h.Service.SaveOrganisation(c.Request().Context(), actor(c), o, isNew)
	if fe := tryggspor.ErrorFields(err); fe != nil {
		return h.orgForm(c, http.StatusUnprocessableEntity, o, isNew, fe)
	} else if err != nil {
		return err
	}
	flash(c, "saved")
	return c.Redirect(http.StatusSeeOther, "/admin/orgs")
}
