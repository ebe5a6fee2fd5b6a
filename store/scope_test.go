package store_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestGuideScopeAgreesWithGuideMayAccess proves the guide-access rule, which
// exists twice (tryggspor.GuideMayAccess in Go, the guide scope in SQL), gives
// the same answer for random timelines of consents and handovers — proposed,
// accepted (for real or imported, marked or by the importer's old actor),
// rejected, withdrawn, expired, closed, chained on — for every guide
// organisation, for days before, on and after every expiry and closing, with
// no grace period after closing and with three days.
func TestGuideScopeAgreesWithGuideMayAccess(t *testing.T) {
	clock := &testkit.Clock{T: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	st, _ := testkit.MustOpenStore(t, clock.Now)
	rng := rand.New(rand.NewPCG(8, 8))
	orgs := []string{"bekkestua-ungdomsskole", "barnehuset-oslo", "sandvika-vgs"}
	base := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return base.AddDate(0, 0, n) }
	var cases []*tryggspor.Case
	var timelines [][]tryggspor.Event
	for i := 0; i < 400; i++ {
		c := &tryggspor.Case{RegisteredOn: base, Unit: "baerum", Category: "threats", Role: "victim", Age: 14, Residence: "Bærum"}
		evs := []tryggspor.Event{{Type: tryggspor.EvRegistered, Date: base}}
		for k := 0; k < 1+rng.IntN(6); k++ {
			dest := orgs[rng.IntN(len(orgs))]
			ev := tryggspor.Event{Date: day(k), ActorRole: tryggspor.RoleOfficer, ActorOrg: "baerum"}
			switch rng.IntN(7) {
			case 0, 1:
				ev.Type, ev.Data = tryggspor.EvConsent, tryggspor.EventData{Destination: dest, By: "guardian",
					ExpiresOn: tryggspor.FormatDate(day(20 + rng.IntN(40)))}
			case 2:
				basis := []string{"consent", "statutory"}[rng.IntN(2)]
				ev.Type, ev.Data = tryggspor.EvHandoverProposed, tryggspor.EventData{Destination: dest, DestKind: "school",
					LegalBasis: basis, AcceptBy: tryggspor.FormatDate(day(30))}
			case 3:
				ev.Type, ev.ActorRole = tryggspor.EvHandoverAccepted, tryggspor.RoleGuide
				switch rng.IntN(4) {
				case 0:
					ev.Data.Imported = true
				case 1:
					ev.ActorName = tryggspor.ImportActorName // imported before events were marked
				}
			case 4:
				ev.Type = []tryggspor.EventType{tryggspor.EvHandoverRejected, tryggspor.EvHandoverWithdrawn, tryggspor.EvHandoverExpired}[rng.IntN(3)]
			case 5:
				ev.Type = tryggspor.EvGuideContact
			case 6:
				ev.Type = tryggspor.EvClosed
			}
			evs = append(evs, ev)
		}
		cases, timelines = append(cases, c), append(timelines, evs)
	}
	rows := func(add func(*tryggspor.Case, []tryggspor.Event) error) error {
		for i := range cases {
			if err := add(cases[i], timelines[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := st.ImportCases(ctx, strings.Repeat("ab", 32), false, rows, tryggspor.NewEntry(tryggspor.System("test"), tryggspor.ActCaseImport, "", "")); err != nil {
		t.Fatal(err)
	}
	agreed := map[bool]int{}
	var inGrace, closedOut, importedOut int
	for _, grace := range []int{0, 3} {
		for n := 0; n <= 70; n++ {
			if n > 12 && n%5 != 0 {
				continue
			}
			today := day(n)
			for _, org := range orgs {
				for _, c := range cases {
					want := tryggspor.GuideMayAccess(c, org, today, grace)
					_, _, err := st.GetCase(ctx, tryggspor.Scope{Org: org, Today: tryggspor.FormatDate(today), GraceDays: grace}, c.ID)
					got := err == nil
					if err != nil && tryggspor.ErrorKind(err) != tryggspor.KindNotFound {
						t.Fatal(err)
					}
					if got != want {
						t.Fatalf("%s for %s on %s, grace %d: SQL scope says %v, GuideMayAccess says %v (state %+v)", c.Ref, org,
							tryggspor.FormatDate(today), grace, got, want, fmt.Sprint(c.State))
					}
					agreed[want]++
					withoutClosing := *c
					withoutClosing.Status = tryggspor.StatusGuideFollowUp
					opened := tryggspor.GuideMayAccess(&withoutClosing, org, today, grace)
					switch {
					case c.Status == tryggspor.StatusClosed && want:
						inGrace++
					case c.Status == tryggspor.StatusClosed && opened:
						closedOut++
					}
					imported := withoutClosing
					imported.HandoverImported = false
					if c.HandoverImported && c.HandoverTo == org && !opened && tryggspor.GuideMayAccess(&imported, org, today, grace) {
						importedOut++
					}
				}
			}
		}
	}
	if agreed[true] < 100 || agreed[false] < 100 || inGrace < 20 || closedOut < 20 || importedOut < 20 {
		t.Fatalf("too few cases of each answer to prove agreement: %v; closed within grace %d, shut out by closing %d, "+
			"imported shut out %d", agreed, inGrace, closedOut, importedOut)
	}
	t.Logf("answers %v; closed within grace %d, shut out by closing %d, imported shut out %d", agreed, inGrace, closedOut, importedOut)
}
