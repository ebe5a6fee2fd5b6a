package handlers_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"tryggspor/internal/testkit"
	"tryggspor/static"
)

// fetch asks the app for path with the given Accept-Encoding (and extra
// headers) and returns the response with the body as it travelled.
func fetch(t *testing.T, app *testkit.App, c *testkit.Client, path, enc string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", app.URL+path, nil)
	req.Header.Set("Accept-Encoding", enc) // set by hand, so Go's client does not decode
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func decode(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch enc {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", enc, err)
	}
	return out
}

var stylesheetRe = regexp.MustCompile(`<link rel="stylesheet" href="(/static/app\.[0-9a-f]{8}\.css)">`)

// TestStaticFingerprintedAndCompressed: pages link the stylesheets under
// names that carry a hash of their content; those are compressed as the
// browser asks, cached for a year as immutable, and answered 304 when the
// browser already has them.
func TestStaticFingerprintedAndCompressed(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "guide")
	_, page := fetch(t, app, c, "/handovers", "")
	m := stylesheetRe.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no fingerprinted app.css link in:\n%.800s", page)
	}
	want, _ := static.FS.ReadFile("app.css")
	for _, enc := range []string{"br", "gzip", ""} {
		resp, body := fetch(t, app, c, string(m[1]), enc)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != enc {
			t.Errorf("%s with %q: %d, Content-Encoding %q", m[1], enc, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
		if got := decode(t, enc, body); !bytes.Equal(got, want) {
			t.Errorf("%s with %q: body differs from static/app.css", m[1], enc)
		}
		if enc != "" && len(body) >= len(want)/2 {
			t.Errorf("%s with %q: %d bytes for %d, not compressed much", m[1], enc, len(body), len(want))
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", m[1], cc)
		}
		if v := resp.Header.Get("Vary"); v != "Accept-Encoding" {
			t.Errorf("%s: Vary %q", m[1], v)
		}
		again, _ := fetch(t, app, c, string(m[1]), enc, "If-None-Match", resp.Header.Get("ETag"))
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", m[1], again.StatusCode)
		}
	}
	if resp, _ := fetch(t, app, c, "/static/app.00000000.css", "br"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a stale fingerprint: %d, want 404", resp.StatusCode)
	}
	if resp, _ := fetch(t, app, c, "/static/app.css", "br"); resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, no-cache" {
		t.Errorf("the plain name: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}

// TestPagesCompressed: HTML is compressed by Accept-Encoding, says so in
// Vary, and stays uncompressed for a client that does not ask.
func TestPagesCompressed(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	var plain []byte
	for _, enc := range []string{"", "gzip", "br", "gzip;q=0, br;q=0"} {
		resp, body := fetch(t, app, c, "/cases", enc)
		wantEnc := enc
		if strings.Contains(enc, "q=0") {
			wantEnc = ""
		}
		if got := resp.Header.Get("Content-Encoding"); got != wantEnc {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q", enc, got)
		}
		if v := resp.Header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: Vary %q", enc, v)
		}
		html := decode(t, wantEnc, body)
		if !bytes.Contains(html, []byte("<h1")) {
			t.Errorf("Accept-Encoding %q: not the page: %.200s", enc, html)
		}
		if enc == "" {
			plain = body
		} else if wantEnc != "" && len(body)*2 > len(plain) {
			t.Errorf("Accept-Encoding %q: %d bytes for a %d-byte page", enc, len(body), len(plain))
		}
	}
}

// TestFavicon: /favicon.ico is an icon (browsers ask for it on their own),
// and pages link the SVG icon under its fingerprinted name.
func TestFavicon(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.Anonymous(t)
	resp, body := fetch(t, app, c, "/favicon.ico", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/") || !bytes.HasPrefix(body, []byte{0, 0, 1, 0}) {
		t.Errorf("/favicon.ico: %d %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	_, page := fetch(t, app, c, "/no-such-page", "")
	if !regexp.MustCompile(`<link rel="icon" href="/static/favicon\.[0-9a-f]{8}\.svg" type="image/svg\+xml">`).Match(page) {
		t.Errorf("no icon link in the error page:\n%.600s", page)
	}
}
