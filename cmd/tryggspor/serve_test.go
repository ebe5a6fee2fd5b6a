package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
)

// TestServeCommand runs `tryggspor serve` as production would, configured
// from the environment against a real OpenID Provider (mockoidc), with the
// metrics on their own listener.
func TestServeCommand(t *testing.T) {
	op, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer op.Shutdown()
	dir := t.TempDir()
	secret := filepath.Join(dir, "client-secret")
	os.WriteFile(secret, []byte(op.Config().ClientSecret), 0o600)
	key := make([]byte, 32)
	rand.Read(key)
	addr, metrics := freeAddr(t), freeAddr(t)
	env := map[string]string{"TRYGGSPOR_ADDR": addr, "TRYGGSPOR_BASE_URL": "http://" + addr,
		"TRYGGSPOR_DB": filepath.Join(dir, "prod.db"), "TRYGGSPOR_KEY": base64.StdEncoding.EncodeToString(key),
		"TRYGGSPOR_OIDC_ISSUER": op.Issuer(), "TRYGGSPOR_OIDC_CLIENT_ID": op.Config().ClientID,
		"TRYGGSPOR_OIDC_CLIENT_SECRET_FILE": secret, "TRYGGSPOR_METRICS_ADDR": metrics}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	base := "http://" + addr
	for i := 0; i < 100; i++ {
		if r, err := http.Get(base + "/readyz"); err == nil && r.StatusCode == 200 {
			r.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := noFollow.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusFound || !strings.HasPrefix(loc, op.AuthorizationEndpoint()) ||
		!strings.Contains(loc, "code_challenge_method=S256") {
		t.Errorf("login: %d to %q", r.StatusCode, loc)
	}
	m, err := http.Get("http://" + metrics + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(m.Body)
	m.Body.Close()
	if !strings.Contains(string(body), `tryggspor_http_requests_total{method="GET",route="/readyz",status="200"}`) {
		t.Errorf("metrics:\n%.600s", body)
	}
	if r, _ := http.Get(base + "/metrics"); r.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the public listener: %d", r.StatusCode)
	}
}
