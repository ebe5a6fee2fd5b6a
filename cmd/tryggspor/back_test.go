package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tryggspor/internal/testkit"
)

// tab is one Chromium tab driven as a person would: fill, send, go back.
type tab struct {
	t   *testing.T
	ctx context.Context
}

// do runs actions within the test's patience.
func (b tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, testkit.Patience(b.t))
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// js evaluates expr and returns its string result.
func (b tab) js(expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// send submits the form sel and waits for the next page.
func (b tab) send(sel string) {
	b.t.Helper()
	// requestSubmit, as the form's button does (the button may sit in a
	// closed disclosure on a phone-first page).
	b.arrived(b.leave(`setTimeout(function () { document.querySelector('` + sel + `').requestSubmit(); }, 0)`))
}

// leave marks the page with a value of its own, runs then (JavaScript), and
// returns the mark. A page that comes back from the back/forward cache keeps
// an older mark, so arrived tells any other page from this one.
func (b tab) leave(then string) string {
	b.t.Helper()
	mark := strconv.FormatInt(time.Now().UnixNano(), 36)
	b.js(`document.documentElement.setAttribute("data-left", "` + mark + `"); ` + then + `; ""`)
	return mark
}

// arrived waits until the page marked mark is replaced by a loaded one.
func (b tab) arrived(mark string) {
	b.t.Helper()
	for give := time.Now().Add(testkit.Patience(b.t)); time.Now().Before(give); time.Sleep(50 * time.Millisecond) {
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.documentElement.getAttribute("data-left") === "`+mark+`" || document.readyState !== "complete" ? "" : "y"`))
		if err == nil && v == "y" {
			return
		}
	}
	b.t.Fatal("the next page never loaded")
}

// back presses Back and fails if the browser asks to send a form again (its
// "Confirm Form Resubmission" page, ERR_CACHE_MISS) or shows no page of ours.
func (b tab) back(what string) string {
	b.t.Helper()
	// history.back, as the button does; the page may come from the
	// back/forward cache (no load event) or from the server.
	b.arrived(b.leave(`setTimeout(function () { history.back(); }, 0)`))
	text := b.js(`document.body ? document.body.innerText : ""`)
	if strings.Contains(text, "ERR_CACHE_MISS") || strings.Contains(text, "Confirm Form Resubmission") || b.js(`document.querySelector("main h1") ? "y" : ""`) == "" {
		b.t.Fatalf("Back from %s: the browser asks to resubmit or shows no page:\n%.400s", what, text)
	}
	return b.js(`location.pathname`)
}

// fillRegister types a valid register form, with age as given.
func (b tab) fillRegister(age string) {
	b.t.Helper()
	b.js(`(function () {
	  var f = document.querySelector('form[action="/cases"]');
	  f.elements["category"].value = "threats";
	  f.elements["age"].value = "` + age + `";
	  f.elements["residence_municipality"].value = "Bærum";
	  f.querySelector('input[name="reported"][value="yes"]').checked = true;
	  f.querySelector('input[name="intra_family"][value="no"]').checked = true;
	  f.elements["person_name"].value = "Tilbake Knappesen";
	  f.elements["guardian_name"].value = "Foresatt Knappesen";
	  f.elements["guardian_phone"].value = "+47 912 34 567";
	  return "";
	})()`)
}

// TestBrowserBackNeverResubmits walks what an officer does in Chromium: a
// register form refused for its age, corrected and sent; Back from the new
// case and the form sent again; a decline confirmed, then Back from the case
// and from the confirmation. No step asks to resubmit a form, and nothing is
// made twice.
func TestBrowserBackNeverResubmits(t *testing.T) {
	db := filepath.Join(t.TempDir(), "back.db")
	base := startDev(t, db)
	b := tab{t: t, ctx: chrome(t)}
	browserSignIn(t, b.ctx, base, "politi")
	cases := func() int {
		h := openRaw(t, db)
		defer h.Close()
		var n int
		if err := h.QueryRow(`SELECT count(*) FROM cases WHERE created_by IS NOT NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := cases()

	b.do(chromedp.Navigate(base+"/cases/new"), chromedp.WaitVisible(`form[action="/cases"]`))
	b.fillRegister("abc")
	b.send(`form[action="/cases"]`)
	if b.js(`document.querySelector(".ds-error-summary") ? "y" : ""`) == "" {
		t.Fatal("the refused register form shows no error summary")
	}
	b.fillRegister("14")
	b.send(`form[action="/cases"]`)
	casePath := b.js(`location.pathname`)
	if !strings.HasPrefix(casePath, "/cases/") || cases() != before+1 {
		t.Fatalf("after registering: at %s with %d new cases:\n%.800s", casePath, cases()-before, b.js(`document.body.innerText`))
	}
	// Back from the new case: the register form (as the browser restores
	// it); sent again, it leads to the same case.
	if p := b.back("the new case"); p != "/cases/new" {
		t.Errorf("Back from the new case went to %s", p)
	}
	b.send(`form[action="/cases"]`) // as the browser shows it
	if n := cases(); n != before+1 {
		t.Fatalf("Back and send again after registering: %d new cases, want 1", n-before)
	}
	// Back again: the refused form's page, now a GET of the register form.
	b.back("the register form sent again")
	b.back("the register form")

	// The plain way: a form typed and sent at once, Back, and send what the
	// browser restored.
	b.do(chromedp.Navigate(base+"/cases/new"), chromedp.WaitVisible(`form[action="/cases"]`))
	b.fillRegister("15")
	b.send(`form[action="/cases"]`)
	if n := cases(); n != before+2 {
		t.Fatalf("a second registration: %d new cases, want 2", n-before)
	}
	if p := b.back("a new case"); p != "/cases/new" {
		t.Errorf("Back from a new case went to %s", p)
	}
	b.send(`form[action="/cases"]`)
	if n := cases(); n != before+2 {
		t.Fatalf("Back and send the restored form: %d new cases, want 2", n-before)
	}

	// A decline: confirmation page, confirm, then Back twice.
	b.do(chromedp.Navigate(base+casePath), chromedp.WaitVisible(`main h1`))
	events := func() int {
		h := openRaw(t, db)
		defer h.Close()
		var n int
		if err := h.QueryRow(`SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.id = ?`,
			strings.TrimPrefix(casePath, "/cases/")).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	evBefore := events()
	b.js(`(function () {
	  var f = document.querySelector('form input[name="type"][value="declined"]').form;
	  f.querySelector('input[name="by"][value="guardian"]').checked = true;
	  f.elements["reason"].value = "Ønsker ikke";
	  f.setAttribute("data-test", "decline");
	  return "";
	})()`)
	b.send(`form[data-test="decline"]`)
	if !strings.HasSuffix(b.js(`location.pathname`), "/confirm") {
		t.Fatalf("declined without confirming: at %s, want the confirmation page", b.js(`location.href`))
	}
	b.send(`form.confirm-actions`)
	if n := events() - evBefore; n != 1 {
		t.Fatalf("confirmed: %d events recorded, want 1", n)
	}
	if p := b.back("the case after confirming"); p != casePath {
		t.Errorf("Back from the confirmed case went to %s, want the case (the used confirmation leads there)", p)
	}
	b.back("the case")
	if n := events() - evBefore; n != 1 {
		t.Errorf("after Back: %d events recorded, want 1", n)
	}
}
