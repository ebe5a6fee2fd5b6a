package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"

	"tryggspor/internal/testkit"
)

// syncBuffer collects a server's log while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// zitadelOP runs zitadel's example OpenID Provider (a real provider with a
// login form; its ID token carries no name or e-mail, userinfo does) behind a
// handler that records end_session requests and can stall the token
// endpoint, as a hanging provider would.
type zitadelOP struct {
	issuer     string
	stall      atomic.Bool
	endSession chan url.Values

	mu        sync.Mutex
	tokenAuth []string // how each token request authenticated: basic or post
}

// tokenAuths are the client authentication methods of the token requests
// so far.
func (z *zitadelOP) tokenAuths() []string {
	z.mu.Lock()
	defer z.mu.Unlock()
	return append([]string(nil), z.tokenAuth...)
}

func startZitadel(t *testing.T, clientID, secret, redirect string) *zitadelOP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	z := &zitadelOP{issuer: "http://" + ln.Addr().String(), endSession: make(chan url.Values, 4)}
	storage.RegisterClients(storage.WebClient(clientID, secret, redirect))
	op := exampleop.SetupServer(z.issuer, storage.NewStorage(storage.NewUserStore(z.issuer)), slog.New(slog.DiscardHandler), false)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/oauth/token" && r.Header.Get("Authorization") == "":
			// Our client is registered for client_secret_basic. Hydra
			// answers a client_secret_post request from it like this,
			// whatever the secret: the answer x/oauth2's auto-detection
			// used to report instead of the first one.
			z.mu.Lock()
			z.tokenAuth = append(z.tokenAuth, "post")
			z.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_client","error_description":"The OAuth 2.0 Client supports client authentication method 'client_secret_basic', but method 'client_secret_post' was requested."}`)
			return
		case r.URL.Path == "/oauth/token":
			z.mu.Lock()
			z.tokenAuth = append(z.tokenAuth, "basic")
			z.mu.Unlock()
			if z.stall.Load() {
				io.Copy(io.Discard, r.Body) // so the server notices the client leaving
				<-r.Context().Done()        // accept the request and never answer, until the client gives up
				return
			}
		case r.URL.Path == "/end_session":
			z.endSession <- r.URL.Query()
			endSession(w, r, op)
			return
		}
		op.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return z
}

var continueRe = regexp.MustCompile(`<meta http-equiv="refresh" content="0; url=([^"]+)">`)

// continueURL is where the page after logout sends the browser on (its
// meta refresh), which must start with prefix.
func continueURL(t *testing.T, page, prefix string) string {
	t.Helper()
	m := continueRe.FindStringSubmatch(page)
	if m == nil || !strings.HasPrefix(html.UnescapeString(m[1]), prefix) {
		t.Fatalf("the page after logout does not send the browser on to %s: %.600s", prefix, page)
	}
	return html.UnescapeString(m[1])
}

