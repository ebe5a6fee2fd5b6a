package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
)

// TestAdminEditsOrgNo: the organisation form shows and saves the
// organisation number, checks its mod-11 digit and refuses another
// organisation's number.
func TestAdminEditsOrgNo(t *testing.T) {
	app := testkit.NewApp(t)
	admin := app.SignIn(t, "admin")
	admin.Get("/admin/orgs/bekkestua-ungdomsskole")
	if !strings.Contains(admin.Body, `name="orgno"`) || !strings.Contains(admin.Body, "977293812") {
		t.Fatalf("the form lacks the organisation number: %.300s", admin.Body)
	}
	form := func(orgno string) url.Values {
		return url.Values{"name": {"Bekkestua ungdomsskole"}, "kind": {"school"}, "parent": {""}, "municipality": {"Bærum"}, "orgno": {orgno}}
	}
	for orgno, want := range map[string]string{"977293813": "kontrollsiffer", "12345": "kontrollsiffer", "996551075": "allerede brukt av «sandvika-vgs»"} {
		admin.Get("/admin/orgs/bekkestua-ungdomsskole")
		admin.Post("/admin/orgs/bekkestua-ungdomsskole", form(orgno))
		if admin.Status() != http.StatusUnprocessableEntity || !strings.Contains(admin.Body, want) {
			t.Errorf("orgno %s: %d, want a message with %q", orgno, admin.Status(), want)
		}
	}
	admin.Get("/admin/orgs/bekkestua-ungdomsskole")
	admin.Post("/admin/orgs/bekkestua-ungdomsskole", form("921 111 118"))
	if admin.Status() != http.StatusOK || admin.Path() != "/admin/orgs" {
		t.Fatalf("a valid number written with spaces: %d at %s", admin.Status(), admin.Path())
	}
	all, _ := app.Service.Organisations(context.Background())
	for _, o := range all {
		if o.Code == "bekkestua-ungdomsskole" && o.OrgNo != "921111118" {
			t.Errorf("saved orgno %q", o.OrgNo)
		}
	}
}
