package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
)

// runCookie is `tryggspor-benchdata cookie`: it signs in to a running
// `tryggspor dev` through its built-in provider and prints the session's
// Cookie header value, for wrk (`wrk -H "Cookie: $(… cookie)"`): a page
// measured without it answers 302 to the sign-in and measures nothing.
func runCookie(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("cookie", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "the running tryggspor dev (loopback)")
	user := fs.String("user", "politi", "dev user to sign in as (politi, leder, …)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := requireLoopbackURL(*base); err != nil {
		return err
	}
	c, err := signIn(ctx, *base, *user)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, cookieHeader(c.Jar, *base))
	return nil
}

// signIn signs a new browser in as the dev user (the provider's login_hint
// skips the pickers) and returns it; the sign-in must end on a page that
// answers 200.
func signIn(ctx context.Context, base, user string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login?login_hint="+url.QueryEscape(user), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("sign in as %s: %w", user, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(jar.Cookies(resp.Request.URL)) == 0 {
		return nil, fmt.Errorf("sign in as %s: ended with %d at %s", user, resp.StatusCode, resp.Request.URL.Path)
	}
	return c, nil
}

// cookieHeader is the jar's cookies for base as one Cookie header value.
func cookieHeader(jar http.CookieJar, base string) string {
	u, _ := url.Parse(base + "/")
	var parts []string
	for _, c := range jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}
