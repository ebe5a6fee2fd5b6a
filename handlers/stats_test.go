package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"tryggspor/internal/demo"
	"tryggspor/internal/importer"
	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// leaderApp has the demo history (2020–2021, unit Vest) and a leader.
func leaderApp(t *testing.T) (*testkit.App, *testkit.Client) {
	app := testkit.NewApp(t)
	if _, err := importer.Import(context.Background(), app.Store, tryggspor.System("test"),
		strings.NewReader(demo.HistoryCSV()), false, app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	return app, app.SignIn(t, "leder")
}

func TestStatsPageShowsTheReportFigures(t *testing.T) {
	app, c := leaderApp(t)
	if c.Path() != "/stats" {
		t.Fatalf("leader landed on %s", c.Path())
	}
	c.Get("/stats?year=2021&unit=vest")
	for _, want := range []string{"<svg", "229", "Trygghetssamtale", "Barnehuset", "Bærum", `<td data-label="2021">76</td>`} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("stats page lacks %q", want)
		}
	}
	// The SLT report printed exact counts: ask for them, below the
	// configured level, and the section says it is not for publication.
	c.Get("/stats/report?year=2021&unit=vest&suppress=0")
	for _, want := range []string{"Ikke for publisering: laget med prikkegrense 0, lavere enn tjenestens 5.", "I 2021 er det registrert 229 saker", "76 av disse gjelder barn og unge bosatt i Bærum",
		"har 93 barn vært i trygghetssamtale. 124 barn har fått tilbud om trygghetssamtale, men har takket nei. 12 utsatte har ikke svart",
		"totalt 9 saker", "3 saker til kommune/skole og 6 saker til Barnehuset", "<th scope=\"row\">Vold</th><td>25</td>",
		"<th scope=\"row\">Hatkriminalitet</th><td>4</td>", "<th scope=\"row\">Andre lovbrudd</th><td>0</td>"} {
		if !strings.Contains(c.Body, want) {
			t.Errorf("report section lacks %q", want)
		}
	}
	// Leaders see no personal data: the history has none, so register a case
	// with a name and look for it everywhere the leader can go.
	app.CreateCase(t, app.SignIn(t, "politi"))
	for _, p := range []string{"/stats", "/stats/report", "/stats/export.csv", "/stats/export.json", "/tasks"} {
		c.Get(p + "?year=" + tryggspor.FormatDate(app.Clock.Now())[:4] + "&unit=vest")
		if c.Status() != http.StatusOK || strings.Contains(c.Body, "Canary7Q4Z") || strings.Contains(c.Body, "912 34 567") {
			t.Errorf("%s: status %d or personal data shown", p, c.Status())
		}
	}
}

func TestStatsSuppressionAndExports(t *testing.T) {
	_, c := leaderApp(t)
	c.Get("/stats/export.json?year=2021&unit=baerum&suppress=5")
	var got map[string]any
	if err := json.Unmarshal([]byte(c.Body), &got); err != nil {
		t.Fatalf("export.json: %v\n%s", err, c.Body)
	}
	cat := got["by_category"].(map[string]any)
	if cat["hate_crime"] != ":" || cat["violence"] != float64(25) || cat["other"] != float64(0) {
		t.Errorf("suppressed categories: %v", cat)
	}
	hidden := 0
	for _, v := range cat {
		if v == ":" {
			hidden++
		}
	}
	if hidden < 2 {
		t.Errorf("a single hidden category could be derived from the total: %v", cat)
	}
	c.Get("/stats/export.csv?year=2021&unit=vest")
	if !strings.HasPrefix(c.Body, "\ufeff") || !strings.Contains(c.Body, "\nUtfall;Takket nei;124;") || !strings.Contains(c.Body, ";by_outcome;declined\n") ||
		!strings.Contains(c.Resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV export:\n%.300s", c.Body)
	}
	c.Get("/stats/export.xlsx?year=2021&unit=vest")
	if !strings.HasPrefix(c.Body, "PK") || c.Status() != http.StatusOK {
		t.Errorf("XLSX export: %d", c.Status())
	}
	c.Get("/stats?year=2021&unit=oslo")
	if c.Status() != http.StatusForbidden {
		t.Errorf("leader of vest looking at oslo: %d", c.Status())
	}
}
