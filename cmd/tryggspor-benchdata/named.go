package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tryggspor/internal/app"
	"tryggspor/internal/demo"
	"tryggspor/internal/importer"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// The named data set (`--unit`) is the growth table's (issue 19): every case
// in one unit and every case with a person's name, birth date and guardian,
// encrypted by the product's own code, so the case list, the name search and
// the case page work on real ciphertext. Concluded cases come through the
// spreadsheet import (one all-or-nothing import per year, as a district loads
// its history; fast, so 200,000 cases take minutes); the open ones, which an
// officer works on today, through Service.RegisterCase from many goroutines
// (group-committed), as the register form would.

// unitPlace is the units' residence municipalities.
var unitPlace = map[string]string{"baerum": "Bærum", "asker": "Asker", "majorstua": "Oslo"}

// personName is the i-th case's person: a first name of its own and one of
// surnames surnames, so a search for one surname finds cases/surnames cases.
func personName(i, surnames int) string {
	return fmt.Sprintf("Fornavn%d Etternavn%d", i, i%surnames)
}

// SearchSurname is the surname the benchmarks search for: three digits, so
// it is no other surname's prefix when there are at most 1,000 surnames.
func searchSurname(surnames int) string {
	return fmt.Sprintf("Etternavn%d", min(123, surnames-1))
}

// buildNamed makes the named data set and writes the paths the benchmarks
// open to <db>.paths (shell variables) and to out.
func buildNamed(ctx context.Context, o options) error {
	if _, ok := unitPlace[o.unit]; !ok {
		return fmt.Errorf("--unit %q: one of %s", o.unit, strings.Join(units, ", "))
	}
	if o.surnames < 1 || o.surnames > 1000 {
		return fmt.Errorf("--surnames %d: between 1 and 1000", o.surnames)
	}
	start := time.Now()
	st, clock, err := openNew(ctx, o)
	if err != nil {
		return err
	}
	defer st.Close()
	first := o.end.AddDate(-o.years, 0, 0)
	closed := max(o.cases-o.open-1, 0)
	if err := importNamed(ctx, st, o, first, closed); err != nil {
		return err
	}
	fmt.Fprintf(o.progress, "%d concluded cases imported in %s\n", closed, time.Since(start).Round(time.Second))
	cases, err := caseTimeline(ctx, o.db)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := appendAudit(ctx, st, o, cases, first, clock); err != nil {
		return err
	}
	fmt.Fprintf(o.progress, "%d audit entries in %s\n", o.entries, time.Since(t0).Round(time.Second))
	clock.Store(0) // from here the store's clock is the real one
	t0 = time.Now()
	svc := app.New(st, app.Options{}).Service
	if err := registerOpen(ctx, svc, o, closed); err != nil {
		return err
	}
	openPath, err := benchCase(ctx, svc, o, closed+o.open)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.progress, "%d open cases registered in %s; total %s\n", o.open+1, time.Since(t0).Round(time.Second),
		time.Since(start).Round(time.Second))
	closedPath, err := lastImported(ctx, o.db, o.unit)
	if err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	fmt.Fprintf(o.progress, "open case with two events and its next-step forms: %s%s\nclosed imported case: %s%s\n",
		o.baseURL, openPath, o.baseURL, closedPath)
	paths := fmt.Sprintf("OPEN_CASE=%s\nCLOSED_CASE=%s\nSURNAME=%s\nCASES=%d\nUNIT=%s\n",
		openPath, closedPath, searchSurname(o.surnames), o.cases, o.unit)
	fmt.Fprint(o.out, paths)
	return os.WriteFile(o.db+".paths", []byte(paths), 0o600)
}

// openNew creates the key file and the store, whose clock is clock's time,
// or the real time while clock holds 0, and loads the demo organisations.
func openNew(ctx context.Context, o options) (*store.Store, *atomic.Int64, error) {
	if err := store.GenerateKeyFile(o.db + ".key"); err != nil {
		return nil, nil, err
	}
	key, err := store.ReadKeyFile(o.db + ".key")
	if err != nil {
		return nil, nil, err
	}
	keys, err := store.NewKeyring(key)
	if err != nil {
		return nil, nil, err
	}
	clock := new(atomic.Int64)
	clock.Store(o.end.AddDate(-o.years, 0, 0).UnixNano())
	now := func() time.Time {
		if t := clock.Load(); t != 0 {
			return time.Unix(0, t).UTC()
		}
		return time.Now().UTC()
	}
	st, err := store.Open(ctx, o.db, keys, store.Options{Now: now})
	if err != nil {
		return nil, nil, err
	}
	if err := st.UpsertOrganisations(ctx, demo.Organisations, tryggspor.NewEntry(tryggspor.System("benchdata"),
		tryggspor.ActOrgImport, "", "benchdata")); err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, clock, nil
}

