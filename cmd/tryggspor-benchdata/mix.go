package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tryggspor/internal/tryggspor"
)

// The mixed load of issue 19: 50 officers, each signed in with a session of
// its own, each sending its next request as soon as the last is answered (a
// closed model, as the earlier figures were measured), choosing
// among five kinds by weight. Every answer's status is checked against what
// a browser would accept: 200 for a page, 303 to the new case for a
// registration, 303 back to the case for an event; anything else (a 422
// means the load sent a form the server refused) is an error.

// kind is one kind of request of the mix.
type kind int

const (
	kView  kind = iota // GET /cases/:id
	kList              // GET /cases, a name search, a status filter or page 2
	kTasks             // GET /tasks
	kNew               // POST /cases
	kEvent             // POST /cases/:id/events
	nKinds
)

// kinds are the mix's kinds with their names and shares in percent.
var kinds = [nKinds]struct {
	name   string
	weight int
}{{"case view", 35}, {"case list", 20}, {"tasks", 10}, {"new case", 15}, {"event", 20}}

// pick chooses a kind by weight from r in [0, 100).
func pick(r int) kind {
	for k := kind(0); k < nKinds; k++ {
		if r < kinds[k].weight {
			return k
		}
		r -= kinds[k].weight
	}
	return kView
}

// mixConfig is one run of the mix.
type mixConfig struct {
	base     string
	users    []*http.Client // signed in, one session each
	surnames int            // the data set's surnames (for name searches)
	duration time.Duration  // how long, when requests is 0
	requests int            // how many requests in all (0: for duration)
	seed     uint64
}

// sample is one answered (or failed) request.
type sample struct {
	kind   kind
	lat    time.Duration
	status int
	err    string // "" when the answer was the one expected
}

// kindStats are one kind's figures.
type kindStats struct {
	lat        []time.Duration
	errs, five int
}

// mixResult is the run's figures per kind, its length and its first errors.
type mixResult struct {
	kinds   [nKinds]kindStats
	elapsed time.Duration
	errors  []string // the first few, to say what went wrong
}

// runMix is `tryggspor-benchdata mix`.
func runMix(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("mix", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "the running tryggspor dev (loopback)")
	n := fs.Int("users", 50, "concurrent officers, each signed in separately")
	d := fs.Duration("duration", 30*time.Second, "how long to load")
	reqs := fs.Int("requests", 0, "stop after this many requests instead (0: run for --duration)")
	user := fs.String("user", "politi", "dev officer every session signs in as")
	surnames := fs.Int("surnames", 300, "the data set's surnames (tryggspor-benchdata --surnames)")
	pid := fs.Int("pid", 0, "the server's process id: sample its RSS from /proc while the load runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := requireLoopbackURL(*base); err != nil {
		return err
	}
	cfg := mixConfig{base: *base, surnames: *surnames, duration: *d, requests: *reqs, seed: uint64(time.Now().UnixNano())}
	for i := 0; i < *n; i++ {
		c, err := signIn(ctx, *base, *user)
		if err != nil {
			return fmt.Errorf("user %d: %w", i+1, err)
		}
		cfg.users = append(cfg.users, c)
	}
	var rss *rssSampler
	if *pid != 0 {
		rss = sampleRSS(*pid)
	}
	res, err := mix(ctx, cfg)
	if err != nil {
		return err
	}
	res.print(out)
	if rss != nil {
		rss.stop().print(out)
	}
	return nil
}

// vuser is one officer of the mix: its session, its CSRF token, the cases
// it may open and the open cases it registered itself (the ones it records
// events on, so no two officers race for the same case's next step).
type vuser struct {
	cfg   *mixConfig
	id    int
	c     *http.Client // follows no redirect: the answer itself is checked
	csrf  string
	views []string
	own   []string
	rng   *rand.Rand
	seq   int
}

// mix prepares every user and runs the load.
func mix(ctx context.Context, cfg mixConfig) (mixResult, error) {
	users, err := prepareUsers(ctx, &cfg)
	if err != nil {
		return mixResult{}, err
	}
	return hammerMix(ctx, cfg, users), nil
}

