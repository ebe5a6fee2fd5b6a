package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"tryggspor/internal/stats"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestRepeatVictimIsRecognisedAcrossUnits registers Kari Nordmann in Asker,
// then "kari  NORDMANN" with the same birth date in Bærum two months later:
// the Bærum officer sees that the person was registered before — Asker, and
// the date — and nothing else of the Asker case, which stays 404 to them; the
// summary counts one repeat victim for Bærum in the later case's year.
func TestRepeatVictimIsRecognisedAcrossUnits(t *testing.T) {
	app := testkit.NewApp(t)
	app.Clock.T = time.Date(2026, 9, 15, 10, 0, 0, 0, time.UTC)
	register := func(user, name, born, on string) string {
		c := app.SignIn(t, user)
		c.Get("/cases/new")
		form := testkit.ValidCase()
		form.Set("person_name", name)
		form.Set("birth_date", born)
		form.Set("registered_on", on)
		form.Set("notes", "Hemmelig notat fra "+user)
		c.Post("/cases", form)
		if c.Status() != http.StatusOK || !strings.HasPrefix(c.Path(), "/cases/") {
			t.Fatalf("register as %s: %d at %s", user, c.Status(), c.Path())
		}
		return c.Path()
	}
	asker := register("politi-asker", "Kari Nordmann", "2010-05-01", "2026-06-10")
	baerum := register("politi", "kari  NORDMANN", "2010-05-01", "2026-08-12")
	officer := app.SignIn(t, "politi")
	officer.Get(baerum)
	page := visibleText(officer.Body)
	if !strings.Contains(page, "Personen er registrert før") || !strings.Contains(page, "Asker") ||
		!strings.Contains(page, "10.06.2026") && !strings.Contains(page, "2026-06-10") {
		t.Fatalf("the Bærum officer is not told of the Asker case: %s", page)
	}
	if strings.Contains(page, "Hemmelig notat fra politi-asker") {
		t.Fatal("the earlier case's content leaked into the Bærum case page")
	}
	officer.Get(asker)
	if officer.Status() != http.StatusNotFound {
		t.Fatalf("the Asker case opened for the Bærum officer: %d", officer.Status())
	}
	counts, err := app.Store.SummaryCounts(context.Background(), 2026, []string{"baerum"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if counts.RepeatVictims != 1 {
		t.Errorf("repeat victims in Bærum 2026: %d, want 1", counts.RepeatVictims)
	}
	if c, _ := app.Store.SummaryCounts(context.Background(), 2026, []string{"asker"}, ""); c.RepeatVictims != 0 {
		t.Errorf("the first case counts as a repeat: %d", c.RepeatVictims)
	}
	zero := 0
	sum, err := app.Stats.Summary(context.Background(), tryggspor.System("test"), stats.Query{Year: 2026, Unit: "baerum", Suppress: &zero}, tryggspor.ActStatsExport)
	if err != nil || sum.RepeatVictims != 1 || sum.RepeatHidden {
		t.Errorf("the published summary for Bærum 2026: repeat victims %d (hidden %v), %v; want 1", sum.RepeatVictims, sum.RepeatHidden, err)
	}
	namesake := register("politi", "Kari Nordmann", "2011-02-03", "2026-09-01")
	officer.Get(namesake)
	if strings.Contains(visibleText(officer.Body), "Personen er registrert før") {
		t.Error("a namesake with another birth date was taken for the same person")
	}
}
