// Command tryggspor-benchdata builds a national-size database for the
// audit benchmarks (docs/benchmarks.md): about 100,000 cases over ten years,
// imported year by year through the spreadsheet import, and 20,000,000 audit
// entries appended through store.Store.Audit, the product's own chain code,
// with a signed checkpoint (store.Store.WriteAuditCheckpoint, the server's
// tick) every --checkpoint-every entries. The store's clock is moved through
// the ten years as entries are added, so entries carry realistic times.
//
//	go run ./cmd/tryggspor-benchdata --db /tmp/national.db
//	go run ./cmd/tryggspor-benchdata load --url http://127.0.0.1:8080 --users 50 --duration 60s
//
// The second form is the load of the benchmarks: officers signed in to a
// running `tryggspor dev` on loopback open case lists and case pages.
//
// Issue 19's speed benchmarks (scripts/speed-bench.sh) use the rest:
//
//	tryggspor-benchdata --db DIR/c.db --unit baerum --cases 20000   # the named data set
//	tryggspor-benchdata echo --addr 127.0.0.1:8081                  # bare Echo, the baseline
//	tryggspor-benchdata cookie --url http://127.0.0.1:8080 --user politi
//	tryggspor-benchdata mix --url http://127.0.0.1:8080 --users 50 --duration 30s --pid PID
//	tryggspor-benchdata table RESULTS/2000 RESULTS/20000 …
//
// The named data set puts every case in one unit with encrypted personal
// fields (named.go) and writes the paths of its benchmark cases to
// <db>.paths; cookie prints a dev session's Cookie header for wrk; mix is
// the 50-user mixed load (mix.go); table reads the script's saved outputs.
// All load goes to loopback only.
//
// The key is written beside the database (<db>.key); the checkpoints go to
// <db>.audit-checkpoints and, with --witness DIR, to the witness. Build it
// outside the repository: at full size it takes several gigabytes.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the reader for case ids, the same driver as the store's

	"tryggspor/internal/demo"
	"tryggspor/internal/importer"
	"tryggspor/internal/tryggspor"
	"tryggspor/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tryggspor-benchdata:", err)
		os.Exit(1)
	}
}

// options are the data set's size.
type options struct {
	db, witness     string
	cases, years    int
	entries, batch  int
	checkpointEvery int
	seed            uint64
	end             time.Time
	progress        io.Writer
	// The named data set (--unit): every case in one unit, with names.
	unit           string
	open, surnames int
	out            io.Writer // the paths of the benchmark cases
	baseURL        string    // where the server will run, for the URLs printed
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "load":
			return runLoad(ctx, args[1:], os.Stdout)
		case "echo":
			return runEcho(ctx, args[1:], os.Stdout)
		case "cookie":
			return runCookie(ctx, args[1:], os.Stdout)
		case "mix":
			return runMix(ctx, args[1:], os.Stdout)
		case "table":
			return runTable(args[1:], os.Stdout)
		}
	}
	fs := flag.NewFlagSet("tryggspor-benchdata", flag.ContinueOnError)
	o := options{progress: stderr, out: os.Stdout, end: time.Now().UTC()}
	fs.StringVar(&o.db, "db", "", "database file to create (must not exist)")
	fs.StringVar(&o.witness, "witness", "", "witness directory for the checkpoints (optional)")
	fs.IntVar(&o.cases, "cases", 100_000, "cases, spread over the years")
	fs.IntVar(&o.years, "years", 10, "years of history, ending now")
	fs.IntVar(&o.entries, "entries", 20_000_000, "audit entries")
	fs.IntVar(&o.batch, "batch", 1000, "audit entries per write")
	fs.IntVar(&o.checkpointEvery, "checkpoint-every", 1000, "audit entries between signed checkpoints")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed")
	fs.StringVar(&o.unit, "unit", "", "the named data set: every case in this unit (baerum, asker, majorstua), with personal fields")
	fs.IntVar(&o.open, "open", 300, "with --unit: open cases, registered through the register use case (the rest are imported, concluded)")
	fs.StringVar(&o.baseURL, "url", "http://127.0.0.1:8080", "with --unit: the server's address, for the benchmark cases' URLs it prints")
	fs.IntVar(&o.surnames, "surnames", 300, "with --unit: distinct surnames (a search for one finds cases/surnames)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.db == "" {
		return fmt.Errorf("--db is required")
	}
	if _, err := os.Stat(o.db); err == nil {
		return fmt.Errorf("%s exists; the data set is built into a new file", o.db)
	}
	if o.unit != "" {
		if !set["entries"] {
			o.entries = 100_000 // the growth table's audit log: small, so it measures the cases
		}
		if o.cases < 2 {
			return fmt.Errorf("--cases %d: at least 2 with --unit (the open and the closed benchmark case)", o.cases)
		}
		o.open = min(o.open, o.cases-2) // at least one concluded case, the closed one to measure
		return buildNamed(ctx, o)
	}
	return build(ctx, o)
}