// endSession lets zitadel end the session, and then sends the browser to
// the post_logout_redirect_uri, as a provider with that address registered
// does (the example OP's clients cannot register one, so it is taken out
// of the request zitadel checks).
func endSession(w http.ResponseWriter, r *http.Request, op http.Handler) {
	q := r.URL.Query()
	back := q.Get("post_logout_redirect_uri")
	q.Del("post_logout_redirect_uri")
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	rec := httptest.NewRecorder()
	op.ServeHTTP(rec, r2)
	if back != "" && rec.Code == http.StatusFound {
		http.Redirect(w, r, back, http.StatusFound)
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// serveWith runs `tryggspor serve` on addr with a configuration file that ends
// in providers, and returns its base URL, database path and log.
func serveWith(t *testing.T, addr, providers string) (base, db string, log *syncBuffer) {
	t.Helper()
	s := serveConf(t, addr, providers)
	return s.base, s.db, s.log
}

// serving is a running `tryggspor serve`: its URL, database, configuration
// file and environment (for commands run beside it), and its log.
type serving struct {
	base, db, conf string
	getenv         func(string) string
	log            *syncBuffer
}

// serveConf is serveWith, returning what a command run beside the server
// needs.
func serveConf(t *testing.T, addr, providers string) serving {
	t.Helper()
	dir := t.TempDir()
	base, db := "http://"+addr, filepath.Join(dir, "serve.db")
	key := make([]byte, 32)
	rand.Read(key)
	env := map[string]string{"TRYGGSPOR_KEY": base64.StdEncoding.EncodeToString(key)}
	getenv := func(k string) string { return env[k] }
	conf := filepath.Join(dir, "config.toml")
	os.WriteFile(conf, []byte(fmt.Sprintf(`
[server]
addr = %q
base_url = %q
log_format = "json"
[database]
path = %q
`, addr, base, db)+providers), 0o600)
	orgs := filepath.Join(dir, "orgs.csv")
	os.WriteFile(orgs, []byte("code,name,kind,parent,municipality\noslo,Oslo pd,police_unit,,Oslo\nvest,Vest,police_unit,oslo,Bærum\nbaerum,Bærum,police_unit,vest,Bærum\n"), 0o600)
	if err := run(context.Background(), []string{"orgs", "import", "--config", conf, "--file", orgs}, getenv, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	return serving{base: base, db: db, conf: conf, getenv: getenv, log: startServe(t, conf, getenv, base)}
}

func secretFile(t *testing.T, secret string) string {
	f := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(f, []byte(secret+"\n"), 0o600)
	return f
}

var zitadelIDRe = regexp.MustCompile(`name="id" value="([^"]+)"`)

// zitadelSignIn walks the code flow in a browser: our /login, zitadel's login
// form, back to our callback. It returns the last response and its body.
func zitadelSignIn(t *testing.T, c *http.Client, base string, z *zitadelOP) (*http.Response, string) {
	t.Helper()
	r, body := get(t, c, base+"/login")
	m := zitadelIDRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no zitadel login form at %s (%d): %.300s", r.Request.URL, r.StatusCode, body)
	}
	host := strings.TrimPrefix(z.issuer, "http://")
	host = host[:strings.LastIndex(host, ":")]
	r, err := c.PostForm(z.issuer+"/login/username", url.Values{"id": {m[1]}, "username": {"test-user@" + host}, "password": {"verysecure"}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r, string(b)
}

func auditDenials(t *testing.T, db string) []string {
	t.Helper()
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	rows, err := h.Query(`SELECT detail FROM audit WHERE action = 'login' AND outcome = 'denied' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		rows.Scan(&d)
		out = append(out, d)
	}
	return out
}

// TestServeAgainstZitadel signs an officer in through a real third-party
// provider whose ID token has no name or e-mail, signs out through its
// end_session_endpoint, and then meets a token endpoint that hangs.
func TestServeAgainstZitadel(t *testing.T) {
	base, db, log := serveZitadel(t)
	z := base.op
	c := browser(t)
	r, body := zitadelSignIn(t, c, base.url, z)
	if r.Request.URL.Path != "/cases" || r.StatusCode != http.StatusOK {
		t.Fatalf("sign-in through zitadel ended at %s with %d: %.400s\n%s", r.Request.URL, r.StatusCode, body, log)
	}
	if !strings.Contains(body, "Test User") {
		t.Errorf("the officer is not shown by name (userinfo): %.600s", body)
	}
	h, _ := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
	var name, email string
	if err := h.QueryRow(`SELECT name, email FROM users`).Scan(&name, &email); err != nil || name != "Test User" || email != "test-user@zitadel.ch" {
		t.Errorf("user stored as %q <%s> (%v), want the name and e-mail from userinfo", name, email, err)
	}
	h.Close()

	// Logout reaches the provider's end_session_endpoint with the hint.
	csrf := tokenRe.FindStringSubmatch(body)[1]
	nf := &http.Client{Jar: c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	lr, err := nf.PostForm(base.url+"/logout", url.Values{"csrf_token": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	lr.Body.Close()
	if loc := lr.Header.Get("Location"); lr.StatusCode != http.StatusSeeOther || loc != "/signedout" {
		t.Fatalf("logout: %d to %q, want /signedout", lr.StatusCode, loc)
	}
	if cs := lr.Header.Get("Clear-Site-Data"); !strings.Contains(cs, `"cache"`) || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("logout does not clear the cache (Clear-Site-Data %q), or the case list may be kept (Cache-Control %q)", cs, r.Header.Get("Cache-Control"))
	}
	_, hop := get(t, c, base.url+"/signedout")
	get(t, c, continueURL(t, hop, z.issuer+"/end_session?"))
	select {
	case q := <-z.endSession:
		if q.Get("id_token_hint") == "" || q.Get("client_id") != "tryggspor" || q.Get("post_logout_redirect_uri") != base.url+"/signedout" {
			t.Errorf("end_session request: %v", q)
		}
	case <-time.After(testkit.Patience(t)):
		t.Fatal("end_session_endpoint was not reached")
	}
	if r, _ := get(t, c, base.url+"/cases"); r.Request.URL.Path == "/cases" {
		t.Error("the session survived logout")
	}

	// A token endpoint that never answers: the callback gives up through the
	// configured timeout (2 s) with its own page, and the failure is audited.
	// The stall lasts until the client leaves, so only the timeout can end it
	// (no bound on the machine's speed here).
	z.stall.Store(true)
	r, body = zitadelSignIn(t, browser(t), base.url, z)
	if r.StatusCode != http.StatusGatewayTimeout || !strings.Contains(body, "svarte ikke i tide") || strings.Contains(body, "Tilgang til Tryggspor gis av") {
		t.Errorf("hanging token endpoint: %d: %.500s", r.StatusCode, body)
	}
	den := auditDenials(t, db)
	if len(den) == 0 || !strings.Contains(den[len(den)-1], "svarte ikke i tide") {
		t.Errorf("the timed-out sign-in is not in the audit log: %q", den)
	}
	if !strings.Contains(log.String(), `"provider_error":"timeout"`) || !strings.Contains(log.String(), `"step":"token"`) {
		t.Errorf("the log does not say the token step timed out:\n%s", log)
	}
	for _, want := range []string{`"msg":"sign-in provider"`, `"issuer":"` + z.issuer + `"`, `"client_id":"tryggspor"`, `"redirect_url":"` + base.url + `/auth/callback"`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("start-up log lacks %s", want)
		}
	}
}

type served struct {
	url string
	op  *zitadelOP
}

// serveZitadel starts zitadel's example OP and `tryggspor serve` configured
// for it: a provider that carries no roles, so this deployment gives its
// users the officer role in baerum (fixed_role, fixed_org), and may assert
// nothing else.
func serveZitadel(t *testing.T) (served, string, *syncBuffer) {
	t.Helper()
	z, s := zitadelServing(t, "zitadel-secret")
	return served{url: s.base, op: z}, s.db, s.log
}

// zitadelServing is serveZitadel with the client secret the service is
// configured with (zitadel knows it as "zitadel-secret").
func zitadelServing(t *testing.T, secret string) (*zitadelOP, serving) {
	t.Helper()
	addr := freeAddr(t)
	base := "http://" + addr
	z := startZitadel(t, "tryggspor", "zitadel-secret", base+"/auth/callback")
	s := serveConf(t, addr, fmt.Sprintf(`
[oidc]
timeout = "2s"
[[oidc.providers]]
name = "zitadel"
label = "Zitadel"
issuer = %q
client_id = "tryggspor"
client_secret_file = %q
fixed_role = "officer"
fixed_org = "baerum"
allowed_roles = ["officer"]
allowed_org_kinds = ["police_unit"]
allowed_orgs = ["baerum"]
`, z.issuer, secretFile(t, secret)))
	waitReady(t, base, s.log)
	return z, s
}

func startServe(t *testing.T, conf string, getenv func(string) string, base string) *syncBuffer {
	t.Helper()
	log := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--config", conf}, getenv, io.Discard, log) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(testkit.Patience(t)):
			t.Error("serve did not stop")
		}
	})
	for give := time.Now().Add(testkit.Patience(t)); time.Now().Before(give); {
		if r, err := http.Get(base + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return log
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s", err, log)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not answer /healthz\n%s", log)
	return nil
}

func waitReady(t *testing.T, base string, log *syncBuffer) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("serve not ready\n%s", log)
}

// TestServeStartsWhileTheProviderHangs: a provider that accepts connections
// and never answers does not keep serve from starting; /healthz answers,
// /readyz says not ready, sign-in gets the technical page, and the log (in
// the configured JSON) says why.
func TestServeStartsWhileTheProviderHangs(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	// serveWith returns once /healthz answers; /readyz then says 503, so the
	// start did not wait for the provider.
	base, _, log := serveWith(t, freeAddr(t), fmt.Sprintf(`
[oidc]
issuer = %q
client_id = "tryggspor"
client_secret_file = %q
timeout = "1s"
`, "http://"+ln.Addr().String(), secretFile(t, "s")))
	r, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with an unanswering provider: %d", r.StatusCode)
	}
	r, body := get(t, browser(t), base+"/login")
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "svarer ikke") {
		t.Errorf("/login while the provider is not ready: %d %.300s", r.StatusCode, body)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(log.String(), `"msg":"sign-in provider discovery failed; retrying"`) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(log.String(), `"level":"ERROR","msg":"sign-in provider discovery failed; retrying"`) {
		t.Errorf("discovery failure not logged as JSON:\n%s", log)
	}
}

// TestDevTwoProviders: the built-in police and municipality providers, each
// trusted only for its own roles and kinds of organisation.
func TestDevTwoProviders(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dev.db")
	base := startDev(t, db)

	// The municipality provider claiming an officer in baerum is refused,
	// audited, and no session is made.
	c := browser(t)
	r, body := get(t, c, base+"/login?idp=municipality&login_hint=politi")
	if r.StatusCode != http.StatusForbidden || !strings.Contains(body, "Ingen tilgang") || !strings.Contains(body, "kan ikke gi rollen officer") {
		t.Errorf("municipality asserting an officer: %d at %s: %.500s", r.StatusCode, r.Request.URL, body)
	}
	if r, _ := get(t, c, base+"/cases"); r.Request.URL.Path == "/cases" {
		t.Error("a refused sign-in left a session")
	}
	den := auditDenials(t, db)
	if len(den) == 0 || !strings.Contains(den[len(den)-1], "«municipality» kan ikke gi rollen officer") {
		t.Errorf("refusal not audited with its reason: %q", den)
	}

	// login_hint without idp: the user's own provider.
	c = browser(t)
	r, body = get(t, c, base+"/login?login_hint=guide")
	if r.Request.URL.Path != "/handovers" || !strings.Contains(body, "Guri Guide") {
		t.Fatalf("login_hint=guide ended at %s (%d)", r.Request.URL, r.StatusCode)
	}
	h, _ := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
	defer h.Close()
	var iss string
	if err := h.QueryRow(`SELECT issuer FROM users WHERE subject = 'guide'`).Scan(&iss); err != nil || !strings.HasSuffix(iss, "/devidp/municipality") {
		t.Errorf("guide signed in through %q (%v), want the municipality provider", iss, err)
	}

	// Logout goes through the provider's end_session and lands on /signedout.
	csrf := tokenRe.FindStringSubmatch(body)[1]
	lr, err := c.PostForm(base+"/logout", url.Values{"csrf_token": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	lb, _ := io.ReadAll(lr.Body)
	lr.Body.Close()
	if lr.Request.URL.Path != "/signedout" {
		t.Fatalf("logout ended at %s: %.300s", lr.Request.URL, lb)
	}
	r, body = get(t, c, continueURL(t, string(lb), base+"/devidp/municipality/"))
	if r.Request.URL.Path != "/signedout" || !strings.Contains(body, "Du er logget ut") || strings.Contains(body, "Fortsett utloggingen") {
		t.Errorf("logout at the provider ended at %s: %.300s", r.Request.URL, body)
	}

	// The police provider still signs the officer in.
	if r, _ := get(t, browser(t), base+"/login?idp=police&login_hint=politi"); r.Request.URL.Path != "/cases" {
		t.Errorf("politi through police ended at %s", r.Request.URL)
	}
}

// TestWrongClientSecretAtZitadel: a client secret the provider does not
// accept is logged and audited as the provider's answer to the first token
// request (client_secret_basic, which its discovery document names), not
// as its answer to the retry with client_secret_post.
func TestWrongClientSecretAtZitadel(t *testing.T) {
	z, s := zitadelServing(t, "not-the-secret")
	r, body := zitadelSignIn(t, browser(t), s.base, z)
	if r.StatusCode != http.StatusBadGateway || !strings.Contains(body, "kunne ikke bekreftes") {
		t.Errorf("sign-in with a wrong client secret: %d: %.400s", r.StatusCode, body)
	}
	var failed string
	for _, line := range strings.Split(s.log.String(), "\n") {
		if strings.Contains(line, `"msg":"sign-in failed"`) {
			failed = line
		}
	}
	if !strings.Contains(failed, `"step":"token"`) || !strings.Contains(failed, `"provider_error":"invalid_client"`) {
		t.Errorf("the log does not say the provider refused the client: %s\n%s", failed, s.log)
	}
	if strings.Contains(s.log.String(), "client_secret_post") {
		t.Errorf("the log blames the authentication method, not the secret:\n%s", s.log)
	}
	if got := z.tokenAuths(); len(got) == 0 || got[0] != "basic" {
		t.Errorf("token requests authenticated as %v, want client_secret_basic first (the discovery document's)", got)
	}
	if !strings.Contains(failed, "invalid client_id / client_secret") {
		t.Errorf("the log does not give the provider's first answer: %s", failed)
	}
	den := auditDenials(t, s.db)
	if len(den) == 0 || !strings.Contains(den[len(den)-1], "invalid_client") {
		t.Errorf("the refused client is not in the audit log: %q", den)
	}
}
