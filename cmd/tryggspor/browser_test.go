package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tryggspor/internal/a11y"
	"tryggspor/internal/testkit"
)

// chrome starts headless Chromium (Debian's package; .ci/run installs it)
// with the pages' CSP bypassed, so axe-core can be injected. Off CI, a
// machine without it skips the browser tests; on CI it is a failure.
func chrome(t *testing.T) context.Context {
	t.Helper()
	ctx := chromeStrict(t)
	// axe-core is injected by evaluation; the page's strict CSP stays as served.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	})); err != nil {
		t.Fatalf("bypass CSP for axe: %v", err)
	}
	return ctx
}

// chromeStrict starts headless Chromium that enforces every page's CSP as
// a user's browser does: what a test of navigation (sign-in, logout) needs.
func chromeStrict(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium not found at %s: .ci/run installs it", path)
		}
		t.Skipf("chromium not found at %s (CI fails here)", path)
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

// axeSource is axe-core's axe.min.js (npm axe-core; .ci/run installs it and
// sets AXE_JS). Without it the test cannot check accessibility: on CI that is a
// failure, elsewhere the test is skipped and says why.
func axeSource(t *testing.T) string {
	t.Helper()
	src := os.Getenv("AXE_JS")
	if src == "" {
		src = filepath.Join(os.TempDir(), "tryggspor-axe", "node_modules", "axe-core", "axe.min.js")
	}
	js, err := os.ReadFile(src)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core not found (%v): .ci/run installs it and sets AXE_JS", err)
		}
		t.Skipf("axe-core not found (%v): npm install --prefix /tmp/tryggspor-axe axe-core@4.14.1 (CI fails here)", err)
	}
	return string(js)
}

// shots is where screenshots go: $TRYGGSPOR_SCREENSHOTS (every page), or a
// folder made on the first failure (failing pages only), named in the log.
type shots struct {
	dir    string
	always bool
}

func newShots() *shots {
	d := os.Getenv("TRYGGSPOR_SCREENSHOTS")
	return &shots{dir: d, always: d != ""}
}

