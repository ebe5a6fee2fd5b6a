package app_test

import (
	"testing"
	"time"

	"tryggspor/internal/app"
	"tryggspor/internal/config"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestHandoverPolicyFromConfig: the [handover] table reaches the service that
// decides, and with it the guide's scope.
func TestHandoverPolicyFromConfig(t *testing.T) {
	st, _ := testkit.MustOpenStore(t, time.Now)
	cfg := config.Default()
	cfg.Handover = config.Handover{ConsentMaxMonths: 6, AcceptMaxDays: 14, GuideGraceDays: 3}
	a := app.FromConfig(st, cfg, time.Now, nil)
	want := tryggspor.HandoverPolicy{ConsentMonths: 6, AcceptDays: 14, GuideGraceDays: 3}
	if a.Service.Handover != want || a.Engine.Service.Handover != want {
		t.Errorf("service policy %+v, engine's %+v, want %+v", a.Service.Handover, a.Engine.Service.Handover, want)
	}
}