// prepareUsers gives every signed-in client its officer: its token, the
// cases on its first list page and two cases of its own, none of it
// measured.
func prepareUsers(ctx context.Context, cfg *mixConfig) ([]*vuser, error) {
	users := make([]*vuser, len(cfg.users))
	for i, c := range cfg.users {
		nc := *c
		nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		u := &vuser{cfg: cfg, id: i, c: &nc, rng: rand.New(rand.NewPCG(cfg.seed, uint64(i)))}
		if err := u.prepare(ctx); err != nil {
			return nil, fmt.Errorf("user %d: %w", i+1, err)
		}
		users[i] = u
	}
	return users, nil
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// prepare reads the register form's CSRF token and the first list page's
// cases, and registers two cases to record events on.
func (u *vuser) prepare(ctx context.Context) error {
	st, body, err := u.do(ctx, http.MethodGet, "/cases/new", nil)
	if err != nil || st != http.StatusOK {
		return fmt.Errorf("register form: %d %v", st, err)
	}
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return fmt.Errorf("register form has no CSRF token")
	}
	u.csrf = string(m[1])
	st, body, err = u.do(ctx, http.MethodGet, "/cases", nil)
	if err != nil || st != http.StatusOK {
		return fmt.Errorf("case list: %d %v", st, err)
	}
	for _, m := range caseLink.FindAllSubmatch(body, -1) {
		u.views = append(u.views, string(m[1]))
	}
	for i := 0; i < 2; i++ {
		if s := u.request(ctx, kNew); s.err != "" {
			return fmt.Errorf("register a case: %s", s.err)
		}
	}
	return nil
}

// hammerMix sends requests from every user until the duration is over or the
// count is reached, and gathers the samples.
func hammerMix(ctx context.Context, cfg mixConfig, users []*vuser) mixResult {
	if cfg.requests == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	var sent atomic.Int64
	var mu sync.Mutex
	var res mixResult
	var wg sync.WaitGroup
	start := time.Now()
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []sample
			for ctx.Err() == nil && (cfg.requests == 0 || sent.Add(1) <= int64(cfg.requests)) {
				s := u.request(ctx, pick(u.rng.IntN(100)))
				if ctx.Err() != nil && cfg.requests == 0 {
					break // cut off by the end of the run, not answered
				}
				mine = append(mine, s)
			}
			mu.Lock()
			res.add(mine)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// add counts samples in.
func (r *mixResult) add(samples []sample) {
	for _, s := range samples {
		k := &r.kinds[s.kind]
		k.lat = append(k.lat, s.lat)
		if s.status >= 500 {
			k.five++
		}
		if s.err != "" {
			k.errs++
			if len(r.errors) < 10 {
				r.errors = append(r.errors, s.err)
			}
		}
	}
}

// request sends one request of kind k and checks its answer.
func (u *vuser) request(ctx context.Context, k kind) sample {
	var path, want string
	var form url.Values
	switch k {
	case kView:
		path = u.caseToView()
	case kList:
		path = u.listPath()
	case kTasks:
		path = "/tasks"
	case kNew:
		path, form = "/cases", u.caseForm()
	case kEvent:
		c := u.own[u.rng.IntN(len(u.own))]
		path, form, want = c+"/events", u.eventForm(), c
	}
	method := http.MethodGet
	if form != nil {
		method = http.MethodPost
	}
	t0 := time.Now()
	st, _, loc, err := u.send(ctx, method, path, form)
	s := sample{kind: k, lat: time.Since(t0), status: st}
	switch {
	case err != nil:
		s.err = fmt.Sprintf("%s %s: %v", method, path, err)
	case form == nil && st != http.StatusOK:
		s.err = fmt.Sprintf("%s %s: %d", method, path, st)
	case form != nil && st != http.StatusSeeOther:
		s.err = fmt.Sprintf("%s %s: %d (a 422 is a form the server refused)", method, path, st)
	case k == kNew && !caseLink.MatchString(`href="`+loc+`"`):
		s.err = fmt.Sprintf("%s %s: sent to %q, not to a new case", method, path, loc)
	case k == kNew:
		u.own = append(u.own, loc)
		u.views = append(u.views, loc)
	case want != "" && loc != want:
		s.err = fmt.Sprintf("%s %s: sent to %q, not back to the case", method, path, loc)
	}
	return s
}

// caseToView is one of the cases on the user's first list page or of its
// own, at random.
func (u *vuser) caseToView() string {
	return u.views[u.rng.IntN(len(u.views))]
}

// listPath is the case list as an officer uses it: half the first page,
// the rest name searches, status filters and the second page.
func (u *vuser) listPath() string {
	switch r := u.rng.IntN(10); {
	case r < 5:
		return "/cases"
	case r < 7:
		return "/cases?q=" + url.QueryEscape(u.surname())
	case r < 9:
		st := []tryggspor.Status{tryggspor.StatusNew, tryggspor.StatusContacting, tryggspor.StatusClosed}[u.rng.IntN(3)]
		return "/cases?status=" + string(st)
	default:
		return "/cases?page=2"
	}
}

// surname is one of the data set's surnames; with more than 100, one of
// three digits, so the search finds that surname alone, not every surname
// it is a prefix of.
func (u *vuser) surname() string {
	lo := 0
	if u.cfg.surnames > 100 {
		lo = 100
	}
	return fmt.Sprintf("Etternavn%d", lo+u.rng.IntN(max(u.cfg.surnames-lo, 1)))
}

// yesterday is the date every form of the mix carries: never after the
// server's today whatever its time zone, never before a case the mix
// registered.
func yesterday() string {
	return time.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")
}

// caseForm is a valid register form with a fresh form_id of the shape the
// server issues (32 random bytes, URL-safe base64) and a name of the data
// set's kind.
func (u *vuser) caseForm() url.Values {
	u.seq++
	i := 1_000_000*(u.id+1) + u.seq
	return url.Values{"csrf_token": {u.csrf}, "form_id": {tryggspor.RandomToken()},
		"registered_on": {yesterday()}, "category": {string(tryggspor.Categories[i%5])}, "role": {"victim"},
		"age": {strconv.Itoa(10 + i%8)}, "residence_municipality": {"Bærum"}, "reported": {"no"}, "intra_family": {"no"},
		"person_name": {personName(i, u.cfg.surnames)}, "guardian_name": {"Foresatt Lasttest"},
		"guardian_phone": {"+47 900 00 000"}}
}

// eventForm is a contact attempt: allowed on every case the mix registered
// however many came before, and recorded without a confirmation page.
func (u *vuser) eventForm() url.Values {
	return url.Values{"csrf_token": {u.csrf}, "type": {"contact_attempt"}, "date": {yesterday()},
		"channel": {[]string{"phone", "sms"}[u.rng.IntN(2)]}, "reached": {[]string{"yes", "no"}[u.rng.IntN(2)]},
		"with": {"guardian"}}
}

// do sends one request and returns its status and body.
func (u *vuser) do(ctx context.Context, method, path string, form url.Values) (int, []byte, error) {
	st, body, _, err := u.send(ctx, method, path, form)
	return st, body, err
}

// send sends one request and returns its status, body and Location.
func (u *vuser) send(ctx context.Context, method, path string, form url.Values) (int, []byte, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u.cfg.base+path, body)
	if err != nil {
		return 0, nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := u.c.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header.Get("Location"), err
}

// percentile is the q-th latency of sorted lat.
func percentile(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	return lat[min(len(lat)-1, int(float64(len(lat))*q))]
}

// ms is d in milliseconds with one decimal.
func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) }

