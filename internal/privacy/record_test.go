package privacy

import (
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/config"
)

// TestEnglishRecordFollowsTheConfiguration: the English record says what
// the bokmål one says of the configuration (providers, what each may
// assert, retention, grace days), in English.
func TestEnglishRecordFollowsTheConfiguration(t *testing.T) {
	cfg := config.Default()
	cfg.Handover.GuideGraceDays = 3
	cfg.OIDC.Providers = []config.Provider{
		{Name: "idporten", Label: "ID-porten", Issuer: "https://idporten.example", ClientID: "tp", RoleClaim: "r", OrgClaim: "o",
			AllowedRoles: []string{"guide"}, AllowedOrgKinds: []string{"school"}, AllowedOrgs: []string{"sandvika-vgs"}},
		{Name: "fixed", Label: "Fast", Issuer: "https://f.example", ClientID: "f", FixedRole: "officer", FixedOrg: "vest"}}
	en := BuildIn(cfg, "en", nil).Markdown()
	nb := Build(cfg).Markdown()
	for _, want := range []string{"ID-porten – https://idporten.example (client tp): the role from the claim “r”",
		"May only give the roles Trygghetsguide.", "Only the organisations sandvika-vgs.", "everyone gets the role Forebygger (politi)",
		"3 days after the case is closed", "deleted 12 months after"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English record lacks %q", want)
		}
	}
	for _, nbOnly := range []string{"rollen", "klient", "dager", "måneder", "Kan bare", "slettes"} {
		if regexp.MustCompile(`\b` + nbOnly + `\b`).MatchString(en) {
			t.Errorf("the English record says %q", nbOnly)
		}
		if !strings.Contains(nb, nbOnly) {
			t.Errorf("the bokmål record lacks %q", nbOnly)
		}
	}
}
