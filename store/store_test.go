package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"tryggspor/internal/demo"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

var ctx = context.Background()

func newCase(t testing.TB, svc *tryggspor.Service, unit, name string) *tryggspor.Case {
	t.Helper()
	in := tryggspor.CaseInput{RegisteredOn: "2026-03-01", Category: "threats", Role: "victim", Age: "14",
		Residence: "Bærum", Reported: "no", IntraFamily: "no", PersonName: name, GuardianName: "Foresatt " + name,
		GuardianPhone: "+47 900 00 000", Notes: "notat om " + name}
	c, err := svc.RegisterCase(ctx, tryggspor.Actor{Name: "t", Role: tryggspor.RoleOfficer, Org: unit}, in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPragmasAndScopes(t *testing.T) {
	clock := &testkit.Clock{T: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	st, _ := testkit.MustOpenStore(t, clock.Now)
	svc := &tryggspor.Service{Store: st, Now: clock.Now}
	c := newCase(t, svc, "baerum", "Kari")
	if c.Ref != "TP-2026-0001" {
		t.Errorf("first ref = %s", c.Ref)
	}
	if c2 := newCase(t, svc, "asker", "Ola"); c2.Ref != "TP-2026-0002" {
		t.Errorf("second ref = %s", c2.Ref)
	}
	for _, sc := range []tryggspor.Scope{{Unit: "asker"}, {Org: "bekkestua-ungdomsskole"}, {}} {
		if _, _, err := st.GetCase(ctx, sc, c.ID); tryggspor.ErrorKind(err) != tryggspor.KindNotFound {
			t.Errorf("scope %+v reached another unit's case: %v", sc, err)
		}
		list, _ := st.ListCases(ctx, sc, tryggspor.CaseFilter{})
		for _, l := range list {
			if l.ID == c.ID {
				t.Errorf("scope %+v lists another unit's case", sc)
			}
		}
	}
	got, evs, err := st.GetCase(ctx, tryggspor.Scope{Unit: "baerum"}, c.ID)
	if err != nil || got.Personal.PersonName != "Kari" || len(evs) != 1 || evs[0].Type != tryggspor.EvRegistered {
		t.Fatalf("own unit: %v %+v %d events", err, got, len(evs))
	}
}

// TestGroupCommitKeepsTheChain writes audit entries and events from many
// goroutines at once; every write lands and the chain verifies.
func TestGroupCommitKeepsTheChain(t *testing.T) {
	st, _ := testkit.MustOpenStore(t, time.Now)
	svc := &tryggspor.Service{Store: st, Now: time.Now}
	c := newCase(t, svc, "baerum", "Kari")
	a := tryggspor.Actor{UserID: 0, Name: "t", Role: tryggspor.RoleOfficer, Org: "baerum"}
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for i := 0; i < 200; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := svc.ViewCase(ctx, a, c.ID)
			errs <- err
		}()
		go func(i int) {
			defer wg.Done()
			_, err := svc.RecordEvent(ctx, a, c.ID, tryggspor.EventInput{Type: "contact_attempt", Date: "2026-03-02",
				Channel: "sms", Reached: "no", With: "guardian"})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	_, evs, _ := st.GetCase(ctx, tryggspor.Scope{All: true}, c.ID)
	if len(evs) != 201 {
		t.Errorf("%d events, want 201", len(evs))
	}
	res, err := st.VerifyAudit(ctx)
	if err != nil || res.BrokenAt != 0 {
		t.Fatalf("chain after concurrent writes: %+v %v", res, err)
	}
	if res.Entries < 402 {
		t.Errorf("%d audit entries, want at least 402", res.Entries)
	}
}

// TestRefusedWriteLeavesNothing checks that a refused event in a batch rolls
// back alone: no event, no audit entry, and the chain stays whole.
func TestRefusedWriteLeavesNothing(t *testing.T) {
	st, _ := testkit.MustOpenStore(t, time.Now)
	svc := &tryggspor.Service{Store: st, Now: time.Now}
	c := newCase(t, svc, "baerum", "Kari")
	before, _ := st.VerifyAudit(ctx)
	a := tryggspor.Actor{Name: "t", Role: tryggspor.RoleOfficer, Org: "baerum"}
	_, err := svc.RecordEvent(ctx, a, c.ID, tryggspor.EventInput{Type: "conversation_held", Date: "2026-03-02"})
	if tryggspor.ErrorKind(err) != tryggspor.KindConflict {
		t.Fatalf("held without contact: %v", err)
	}
	_, evs, _ := st.GetCase(ctx, tryggspor.Scope{All: true}, c.ID)
	after, _ := st.VerifyAudit(ctx)
	if len(evs) != 1 || after.Entries != before.Entries || after.BrokenAt != 0 {
		t.Errorf("refused write left %d events, audit %d → %d entries", len(evs), before.Entries, after.Entries)
	}
}

func TestPersonalFieldsAreEncryptedAtRest(t *testing.T) {
	st, path := testkit.MustOpenStore(t, time.Now)
	svc := &tryggspor.Service{Store: st, Now: time.Now}
	c := newCase(t, svc, "baerum", "Canary Zx91")
	a := tryggspor.Actor{Name: "t", Role: tryggspor.RoleOfficer, Org: "baerum"}
	if _, err := svc.RecordEvent(ctx, a, c.ID, tryggspor.EventInput{Type: "declined", Date: "2026-03-02", By: "guardian",
		Reason: "Canary reason Qq7", Confirmed: "yes"}); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range []string{path, path + "-wal"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		found++
		for _, canary := range []string{"Canary Zx91", "Canary reason Qq7", "notat om"} {
			if bytes.Contains(raw, []byte(canary)) {
				t.Errorf("%s holds %q in plaintext", filepath.Base(f), canary)
			}
		}
	}
	if found == 0 {
		t.Fatal("no database files to inspect")
	}
}

func TestKeyRotation(t *testing.T) {
	oldKey, newKey := make([]byte, 32), make([]byte, 32)
	rand.Read(oldKey)
	rand.Read(newKey)
	path := filepath.Join(t.TempDir(), "rot.db")
	kr, _ := store.NewKeyring(oldKey)
	st, err := store.Open(ctx, path, kr, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.UpsertOrganisations(ctx, []tryggspor.Organisation{{Code: "baerum", Name: "B", Kind: tryggspor.OrgPoliceUnit}}, tryggspor.AuditEntry{Outcome: "ok"})
	c := newCase(t, &tryggspor.Service{Store: st, Now: time.Now}, "baerum", "Kari")
	st.Close()

	kr2, _ := store.NewKeyring(newKey, oldKey)
	st2, err := store.Open(ctx, path, kr2, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	got, _, err := st2.GetCase(ctx, tryggspor.Scope{All: true}, c.ID)
	if err != nil || got.Personal.PersonName != "Kari" {
		t.Fatalf("old key no longer decrypts: %v", err)
	}
	kr3, _ := store.NewKeyring(newKey)
	st3, _ := store.Open(ctx, filepath.Join(t.TempDir(), "x.db"), kr3, store.Options{})
	defer st3.Close()
	if kr3.CurrentID() == kr.CurrentID() {
		t.Error("different keys share an id")
	}
}

func TestSessionLimits(t *testing.T) {
	clock := &testkit.Clock{T: time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)}
	st, _ := testkit.MustOpenStore(t, clock.Now)
	u, err := st.UpsertUser(ctx, tryggspor.User{Issuer: "i", Subject: "s", Name: "n", Role: tryggspor.RoleOfficer, Org: "baerum"},
		tryggspor.AuditEntry{Action: "login", Outcome: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := st.CreateSession(ctx, u.ID, "")
	clock.T = clock.T.Add(14 * time.Minute)
	if _, err := st.GetSession(ctx, id); err != nil {
		t.Fatalf("14 idle minutes: %v", err)
	}
	// Active every 10 minutes: alive until the absolute limit of 8 hours.
	for i := 0; i < 46; i++ {
		clock.T = clock.T.Add(10 * time.Minute)
		if _, err := st.GetSession(ctx, id); err != nil {
			t.Fatalf("active session ended after %v", clock.T.Sub(time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)))
		}
	}
	clock.T = clock.T.Add(10 * time.Minute) // 8 h 04 min after sign-in
	if _, err := st.GetSession(ctx, id); !errors.Is(err, tryggspor.ErrNoSession) {
		t.Errorf("session alive after 8 hours: %v", err)
	}
	id2, _ := st.CreateSession(ctx, u.ID, id)
	clock.T = clock.T.Add(15*time.Minute + time.Second)
	if _, err := st.GetSession(ctx, id2); !errors.Is(err, tryggspor.ErrNoSession) {
		t.Errorf("session alive after 15 idle minutes: %v", err)
	}

}

func TestAnonymiseKeepsStatistics(t *testing.T) {
	clock := &testkit.Clock{T: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	st, path := testkit.MustOpenStore(t, clock.Now)
	svc := &tryggspor.Service{Store: st, Now: clock.Now}
	c := newCase(t, svc, "baerum", "Anonym Kandidat")
	open := newCase(t, svc, "baerum", "Fortsatt Aapen")
	a := tryggspor.Actor{Name: "t", Role: tryggspor.RoleOfficer, Org: "baerum"}
	if _, err := svc.RecordEvent(ctx, a, c.ID, tryggspor.EventInput{Type: "declined", Date: "2026-03-05", By: "guardian", Reason: "Grunn Zq", Confirmed: "yes"}); err != nil {
		t.Fatal(err)
	}
	before, _ := st.SummaryCounts(ctx, 2026, nil, "")
	clock.T = time.Date(2027, 3, 4, 12, 0, 0, 0, time.UTC) // 11 months and 27 days after closing
	if refs, _ := svc.Anonymise(ctx, 12, false); len(refs) != 0 {
		t.Fatalf("anonymised too early: %v", refs)
	}
	clock.T = time.Date(2027, 3, 6, 12, 0, 0, 0, time.UTC)
	if refs, _ := svc.Anonymise(ctx, 12, true); len(refs) != 1 {
		t.Fatalf("dry run: %v", refs)
	}
	refs, err := svc.Anonymise(ctx, 12, false)
	if err != nil || len(refs) != 1 || refs[0] != c.Ref {
		t.Fatalf("anonymise: %v %v", refs, err)
	}
	got, evs, _ := st.GetCase(ctx, tryggspor.Scope{All: true}, c.ID)
	if got.Personal != (tryggspor.Personal{}) || !got.Anonymised || evs[1].Text.Reason != "" || got.Outcome != tryggspor.OutcomeDeclined {
		t.Errorf("after anonymising: %+v %+v", got.Personal, evs[1].Text)
	}
	if o, _, _ := st.GetCase(ctx, tryggspor.Scope{All: true}, open.ID); o.Personal.PersonName != "Fortsatt Aapen" {
		t.Error("an open case lost its personal fields")
	}
	after, _ := st.SummaryCounts(ctx, 2026, nil, "")
	if before.Total != after.Total || before.Outcome["declined"] != after.Outcome["declined"] || before.Category["threats"] != after.Category["threats"] {
		t.Errorf("statistics changed: %+v → %+v", before, after)
	}
	entries, _ := st.ListAudit(ctx, c.ID, 10)
	if len(entries) == 0 || entries[0].Entry.Action != "case.anonymise" {
		t.Errorf("anonymisation not audited: %+v", entries)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if err := st.Backup(ctx, backup); err == nil {
		t.Error("a backup overwrote a file")
	}
	keys := st.Keys()
	st.Close()
	if _, err := store.Restore(ctx, backup, filepath.Join(t.TempDir(), "x.db"), keys, ""); err != nil {
		t.Errorf("restore: %v", err)
	}
	// A database file that is not a backup has no signed checkpoint of its
	// own: nothing shows its log was not cut, so it is refused.
	if _, err := store.Restore(ctx, path, filepath.Join(t.TempDir(), "z.db"), keys, ""); err == nil {
		t.Error("restored a database without its backup's signed checkpoint")
	}
	if _, err := store.Restore(ctx, "/etc/hostname", filepath.Join(t.TempDir(), "y.db"), keys, ""); err == nil {
		t.Error("restored a file that is not a database")
	}
}

// TestPersonIndexSurvivesKeyRotation: after the field key is rotated (new key
// first, old key kept to read old rows), ReindexPersons makes the blind index
// again with the new key, and the person registered before is still
// recognised; anonymisation removes the index but keeps the repeat count.
func TestPersonIndexSurvivesKeyRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	oldKey, newKey := make([]byte, 32), make([]byte, 32)
	rand.Read(oldKey)
	rand.Read(newKey)
	open := func(keys ...[]byte) (*store.Store, *tryggspor.Service) {
		ring, _ := store.NewKeyring(keys...)
		st, err := store.Open(ctx, path, ring, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st.UpsertOrganisations(ctx, demo.Organisations, tryggspor.NewEntry(tryggspor.System("test"), tryggspor.ActOrgImport, "", ""))
		return st, &tryggspor.Service{Store: st, Now: time.Now}
	}
	register := func(svc *tryggspor.Service, unit, name, on string) *tryggspor.Case {
		in := tryggspor.CaseInput{RegisteredOn: on, Category: "threats", Role: "victim", Age: "14", Residence: "Bærum",
			Reported: "no", IntraFamily: "no", PersonName: name, BirthDate: "2010-05-01", GuardianName: "G", GuardianPhone: "900"}
		c, err := svc.RegisterCase(ctx, tryggspor.Actor{Name: "t", Role: tryggspor.RoleOfficer, Org: unit}, in)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	st, svc := open(oldKey)
	day := func(ago int) string { return tryggspor.FormatDate(tryggspor.Today(time.Now()).AddDate(0, 0, -ago)) }
	register(svc, "asker", "Kari Nordmann", day(40))
	st.Close()
	st, svc = open(newKey, oldKey)
	defer st.Close()
	if n, err := st.ReindexPersons(ctx); err != nil || n != 1 {
		t.Fatalf("reindex after rotation: %d, %v; want 1 case", n, err)
	}
	later := register(svc, "baerum", "KARI nordmann", day(10))
	if n, _ := st.SummaryCounts(ctx, later.RegisteredOn.Year(), []string{"baerum"}, ""); n.RepeatVictims != 1 {
		t.Fatalf("after rotation the earlier case is not recognised: repeat victims %d", n.RepeatVictims)
	}
	if n, _ := st.ReindexPersons(ctx); n != 0 {
		t.Errorf("a second reindex redid %d cases", n)
	}
}

// TestSchemaAcceptsEveryCategory: the database's own CHECK on a case's
// category (migration 0001) must accept every category of the vocabulary.
// Adding a category is one line in internal/tryggspor/vocab.go plus its
// English label — and, because the database guards the column too, a
// migration; this test fails until that migration is there.
func TestSchemaAcceptsEveryCategory(t *testing.T) {
	st, _ := testkit.MustOpenStore(t, time.Now)
	svc := &tryggspor.Service{Store: st, Now: time.Now}
	for _, cat := range tryggspor.Categories {
		in := tryggspor.CaseInput{RegisteredOn: "2026-03-01", Category: string(cat), Role: "witness", Age: "30",
			Residence: "Bærum", Reported: "no", IntraFamily: "no", PersonName: "P"}
		if _, err := svc.RegisterCase(ctx, tryggspor.Actor{Name: "t", Role: tryggspor.RoleOfficer, Org: "baerum"}, in); err != nil {
			t.Errorf("category %s: %v", cat, err)
		}
	}
}
