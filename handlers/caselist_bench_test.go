package handlers_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// BenchmarkCaseSearchByName is the officer's name search on 20,000 cases in
// one unit: the store reads the unit's rows and decrypts their personal
// fields, and the use case matches the name, sorts and takes one page.
// "list" is the plain first page (the same work without the match).
func BenchmarkCaseSearchByName(b *testing.B) {
	app := testkit.NewApp(b)
	const n = 20000
	var wg sync.WaitGroup
	work := make(chan int, n)
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	a := tryggspor.Actor{Name: "seed", Role: tryggspor.RoleOfficer, Org: "baerum"}
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				in := tryggspor.CaseInput{RegisteredOn: day(i % 300), Category: string(tryggspor.Categories[i%6]),
					Role: "victim", Age: fmt.Sprint(8 + i%10), Residence: "Bærum", Reported: "no", IntraFamily: "no",
					PersonName: fmt.Sprintf("Fornavn%d Etternavn%d", i, i%997), GuardianName: "Foresatt", GuardianPhone: "+47 900 00 000"}
				if _, err := app.Service.RegisterCase(context.Background(), a, in); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	officer := tryggspor.Actor{UserID: 1, Name: "P", Role: tryggspor.RoleOfficer, Org: "baerum"}
	for _, bc := range []struct{ name, text string }{{"name", "etternavn42"}, {"list", ""}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				l, err := app.Service.FindCases(context.Background(), officer, tryggspor.CaseQuery{Text: bc.text})
				if err != nil || l.Total == 0 {
					b.Fatalf("%v, %d found", err, l.Total)
				}
			}
		})
	}
}
