package handlers_test

import (
	"net/url"
	"os"
	"runtime/pprof"
	"testing"

	"tryggspor/internal/testkit"
)

func BenchmarkZZProfCase(b *testing.B) {
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
	f, _ := os.Create(os.Getenv("PROF"))
	pprof.StartCPUProfile(f)
	load(b, keepAlive(c.HTTP.Jar), app.URL+path)
	pprof.StopCPUProfile()
	f.Close()
}
