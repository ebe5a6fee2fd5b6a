package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tryggspor/internal/testkit"
)

// planBokmaalOnly are words that differ between bokmål and nynorsk
// (docs/nynorsk.md); the nynorsk plan's own words hold none of them.
var planBokmaalOnly = []string{"ikke", "hva", "hjem", "jeg", "hvem", "skole", "hvordan", "fra", "ansvarlig", "noe", "noen",
	"hvis", "dere", "ennå", "avsluttet", "fortsetter", "hvert", "evalueres", "innen", "utskrevet", "saken", "selv",
	"foresatte", "ble", "hjalp", "sammen", "dem", "hjulpet", "nettleserens", "evalueringer", "tiltakene", "også", "bare", "mye"}

// planFacts are what the browser finds on the plan page: its own words
// (what staff typed, class="typed", left out), whether it has navigation,
// and what printing hides.
const planFacts = `(() => {
  const own = document.body.cloneNode(true);
  own.querySelectorAll(".typed").forEach(e => e.remove());
  return JSON.stringify({
    Words: own.innerText,
    Nav: document.querySelectorAll("nav, .site-header, .menu").length,
    Lang: document.documentElement.lang,
    PrintHidden: getComputedStyle(document.querySelector(".plan-tools")).display === "none",
    Measures: document.querySelectorAll(".plan-measure").length,
  });
})()`

// TestBrowserPlanPage (issue 21): the demo's followed-up case's plan, as the
// school's guide hands it to the family, in nynorsk and English at a
// phone's width (375 px) and a desk's (1280 px): axe finds nothing, the page
// has no navigation, its own words in nynorsk hold no bokmål-only word, and
// printing (print media) hides the language links and the way back.
func TestBrowserPlanPage(t *testing.T) {
	ctx := chrome(t)
	axe := axeSource(t)
	base := startDev(t, filepath.Join(t.TempDir(), "plan-browser.db"))
	browserSignIn(t, ctx, base, "guide")
	tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
	err := chromedp.Do(tctx, chromedp.Navigate(base+"/handovers"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	var casePath string
	if err == nil {
		casePath, err = chromedp.Run(tctx,
			chromedp.Evaluate[string](`[...document.querySelectorAll("main a[href^='/cases/']")].map(a => a.getAttribute("href")).join(" ")`))
	}
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	word := regexp.MustCompile(`\p{L}+`)
	checked := 0
	for _, width := range []int64{375, 1280} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"nn", "en"} {
			var facts struct {
				Words, Lang   string
				Nav, Measures int
				PrintHidden   bool
			}
			// The followed-up demo case is the one with measures.
			for _, p := range strings.Fields(casePath) {
				name := fmt.Sprintf("%d-plan-%s", width, lang)
				tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
				err := chromedp.Do(tctx, chromedp.Navigate(base+p+"/plan?lang="+lang), chromedp.WaitVisible(chromedp.CSS("main h1")))
				cancel()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if err := evalJSON(t, ctx, planFacts, &facts); err != nil {
					t.Fatal(err)
				}
				if facts.Measures == 0 {
					continue
				}
				checkPage(t, ctx, axe, name)
				checked++
				if facts.Nav != 0 || facts.Lang != lang {
					t.Errorf("%s: navigation elements %d, lang %q", name, facts.Nav, facts.Lang)
				}
				if lang == "nn" {
					for _, w := range word.FindAllString(strings.ToLower(facts.Words), -1) {
						if slices.Contains(planBokmaalOnly, w) {
							t.Errorf("%s: the bokmål word %q", name, w)
						}
					}
				}
				if lang == "en" && !strings.Contains(facts.Words, "Whom you can contact") {
					t.Errorf("%s: not in English:\n%s", name, facts.Words)
				}
				if err := emulateMedia(ctx, "print"); err != nil {
					t.Fatal(err)
				}
				if err := evalJSON(t, ctx, planFacts, &facts); err != nil || !facts.PrintHidden {
					t.Errorf("%s: printing does not hide the links (%v)", name, err)
				}
				if err := emulateMedia(ctx, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if checked != 4 {
		t.Errorf("checked %d plan pages, want 4 (2 languages at 2 widths)", checked)
	}
}

// emulateMedia makes the page render for media ("print"; "" for the screen).
func emulateMedia(ctx context.Context, media string) error {
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	}))
}

// evalJSON runs a script that returns JSON and decodes it into v.
func evalJSON(t *testing.T, ctx context.Context, script string, v any) error {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
	defer cancel()
	s, err := chromedp.Run(tctx, chromedp.Evaluate[string](script))
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(s), v)
}
