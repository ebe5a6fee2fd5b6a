package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// BenchmarkCaseSearchByName is the officer's case list in one unit of 2,000,
// 20,000 and 200,000 cases (select one size with
// -bench 'BenchmarkCaseSearchByName/cases=200000'; seeding 200,000 cases
// takes minutes): "name" searches a surname that 11 of every 997 cases share
// (so the hits grow with the unit, as a common name's do: 22, 220 and 2,200),
// "onename" one person's full name (one hit at every size), "ref" a part of
// a ref, "list" the plain first page; each through the use case and through the real router
// with a signed-in officer. Every request is audited, as in production.
func BenchmarkCaseSearchByName(b *testing.B) {
	for _, n := range []int{2000, 20000, 200000} {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			app := testkit.NewApp(b)
			seedUnit(b, app, n)
			officer := tryggspor.Actor{UserID: 1, Name: "P", Role: tryggspor.RoleOfficer, Org: "baerum"}
			c := app.SignIn(b, "politi")
			for _, bc := range []struct{ name, text, path string }{
				{"name", "etternavn42", "/cases?q=etternavn42"},
				{"onename", "etternavn237 fornavn1234", "/cases?q=etternavn237+fornavn1234"},
				{"ref", "0042", "/cases?q=0042"},
				{"list", "", "/cases"}} {
				b.Run(bc.name+"/usecase", func(b *testing.B) {
					timed(b, func() {
						l, err := app.Service.FindCases(context.Background(), officer, tryggspor.CaseQuery{Text: bc.text})
						if err != nil || l.Total == 0 {
							b.Fatalf("%v, %d found", err, l.Total)
						}
					})
				})
				b.Run(bc.name+"/router", func(b *testing.B) {
					timed(b, func() {
						if c.Get(bc.path); c.Status() != http.StatusOK {
							b.Fatalf("GET %s: %d", bc.path, c.Status())
						}
					})
				})
			}
		})
	}
}

// timed runs fn b.N times and reports the median time of one run as
// ms/p50 beside the mean (the target is a median).
func timed(b *testing.B, fn func()) {
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		fn()
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms/p50")
}

// seedUnit registers n cases in baerum through the use case, 64 at a time
// (the writer commits them in groups), with distinct names whose surnames
// repeat every 997 cases.
func seedUnit(b *testing.B, app *testkit.App, n int) {
	var wg sync.WaitGroup
	work := make(chan int, n)
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	a := tryggspor.Actor{Name: "seed", Role: tryggspor.RoleOfficer, Org: "baerum"}
	for range 64 {
		wg.Go(func() {
			for i := range work {
				in := tryggspor.CaseInput{RegisteredOn: day(i % 300), Category: string(tryggspor.Categories[i%6]),
					Role: "victim", Age: fmt.Sprint(8 + i%10), Residence: "Bærum", Reported: "no", IntraFamily: "no",
					PersonName: fmt.Sprintf("Fornavn%d Etternavn%d", i, i%997), GuardianName: "Foresatt", GuardianPhone: "+47 900 00 000"}
				if _, err := app.Service.RegisterCase(context.Background(), a, in); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
