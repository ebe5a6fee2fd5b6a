package main

import (
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tryggspor/internal/testkit"
)

// TestBrowserLogoutAtAnotherOrigin: in a browser that enforces the pages'
// CSP, an officer signed in through a provider on another origin presses
// "Logg ut": the browser reaches the provider's end_session_endpoint (with
// the ID token as hint), comes back to a page with no case on it, Back
// shows no case either, and opening the service again asks the provider
// for a password instead of signing the officer straight back in.
func TestBrowserLogoutAtAnotherOrigin(t *testing.T) {
	ctx := chromeStrict(t)
	z, s := zitadelServing(t, "zitadel-secret")
	const name = "Ola Nordmann-Testesen"
	csv := filepath.Join(t.TempDir(), "cases.csv")
	os.WriteFile(csv, []byte("registered_on,unit,category,role,age,residence_municipality,reported,person_name\n"+
		"2026-11-02,baerum,violence,victim,14,Bærum,no,"+name+"\n"), 0o600)
	if err := run(context.Background(), []string{"import", "--config", s.conf, "--file", csv}, s.getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
	defer cancel()
	host := strings.TrimPrefix(z.issuer, "http://")
	host = host[:strings.LastIndex(host, ":")]
	err := chromedp.Do(tctx, chromedp.Navigate(s.base+"/login"), chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#username"), "test-user@"+host), chromedp.SendKeys(chromedp.CSS("#password"), "verysecure"),
		chromedp.Click(chromedp.CSS("button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if err != nil {
		t.Fatalf("sign in through zitadel: %v\n%s", err, s.log)
	}
	list, _ := chromedp.Run(tctx, chromedp.Text(chromedp.CSS("body")))
	ref := regexp.MustCompile(`TP-\d{4}-\d{4}`).FindString(list)
	if ref == "" || !strings.Contains(list, name) {
		t.Fatalf("the case list does not show the imported case: %.500s", list)
	}

	// "Logg ut" sits in the header's menu, behind its button on a narrow
	// screen.
	if folded, _ := chromedp.Run(tctx, chromedp.Evaluate[bool](`document.querySelector(".menu__toggle").checkVisibility()`)); folded {
		err = chromedp.Do(tctx, chromedp.Click(chromedp.CSS(".menu__toggle")))
	}
	if err == nil {
		err = chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
	}
	if err != nil {
		t.Fatalf("press Logg ut: %v", err)
	}
	select {
	case q := <-z.endSession:
		if q.Get("id_token_hint") == "" || q.Get("client_id") != "tryggspor" {
			t.Errorf("end_session request without the hint or client: %v", q)
		}
	case <-time.After(testkit.Patience(t)):
		loc, _ := chromedp.Run(tctx, chromedp.Location())
		t.Fatalf("the browser never reached the provider's end_session_endpoint; it is at %s", loc)
	}
	after := waitFor(t, tctx, func(loc string) bool { return strings.HasPrefix(loc, s.base+"/signedout") })
	if strings.Contains(after, ref) || strings.Contains(after, name) || !strings.Contains(after, "Du er logget ut") {
		t.Errorf("the page after Logg ut shows a case or no sign-out: %.400s", after)
	}

	// Back to every earlier page of this service in the history (the case
	// list first): never a case. Pages of the provider's origin cannot show
	// one and are skipped.
	h, err := chromedp.Run(tctx, chromedp.NavigationEntries())
	if err != nil {
		t.Fatal(err)
	}
	ours := 0
	for i := h.CurrentIndex - 1; i >= 0; i-- {
		e := h.Entries[i]
		if !strings.HasPrefix(e.URL, s.base+"/") {
			continue
		}
		ours++
		if err := chromedp.Do(tctx, chromedp.NavigateToHistoryEntry(e.ID)); err != nil {
			t.Fatalf("back to %s: %v", e.URL, err)
		}
		text := waitFor(t, tctx, func(loc string) bool { return !strings.HasPrefix(loc, s.base+"/signedout") })
		t.Logf("back to %s: %.60q", e.URL, text)
		if strings.Contains(text, ref) || strings.Contains(text, name) {
			t.Errorf("Back to %s after logout shows the case: %.300s", e.URL, text)
		}
	}
	if ours == 0 {
		t.Errorf("the history holds no page of the service before logout: %v", h.Entries)
	}

	// Opening the service again goes to the provider's login form.
	if err := chromedp.Do(tctx, chromedp.Navigate(s.base+"/cases")); err != nil {
		t.Fatal(err)
	}
	again := waitFor(t, tctx, func(loc string) bool { return strings.HasPrefix(loc, z.issuer+"/login") })
	if strings.Contains(again, name) {
		t.Errorf("opening the service after logout shows the case: %.300s", again)
	}
	if ok, _ := chromedp.Run(tctx, chromedp.Evaluate[bool](`!!document.querySelector("#password")`)); !ok {
		t.Errorf("opening the service again did not ask the provider for a password: %.300s", again)
	}
}

// settled reads, in one evaluation of one document, its address and text
// once it has loaded and is not about to move on (no meta refresh); "" while
// it is not.
const settled = `document.readyState === "complete" && !document.querySelector('meta[http-equiv="refresh"]')
  ? location.href + "\n" + document.body.innerText : ""`

// waitFor waits until the browser has settled on a page whose address
// satisfies ok and returns the text of that page.
func waitFor(t *testing.T, ctx context.Context, ok func(loc string) bool) string {
	t.Helper()
	loc := ""
	for give := time.Now().Add(testkit.Patience(t)); time.Now().Before(give); time.Sleep(50 * time.Millisecond) {
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](settled))
		if err != nil || res == "" {
			continue // between two documents, or still loading
		}
		l, text, _ := strings.Cut(res, "\n")
		loc = l
		if ok(loc) {
			return text
		}
	}
	u, _ := url.Parse(loc)
	t.Fatalf("the browser stayed at %s", u)
	return ""
}
