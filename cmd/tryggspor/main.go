// Command tryggspor is the Tryggspor service and its administration commands.
// See `tryggspor help` and README.md.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // dates are decided in Europe/Oslo even where the OS has no zoneinfo
)

// The service's garbage collector: every page allocates a few hundred small
// objects, and with the default GOGC=100 on a small live heap the collector
// ran every few milliseconds under load, a tenth of the CPU. The service runs
// it a quarter as often (GOGC=400) under a soft memory limit (128 MiB) that
// keeps the heap, and with SQLite's page caches (store.Open) the process,
// within 256 MB (docs/benchmarks.md, issue 19).
// GOGC and GOMEMLIMIT in the environment win, as the Go runtime documents.
const (
	serviceGCPercent   = 400
	serviceMemoryLimit = 128 << 20
)

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serviceGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serviceMemoryLimit)
	}
}

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "serve" || os.Args[1] == "dev") {
		tuneGC(os.Getenv)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tryggspor:", err)
		os.Exit(1)
	}
}

const usage = `usage: tryggspor <command> [flags]

commands:
  serve                 run the service (config from --config or config.toml)
  dev                   run the whole service locally with demo data and a built-in OpenID Provider
  demo                  load the demo organisations and cases into an empty database
  migrate               create or upgrade the database schema
  orgs import --file F  create or update organisations from CSV (code,name,kind,parent,municipality[,orgno])
  summary --year Y      the annual summary [--unit CODE] [--suppress N] [--format json|csv|xlsx]
  import --file F       load cases from a spreadsheet export (CSV) [--dry-run]
  check residences      list residences that are not official municipality names (changes nothing)
  audit verify          check the audit log's hash chain
  anonymise             remove personal fields of cases closed long ago [--dry-run] [--now RFC3339]
  backup --to FILE      write a consistent copy of the database
  restore --from FILE   put a checked backup in place (refused while the service runs)
  restore --from-replica URL [--at RFC3339]   the same from a replica, latest or at a time
  replica status        the replica's position, time and lag [--format json]
  reminders run         evaluate the reminder rules once [--now RFC3339] [--format json]
  reminders digest      send today's digest e-mails [--now RFC3339]
  innsyn --ref TP-…     the subject access report of one case [--format json|html]
  privacy record        the record of processing activities (GDPR Art. 30) [--format md]

every command takes --config FILE and --db PATH`

// run is the whole program, testable end to end: arguments in, output and an
// error out.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	privateFiles()
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "dev":
		return cmdDev(ctx, rest, getenv, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, getenv, stdout, stderr)
	case "orgs":
		if len(rest) > 0 && rest[0] == "import" {
			return cmdOrgsImport(ctx, rest[1:], getenv, stdout, stderr)
		}
		return fmt.Errorf("usage: tryggspor orgs import --file orgs.csv")
	case "audit":
		if len(rest) > 0 && rest[0] == "verify" {
			return cmdAuditVerify(ctx, rest[1:], getenv, stdout, stderr)
		}
		return fmt.Errorf("usage: tryggspor audit verify")
	case "anonymise":
		return cmdAnonymise(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, rest, getenv, stdout, stderr)
	case "replica":
		return cmdReplica(ctx, rest, getenv, stdout, stderr)
	case "summary":
		return cmdSummary(ctx, rest, getenv, stdout, stderr)
	case "check":
		return cmdCheck(ctx, rest, getenv, stdout, stderr)
	case "import":
		return cmdImport(ctx, rest, getenv, stdout, stderr)
	case "reminders":
		return cmdReminders(ctx, rest, getenv, stdout, stderr)
	case "innsyn":
		return cmdInnsyn(ctx, rest, getenv, stdout, stderr)
	case "privacy":
		return cmdPrivacy(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q (try `tryggspor help`)", cmd)
}