func (s *shots) take(t *testing.T, ctx context.Context, name string, failed bool) {
	t.Helper()
	if !failed && !s.always {
		return
	}
	if s.dir == "" {
		d, err := os.MkdirTemp("", "tryggspor-screenshots-")
		if err != nil {
			t.Log(err)
			return
		}
		s.dir = d
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	f := filepath.Join(s.dir, name+".png")
	if err := os.WriteFile(f, buf, 0o644); err == nil && failed {
		t.Logf("screenshot of the failing page: %s", f)
	}
}

// pageFacts are what checkPage measures in the page itself.
type pageFacts struct {
	ScrollWidth, InnerWidth int
	Headings                []int
	SmallTargets            []string
	Clipped                 []string
	Text                    string // what a reader sees of the page (innerText)
	Violations              []struct {
		ID, Impact, Help string
		Nodes            []string
	}
}

// measure runs axe-core (WCAG 2.1 A and AA) and reads the page's width, its
// visible headings, header controls lower than 44 px, and boxes in main
// that scroll sideways.
const measure = `(async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  const visible = el => el.checkVisibility();
  return JSON.stringify({
    ScrollWidth: document.documentElement.scrollWidth, InnerWidth: Math.min(window.innerWidth, document.documentElement.clientWidth),
    Headings: [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].filter(visible).map(h => +h.tagName[1]),
    SmallTargets: [...document.querySelectorAll(".site-header a, .site-header button, .site-header summary")]
      .filter(visible).filter(el => el.getBoundingClientRect().height < 44)
      .map(el => el.outerHTML.slice(0, 80) + " " + Math.round(el.getBoundingClientRect().height) + "px"),
    Clipped: [...document.querySelectorAll("main *")].filter(visible)
      .filter(el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
      .map(el => el.outerHTML.slice(0, 60) + " shows " + el.clientWidth + " of " + el.scrollWidth + " px"),
    Text: document.body.innerText,
    Violations: r.violations.map(v => ({ID: v.id, Impact: v.impact || "", Help: v.help,
      Nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " " + n.html.slice(0, 120))}))
  });
})()`

// checkPage checks the page as a user would notice: no accessibility
// violation, no sideways scroll (of the page, or of a box inside it such as a
// wide table), headings in order (one h1, no level skipped), header targets
// of 44 px. It says whether anything failed.
func checkPage(t *testing.T, ctx context.Context, axe, name string) bool {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
	defer cancel()
	if _, err := chromedp.Run(tctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Errorf("%s: inject axe: %v", name, err)
		return true
	}
	res, err := chromedp.Run(tctx, chromedp.Evaluate[string](measure, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Errorf("%s: measure: %v", name, err)
		return true
	}
	var f pageFacts
	if err := json.Unmarshal([]byte(res), &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	failed := false
	fail := func(format string, args ...any) {
		failed = true
		t.Errorf(name+": "+format, args...)
	}
	for _, v := range f.Violations {
		fail("axe %s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, " | "))
	}
	if f.ScrollWidth > f.InnerWidth {
		fail("scrolls sideways: %d px wide in a %d px window", f.ScrollWidth, f.InnerWidth)
	}
	if msg := headingOrder(f.Headings); msg != "" {
		fail("headings %v: %s", f.Headings, msg)
	}
	for _, s := range f.SmallTargets {
		fail("header target lower than 44 px: %s", s)
	}
	for _, s := range f.Clipped {
		fail("content scrolls inside its box (a table needs class=\"stack\" and data-labels): %s", s)
	}
	if d := isoDate.FindString(f.Text); d != "" {
		fail("writes a date as %s: a Norwegian page writes dd.mm.yyyy", d)
	}
	if c := codeWords.FindString(f.Text); c != "" {
		fail("shows the code %q instead of words", c)
	}
	return failed
}

// isoDate and codeWords are what a reader must not see: dates as
// YYYY-MM-DD, and the vocabulary's and the audit log's codes. (Input values
// are not in innerText.)
var (
	isoDate   = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	codeWords = regexp.MustCompile(`\b(violence|sexual_offence|hate_crime|police_unit|municipal_service|intra_family_reason|case\.view|case\.list|event\.append|route\.denied|contact_attempt|conversation_held|handover_proposed)\b`)
)

// headingOrder says what is wrong with a page's heading levels, or "".
func headingOrder(levels []int) string {
	h1 := 0
	for i, l := range levels {
		if l == 1 {
			h1++
		}
		if i == 0 && l != 1 {
			return "the first heading is not an h1"
		}
		if i > 0 && l > levels[i-1]+1 {
			return fmt.Sprintf("h%d follows h%d", l, levels[i-1])
		}
	}
	if h1 != 1 {
		return fmt.Sprintf("%d h1 headings, want one", h1)
	}
	return ""
}

// visit is one page of the tour: a path, or a function that finds the path on
// the page the browser is on (a case page from the list, say).
type visit struct {
	name, path string
	find       string // JS expression giving the path, run on the previous page
	act        string // JS statement that sends a form on the previous page (a POST's page)
	wait       string // CSS selector that is visible once the page is there
}

// tour lists every page of every role, in the order a user reaches them.
var tour = []struct {
	user   string // "" is a visitor who is not signed in
	visits []visit
}{
	{"politi", []visit{
		{name: "cases", path: "/cases", wait: "table"},
		{name: "case", find: `document.querySelector("table a[href^='/cases/']").getAttribute("href")`, wait: ".timeline"},
		// The confirmation page of an event that ends the officer's work.
		{name: "confirm-declined", act: `(f => { f.querySelector("[name=by][value=guardian]").checked = true; f.submit() })(document.querySelector("input[name=type][value=declined]").form)`, wait: "form.confirm-actions"},
		{name: "innsyn", find: `location.pathname.replace(/\/events$/, "") + "/innsyn"`, wait: "main h1"},
		{name: "case-new", path: "/cases/new", wait: "#category"},
		{name: "import", path: "/cases/import", wait: "#file"},
		{name: "tasks", path: "/tasks", wait: "main h1"},
	}},
	{"guide", []visit{
		{name: "handovers", path: "/handovers", wait: "main h1"},
		{name: "handed-over-case", find: `document.querySelector("#acc-h ~ * a[href^='/cases/'], main a[href^='/cases/']").getAttribute("href")`, wait: ".timeline"},
		{name: "tasks", path: "/tasks", wait: "main h1"},
	}},
	{"leder", []visit{
		{name: "stats", path: "/stats?year=2021&unit=vest", wait: "main table"},
		{name: "stats-report", path: "/stats/report?year=2021&unit=vest", wait: "article.report"},
		{name: "tasks", path: "/tasks", wait: "main h1"},
	}},
	{"admin", []visit{
		{name: "admin", path: "/admin", wait: "table"},
		{name: "orgs", path: "/admin/orgs", wait: "ul.tree"},
		{name: "org-edit", find: `document.querySelector("ul.tree a").getAttribute("href")`, wait: "#name"},
		{name: "org-new", path: "/admin/orgs/new", wait: "#code"},
		{name: "privacy", path: "/admin/privacy", wait: "main h1"},
	}},
	{"revisor", []visit{
		{name: "audit", path: "/audit", wait: "table"},
		{name: "audit-filtered", path: "/audit?user=politi&action=case.view", wait: "main h1"},
		{name: "audit-case", find: `document.querySelector("a[href^='/audit/cases/']").getAttribute("href")`, wait: "main h1"},
	}},
	{"", []visit{
		{name: "signin-failed", path: "/auth/callback", wait: "main h1"},
		{name: "not-found", path: "/no-such-page", wait: "main h1"},
		{name: "accessibility", path: "/tilgjengelighet", wait: "main h1"},
		{name: "signin-chooser", path: "/login", wait: "main h1"},
		{name: "signed-out", path: "/signedout", wait: "main h1"},
	}},
}

// TestBrowserPages visits every page of every role at a phone's width (375
// px, and 320 px for the smallest phones) and a desk's (1280 px) and checks
// each with checkPage.
func TestBrowserPages(t *testing.T) {
	ctx := chrome(t)
	axe := axeSource(t)
	base := startDev(t, filepath.Join(t.TempDir(), "browser.db"))
	sh := newShots()
	pages := 0
	var problems []string
	widths := []int64{320, 375, 1280}
	for _, width := range widths {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)); err != nil {
			t.Fatal(err)
		}
		for _, role := range tour {
			browserSignIn(t, ctx, base, role.user)
			for _, v := range role.visits {
				name := fmt.Sprintf("%d-%s-%s", width, or(role.user, "anonym"), v.name)
				path := v.path
				if v.act != "" {
					tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
					_, err := chromedp.Run(tctx, chromedp.Evaluate[bool](v.act+"; true"))
					if err == nil {
						err = chromedp.Do(tctx, chromedp.WaitVisible(chromedp.CSS(v.wait)))
					}
					cancel()
					if err != nil {
						t.Errorf("%s: %v", name, err)
						continue
					}
					failed := checkPage(t, ctx, axe, name)
					sh.take(t, ctx, name, failed)
					problems = appendIf(problems, failed, name)
					pages++
					continue
				}
				if v.find != "" {
					p, err := chromedp.Run(ctx, chromedp.Evaluate[string](v.find))
					if err != nil || p == "" {
						t.Errorf("%s: no link to follow: %v", name, err)
						continue
					}
					path = p
				}
				tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
				err := chromedp.Do(tctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(v.wait)))
				cancel()
				if err != nil {
					t.Errorf("%s (%s): %v", name, path, err)
					sh.take(t, ctx, name, true)
					continue
				}
				failed := checkPage(t, ctx, axe, name)
				sh.take(t, ctx, name, failed)
				problems = appendIf(problems, failed, name)
				pages++
			}
		}
	}
	recordAccessibility(t, ctx, pages/len(widths), widths, problems)
	if want := 26 * len(widths); pages != want {
		t.Errorf("checked %d pages, want %d (26 pages at %d widths)", pages, want, len(widths))
	}
}

// browserSignIn signs user in through the dev provider (login_hint skips its
// picker), or clears the cookies for "" (a visitor who is not signed in).
func browserSignIn(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
	defer cancel()
	err := chromedp.Do(tctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
	if err == nil && user != "" {
		err = chromedp.Do(tctx, chromedp.Navigate(base+"/login?login_hint="+user), chromedp.WaitVisible(chromedp.CSS("main h1")))
	}
	if err != nil {
		t.Fatalf("sign in as %q: %v", user, err)
	}
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

var refPattern = regexp.MustCompile(`^TP-\d{4}-\d{4}$`)

func appendIf(list []string, cond bool, s string) []string {
	if cond {
		return append(list, s)
	}
	return list
}

// recordAccessibility writes this run's result to internal/a11y/result.json
// when TRYGGSPOR_RECORD_A11Y is set (a release step), for the accessibility
// statement to embed: the date, the tool, how many pages at which widths,
// and every page that failed a check. Never hand-typed.
func recordAccessibility(t *testing.T, ctx context.Context, pages int, widths []int64, problems []string) {
	if os.Getenv("TRYGGSPOR_RECORD_A11Y") == "" {
		return
	}
	version, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.version`))
	if err != nil {
		t.Fatalf("axe version: %v", err)
	}
	r := a11y.Result{Tool: "axe-core " + version + " i Chromium", Standard: "WCAG 2.1 A og AA", Pages: pages,
		Violations: len(problems), Problems: problems}
	for _, w := range widths {
		r.Viewports = append(r.Viewports, int(w))
	}
	if err := a11y.Record(filepath.Join("..", "..", "internal", "a11y", "result.json"), r, time.Now()); err != nil {
		t.Fatal(err)
	}
}
