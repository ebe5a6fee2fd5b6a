package store_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"tryggspor/internal/demo"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

// BenchmarkNameIndexAtOpen is the case list's name index built once when a
// database older than it is opened (or after a key rotation): n cases
// registered, their tokens removed as before migration 0019, then Open timed.
// Select one size with -bench 'BenchmarkNameIndexAtOpen/cases=100000'.
func BenchmarkNameIndexAtOpen(b *testing.B) {
	for _, n := range []int{2000, 20000, 100000} {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "old.db")
			key := make([]byte, 32)
			key[0] = 19
			st := openWithB(b, path, key)
			if err := st.UpsertOrganisations(ctx, demo.Organisations, tryggspor.NewEntry(tryggspor.System("test"), tryggspor.ActOrgImport, "", "")); err != nil {
				b.Fatal(err)
			}
			seedCases(b, &tryggspor.Service{Store: st, Now: time.Now}, n)
			st.Close()
			for b.Loop() {
				b.StopTimer()
				db, err := sql.Open("sqlite", path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := db.Exec(`DELETE FROM case_name_tokens; UPDATE cases SET name_key = ''`); err != nil {
					b.Fatal(err)
				}
				db.Close()
				b.StartTimer()
				st := openWithB(b, path, key)
				b.StopTimer()
				if n, err := st.ReindexNames(ctx); err != nil || n != 0 {
					b.Fatalf("after open %d cases were still to index (%v)", n, err)
				}
				st.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)/(b.Elapsed().Seconds()/float64(b.N)), "cases/s")
		})
	}
}

// openWithB opens path with one key, for benchmarks.
func openWithB(b *testing.B, path string, key []byte) *store.Store {
	ring, err := store.NewKeyring(key)
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, path, ring, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// seedCases registers n cases in baerum, 64 at a time, named as people are:
// two or three words of ordinary length.
func seedCases(b *testing.B, svc *tryggspor.Service, n int) {
	first := []string{"Kari", "Ola", "Sara", "Mohammed", "Emma", "Jonas", "Nora", "Filip", "Ingrid", "Aksel"}
	last := []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Berg"}
	var wg sync.WaitGroup
	work := make(chan int, n)
	for i := range n {
		work <- i
	}
	close(work)
	a := tryggspor.Actor{Name: "seed", Role: tryggspor.RoleOfficer, Org: "baerum"}
	for range 64 {
		wg.Go(func() {
			for i := range work {
				in := tryggspor.CaseInput{RegisteredOn: "2026-03-01", Category: "threats", Role: "victim", Age: "14",
					Residence: "Bærum", Reported: "no", IntraFamily: "no", GuardianName: "G", GuardianPhone: "900",
					PersonName: fmt.Sprintf("%s %s %s%d", first[i%10], last[i/10%10], last[i/100%10], i)}
				if _, err := svc.RegisterCase(ctx, a, in); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
