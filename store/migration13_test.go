package store_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestMigration13MarksEarlierImportedHandovers: handovers imported before
// migration 0013 (accepted by the importer's "Import" actor, no user, events
// not marked) are marked handover_imported by its backfill, so the guide
// scope never opens them; a handover a guide accepted is left alone.
func TestMigration13MarksEarlierImportedHandovers(t *testing.T) {
	ctx := context.Background()
	st, path := testkit.MustOpenStore(t, time.Now)
	reg := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	timeline := func(acceptedBy string, actorID int64) []tryggspor.Event {
		officer := func(ty tryggspor.EventType, d tryggspor.EventData) tryggspor.Event {
			return tryggspor.Event{Type: ty, Date: reg, ActorName: "Import", ActorRole: tryggspor.RoleOfficer, ActorOrg: "baerum", Data: d}
		}
		return []tryggspor.Event{officer(tryggspor.EvRegistered, tryggspor.EventData{}),
			officer(tryggspor.EvContactAttempt, tryggspor.EventData{Reached: "yes"}), officer(tryggspor.EvHeld, tryggspor.EventData{}),
			officer(tryggspor.EvHandoverProposed, tryggspor.EventData{Destination: "barnehuset-oslo", DestKind: "barnehuset",
				LegalBasis: "statutory", AcceptBy: "2026-05-02"}),
			{Type: tryggspor.EvHandoverAccepted, Date: reg, ActorID: actorID, ActorName: acceptedBy, ActorRole: tryggspor.RoleGuide,
				ActorOrg: "barnehuset-oslo"}}
	}
	cases := []*tryggspor.Case{
		{RegisteredOn: reg, Unit: "baerum", Category: "threats", Role: "victim", Age: 14, Residence: "Bærum"},
		{RegisteredOn: reg, Unit: "baerum", Category: "threats", Role: "victim", Age: 14, Residence: "Bærum"},
	}
	timelines := [][]tryggspor.Event{timeline(tryggspor.ImportActorName, 0), timeline("Guide Hansen", 0)}
	rows := func(add func(*tryggspor.Case, []tryggspor.Event) error) error {
		for i := range cases {
			if err := add(cases[i], timelines[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := st.ImportCases(ctx, strings.Repeat("cd", 32), false, rows, tryggspor.NewEntry(tryggspor.System("test"), tryggspor.ActCaseImport, "", "")); err != nil {
		t.Fatal(err)
	}
	if !cases[0].HandoverImported || cases[1].HandoverImported {
		t.Fatalf("fold: imported %v, accepted by a guide %v", cases[0].HandoverImported, cases[1].HandoverImported)
	}
	body, err := os.ReadFile("migrations/0013_guide_access.sql")
	if err != nil {
		t.Fatal(err)
	}
	backfill := string(body)[strings.Index(string(body), "UPDATE cases"):]
	backfill = backfill[:strings.Index(backfill, ";")]
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// As the rows were before the migration, then the migration's backfill.
	for _, q := range []string{`UPDATE cases SET handover_imported = 0`, backfill} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for i, want := range []bool{true, false} {
		var got bool
		if err := db.QueryRowContext(ctx, `SELECT handover_imported FROM cases WHERE id = ?`, cases[i].ID).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("case %d: handover_imported %v after the backfill, want %v", i, got, want)
		}
	}
	today := tryggspor.FormatDate(reg.AddDate(0, 0, 1))
	if _, _, err := st.GetCase(ctx, tryggspor.Scope{Org: "barnehuset-oslo", Today: today}, cases[0].ID); tryggspor.ErrorKind(err) != tryggspor.KindNotFound {
		t.Errorf("the earlier import opens to barnehuset: %v", err)
	}
	if _, _, err := st.GetCase(ctx, tryggspor.Scope{Org: "barnehuset-oslo", Today: today}, cases[1].ID); err != nil {
		t.Errorf("the accepted handover: %v", err)
	}
}
