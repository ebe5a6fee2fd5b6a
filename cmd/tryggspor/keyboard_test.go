package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"tryggspor/internal/testkit"
)

// focusState reports the focused element (matching sel or not) and whether
// its focus can be seen: an outline or a box shadow, as Designsystemet draws
// :focus-visible — on the element, or for a radio or checkbox on its
// .ds-field. A date field's calendar button is inside the browser's own
// shadow tree (the field itself then does not match :focus), where Chromium
// draws its own ring.
const focusState = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return JSON.stringify({matches: false, visible: true, what: "body"});
  const ring = e => { const s = getComputedStyle(e);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== "none"); };
  const field = el.matches("[type=radio],[type=checkbox]") && el.closest(".ds-field");
  const uaShadow = el.matches("[type=date]") && !el.matches(":focus");
  return JSON.stringify({matches: el.matches(%q), visible: ring(el) || (field && ring(field)) || uaShadow, what: el.outerHTML.slice(0, 100)});
})()`

// keyboard drives a page with key events only, as someone who does not use
// a mouse.
type keyboard struct {
	t   *testing.T
	ctx context.Context
}

// tabTo presses Tab until the element matching sel has focus, checking on
// the way that every focused element shows its focus.
func (k keyboard) tabTo(sel string) {
	k.t.Helper()
	for i := 0; i < 80; i++ {
		if err := chromedp.Do(k.ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			k.t.Fatal(err)
		}
		res, err := chromedp.Run(k.ctx, chromedp.Evaluate[string](fmt.Sprintf(focusState, sel)))
		if err != nil {
			k.t.Fatal(err)
		}
		if !strings.Contains(res, `"visible":true`) {
			k.t.Errorf("focus is not visible on %s", res)
		}
		if strings.Contains(res, `"matches":true`) {
			return
		}
	}
	k.t.Fatalf("Tab never reached %s", sel)
}

func (k keyboard) press(keys string) {
	k.t.Helper()
	if err := chromedp.Do(k.ctx, chromedp.KeyEvent(keys)); err != nil {
		k.t.Fatal(err)
	}
}

func (k keyboard) waitFor(sel string) {
	k.t.Helper()
	ctx, cancel := context.WithTimeout(k.ctx, testkit.Patience(k.t))
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		html, _ := chromedp.Run(k.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		k.t.Fatalf("waiting for %s: %v\n%s", sel, err, html)
	}
}

// TestBrowserKeyboard registers a case and records a contact attempt with the
// keyboard alone (Tab to move, Enter and Space to act, letters to type), at a
// phone's width, checking that focus is visible at every step and that the
// form with errors passes the same checks as every page.
func TestBrowserKeyboard(t *testing.T) {
	ctx := chrome(t)
	axe := axeSource(t)
	base := startDev(t, filepath.Join(t.TempDir(), "keyboard.db"))
	sh := newShots()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 800)); err != nil {
		t.Fatal(err)
	}
	browserSignIn(t, ctx, base, "politi")
	k := keyboard{t, ctx}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/tasks")); err != nil {
		t.Fatal(err)
	}
	k.waitFor("main h1")

	// The menu opens with Enter and leads to the register form.
	k.tabTo("summary.menu__toggle")
	k.press(kb.Enter)
	k.waitFor(".menu__panel .nav")
	sh.take(t, ctx, "keyboard-menu-open", checkPage(t, ctx, axe, "menu open"))
	k.tabTo(`.nav a[href="/cases/new"]`)
	k.press(kb.Enter)
	k.waitFor("#category")

	// Sent empty, the form comes back with its errors.
	k.tabTo(`form.stack button[type="submit"]`)
	k.press(kb.Enter)
	k.waitFor(".ds-error-summary")
	sh.take(t, ctx, "keyboard-register-errors", checkPage(t, ctx, axe, "register form with errors"))

	k.tabTo("#category")
	k.press("V") // type-ahead picks «Vold»
	k.tabTo("#age")
	k.press("15")
	k.tabTo("#residence_municipality")
	k.press("Bærum")
	k.tabTo("#reported-0") // nothing is preselected: Tab lands on «Ja»,
	k.press(" ")           // Space answers it
	k.tabTo("#intra_family-0")
	k.press(kb.ArrowRight) // the arrow moves to «Nei» and answers it
	k.tabTo("#person_name")
	k.press("Nora Nettleser")
	k.tabTo("#guardian_name")
	k.press("Eva Nettleser")
	k.tabTo("#guardian_phone")
	k.press("+47 900 11 222")
	k.tabTo(`form.stack button[type="submit"]`)
	k.press(kb.Enter)
	k.waitFor(".timeline")
	ref, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`h1 .ref`)))
	if !refPattern.MatchString(ref) {
		t.Errorf("case page ref = %q", ref)
	}

	// A contact attempt: the next step, open at the top; choose with Space.
	k.tabTo("#contact_attempt-channel")
	k.press("T") // «Telefon»
	k.tabTo("#contact_attempt-reached-0")
	k.press(" ")
	k.tabTo("#contact_attempt-with-0")
	k.press(" ")
	k.tabTo(`.next-step button[type="submit"]`)
	k.press(kb.Enter)
	k.waitFor(".timeline li:nth-child(2)")
	tl, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.timeline`)))
	if !strings.Contains(tl, "Kontaktforsøk") || !strings.Contains(tl, "Telefon") {
		t.Errorf("timeline after the contact attempt: %q", tl)
	}
	sh.take(t, ctx, "keyboard-after-contact", t.Failed())
}
