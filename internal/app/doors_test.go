package app_test

import (
	"context"
	"testing"
	"time"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestCommandLineDoorsRefuseUsers: the use cases the command line calls as
// System refuse a signed-in officer, and each refusal is audited; the
// system itself gets through, audited too.
func TestCommandLineDoorsRefuseUsers(t *testing.T) {
	ctx := context.Background()
	st, _ := testkit.MustOpenStore(t, time.Now)
	a := app.FromConfig(st, config.Default(), time.Now, nil)
	officer := tryggspor.Actor{UserID: 1, Name: "politi", Role: tryggspor.RoleOfficer, Org: "baerum"}
	anonymous := tryggspor.Actor{Name: "anonym"}
	orgs := []tryggspor.Organisation{{Code: "x", Name: "X", Kind: tryggspor.OrgSchool}}
	for _, who := range []tryggspor.Actor{officer, anonymous} {
		if err := a.Service.ImportOrganisations(ctx, who, orgs); tryggspor.ErrorKind(err) != tryggspor.KindForbidden {
			t.Errorf("%s importing organisations: %v", who.Name, err)
		}
		if _, err := a.Service.Residences(ctx, who); tryggspor.ErrorKind(err) != tryggspor.KindForbidden {
			t.Errorf("%s checking residences: %v", who.Name, err)
		}
		if _, err := a.Engine.Addressed(ctx, who, nil); tryggspor.ErrorKind(err) != tryggspor.KindForbidden {
			t.Errorf("%s reading reminder addresses: %v", who.Name, err)
		}
	}
	denied, _, err := st.SearchAudit(ctx, tryggspor.AuditFilter{Outcome: tryggspor.OutcomeDenied, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(denied) != 6 {
		t.Errorf("%d refusals audited, want 6 (three doors, twice)", len(denied))
	}
	if _, err := a.Service.Residences(ctx, tryggspor.System("check residences")); err != nil {
		t.Errorf("the command line checking residences: %v", err)
	}
}
