#!/usr/bin/env bash
# Measures the audit log at national size (issue 18; figures in
# docs/benchmarks.md) on a data set built by cmd/tryggspor-benchdata:
#
#   go run ./cmd/tryggspor-benchdata --db /tmp/national/n.db --witness /tmp/national/witness
#   scripts/audit-bench.sh /tmp/national/n.db /tmp/national/witness [verify,startup,idle,load,go]
#
# verify   `audit verify --witness`: wall time, CPU time, peak RSS, entries/s
# startup  `tryggspor dev` on the data set until /readyz answers 200
# idle     CPU of the idle server over IDLE_SECONDS (default 600), scrubber at its default pace
# load     50 signed-in officers for LOAD_SECONDS (default 60): scrubber off, then on at SCRUB_EVERY
#          (default 1h), LOAD_ROUNDS times (default 2)
# go       the Go benchmarks (tick, scrub pass, the auditor's page and CSV) against the data set
#
# Everything listens on and sends to 127.0.0.1 only. The machine is shared:
# wall times move with the load of others; CPU times and RSS much less.
set -euo pipefail
db="${1:?database built by tryggspor-benchdata}"
witness="${2:?its witness directory}"
what="${3:-verify,startup,idle,load,go}"
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="$(mktemp -d)"
(cd "$here" && go build -o "$bin/tryggspor" ./cmd/tryggspor && go build -o "$bin/benchdata" ./cmd/tryggspor-benchdata)
addr=127.0.0.1:18089

# config writes a dev configuration with the witness and a scrub pace.
config() {
  cat > "$bin/dev.toml" <<TOML
[audit]
witness_dir = "$witness"
witness_name = "benchdata"
scrub_every = "$1"
TOML
}

# start runs dev on the data set and waits for /readyz; it sets pid and
# secs (the seconds taken).
start() {
  local t0 t1
  if curl -s -o /dev/null "http://$addr/"; then echo "something already listens on $addr" >&2; exit 1; fi
  t0=$(date +%s.%N)
  "$bin/tryggspor" dev --addr "$addr" --db "$db" --config "$bin/dev.toml" > "$bin/dev.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://$addr/readyz"; do
    kill -0 "$pid" 2>/dev/null || { cat "$bin/dev.log"; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s.%N)
  secs=$(echo "$t1 - $t0" | bc)
}

stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
trap 'rm -rf "$bin"; [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null || true' EXIT

# cpu is the process's user+system CPU time in clock ticks.
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

entries=$(sqlite3 -readonly "$db" 'SELECT max(id) FROM audit' 2>/dev/null || echo "?")
echo "data set: $db, $entries audit entries, $(du -h "$db" | cut -f1)"

if [[ $what == *verify* ]]; then
  /usr/bin/time -f 'verify: %e s wall, %U s user, %S s sys, max RSS %M KiB' \
    "$bin/tryggspor" audit verify --db "$db" --witness "$witness"
fi
if [[ $what == *startup* ]]; then
  config 24h
  for i in 1 2 3; do start; echo "startup to /readyz: $secs s"; stop; done
fi
if [[ $what == *idle* ]]; then
  config 24h
  start
  idle="${IDLE_SECONDS:-600}"
  c0=$(cpu "$pid"); sleep "$idle"; c1=$(cpu "$pid")
  echo "idle over ${idle} s: $(echo "scale=2; ($c1 - $c0) * 100 / $(getconf CLK_TCK) / $idle" | bc) % of one core; RSS $(grep VmRSS /proc/$pid/status | awk '{print $2}') KiB"
  stop
fi
if [[ $what == *load* ]]; then
  # Alternating rounds, so that the others' load on a shared machine falls on both.
  rounds=()
  for ((r = 0; r < ${LOAD_ROUNDS:-2}; r++)); do rounds+=(0 "${SCRUB_EVERY:-1h}"); done
  for pace in "${rounds[@]}"; do
    config "$pace"
    start
    echo "load, scrub_every=$pace: $("$bin/benchdata" load --url "http://$addr" --users 50 --duration "${LOAD_SECONDS:-60}s")"
    echo "  server peak RSS $(grep VmHWM /proc/$pid/status | awk '{print $2}') KiB"
    stop
    grep -h "audit scrub\|audit log broken" "$bin/dev.log" || true
  done
fi
if [[ $what == *go* ]]; then
  (cd "$here" && TRYGGSPOR_BENCH_DB="$db" TRYGGSPOR_BENCH_WITNESS="$witness" TRYGGSPOR_BENCH_USER="${BENCH_USER:-politi-017}" \
    TRYGGSPOR_BENCH_MONTH="${BENCH_MONTH:-2019-03}" \
    go test -run '^$' -bench 'CheckpointTick|IdleCheckpoint|AuditLog' -benchtime 20x ./store/ &&
   TRYGGSPOR_BENCH_DB="$db" TRYGGSPOR_BENCH_WITNESS="$witness" \
    go test -run '^$' -bench 'ScrubPass' -benchtime 1x -timeout 60m ./store/)
fi