// importNamed imports n concluded cases of the unit, with personal fields,
// year by year.
func importNamed(ctx context.Context, st *store.Store, o options, first time.Time, n int) error {
	rng := rand.New(rand.NewPCG(o.seed, 7))
	done := 0
	for y := 0; y < o.years; y++ {
		upto := n * (y + 1) / o.years
		from := first.AddDate(y, 0, 0)
		var b strings.Builder
		b.WriteString("registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on;" +
			"person_name;birth_date;guardian_name;guardian_phone\n")
		if upto == done {
			continue // a year without cases (a tiny data set): an import needs a row
		}
		for ; done < upto; done++ {
			reg := from.AddDate(0, 0, rng.IntN(360))
			if reg.After(o.end.AddDate(0, 0, -30)) {
				reg = o.end.AddDate(0, 0, -30-rng.IntN(300))
			}
			b.WriteString(namedRow(rng, o, done, reg))
		}
		if _, err := importer.Import(ctx, st, tryggspor.System("benchdata"), strings.NewReader(b.String()), false, o.end); err != nil {
			return fmt.Errorf("import year %d: %w", y+1, err)
		}
	}
	return nil
}

// namedRow is the i-th concluded case of the import sheet, with its person.
func namedRow(rng *rand.Rand, o options, i int, reg time.Time) string {
	cat := tryggspor.Categories[rng.IntN(len(tryggspor.Categories))]
	age := 10 + rng.IntN(8)
	if cat == tryggspor.CatHateCrime {
		age = 19 + rng.IntN(40)
	}
	born := reg.AddDate(-age, 0, -1-rng.IntN(300))
	return fmt.Sprintf("%s;%s;%s;victim;%d;%s;%s;%s;%s;%s;%s;Foresatt%d Etternavn%d;+47 9%02d %02d %03d\n",
		reg.Format("2006-01-02"), o.unit, cat, age, unitPlace[o.unit], []string{"yes", "no"}[rng.IntN(2)],
		outcomes[rng.IntN(len(outcomes))], reg.AddDate(0, 0, 10+rng.IntN(15)).Format("2006-01-02"),
		personName(i, o.surnames), born.Format("2006-01-02"), i, i%o.surnames, i%100, (i/100)%100, i%1000)
}

// openInput is the register form of the i-th case, registered on reg.
func openInput(o options, i int, reg time.Time) tryggspor.CaseInput {
	return tryggspor.CaseInput{RegisteredOn: tryggspor.FormatDate(reg), Category: string(tryggspor.Categories[i%5]),
		Role: "victim", Age: fmt.Sprint(10 + i%8), Residence: unitPlace[o.unit], Reported: "no", IntraFamily: "no",
		PersonName: personName(i, o.surnames), GuardianName: fmt.Sprintf("Foresatt%d Etternavn%d", i, i%o.surnames),
		GuardianPhone: "+47 900 00 000"}
}

// registerOpen registers o.open cases of the last 90 days from 64
// goroutines (the store group-commits them); every third gets a contact
// attempt, so the status filter has more than one status to show.
func registerOpen(ctx context.Context, svc *tryggspor.Service, o options, from int) error {
	officer := tryggspor.Actor{Name: "benchdata", Role: tryggspor.RoleOfficer, Org: o.unit}
	today := tryggspor.Today(time.Now())
	work := make(chan int, o.open)
	for i := 0; i < o.open; i++ {
		work <- from + i
	}
	close(work)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed error
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				reg := today.AddDate(0, 0, -1-i%90)
				err := registerOne(ctx, svc, officer, openInput(o, i, reg), i%3 == 0)
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return failed
}

// registerOne registers one case and, with contact, records a contact attempt
// on its registration day.
func registerOne(ctx context.Context, svc *tryggspor.Service, a tryggspor.Actor, in tryggspor.CaseInput, contact bool) error {
	cs, err := svc.RegisterCase(ctx, a, in)
	if err != nil || !contact {
		return err
	}
	_, err = svc.RecordEvent(ctx, a, cs.ID, tryggspor.EventInput{Type: "contact_attempt", Date: in.RegisteredOn,
		Channel: "phone", Reached: "no", With: "guardian"})
	return err
}

// benchCase is the open case of the case-page benchmark (as
// BenchmarkCasePage's): registered five days ago, with a contact attempt and
// an offer made two days ago, so its page shows the timeline and the
// next-step forms.
func benchCase(ctx context.Context, svc *tryggspor.Service, o options, i int) (string, error) {
	officer := tryggspor.Actor{Name: "benchdata", Role: tryggspor.RoleOfficer, Org: o.unit}
	today := tryggspor.Today(time.Now())
	cs, err := svc.RegisterCase(ctx, officer, openInput(o, i, today.AddDate(0, 0, -5)))
	if err != nil {
		return "", err
	}
	two := tryggspor.FormatDate(today.AddDate(0, 0, -2))
	for _, ev := range []tryggspor.EventInput{
		{Type: "contact_attempt", Date: two, Channel: "phone", Reached: "yes", With: "guardian"},
		{Type: "offer_made", Date: two},
	} {
		if _, err := svc.RecordEvent(ctx, officer, cs.ID, ev); err != nil {
			return "", err
		}
	}
	return "/cases/" + cs.ID, nil
}

// lastImported is the unit's most recent concluded (imported) case.
func lastImported(ctx context.Context, path, unit string) (string, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var id string
	err = db.QueryRowContext(ctx, `SELECT id FROM cases WHERE unit = ? AND closed_on <> '' ORDER BY registered_on DESC, id LIMIT 1`, unit).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("no closed imported case in %s: %w", unit, err)
	}
	return "/cases/" + id, nil
}
