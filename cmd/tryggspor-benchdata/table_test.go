package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wrkReport is wrk 4's --latency report as it prints it; non2xx adds the
// line it prints when some answers were not 2xx or 3xx.
func wrkReport(rps, p50, p99, non2xx string, extra ...string) string {
	s := `Running 10s test @ http://127.0.0.1:18181/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   441.44us  732.07us   6.82ms   88.34%
    Req/Sec    42.67k    14.72k   90.45k    76.19%
  Latency Distribution
     50%  ` + p50 + `
     75%  504.00us
     90%    1.31ms
     99%    ` + p99 + `
  89143 requests in 10.00s, 10.29MB read
`
	for _, e := range extra {
		s += "  " + e + "\n"
	}
	if non2xx != "" {
		s += "  Non-2xx or 3xx responses: " + non2xx + "\n"
	}
	return s + "Requests/sec:  " + rps + "\nTransfer/sec:      9.35MB\n"
}

// TestTableGivesEachViewBesideBareEcho: the table reads the saved outputs
// and gives each view's requests/s as a share of bare Echo's, its p50 and
// p99 in ms whatever unit wrk printed, the mix's overall row and the RSS.
func TestTableGivesEachViewBesideBareEcho(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "20000")
	write(t, dir, map[string]string{
		"echo.wrk":      wrkReport("40000.00", "128.00us", "3.59ms", ""),
		"open-case.wrk": wrkReport("10000.00", "1.50ms", "12.00ms", ""),
		"cases.wrk":     wrkReport("50.00", "1.20s", "2.00s", ""),
		"mix.txt": "kind        requests     req/s   p50 ms   p95 ms   p99 ms  errors   5xx\n" +
			"overall         1117       223     40.0     98.2    124.3       0     0\n" +
			"server RSS: peak 82.7 MiB during the mix (VmRSS sampled every 100 ms), VmHWM 84.0 MiB\n",
		"rss.txt": "102400\n",
	})
	var out strings.Builder
	if err := runTable([]string{dir}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"20000 bare Echo 40000 1.000 0.13 3.59",
		"20000 open case page 10000 0.250 1.50 12.00",
		"20000 /cases 50 0.0013 1200.00 2000.00",
		"20000 mix (50 users) 223 40.00 98.20 124.30 0 errors, 0 5xx",
		"82.7 MiB peak during the mix, VmHWM 84.0 MiB",
		"100.0 MiB (VmHWM after the views)",
	} {
		if !strings.Contains(squeeze(out.String()), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

// squeeze is s with every run of spaces one space, so a test reads the
// columns and not their widths.
func squeeze(s string) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	return strings.Join(lines, "\n")
}

// TestTableRefusesAViewThatWasNotAnswered: a page that answered something
// else than 2xx (a session gone, an error page), or whose requests wrk gave
// up on, is marked and the table fails, so its figure is not taken for the page's.
func TestTableRefusesAViewThatWasNotAnswered(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "2000")
	write(t, dir, map[string]string{
		"echo.wrk":  wrkReport("40000.00", "128.00us", "3.59ms", ""),
		"tasks.wrk": wrkReport("6521.95", "451.00us", "7.00ms", "6548"),
		"cases.wrk": wrkReport("1.20", "1.90s", "1.99s", "", "Socket errors: connect 0, read 0, write 0, timeout 12"),
	})
	var out strings.Builder
	err := runTable([]string{dir}, &out)
	if err == nil || !strings.Contains(err.Error(), "2000 /tasks") || !strings.Contains(out.String(), "NOT MEASURED: 6548 of 89143") ||
		!strings.Contains(out.String(), "NOT MEASURED: 12 socket errors or timeouts") {
		t.Errorf("err %v\n%s", err, out.String())
	}
	if _, err := parseWrk(strings.NewReader("curl: (7) Failed to connect\n")); err == nil {
		t.Error("an output that is not wrk's was read as a measurement")
	}
}

// write puts the saved outputs of one data set's run into dir, as the
// script leaves them.
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
