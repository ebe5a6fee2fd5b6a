package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestLogoutHintIsEncryptedAndEndsWithTheSession: the ID token kept for
// id_token_hint is not in the database file in plaintext, comes back once
// at logout, and is gone with the session.
func TestLogoutHintIsEncryptedAndEndsWithTheSession(t *testing.T) {
	ctx := context.Background()
	clock := &testkit.Clock{T: time.Now()}
	st, path := testkit.MustOpenStore(t, clock.Now)
	u, err := st.UpsertUser(ctx, tryggspor.User{Issuer: "i", Subject: "s", Name: "n", Role: tryggspor.RoleGuide, Org: "sandvika-vgs"},
		tryggspor.AuditEntry{Action: "login", Outcome: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	hint := "eyJhbGciOiJSUzI1NiJ9.CanaryIDToken4711.sig"
	id, err := st.CreateSessionFor(ctx, u.ID, "", tryggspor.Logout{Provider: "municipality", IDTokenHint: hint})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		if raw, err := os.ReadFile(f); err == nil && bytes.Contains(raw, []byte("CanaryIDToken4711")) {
			t.Errorf("%s holds the ID token in plaintext", f)
		}
	}
	lo, err := st.EndSession(ctx, id)
	if err != nil || lo.Provider != "municipality" || lo.IDTokenHint != hint {
		t.Fatalf("EndSession: %+v %v", lo, err)
	}
	if _, err := st.EndSession(ctx, id); !errors.Is(err, tryggspor.ErrNoSession) {
		t.Errorf("second EndSession: %v", err)
	}
	if _, err := st.GetSession(ctx, id); !errors.Is(err, tryggspor.ErrNoSession) {
		t.Errorf("session alive after logout: %v", err)
	}
}

// TestOrgNoIsStoredAndUnique: the number survives a round trip, and the
// database refuses a second organisation with the same number even if a
// caller skipped validation.
func TestOrgNoIsStoredAndUnique(t *testing.T) {
	ctx := context.Background()
	st, _ := testkit.MustOpenStore(t, time.Now)
	o, err := st.GetOrganisation(ctx, "bekkestua-ungdomsskole")
	if err != nil || o.OrgNo != "977293812" {
		t.Fatalf("demo orgno: %+v %v", o, err)
	}
	dup := tryggspor.Organisation{Code: "ny", Name: "Ny", Kind: tryggspor.OrgSchool, OrgNo: "977293812"}
	if err := st.UpsertOrganisations(ctx, []tryggspor.Organisation{dup}, tryggspor.NewEntry(tryggspor.System("t"), tryggspor.ActOrgImport, "", "")); err == nil {
		t.Error("a second organisation with the same number was stored")
	}
}
