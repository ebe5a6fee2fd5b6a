package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// runTable is `tryggspor-benchdata table DIR…`: the speed benchmark's one
// table (scripts/speed-bench.sh), from the outputs it saved, one directory
// per data set: <view>.wrk (wrk --latency), mix.txt (`mix --pid`) and
// rss.txt (the server's VmHWM in KiB after the views). It fails when a view
// answered anything but 2xx, so a figure of a refused page never goes into
// the table unnoticed.
func runTable(dirs []string, out io.Writer) error {
	if len(dirs) == 0 {
		return fmt.Errorf("table: name the result directories")
	}
	var bad []string
	fmt.Fprintf(out, "%-8s %-22s %9s %8s %8s %8s %8s %s\n", "data set", "what", "req/s", "vs Echo", "p50 ms", "p95 ms", "p99 ms", "note")
	for _, dir := range dirs {
		set := filepath.Base(dir)
		echo, err := readWrk(filepath.Join(dir, "echo.wrk"))
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		for _, v := range views {
			w, err := readWrk(filepath.Join(dir, v.file+".wrk"))
			if os.IsNotExist(err) {
				continue
			} else if err != nil {
				return err
			}
			note := ""
			switch {
			case w.non2xx > 0 || w.requests == 0:
				note = fmt.Sprintf("NOT MEASURED: %d of %d answers not 2xx", w.non2xx, w.requests)
				bad = append(bad, set+" "+v.name)
			case w.socketErrs > 0:
				note = fmt.Sprintf("NOT MEASURED: %d socket errors or timeouts", w.socketErrs)
				bad = append(bad, set+" "+v.name)
			}
			ratio := "-" // no baseline in this run: no ratio
			if echo.rps > 0 {
				ratio = ratioOf(w.rps, echo.rps)
			}
			fmt.Fprintf(out, "%-8s %-22s %9.0f %8s %8.2f %8s %8.2f %s\n", set, v.name, w.rps, ratio, w.p50, "", w.p99, note)
		}
		if m, err := readMix(filepath.Join(dir, "mix.txt")); err == nil {
			note := fmt.Sprintf("%d errors, %d 5xx", m.errors, m.five)
			if m.errors > 0 || m.five > 0 {
				bad = append(bad, set+" mix")
			}
			fmt.Fprintf(out, "%-8s %-22s %9.0f %8s %8.2f %8.2f %8.2f %s\n", set, "mix (50 users)", m.rps, "", m.p50, m.p95, m.p99, note)
			if m.hwm != "" {
				fmt.Fprintf(out, "%-8s %-22s %s MiB peak during the mix, VmHWM %s MiB\n", set, "server RSS (mix)", m.peak, m.hwm)
			}
		} else if !os.IsNotExist(err) {
			return err
		}
		if b, err := os.ReadFile(filepath.Join(dir, "rss.txt")); err == nil {
			kib, _ := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
			fmt.Fprintf(out, "%-8s %-22s %.1f MiB (VmHWM after the views)\n", set, "server RSS (views)", kib/1024)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("not every answer was 2xx (%s): those figures measure an error page", strings.Join(bad, ", "))
	}
	return nil
}

// ratioOf is rps as a share of bare Echo's, with a fourth decimal below
// 0.01 so a slow page's figure is not 0.000.
func ratioOf(rps, echo float64) string {
	if r := rps / echo; r < 0.01 {
		return strconv.FormatFloat(r, 'f', 4, 64)
	}
	return strconv.FormatFloat(rps/echo, 'f', 3, 64)
}

// views are the pages the script measures with wrk, by file name, in the
// table's order.
var views = []struct{ file, name string }{
	{"echo", "bare Echo"}, {"open-case", "open case page"}, {"closed-case", "closed case page"},
	{"cases", "/cases"}, {"search", "name search"}, {"stats", "/stats"}, {"tasks", "/tasks"},
	{"cases-c1", "/cases, 1 connection"}, {"search-c1", "name search, 1 conn."},
}

// wrkRun is what the table takes from one wrk --latency output.
type wrkRun struct {
	rps            float64
	p50, p99       float64 // ms
	requests       int
	non2xx         int
	socketErrs     int // connections refused or broken, and requests past wrk's --timeout
	latencyPresent bool
}

var (
	wrkPct      = regexp.MustCompile(`^\s*(50|99)%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkRequests = regexp.MustCompile(`^\s*(\d+) requests in`)
	wrkNon2xx   = regexp.MustCompile(`^\s*Non-2xx or 3xx responses:\s*(\d+)`)
	wrkSocket   = regexp.MustCompile(`^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkRPS      = regexp.MustCompile(`^Requests/sec:\s*([0-9.]+)`)
)

// readWrk reads a saved wrk output.
func readWrk(path string) (wrkRun, error) {
	f, err := os.Open(path)
	if err != nil {
		return wrkRun{}, err
	}
	defer f.Close()
	w, err := parseWrk(f)
	if err != nil {
		return w, fmt.Errorf("%s: %w", path, err)
	}
	return w, nil
}

// parseWrk reads wrk's --latency report: requests/s, the 50 % and 99 %
// latencies, the socket errors and timeouts (requests wrk gave up on are
// not in its percentiles) and the count of answers that were not 2xx or 3xx (the script
// checks with curl that the page answers 200, not a redirect, before and
// after the run).
func parseWrk(r io.Reader) (wrkRun, error) {
	var w wrkRun
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if m := wrkPct.FindStringSubmatch(line); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			v *= map[string]float64{"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m[3]]
			if m[1] == "50" {
				w.p50 = v
			} else {
				w.p99 = v
			}
			w.latencyPresent = true
		}
		if m := wrkRequests.FindStringSubmatch(line); m != nil {
			w.requests, _ = strconv.Atoi(m[1])
		}
		if m := wrkNon2xx.FindStringSubmatch(line); m != nil {
			w.non2xx, _ = strconv.Atoi(m[1])
		}
		if m := wrkSocket.FindStringSubmatch(line); m != nil {
			for _, n := range m[1:] {
				v, _ := strconv.Atoi(n)
				w.socketErrs += v
			}
		}
		if m := wrkRPS.FindStringSubmatch(line); m != nil {
			w.rps, _ = strconv.ParseFloat(m[1], 64)
		}
	}
	if err := sc.Err(); err != nil {
		return w, err
	}
	if w.rps == 0 || !w.latencyPresent {
		return w, fmt.Errorf("not a wrk --latency report")
	}
	return w, nil
}

// mixRun is what the table takes from `mix`'s output.
type mixRun struct {
	rps, p50, p95, p99 float64
	errors, five       int
	peak, hwm          string
}

var mixRSS = regexp.MustCompile(`server RSS: peak ([0-9.]+) MiB .*VmHWM ([0-9.]+) MiB`)

// readMix reads a saved `mix` output.
func readMix(path string) (mixRun, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return mixRun{}, err
	}
	m, err := parseMix(string(b))
	if err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// parseMix reads the overall row and the RSS line of `mix`'s table.
func parseMix(s string) (mixRun, error) {
	var m mixRun
	found := false
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) == 8 && f[0] == "overall" {
			m.rps, _ = strconv.ParseFloat(f[2], 64)
			m.p50, _ = strconv.ParseFloat(f[3], 64)
			m.p95, _ = strconv.ParseFloat(f[4], 64)
			m.p99, _ = strconv.ParseFloat(f[5], 64)
			m.errors, _ = strconv.Atoi(f[6])
			m.five, _ = strconv.Atoi(f[7])
			found = true
		}
		if r := mixRSS.FindStringSubmatch(line); r != nil {
			m.peak, m.hwm = r[1], r[2]
		}
	}
	if !found {
		return m, fmt.Errorf("no overall row: not a mix output")
	}
	return m, nil
}
