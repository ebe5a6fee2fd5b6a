package handlers_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tryggspor/internal/testkit"
	"tryggspor/internal/tryggspor"
)

// TestCSRFTokenOnlyFromTheBodyAndSameOriginOnly tries what a cross-site page
// or a leaked URL would: the right token in the query string, a form posted
// from another origin, a cross-site fetch. Each is refused with 403, audited,
// and writes nothing; the same form from the page itself goes through.
func TestCSRFTokenOnlyFromTheBodyAndSameOriginOnly(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases/new")
	tok := c.CSRF()
	post := func(query string, header http.Header) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, app.URL+"/cases"+query, strings.NewReader(testkit.ValidCase().Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header[k] = v
		}
		hc := *c.HTTP
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("?csrf_token="+url.QueryEscape(tok), nil); got != http.StatusForbidden {
		t.Errorf("valid token only in the query string: %d, want 403", got)
	}
	withTok := http.Header{"X-Csrf-Token": {tok}}
	for name, h := range map[string]http.Header{
		"Origin evil":            {"Origin": {"https://evil.example"}, "X-Csrf-Token": {tok}},
		"Origin null":            {"Origin": {"null"}, "X-Csrf-Token": {tok}},
		"Sec-Fetch-Site cross":   {"Sec-Fetch-Site": {"cross-site"}, "X-Csrf-Token": {tok}},
		"Sec-Fetch-Site sibling": {"Sec-Fetch-Site": {"same-site"}, "X-Csrf-Token": {tok}},
	} {
		if got := post("", h); got != http.StatusForbidden {
			t.Errorf("%s with a valid token: %d, want 403", name, got)
		}
	}
	cases, _ := app.Store.ListCases(context.Background(), tryggspor.Scope{All: true}, tryggspor.CaseFilter{})
	if len(cases) != 0 {
		t.Fatalf("%d cases written by refused requests", len(cases))
	}
	same := http.Header{"Origin": {app.URL}, "Sec-Fetch-Site": {"same-origin"}, "X-Csrf-Token": withTok["X-Csrf-Token"]}
	if got := post("", same); got != http.StatusSeeOther {
		t.Errorf("same-origin form with the token in the header: %d, want 303", got)
	}
	recs, _ := app.Store.ListAudit(context.Background(), "", 100)
	denied := 0
	for _, r := range recs {
		if r.Entry.Action == tryggspor.ActCSRFDenied && r.Entry.Outcome == tryggspor.OutcomeDenied {
			denied++
		}
	}
	if denied != 5 {
		t.Errorf("%d CSRF refusals audited, want 5 (one per refused request)", denied)
	}
}

// TestOversizedBodyIs413NotAFormExpiry checks a body over the general cap is
// answered as too large, with the limit, and audited as such — not blamed on
// the CSRF token.
func TestOversizedBodyIs413NotAFormExpiry(t *testing.T) {
	app := testkit.NewApp(t)
	c := app.SignIn(t, "politi")
	c.Get("/cases/new")
	form := testkit.ValidCase()
	form.Set("csrf_token", c.CSRF())
	form.Set("notes", strings.Repeat("x", 2<<20))
	c.PostRaw("/cases", form)
	if c.Status() != http.StatusRequestEntityTooLarge || !strings.Contains(c.Body, "1 MB") {
		t.Fatalf("2 MB form: %d, want 413 naming the limit; body: %.300s", c.Status(), c.Body)
	}
	recs, _ := app.Store.ListAudit(context.Background(), "", 20)
	var acts []string
	for _, r := range recs {
		if r.Entry.Outcome == tryggspor.OutcomeDenied {
			acts = append(acts, string(r.Entry.Action))
		}
	}
	if len(acts) != 1 || acts[0] != string(tryggspor.ActTooLarge) {
		t.Errorf("refusals audited: %v, want exactly one %s", acts, tryggspor.ActTooLarge)
	}
}

// TestLargeBodiesOnlyForOfficersImporting: the 32 MB allowance is the
// signed-in officer's on the import page; a guide's or a visitor's large
// upload there meets the 1 MB cap before it is read, so nobody can make the
// server hold tens of megabytes per request.
func TestLargeBodiesOnlyForOfficersImporting(t *testing.T) {
	app := testkit.NewApp(t)
	for _, who := range []string{"guide", ""} {
		c := app.Anonymous(t)
		if who != "" {
			c = app.SignIn(t, who)
		}
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("csrf_token", c.CSRF())
		fw, _ := w.CreateFormFile("file", "stor.csv")
		fw.Write(bytes.Repeat([]byte("x"), 5<<20))
		w.Close()
		resp, err := c.HTTP.Post(app.URL+"/cases/import", w.FormDataContentType(), &body)
		if err != nil {
			continue // the server may close the connection on a body over the cap
		}
		resp.Body.Close()
		if who == "guide" && resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("a guide's 5 MB upload: %d, want 413 at the 1 MB cap", resp.StatusCode)
		}
		if who == "" && resp.StatusCode == http.StatusOK {
			t.Errorf("a visitor's upload: %d", resp.StatusCode)
		}
	}
}
