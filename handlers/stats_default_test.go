package handlers_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestConfiguredSuppressionIsTheDefaultEverywhere: with the configured level
// (5, the default) and no query, the page, the report, CSV, XLSX and JSON hide
// every count from 1 to 4 and say nothing about "not for publication"; asked
// for 0, every one of them says it is not for publication, and the JSON
// states the level used either way.
func TestConfiguredSuppressionIsTheDefaultEverywhere(t *testing.T) {
	_, c := leaderApp(t)
	// Bærum 2021 (the demo history) has small counts: 2 who did not
	// respond, 1 handover to Barnehuset.
	const q = "?year=2021&unit=baerum"
	views := map[string]func(string) string{
		"/stats": func(b string) string { return b }, "/stats/report": func(b string) string { return b },
		"/stats/export.csv": func(b string) string { return b }, "/stats/export.json": func(b string) string { return b },
		"/stats/export.xlsx": func(b string) string { return xlsxText(t, b) },
	}
	for path, text := range views {
		c.Get(path + q)
		body := text(c.Body)
		if strings.Contains(body, "Ikke for publisering") || strings.Contains(body, "IKKE FOR PUBLISERING") {
			t.Errorf("%s at the configured level says it is not for publication", path)
		}
		if !strings.Contains(body, "tall under 5") && path != "/stats/export.json" {
			t.Errorf("%s does not explain the suppression at 5", path)
		}
		c.Get(path + q + "&suppress=0")
		if body := text(c.Body); !strings.Contains(body, "Ikke for publisering") && !strings.Contains(body, "not_for_publication\": true") {
			t.Errorf("%s below the configured level does not say it is not for publication:\n%.600s", path, body)
		}
	}
	c.Get("/stats/export.json" + q)
	var got map[string]any
	if err := json.Unmarshal([]byte(c.Body), &got); err != nil {
		t.Fatal(err)
	}
	if got["suppress"] != float64(5) || got["not_for_publication"] != false {
		t.Errorf("JSON level: suppress=%v not_for_publication=%v", got["suppress"], got["not_for_publication"])
	}
	for table, cells := range got {
		m, ok := cells.(map[string]any)
		if !ok {
			continue
		}
		for k, v := range m {
			if n, ok := v.(float64); ok && n >= 1 && n <= 4 {
				t.Errorf("%s.%s = %v shown at the configured level 5", table, k, n)
			}
		}
	}
	c.Get("/stats/report" + q)
	for _, leak := range []string{"én sak til Barnehuset", "2 utsatte har ikke svart"} {
		if strings.Contains(c.Body, leak) {
			t.Errorf("the report at the configured level says %q", leak)
		}
	}
	c.Get("/stats/report" + q + "&lang=en&suppress=0")
	if !strings.Contains(c.Body, "Not for publication") {
		t.Errorf("the English report below the level does not say so")
	}
}

// xlsxText is every cell of the workbook's first sheet, one per line.
func xlsxText(t *testing.T, body string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.String()
}
