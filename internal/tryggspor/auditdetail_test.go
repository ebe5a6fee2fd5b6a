package tryggspor

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDetailsReadBackAsWritten: details written by With come back exactly,
// values with spaces, percent signs and equals signs included.
func TestDetailsReadBackAsWritten(t *testing.T) {
	want := Details{{DetUser, "Ola Nordmann 100% =x"}, {DetRef, "TP-2026-0001"}, {DetAction, "case.view"}, {DetCount, "4"}}
	e := NewEntry(Actor{Role: RoleAuditor}, ActAuditExport, "", "").With(want...)
	if e.Detail != "bruker=Ola%20Nordmann%20100%25%20=x sak=TP-2026-0001 handling=case.view antall=4" {
		t.Errorf("stored as %q", e.Detail)
	}
	got, ok := e.Details()
	if !ok {
		t.Fatalf("%q does not read back", e.Detail)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
}

// TestOldEntriesStillRead: the forms entries were written in before the
// details had a structure are read into the same details; what is none of
// them (a refusal's reason, an unknown text) is not.
func TestOldEntriesStillRead(t *testing.T) {
	for _, tt := range []struct {
		act    Action
		detail string
		want   Details
	}{
		{ActStatsView, "år=2026 enhet=vest prikking=5", Details{{DetYear, "2026"}, {DetUnit, "vest"}, {DetSuppress, "5"}}},
		{ActCaseList, "status= søk=true antall=4 side=1", Details{{DetStatus, ""}, {DetSearch, "true"}, {DetCount, "4"}, {DetPage, "1"}}},
		{ActCaseView, "bekreft handover_accepted", Details{{DetConfirm, "handover_accepted"}}},
		{ActLogin, "police", Details{{DetProvider, "police"}}},
		{ActEventAppend, "Overføring godtatt", Details{{DetEvent, "handover_accepted"}}},
		{ActAuditView, "bruker=Ola Nordmann handling=Åpnet sak fra=01.12.2026", Details{{DetUser, "Ola Nordmann"}, {DetAction, "Åpnet sak"}, {DetFrom, "01.12.2026"}}},
		{ActTaskList, "3 oppgaver", Details{{DetTasks, "3"}}},
		{ActUserList, "12 brukere", Details{{DetUsers, "12"}}},
		{ActCaseImport, "7 saker", Details{{DetCases, "7"}}},
		{ActOrgImport, "20 organisasjoner", Details{{DetOrgs, "20"}}},
		{ActCaseAnon, "avsluttet før 05.12.2025", Details{{DetClosedBefore, "05.12.2025"}}},
		{ActOrgCreate, "bekkestua-ungdomsskole", Details{{DetOrg, "bekkestua-ungdomsskole"}}},
		{ActAuditAnchor, "/var/lib/tryggspor/t.db.audit-checkpoints", Details{{DetCheckpoints, "/var/lib/tryggspor/t.db.audit-checkpoints"}}},
	} {
		got, ok := AuditEntry{Action: tt.act, Outcome: OutcomeOK, Detail: tt.detail}.Details()
		if !ok {
			t.Errorf("%s %q: not read", tt.act, tt.detail)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s %q (-want +got):\n%s", tt.act, tt.detail, diff)
		}
	}
	for _, e := range []AuditEntry{
		{Action: ActCaseView, Outcome: OutcomeDenied, Detail: "Saken finnes ikke."},
		{Action: ActCaseView, Outcome: OutcomeOK, Detail: "noe annet"},
	} {
		if d, ok := e.Details(); ok {
			t.Errorf("%q read as %v; it should be shown as stored", e.Detail, d)
		}
	}
}
