package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tryggspor/internal/testkit"
)

// transfer adds up what the network delivered to the page: bytes on the wire
// (headers and compressed bodies) per URL, as Chromium counts them.
type transfer struct {
	mu    sync.Mutex
	urls  map[network.RequestID]string
	bytes map[network.RequestID]float64
}

func (tr *transfer) listen(ev any) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		tr.urls[e.RequestID] = e.Request.URL
	case *network.EventLoadingFinished:
		tr.bytes[e.RequestID] += e.EncodedDataLength
	}
}

func (tr *transfer) reset() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.urls, tr.bytes = map[network.RequestID]string{}, map[network.RequestID]float64{}
}

// total is the bytes received, and the bytes per path.
func (tr *transfer) total(base string) (int, map[string]int) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	sum, per := 0, map[string]int{}
	for id, b := range tr.bytes {
		sum += int(b)
		per[strings.TrimPrefix(tr.urls[id], base)] += int(b)
	}
	return sum, per
}

func lines(per map[string]int) string {
	var out []string
	for p, b := range per {
		out = append(out, fmt.Sprintf("%7d  %s", b, p))
	}
	sort.Strings(out)
	return strings.Join(out, "\n  ")
}

// TestBrowserGuideWeight measures what a school guide's phone downloads for
// /handovers: on the first visit with an empty cache (page, stylesheets, icon,
// fonts and images, compressed as the browser asks) and on a visit later
// with the cache warm, in a new tab. Goals: 60 KB and 15 KB.
func TestBrowserGuideWeight(t *testing.T) {
	ctx := chrome(t)
	base := startDev(t, filepath.Join(t.TempDir(), "weight.db"))
	tr := &transfer{}
	tr.reset()
	if err := chromedp.Listen(ctx, tr.listen); err != nil {
		t.Fatal(err)
	}
	call := func(f func(ctx context.Context, tg *chromedp.Target) error) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Func(f)); err != nil {
			t.Fatal(err)
		}
	}
	call(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{})
		return err
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 800)); err != nil {
		t.Fatal(err)
	}
	browserSignIn(t, ctx, base, "guide")
	call(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCache, cdp.Empty{})
		return err
	})
	visit := func() (int, map[string]int) {
		t.Helper()
		tr.reset()
		tctx, cancel := context.WithTimeout(ctx, testkit.Patience(t))
		defer cancel()
		if err := chromedp.Do(tctx, chromedp.Navigate(base+"/handovers"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond) // late requests (the icon) finish
		return tr.total(base)
	}
	first, firstPer := visit()
	t.Logf("first visit to /handovers: %d bytes\n  %s", first, lines(firstPer))
	if first > 60_000 {
		t.Errorf("first visit transfers %d bytes, want at most 60 KB", first)
	}
	if len(firstPer) < 5 {
		t.Errorf("first visit loaded %v: want the page, three stylesheets and the icon", firstPer)
	}

	// A later visit in a new tab: the fingerprinted files come from the
	// cache without a request; only the page travels.
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	ctx = tab
	if err := chromedp.Listen(ctx, tr.listen); err != nil {
		t.Fatal(err)
	}
	call(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{})
		return err
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 800)); err != nil {
		t.Fatal(err)
	}
	repeat, repeatPer := visit()
	t.Logf("repeat visit to /handovers: %d bytes\n  %s", repeat, lines(repeatPer))
	if repeat > 15_000 {
		t.Errorf("repeat visit transfers %d bytes, want at most 15 KB", repeat)
	}
	for p, b := range repeatPer {
		if strings.HasPrefix(p, "/static/") && b > 0 {
			t.Errorf("repeat visit fetched %s again (%d bytes): fingerprinted files should come from the cache", p, b)
		}
	}
}
