package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

// TestOrganisationFormRefusesImpossibleParents: no type is preselected; a
// school under a police section, a police unit under a school and a loop get
// messages that name the organisations.
func TestOrganisationFormRefusesImpossibleParents(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "admin")
	c.Get("/admin/orgs/new")
	if m := regexp.MustCompile(`<select[^>]*name="kind"[\s\S]*?</select>`).FindString(c.Body); m == "" || strings.Contains(m, "selected") {
		t.Error("the new organisation form preselects a type")
	}
	tests := []struct {
		path string
		form url.Values
		want string
	}{
		{"/admin/orgs", url.Values{"code": {"ny-skole"}, "name": {"Ny skole"}, "kind": {"school"}, "parent": {"baerum"}},
			"«Ny skole» kan ikke ligge under «Forebyggende seksjon Bærum», som er en politienhet"},
		{"/admin/orgs", url.Values{"code": {"ny-seksjon"}, "name": {"Ny seksjon"}, "kind": {"police_unit"}, "parent": {"sandvika-vgs"}},
			"«Sandvika videregående skole» er ikke en politienhet"},
		{"/admin/orgs/vest", url.Values{"name": {"Enhet Vest"}, "kind": {"police_unit"}, "parent": {"baerum"}},
			"«Enhet Vest» kan ikke ligge under «Forebyggende seksjon Bærum», som ligger under «Enhet Vest»."},
		{"/admin/orgs", url.Values{"code": {"uten-type"}, "name": {"Uten type"}}, "Velg en type"},
	}
	for _, tc := range tests {
		c.Get("/admin/orgs/new")
		c.Post(tc.path, tc.form)
		if c.Status() != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(c.Body), tc.want) {
			t.Errorf("%s %v: %d, want the message %q", tc.path, tc.form, c.Status(), tc.want)
		}
		if strings.Count(c.Body, "ds-error-summary") != 1 {
			t.Error("not exactly one error summary")
		}
	}
}
