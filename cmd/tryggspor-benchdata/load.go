package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"sync"
	"time"
)

// runLoad is `tryggspor-benchdata load`: n officers sign in to a running
// `tryggspor dev` (its built-in provider, login_hint), each reads the case
// list once, then opens the cases on it one after another (each view read,
// decrypted, rendered and audited), as fast as the server answers, for the
// given time. It prints requests/s and the latency percentiles. Traffic goes
// only to the URL given, which must be on loopback.
func runLoad(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "the running tryggspor dev (loopback)")
	users := fs.Int("users", 50, "concurrent signed-in officers")
	d := fs.Duration("duration", time.Minute, "how long to load")
	hint := fs.String("user", "politi", "dev user every session signs in as")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := requireLoopbackURL(*base); err != nil {
		return err
	}
	clients := make([]*http.Client, *users)
	for i := range clients {
		c, err := signIn(ctx, *base, *hint)
		if err != nil {
			return fmt.Errorf("session %d: %w", i, err)
		}
		clients[i] = c
	}
	lat, errs := hammer(ctx, clients, *base, *d)
	report(out, lat, errs, *d)
	return nil
}

var caseLink = regexp.MustCompile(`href="(/cases/[0-9a-f-]{8,})"`)

// hammer runs every client's loop for d and gathers the latencies.
func hammer(ctx context.Context, clients []*http.Client, base string, d time.Duration) ([]time.Duration, int) {
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	links := make([][]string, len(clients))
	for i, c := range clients {
		var body []byte
		if err := get(c, base+"/cases", &body); err != nil {
			errs++
		}
		for _, m := range caseLink.FindAllSubmatch(body, -1) {
			links[i] = append(links[i], string(m[1]))
		}
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for n := 0; ctx.Err() == nil && len(links[i]) > 0; n++ {
				t0 := time.Now()
				if err := get(c, base+links[i][n%len(links[i])], nil); err != nil {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			all, errs = append(all, mine...), errs+bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, errs
}

// get fetches url and fails on any status but 200; body receives the page.
func get(c *http.Client, url string, body *[]byte) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d", url, resp.StatusCode)
	}
	if body != nil {
		*body = b
	}
	return nil
}

// report prints the throughput and the latency percentiles.
func report(out io.Writer, lat []time.Duration, errs int, d time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(q float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*q))].Round(time.Millisecond / 10)
	}
	fmt.Fprintf(out, "requests %d, errors %d, %.0f req/s, p50 %v, p95 %v, p99 %v, max %v\n",
		len(lat), errs, float64(len(lat))/d.Seconds(), p(0.50), p(0.95), p(0.99), p(1))
}