// build makes the data set and reports how long each part took.
func build(ctx context.Context, o options) error {
	start := time.Now()
	if err := store.GenerateKeyFile(o.db + ".key"); err != nil {
		return err
	}
	key, err := store.ReadKeyFile(o.db + ".key")
	if err != nil {
		return err
	}
	keys, err := store.NewKeyring(key)
	if err != nil {
		return err
	}
	var clock atomic.Int64
	first := o.end.AddDate(-o.years, 0, 0)
	clock.Store(first.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	witness := ""
	if o.witness != "" {
		witness = filepath.Join(o.witness, "benchdata.checkpoints")
	}
	st, err := store.Open(ctx, o.db, keys, store.Options{Now: now, WitnessFile: witness})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.UpsertOrganisations(ctx, demo.Organisations, tryggspor.NewEntry(tryggspor.System("benchdata"),
		tryggspor.ActOrgImport, "", "benchdata")); err != nil {
		return err
	}
	if err := importCases(ctx, st, o, first); err != nil {
		return err
	}
	fmt.Fprintf(o.progress, "%d cases imported in %s\n", o.cases, time.Since(start).Round(time.Second))
	cases, err := caseTimeline(ctx, o.db)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := appendAudit(ctx, st, o, cases, first, &clock); err != nil {
		return err
	}
	fmt.Fprintf(o.progress, "%d audit entries in %s (%.0f entries/s); total %s\n", o.entries,
		time.Since(t0).Round(time.Second), float64(o.entries)/time.Since(t0).Seconds(), time.Since(start).Round(time.Second))
	return st.Close()
}

// importCases imports the cases year by year through the spreadsheet import
// (one all-or-nothing import per year, as a police district would load its
// history).
func importCases(ctx context.Context, st *store.Store, o options, first time.Time) error {
	rng := rand.New(rand.NewPCG(o.seed, 7))
	perYear := o.cases / o.years
	for y := 0; y < o.years; y++ {
		from := first.AddDate(y, 0, 0)
		var b strings.Builder
		b.WriteString("registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on\n")
		for i := 0; i < perYear; i++ {
			reg := from.AddDate(0, 0, rng.IntN(360))
			if reg.After(o.end.AddDate(0, 0, -30)) {
				reg = o.end.AddDate(0, 0, -30-rng.IntN(300))
			}
			b.WriteString(caseRow(rng, reg))
		}
		if _, err := importer.Import(ctx, st, tryggspor.System("benchdata"), strings.NewReader(b.String()), false, o.end); err != nil {
			return fmt.Errorf("import year %d: %w", y+1, err)
		}
	}
	return nil
}

var (
	units    = []string{"baerum", "asker", "majorstua"}
	places   = []string{"Bærum", "Asker", "Oslo"}
	outcomes = []string{"conversation", "declined", "declined", "no_response", "conversation"}
)

// caseRow is one concluded case of the import sheet.
func caseRow(rng *rand.Rand, reg time.Time) string {
	cat := tryggspor.Categories[rng.IntN(len(tryggspor.Categories))]
	age, role := 10+rng.IntN(8), "victim"
	if cat == tryggspor.CatHateCrime {
		age = 19 + rng.IntN(40)
	}
	u := rng.IntN(len(units))
	return fmt.Sprintf("%s;%s;%s;%s;%d;%s;%s;%s;%s\n", reg.Format("2006-01-02"), units[u], cat, role, age, places[u],
		[]string{"yes", "no"}[rng.IntN(2)], outcomes[rng.IntN(len(outcomes))], reg.AddDate(0, 0, 10+rng.IntN(15)).Format("2006-01-02"))
}

// caseRef is a case's id and registration time, for entries that concern it.
type caseRef struct {
	id  string
	reg time.Time
}

// caseTimeline lists the cases by registration date (a read of the finished
// import; the tool is not a door to the data, only its builder).
func caseTimeline(ctx context.Context, path string) ([]caseRef, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT id, registered_on FROM cases ORDER BY registered_on, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []caseRef
	for rows.Next() {
		var c caseRef
		var reg string
		if err := rows.Scan(&c.id, &reg); err != nil {
			return nil, err
		}
		c.reg, _ = time.Parse("2006-01-02", reg[:10])
		out = append(out, c)
	}
	return out, rows.Err()
}

// requireLoopbackURL refuses to send load anywhere but this machine.
func requireLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("--url %q: %w", raw, err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--url %q: load goes to loopback only", raw)
	}
	return nil
}