// print writes the table: per kind and overall, requests, requests/s,
// p50/p95/p99 in ms, errors and 5xx answers; then the first errors.
func (r mixResult) print(out io.Writer) {
	fmt.Fprintf(out, "%-10s %9s %9s %8s %8s %8s %7s %5s\n", "kind", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "5xx")
	var all kindStats
	row := func(name string, k kindStats) {
		sort.Slice(k.lat, func(i, j int) bool { return k.lat[i] < k.lat[j] })
		fmt.Fprintf(out, "%-10s %9d %9.0f %8s %8s %8s %7d %5d\n", name, len(k.lat), float64(len(k.lat))/r.elapsed.Seconds(),
			ms(percentile(k.lat, 0.50)), ms(percentile(k.lat, 0.95)), ms(percentile(k.lat, 0.99)), k.errs, k.five)
	}
	for k := kind(0); k < nKinds; k++ {
		row(kinds[k].name, r.kinds[k])
		all.lat = append(all.lat, r.kinds[k].lat...)
		all.errs += r.kinds[k].errs
		all.five += r.kinds[k].five
	}
	row("overall", all)
	for _, e := range r.errors {
		fmt.Fprintln(out, "error:", e)
	}
}

// rssSampler samples a process's resident set while the load runs.
type rssSampler struct {
	pid      int
	done     chan struct{}
	finished chan rssFigures
}

// rssFigures are the highest resident set seen while sampling and the
// kernel's high-water mark at the end (since the process started), in KiB.
type rssFigures struct{ peak, hwm int64 }

// sampleRSS starts sampling pid's VmRSS every 100 ms.
func sampleRSS(pid int) *rssSampler {
	s := &rssSampler{pid: pid, done: make(chan struct{}), finished: make(chan rssFigures, 1)}
	go func() {
		var f rssFigures
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if v := procStatus(pid, "VmRSS"); v > f.peak {
				f.peak = v
			}
			select {
			case <-s.done:
				f.hwm = procStatus(pid, "VmHWM")
				s.finished <- f
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// stop ends the sampling and returns the figures.
func (s *rssSampler) stop() rssFigures {
	close(s.done)
	return <-s.finished
}

// print writes the RSS line the table reads.
func (f rssFigures) print(out io.Writer) {
	fmt.Fprintf(out, "server RSS: peak %.1f MiB during the mix (VmRSS sampled every 100 ms), VmHWM %.1f MiB\n",
		float64(f.peak)/1024, float64(f.hwm)/1024)
}

// procStatus reads one "Name: N kB" line of /proc/pid/status (0 if absent).
func procStatus(pid int, name string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
