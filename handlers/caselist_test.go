package handlers_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// register registers n cases in unit, named by name(i), straight through the
// use case.
func register(t testing.TB, app *testkit.App, unit string, n int, name func(i int) string) {
	t.Helper()
	a := tryggspor.Actor{Name: "seed", Role: tryggspor.RoleOfficer, Org: unit}
	for i := 0; i < n; i++ {
		in := tryggspor.CaseInput{RegisteredOn: day(i % 200), Category: "threats", Role: "victim", Age: "14",
			Residence: "Bærum", Reported: "no", IntraFamily: "no", PersonName: name(i), GuardianName: "Foresatt",
			GuardianPhone: "+47 900 00 000"}
		if _, err := app.Service.RegisterCase(context.Background(), a, in); err != nil {
			t.Fatal(err)
		}
	}
}

var rowRe = regexp.MustCompile(`<tr><td[^>]*><a class="ds-link" href="/cases/[0-9a-f]+">(TP-\d{4}-\d+)</a>`)

// TestCaseListFindsByNameWithinTheUnit: the search matches part of the
// person's name in any case; another unit's case of the same name never
// appears.
func TestCaseListFindsByNameWithinTheUnit(t *testing.T) {
	app := testkit.NewApp(t)
	register(t, app, "baerum", 3, func(i int) string { return []string{"Sara Demo Lie", "Ola Hansen", "Per Berg"}[i] })
	register(t, app, "asker", 1, func(int) string { return "Sara Demo Askerstad" })
	c := app.SignIn(t, "politi")
	c.Get("/cases?q=sara")
	if rows := rowRe.FindAllStringSubmatch(c.Body, -1); len(rows) != 1 || !strings.Contains(c.Body, "Sara Demo Lie") {
		t.Fatalf("?q=sara: %d rows, want only Sara Demo Lie:\n%s", len(rows), visible(c.Body))
	}
	if strings.Contains(c.Body, "Askerstad") {
		t.Error("another unit's case appears in the search")
	}
	c.Get("/cases?q=" + "DEMO%20lie")
	if !strings.Contains(c.Body, "Sara Demo Lie") {
		t.Error("the search is not case-insensitive")
	}
	c.Get("/cases")
	if strings.Contains(c.Body, "Askerstad") || len(rowRe.FindAllString(c.Body, -1)) != 3 {
		t.Error("the list is not exactly the unit's three cases")
	}
	ref := rowRe.FindStringSubmatch(c.Body)[1]
	c.Get("/cases?q=" + strings.ToLower(ref[len(ref)-4:]))
	if !strings.Contains(c.Body, ref) {
		t.Errorf("the search by ref %s no longer works", ref)
	}
}

// TestCaseListPages: 50 cases a page; the next and previous links keep the
// search, the status and the sort; the headers say how the list is sorted.
func TestCaseListPages(t *testing.T) {
	app := testkit.NewApp(t)
	register(t, app, "baerum", 120, func(i int) string { return fmt.Sprintf("Elev Nummer%03d", i) })
	register(t, app, "baerum", 5, func(i int) string { return fmt.Sprintf("Annen %d", i) })
	c := app.SignIn(t, "politi")
	c.Get("/cases?q=nummer&status=new&sort=ref&dir=asc")
	first := rowRe.FindAllStringSubmatch(c.Body, -1)
	if len(first) != 50 {
		t.Fatalf("page 1 has %d rows, want 50", len(first))
	}
	if !regexp.MustCompile(`<th scope="col" aria-sort="ascending"><a[^>]*>Referanse`).MatchString(c.Body) {
		t.Error("the ref column does not say it is sorted ascending")
	}
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(c.Body)
	if next == nil {
		t.Fatal("no link to the next page")
	}
	link := html.UnescapeString(next[1])
	for _, keep := range []string{"q=nummer", "status=new", "sort=ref", "dir=asc", "page=2"} {
		if !strings.Contains(link, keep) {
			t.Errorf("the next link %s loses %s", link, keep)
		}
	}
	c.Get(link)
	second := rowRe.FindAllStringSubmatch(c.Body, -1)
	if len(second) != 50 || second[0][1] <= first[49][1] {
		t.Fatalf("page 2: %d rows starting at %v after %s", len(second), second[0], first[49][1])
	}
	c.Get(strings.Replace(link, "page=2", "page=3", 1))
	if n := len(rowRe.FindAllString(c.Body, -1)); n != 20 || strings.Contains(c.Body, "Annen") {
		t.Errorf("page 3 has %d rows (want 20, none of the cases the search leaves out)", n)
	}
	prev := regexp.MustCompile(`href="([^"]+)" rel="prev"`).FindStringSubmatch(c.Body)
	if prev == nil || !strings.Contains(html.UnescapeString(prev[1]), "page=2") || !strings.Contains(html.UnescapeString(prev[1]), "q=nummer") {
		t.Errorf("the previous link is %v", prev)
	}
	if c.Status() != http.StatusOK {
		t.Fatal(c.Status())
	}
}
