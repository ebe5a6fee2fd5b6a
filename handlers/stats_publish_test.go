package handlers_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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

// smallCount finds a count from 1 to 4 in s, a table cell or export value;
// marks, zeros, means (2,0), signed changes and percentages are not counts.
func smallCount(s string) bool {
	s = strings.TrimSpace(s)
	n, err := strconv.Atoi(s)
	return err == nil && !strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "-") && n >= 1 && n <= 4
}

// TestDemoBaerumAtFiveShowsNoSmallCount opens every page and export of 2021
// for Bærum with suppression 5 (the demo reproduces the SLT report, with 2
// who did not respond, 3 handed over to a school, 4 hate crimes) and looks
// for a count from 1 to 4, or an n beside a hidden conversation count.
func TestDemoBaerumAtFiveShowsNoSmallCount(t *testing.T) {
	_, c := leaderApp(t)
	const q = "?year=2021&unit=baerum&suppress=5"
	td := regexp.MustCompile(`<td>([^<]*)</td>`)
	for _, p := range []string{"/stats", "/stats?year=2021&unit=vest&suppress=5&x=", "/stats/report"} {
		u := p + q
		if strings.Contains(p, "?") {
			u = p
		}
		c.Get(u)
		if c.Status() != http.StatusOK {
			t.Fatalf("%s: %d", u, c.Status())
		}
		for _, m := range td.FindAllStringSubmatch(c.Body, -1) {
			if smallCount(html.UnescapeString(m[1])) {
				t.Errorf("%s shows the count %s", u, m[1])
			}
		}
		if strings.Contains(c.Body, "n=32") || strings.Contains(c.Body, "(n=") {
			t.Errorf("%s shows an n beside the means", u)
		}
	}
	c.Get("/stats/report" + q)
	li := regexp.MustCompile(`(?s)<li>(.*?)</li>`)
	for _, m := range li.FindAllStringSubmatch(c.Body, -1) {
		text := html.UnescapeString(m[1])
		if strings.Contains(text, ":") {
			t.Errorf("report sentence with the mark: %s", text)
		}
		for _, w := range regexp.MustCompile(`\d+`).FindAllString(text, -1) {
			if smallCount(w) {
				t.Errorf("report sentence with %s: %s", w, text)
			}
		}
	}
	c.Get("/stats/export.csv" + q)
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.Body, "\ufeff")))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	conv := ""
	for _, r := range rows[1:] {
		for _, v := range r[2:4] {
			if smallCount(v) {
				t.Errorf("csv row %v shows %s", r, v)
			}
		}
		if r[6] == "conversation" {
			conv = r[2]
		}
		if strings.HasSuffix(r[6], "_n") && conv == ":" && r[2] != ":" {
			t.Errorf("csv shows n %s beside a hidden conversation count", r[2])
		}
	}
	c.Get("/stats/export.json" + q)
	var got map[string]any
	if err := json.Unmarshal([]byte(c.Body), &got); err != nil {
		t.Fatal(err)
	}
	for k, v := range got {
		if m, ok := v.(map[string]any); ok {
			for kk, vv := range m {
				if f, ok := vv.(float64); ok && f >= 1 && f <= 4 {
					t.Errorf("json %s.%s = %v", k, kk, f)
				}
			}
		}
	}
	c.Get("/stats/export.xlsx" + q)
	f, err := excelize.OpenReader(strings.NewReader(c.Body))
	if err != nil {
		t.Fatal(err)
	}
	xr, _ := f.GetRows("Trygghetsprogrammet")
	for _, r := range xr[1:] {
		for _, v := range r[2:min(4, len(r))] {
			if smallCount(v) {
				t.Errorf("xlsx row %v shows %s", r, v)
			}
		}
	}
}

// TestStatsBadQueryShowsTheFormWithTheMessage: a year or limit that is not a
// number, or out of range, gives the form back with the message beside the
// field — on the page, a download link and the report alike.
func TestStatsBadQueryShowsTheFormWithTheMessage(t *testing.T) {
	_, c := leaderApp(t)
	for _, u := range []string{"/stats?year=abc&unit=vest", "/stats?year=1850", "/stats/export.csv?suppress=x", "/stats/report?suppress=500"} {
		c.Get(u)
		field := "year"
		if strings.Contains(u, "suppress") {
			field = "suppress"
		}
		if c.Status() != http.StatusUnprocessableEntity || !strings.Contains(c.Body, `<form method="get" action="/stats"`) ||
			!strings.Contains(c.Body, `id="`+field+`-error"`) || !strings.Contains(c.Body, `aria-describedby="`+field+`-error"`) {
			t.Errorf("%s: status %d, form with message beside %s: %v", u, c.Status(), field, strings.Contains(c.Body, field+"-error"))
		}
	}
	c.Get("/stats?year=2021&unit=baerum&suppress=5")
	if !strings.Contains(c.Body, `href="/stats?lang=en&amp;suppress=5&amp;unit=baerum&amp;year=2021"`) {
		t.Errorf("the language switch drops the query")
	}
	c.Get("/stats?year=2021&unit=baerum&suppress=5&lang=en")
	if !strings.Contains(c.Body, `<option value="2021" selected>`) || !strings.Contains(c.Body, `value="baerum" selected`) || !strings.Contains(c.Body, "Mean before the conversation") {
		t.Errorf("after switching to English the page is not 2021 / Bærum")
	}
}
