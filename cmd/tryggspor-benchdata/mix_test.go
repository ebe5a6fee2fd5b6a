package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// signedIn signs n officers of Bærum in, each with a session of its own.
func signedIn(t *testing.T, app *testkit.App, n int) []*http.Client {
	var out []*http.Client
	for i := 0; i < n; i++ {
		out = append(out, app.SignIn(t, "politi").HTTP)
	}
	return out
}

// TestMixSendsOnlyFormsTheServerAccepts: a short mix against the real
// router sends every kind of request, every answer is the one a browser
// expects (no 422, no 5xx), and what it wrote is there for an officer to
// see: the cases it registered in the list, its contact attempts on their
// timelines.
func TestMixSendsOnlyFormsTheServerAccepts(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	res, err := mix(ctx, mixConfig{base: app.URL, users: signedIn(t, app, 3), surnames: 300, requests: 200, seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for k := kind(0); k < nKinds; k++ {
		ks := res.kinds[k]
		total += len(ks.lat)
		if len(ks.lat) == 0 || ks.errs != 0 || ks.five != 0 {
			t.Errorf("%s: %d sent, %d errors, %d 5xx; first errors: %q", kinds[k].name, len(ks.lat), ks.errs, ks.five, res.errors)
		}
	}
	if total != 200 {
		t.Errorf("%d requests sent, want 200", total)
	}
	registered := 3*2 + len(res.kinds[kNew].lat) // two each before the load, then the load's
	page := app.SignIn(t, "politi").Get("/cases")
	if want := fmt.Sprintf("%d saker", registered); !strings.Contains(page.Body, want) {
		t.Errorf("the case list does not say %q", want)
	}
	officer := tryggspor.Actor{UserID: 1, Name: "P", Role: tryggspor.RoleOfficer, Org: "baerum"}
	attempts := 0
	for p := 1; ; p++ {
		l, err := app.Service.FindCases(ctx, officer, tryggspor.CaseQuery{Page: p})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range l.Cases {
			v, err := app.Service.ViewCase(ctx, officer, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range v.Timeline {
				if ev.Type == tryggspor.EvContactAttempt {
					attempts++
				}
			}
		}
		if p >= l.Pages {
			break
		}
	}
	if attempts != len(res.kinds[kEvent].lat) {
		t.Errorf("%d contact attempts on the timelines, %d event posts answered", attempts, len(res.kinds[kEvent].lat))
	}
}

// TestMixCountsRefusedWritesAsErrors: when the server refuses the load's
// forms (here a wrong CSRF token), every write is counted as an error with
// its status, and the pages still are not.
func TestMixCountsRefusedWritesAsErrors(t *testing.T) {
	app := testkit.NewApp(t)
	ctx := context.Background()
	cfg := mixConfig{base: app.URL, users: signedIn(t, app, 2), surnames: 300, requests: 80, seed: 2}
	users, err := prepareUsers(ctx, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		u.csrf = tryggspor.RandomToken()
	}
	res := hammerMix(ctx, cfg, users)
	for k := kind(0); k < nKinds; k++ {
		ks := res.kinds[k]
		write := k == kNew || k == kEvent
		if write && ks.errs != len(ks.lat) || !write && ks.errs != 0 {
			t.Errorf("%s: %d errors of %d", kinds[k].name, ks.errs, len(ks.lat))
		}
	}
	if len(res.errors) == 0 || !strings.Contains(res.errors[0], "403") {
		t.Errorf("the errors do not say what the server answered: %q", res.errors)
	}
	var out strings.Builder
	res.print(&out)
	m, err := parseMix(out.String())
	if err != nil {
		t.Fatal(err)
	}
	if want := len(res.kinds[kNew].lat) + len(res.kinds[kEvent].lat); m.errors != want || want == 0 {
		t.Errorf("the table says %d errors, want %d:\n%s", m.errors, want, out.String())
	}
}

// TestPickFollowsTheIssuesShares: over the hundred values of the draw, each
// kind gets its share of the issue's mix.
func TestPickFollowsTheIssuesShares(t *testing.T) {
	var got [nKinds]int
	for r := 0; r < 100; r++ {
		got[pick(r)]++
	}
	if got != [nKinds]int{35, 20, 10, 15, 20} {
		t.Errorf("shares %v", got)
	}
}
