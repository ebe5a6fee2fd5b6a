package handlers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// load sends b.N GET requests for path from 16 concurrent keep-alive clients
// over loopback and reports requests/s and the 99th-percentile latency.
func load(b *testing.B, client *http.Client, url string) {
	const conns = 16
	lat := make([]time.Duration, 0, b.N)
	var mu sync.Mutex
	next := make(chan struct{}, b.N)
	for i := 0; i < b.N; i++ {
		next <- struct{}{}
	}
	close(next)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, b.N/conns+1)
			for range next {
				t0 := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
}

func keepAlive(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 32, MaxConnsPerHost: 32}}
}

// BenchmarkBareEcho is the baseline: an Echo hello handler on the same machine.
func BenchmarkBareEcho(b *testing.B) {
	e := echo.New()
	e.GET("/", func(c echo.Context) error { return c.String(200, "hello") })
	srv := httptest.NewServer(e)
	defer srv.Close()
	load(b, keepAlive(nil), srv.URL+"/")
}

// BenchmarkCasePage is the signed-in, audited case page through the real
// router and middleware, on a database of 20,000 cases: every request looks up
// the session, reads the case and its timeline, decrypts the personal fields,
// renders the page and commits one audit entry (synchronous=FULL) before it
// answers.
func BenchmarkCasePage(b *testing.B) {
	app := testkit.NewApp(b)
	seed(b, app, 20000)
	c := app.SignIn(b, "politi")
	path := app.CreateCase(b, c)
	for _, s := range []url.Values{
		{"type": {"contact_attempt"}, "date": {day(2)}, "channel": {"phone"}, "reached": {"yes"}, "with": {"guardian"}},
		{"type": {"offer_made"}, "date": {day(2)}},
	} {
		c.Post(path+"/events", s)
	}
	before, _ := app.Store.VerifyAudit(context.Background())
	load(b, keepAlive(c.HTTP.Jar), app.URL+path)
	after, _ := app.Store.VerifyAudit(context.Background())
	if after.Entries-before.Entries < b.N || after.BrokenAt != 0 {
		b.Fatalf("%d views audited for %d requests (chain broken at %d)", after.Entries-before.Entries, b.N, after.BrokenAt)
	}
}

// seed registers n cases across the Vest units from 64 goroutines.
func seed(b *testing.B, app *testkit.App, n int) {
	b.Helper()
	units := []string{"baerum", "asker", "majorstua"}
	var wg sync.WaitGroup
	work := make(chan int, n)
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				in := tryggspor.CaseInput{RegisteredOn: day(i % 300), Category: string(tryggspor.Categories[i%6]),
					Role: "victim", Age: fmt.Sprint(8 + i%10), Residence: "Bærum", Reported: "no", IntraFamily: "no",
					PersonName: fmt.Sprintf("Person %d", i), GuardianName: "Foresatt", GuardianPhone: "+47 900 00 000"}
				a := tryggspor.Actor{Name: "seed", Role: tryggspor.RoleOfficer, Org: units[i%3]}
				if _, err := app.Service.RegisterCase(context.Background(), a, in); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
