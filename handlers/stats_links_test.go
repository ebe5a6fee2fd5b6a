package handlers_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"tryggspor/internal/tryggspor"
)

// TestStatsLinksCarryTheChosenQuery follows every download and the report
// link on the page for 2021, Bærum, suppression 5, and checks that each opens
// exactly that: the file name, the content and the audit entry.
func TestStatsLinksCarryTheChosenQuery(t *testing.T) {
	app, c := leaderApp(t)
	c.Get("/stats?year=2021&unit=baerum&suppress=5")
	if c.Status() != http.StatusOK {
		t.Fatalf("stats page: %d", c.Status())
	}
	hrefs := map[string]string{}
	for _, m := range regexp.MustCompile(`href="(/stats/(?:export\.(?:csv|xlsx|json)|report)\?[^"]*)"`).FindAllStringSubmatch(c.Body, -1) {
		u := html.UnescapeString(m[1])
		hrefs[u[:strings.Index(u, "?")]] = u
	}
	for _, p := range []string{"/stats/export.csv", "/stats/export.xlsx", "/stats/export.json", "/stats/report"} {
		u, ok := hrefs[p]
		if !ok {
			t.Fatalf("the page has no link to %s", p)
		}
		for _, want := range []string{"year=2021", "unit=baerum", "suppress=5"} {
			if !strings.Contains(u, want) {
				t.Errorf("%s lacks %s", u, want)
			}
		}
		before, _ := app.Store.ListAudit(context.Background(), "", 1)
		c.Get(u)
		if c.Status() != http.StatusOK {
			t.Fatalf("%s: %d", u, c.Status())
		}
		if ext := strings.TrimPrefix(p, "/stats/export."); ext != p {
			want := `filename="trygghetsprogrammet-2021-baerum.` + ext + `"`
			if got := c.Resp.Header.Get("Content-Disposition"); !strings.Contains(got, want) {
				t.Errorf("%s: Content-Disposition %q, want %s", u, got, want)
			}
		}
		switch p {
		case "/stats/export.json":
			var got map[string]any
			if err := json.Unmarshal([]byte(c.Body), &got); err != nil {
				t.Fatal(err)
			}
			if got["year"] != float64(2021) || got["unit"] != "baerum" || got["total"] != float64(76) {
				t.Errorf("json: year %v unit %v total %v", got["year"], got["unit"], got["total"])
			}
			if got["by_category"].(map[string]any)["hate_crime"] != ":" {
				t.Errorf("json is not suppressed at 5: %v", got["by_category"])
			}
		case "/stats/export.csv":
			if !strings.Contains(c.Body, "2021") || !strings.Contains(c.Body, "Forebyggende seksjon Bærum") || !strings.Contains(c.Body, "under 5") {
				t.Errorf("csv is not 2021 / Bærum / suppress 5:\n%s", c.Body)
			}
		case "/stats/export.xlsx":
			if !strings.HasPrefix(c.Body, "PK") {
				t.Errorf("xlsx is not a workbook")
			}
		case "/stats/report":
			if !strings.Contains(c.Body, "2021") || !strings.Contains(c.Body, "Forebyggende seksjon Bærum") || !strings.Contains(c.Body, "under 5") {
				t.Errorf("report is not 2021 / Bærum / suppress 5")
			}
		}
		after, err := app.Store.ListAudit(context.Background(), "", 1)
		if err != nil || len(after) == 0 || (len(before) > 0 && after[0].ID == before[0].ID) {
			t.Fatalf("%s: no audit entry (%v)", u, err)
		}
		e := after[0].Entry
		if !strings.Contains(e.Detail, "år=2021") || !strings.Contains(e.Detail, "enhet=baerum") || !strings.Contains(e.Detail, "prikking=5") {
			t.Errorf("%s audited as %s %q", u, e.Action, e.Detail)
		}
		if e.Action != tryggspor.ActStatsExport && e.Action != tryggspor.ActStatsReport {
			t.Errorf("%s audited as %s", u, e.Action)
		}
	}
}
