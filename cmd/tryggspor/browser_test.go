package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chrome starts headless Chromium (Debian's package; .ci/run installs it). Off
// CI, a machine without it skips the browser tests; on CI it is a failure.
func chrome(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium not found at %s: .ci/run installs it", path)
		}
		t.Skipf("chromium not found at %s", path)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// axeCheck runs axe-core (WCAG 2.1 A/AA rules) on the current page and fails on
// any violation. AXE_JS points at axe.min.js from npm's axe-core.
func axeCheck(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	src := os.Getenv("AXE_JS")
	if src == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("AXE_JS is not set: .ci/run installs axe-core")
		}
		t.Log("AXE_JS not set; accessibility check skipped")
		return
	}
	js, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(js)+";true")); err != nil {
		t.Fatalf("inject axe: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3)}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	var violations []map[string]any
	_ = json.Unmarshal([]byte(res), &violations)
	for _, v := range violations {
		t.Errorf("%s: accessibility violation %v (%v): %v at %v", name, v["id"], v["impact"], v["help"], v["nodes"])
	}
}

func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("TRYGGSPOR_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	}
}

// TestBrowserOfficerFlow signs in through the built-in provider's picker page
// in Chromium, registers a case and records a contact attempt, checking each
// page with axe-core on the way.
func TestBrowserOfficerFlow(t *testing.T) {
	ctx := chrome(t)
	base := startDev(t, filepath.Join(t.TempDir(), "browser.db"))
	// axe-core is injected by evaluation; the page's strict CSP stays as served.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	})); err != nil {
		t.Logf("bypass CSP for axe: %v", err)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(tctx, actions...); err != nil {
			html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
			t.Fatalf("%s: %v\n%s", name, err, html)
		}
	}
	step("chooser", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS(`a[data-idp="police"]`)))
	step("picker", chromedp.Click(chromedp.CSS(`a[data-idp="police"]`)), chromedp.WaitVisible(chromedp.CSS(`button[value="politi"]`)))
	shot(t, ctx, "0-picker")
	step("sign in", chromedp.Click(chromedp.CSS(`button[value="politi"]`)), chromedp.WaitVisible(chromedp.CSS(`table.ds-table`)))
	shot(t, ctx, "1-cases")
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/cases") {
		t.Fatalf("signed in at %s, want /cases", loc)
	}
	axeCheck(t, ctx, "case list")
	step("register form", chromedp.Click(chromedp.CSS(`a[href="/cases/new"].ds-button`)), chromedp.WaitVisible(chromedp.ID("category")))
	axeCheck(t, ctx, "register form")
	step("fill",
		chromedp.SetValue(chromedp.ID("category"), "violence"),
		chromedp.SendKeys(chromedp.ID("age"), "25"),
		chromedp.SendKeys(chromedp.ID("residence_municipality"), "Bærum"),
		chromedp.Click(chromedp.ID("reported-0")),
		chromedp.SendKeys(chromedp.ID("person_name"), "Nora Nettleser"),
		chromedp.SendKeys(chromedp.ID("guardian_name"), "Eva Nettleser"),
		chromedp.SendKeys(chromedp.ID("guardian_phone"), "+47 900 11 222"),
		chromedp.Click(chromedp.CSS(`form.stack button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("age-error")))
	shot(t, ctx, "2-age-error")
	msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("age-error")))
	if !strings.Contains(msg, "over 18 år") {
		t.Errorf("age message = %q", msg)
	}
	axeCheck(t, ctx, "register form with errors")
	step("fix age", chromedp.SetValue(chromedp.ID("age"), "15"),
		chromedp.Click(chromedp.CSS(`form.stack button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`.timeline`)))
	ref, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`h1 .ref`)))
	if !regexp.MustCompile(`^TP-\d{4}-\d{4}$`).MatchString(ref) {
		t.Errorf("case page ref = %q", ref)
	}
	shot(t, ctx, "3-case")
	axeCheck(t, ctx, "case page")
	step("contact attempt",
		chromedp.Click(chromedp.CSS(`details.event-form summary`)),
		chromedp.SetValue(chromedp.ID("contact_attempt-channel"), "phone"),
		chromedp.Click(chromedp.ID("contact_attempt-reached-0")),
		chromedp.Click(chromedp.ID("contact_attempt-with-0")),
		chromedp.Click(chromedp.CSS(`details.event-form[open] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.timeline li:nth-child(2)`)))
	tl, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.timeline`)))
	if !strings.Contains(tl, "Kontaktforsøk") {
		t.Errorf("timeline after contact attempt: %q", tl)
	}
	shot(t, ctx, "4-after-contact")

	// The other roles' main pages, each checked with axe-core.
	for _, pg := range []struct{ user, path, wait string }{
		{"guide", "/handovers", "h1"},
		{"leder", "/stats?year=2021&unit=vest", "svg"},
		{"leder", "/stats/report?year=2021&unit=vest", "article.report"},
		{"politi", "/tasks", "h1"},
		{"admin", "/admin/orgs", "ul.tree"},
		{"revisor", "/audit", "table"},
	} {
		step(pg.user+" "+pg.path, chromedp.Navigate(base+"/login?login_hint="+pg.user),
			chromedp.WaitVisible(chromedp.CSS("main h1")), chromedp.Navigate(base+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.wait)))
		shot(t, ctx, "5-"+pg.user+strings.NewReplacer("/", "-", "?", "-", "&", "-", "=", "-").Replace(pg.path))
		axeCheck(t, ctx, pg.user+" "+pg.path)
	}
}
