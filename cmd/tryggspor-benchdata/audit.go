package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync/atomic"
	"time"

	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// users are the national deployment's 300 users: officers of the three
// sections, guides, leaders, admins and auditors.
func users() []tryggspor.Actor {
	var out []tryggspor.Actor
	add := func(n int, prefix string, role tryggspor.Role, orgs ...string) {
		for i := 1; i <= n; i++ {
			out = append(out, tryggspor.Actor{Name: fmt.Sprintf("%s-%03d", prefix, i), Role: role, Org: orgs[i%len(orgs)]})
		}
	}
	add(240, "politi", tryggspor.RoleOfficer, units...)
	add(40, "guide", tryggspor.RoleGuide, "bekkestua-ungdomsskole", "sandvika-vgs", "barnehuset-oslo", "ungdom-og-fritid")
	add(10, "leder", tryggspor.RoleLeader, "vest")
	add(5, "admin", tryggspor.RoleAdmin, "oslo")
	add(5, "revisor", tryggspor.RoleAuditor, "oslo")
	return out
}

// appendAudit appends o.entries entries in batches of o.batch, moving the
// store's clock evenly through the years, and signs a checkpoint every
// o.checkpointEvery entries as the server's minute tick would.
func appendAudit(ctx context.Context, st *store.Store, o options, cases []caseRef, first time.Time, clock *atomic.Int64) error {
	rng := rand.New(rand.NewPCG(o.seed, 11))
	people := users()
	step := o.end.Sub(first) / time.Duration(max(o.entries/o.batch, 1))
	batch := make([]tryggspor.AuditEntry, 0, o.batch)
	sinceCP, t0 := 0, time.Now()
	for done := 0; done < o.entries; {
		if err := ctx.Err(); err != nil {
			return err
		}
		at := time.Unix(0, clock.Load())
		batch = batch[:0]
		for i := 0; i < o.batch && done+i < o.entries; i++ {
			batch = append(batch, entry(rng, people[rng.IntN(len(people))], openCases(cases, at)))
		}
		if err := st.Audit(ctx, batch...); err != nil {
			return err
		}
		done += len(batch)
		sinceCP += len(batch)
		clock.Add(int64(step))
		if sinceCP >= o.checkpointEvery {
			if _, _, err := st.WriteAuditCheckpoint(ctx); err != nil {
				return err
			}
			sinceCP = 0
		}
		if done%1_000_000 < o.batch {
			fmt.Fprintf(o.progress, "%d entries, %s, %.0f entries/s\n", done, time.Since(t0).Round(time.Second),
				float64(done)/time.Since(t0).Seconds())
		}
	}
	_, _, err := st.WriteAuditCheckpoint(ctx)
	return err
}

// openCases are the cases registered in the year before at: the ones being
// worked on then.
func openCases(cases []caseRef, at time.Time) []caseRef {
	hi := sort.Search(len(cases), func(i int) bool { return cases[i].reg.After(at) })
	lo := sort.Search(len(cases), func(i int) bool { return !cases[i].reg.Before(at.AddDate(-1, 0, 0)) })
	return cases[lo:hi]
}

// entry is one audit entry as the user's role would make it: mostly case
// views and lists for officers and guides, the summary for leaders, the log
// for auditors; one in a hundred a refusal.
func entry(rng *rand.Rand, a tryggspor.Actor, open []caseRef) tryggspor.AuditEntry {
	caseID := ""
	if len(open) > 0 {
		caseID = open[rng.IntN(len(open))].id
	}
	r := rng.IntN(100)
	var e tryggspor.AuditEntry
	switch {
	case r == 0:
		e = tryggspor.NewEntry(a, tryggspor.ActRouteDenied, "", "/admin").Denied("rollen har ikke tilgang")
	case r < 5:
		e = tryggspor.NewEntry(a, tryggspor.ActLogin, "", "")
	case a.Role == tryggspor.RoleLeader:
		e = tryggspor.NewEntry(a, tryggspor.ActStatsView, "", "år=2026")
	case a.Role == tryggspor.RoleAuditor:
		e = tryggspor.NewEntry(a, tryggspor.ActAuditView, "", "")
	case a.Role == tryggspor.RoleAdmin:
		e = tryggspor.NewEntry(a, tryggspor.ActUserList, "", "")
	case r < 25:
		e = tryggspor.NewEntry(a, tryggspor.ActCaseList, "", "")
	case r < 33 && caseID != "":
		e = tryggspor.NewEntry(a, tryggspor.ActEventAppend, caseID, "contact_attempt")
	case caseID != "":
		e = tryggspor.NewEntry(a, tryggspor.ActCaseView, caseID, "")
	default:
		e = tryggspor.NewEntry(a, tryggspor.ActTaskList, "", "")
	}
	return e
}
