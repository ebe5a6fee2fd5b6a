package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// BenchmarkCasePageReplication compares the case page (each view writes an
// audit entry, so the replica has work on every request) with replication
// off and on (file replica, sync_interval 1s), in the same run. It reports
// requests per second and the process's CPU time per request, which depends
// less on what else the machine is doing. Figures: docs/benchmarks.md.
func BenchmarkCasePageReplication(b *testing.B) {
	for _, mode := range []string{"off", "on"} {
		b.Run(mode, func(b *testing.B) {
			dir := b.TempDir()
			cfg := filepath.Join(dir, "config.toml")
			text := ""
			if mode == "on" {
				text = "[replication]\nurl = \"file://" + filepath.Join(dir, "replica") + "\"\nsync_interval = \"1s\"\n"
			}
			if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
				b.Fatal(err)
			}
			base := benchDev(b, cfg, filepath.Join(dir, "bench.db"))
			c := benchSignIn(b, base)
			id, _, err := tryRegister(c, base)
			if err != nil {
				b.Fatal(err)
			}
			page := base + "/cases/" + id
			before := cpuTime()
			b.ResetTimer()
			start := time.Now()
			b.SetParallelism(4) // 4 × GOMAXPROCS clients
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r, err := c.Get(page)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, r.Body)
					r.Body.Close()
					if r.StatusCode != http.StatusOK {
						b.Errorf("case page: %d", r.StatusCode)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
			b.ReportMetric(float64((cpuTime()-before).Microseconds())/float64(b.N), "cpu-µs/req")
		})
	}
}

// benchDev runs `tryggspor dev` in this process with the config file.
func benchDev(b *testing.B, cfg, db string) string {
	b.Helper()
	addr := freeAddrB(b)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"dev", "--config", cfg, "--db", db, "--addr", addr}, noEnv, io.Discard, io.Discard)
	}()
	b.Cleanup(func() { cancel(); <-done })
	base := "http://" + addr
	for i := 0; i < 2000; i++ {
		if r, err := http.Get(base + "/healthz"); err == nil {
			r.Body.Close()
			return base
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.Fatal("dev did not answer")
	return ""
}

func freeAddrB(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// benchSignIn signs the officer in through the dev provider's login_hint.
func benchSignIn(b *testing.B, base string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	r, err := c.Get(base + "/login?login_hint=politi")
	if err != nil {
		b.Fatal(err)
	}
	r.Body.Close()
	if r.Request.URL.Path != "/cases" {
		b.Fatalf("sign-in ended at %s", r.Request.URL)
	}
	return c
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
