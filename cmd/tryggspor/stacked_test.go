package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"tryggspor/internal/testkit"
)

// stackedProblems finds, in every stacked table cell of the page, a label
// whose box meets its value's box, or a label wider than its box (broken
// inside a word or running over). The label is the cell's ::before; the value
// is everything else in the cell.
const stackedProblems = `(function () {
  var out = [], canvas = document.createElement("canvas").getContext("2d");
  document.querySelectorAll("table.stack td[data-label]").forEach(function (td, i) {
    var cs = getComputedStyle(td), ps = getComputedStyle(td, "::before");
    if (ps.content === "none" || ps.display === "none") { return; }
    var r = td.getBoundingClientRect();
    var left = r.left + parseFloat(cs.paddingLeft) + parseFloat(cs.borderLeftWidth);
    var top = r.top + parseFloat(cs.paddingTop) + parseFloat(cs.borderTopWidth);
    var lw = parseFloat(ps.width), lh = parseFloat(ps.height);
    if (!(lw > 0) || !(lh > 0)) { out.push(td.dataset.label + ": the label has no box"); return; }
    var label = { left: left, top: top, right: left + lw, bottom: top + lh };
    canvas.font = ps.fontWeight + " " + ps.fontSize + " " + ps.fontFamily;
    td.dataset.label.split(/\s+/).forEach(function (w) {
      if (canvas.measureText(w).width > lw + 0.5) { out.push(td.dataset.label + ": «" + w + "» is wider than its label box"); }
    });
    var range = document.createRange();
    range.selectNodeContents(td);
    Array.prototype.forEach.call(range.getClientRects(), function (v) {
      if (v.width === 0 || v.height === 0) { return; }
      if (v.left < label.right - 0.5 && v.right > label.left + 0.5 && v.top < label.bottom - 0.5 && v.bottom > label.top + 0.5) {
        out.push(td.dataset.label + ": label overlaps its value «" + td.innerText.trim().slice(0, 30) + "»");
      }
    });
  });
  return JSON.stringify(out.slice(0, 10));
})()`

// TestBrowserStackedLabelsNeverOverlap: on a phone (320 and 375 px) every
// stacked table's labels stand clear of their values and are never broken
// inside a word, on every page with stacked tables, for every role.
func TestBrowserStackedLabelsNeverOverlap(t *testing.T) {
	db := filepath.Join(t.TempDir(), "stacked.db")
	base := startDev(t, db)
	ctx := chrome(t)
	visits := []struct{ user, path, table string }{
		{"politi", "/cases", "table.stack"}, {"politi", "/tasks", ""}, {"guide", "/handovers", "table.stack"},
		{"guide", "/tasks", ""}, {"leder", "/stats?year=2021", "table.stack"}, {"revisor", "/audit", "table.stack"},
		{"admin", "/admin/orgs", "table.stack"}, {"admin", "/admin/privacy", ""},
	}
	checked := 0
	for _, width := range []int64{320, 375} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)); err != nil {
			t.Fatal(err)
		}
		for _, v := range visits {
			browserSignIn(t, ctx, base, v.user)
			tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
			err := chromedp.Do(tctx, chromedp.Navigate(base+v.path), chromedp.WaitVisible(`main h1`))
			var got, cells string
			if err == nil {
				got, err = chromedp.Run(tctx, chromedp.Evaluate[string](stackedProblems))
			}
			if err == nil {
				cells, err = chromedp.Run(tctx, chromedp.Evaluate[string](`String(document.querySelectorAll("table.stack td[data-label]").length)`))
			}
			cancel()
			if err != nil {
				t.Fatalf("%d px %s as %s: %v", width, v.path, v.user, err)
			}
			if v.table != "" && cells == "0" {
				t.Errorf("%d px %s as %s: no stacked cells to check", width, v.path, v.user)
			}
			if got != "[]" {
				t.Errorf("%d px %s as %s: %s", width, v.path, v.user, got)
			}
			checked++
		}
	}
	if !strings.Contains(base, "127.0.0.1") || checked != 16 {
		t.Errorf("checked %d pages", checked)
	}
}
