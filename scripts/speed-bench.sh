#!/usr/bin/env bash
# Measures issue 19 ("Speed at national size"): every page beside bare Echo
# in the same run, at several sizes of one unit, then the 50-user mix; one
# table at the end (figures go to docs/benchmarks.md).
#
#   scripts/speed-bench.sh DIR [--sizes 2000,20000,200000] [--national /tmp/nat/n.db]
#
# DIR holds the data sets (DIR/<size>/c.db, built by `tryggspor-benchdata
# --unit baerum --cases <size>` when absent, reused when present) and the
# results (DIR/results-<time>/<size>/: wrk outputs, mix.txt, dev.log).
# Each size runs on a copy of its data set, so the cases and audit entries
# the run adds never change the next run's starting point.
#
# For each size: start `tryggspor dev` on the copy and the bare Echo
# baseline (`tryggspor-benchdata echo`), each in its own process; wrk
# (-c16 -t2 --latency, DURATION each, default 10s) on bare Echo, the open case
# page, the closed case page, /cases, the name search, /stats (as the
# leader) and /tasks, then /cases and the name search again over one
# connection (their median without the queue of 16), each checked with
# curl to answer 200 before and after (a 302 to the sign-in would measure
# nothing, and wrk counts 3xx as success); then `tryggspor-benchdata mix` (50 officers, MIX_DURATION,
# default 30s) with the server's RSS sampled.
#
# --national DB runs the mix (no views: that data set has no named cases)
# against `tryggspor dev` on the national data set, in place (it is too big
# to copy): the mix adds its cases and audit entries to it. NATIONAL_CONFIG
# may name a dev configuration for it (a witness directory, say).
#
# Everything listens on and sends to 127.0.0.1 only. The client shares the
# machine's cores with the server, and on a shared machine wall-clock
# figures move with the others' load: say so beside them.
set -euo pipefail
dir="${1:?directory for the data sets and the results}"
shift
sizes="2000,20000,200000"
national=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --national) national="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
duration="${DURATION:-10s}"
mix_duration="${MIX_DURATION:-30s}"
port="${PORT:-18301}"
addr="127.0.0.1:$port"
echo_addr="127.0.0.1:$((port + 1))"
here="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
bin="$dir/bin"
mkdir -p "$bin"
(cd "$here" && go build -o "$bin/tryggspor" ./cmd/tryggspor && go build -o "$bin/benchdata" ./cmd/tryggspor-benchdata)
results="$dir/results-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"

pid=""
echo_pid=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [[ -n $echo_pid ]] && kill "$echo_pid" 2>/dev/null && wait "$echo_pid" 2>/dev/null
  return 0
}
trap cleanup EXIT

# listening fails when something already answers on the address.
free() {
  if curl -s -o /dev/null "http://$1/"; then echo "something already listens on $1" >&2; exit 1; fi
}

# start_dev runs dev on the database $1 (extra arguments follow) and waits
# for /readyz; it sets pid.
start_dev() {
  local db="$1" log="$2"
  shift 2
  free "$addr"
  "$bin/tryggspor" dev --addr "$addr" --db "$db" "$@" > "$log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://$addr/readyz"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
}

stop_dev() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

# answers200 fails unless the URL answers 200 to the cookie (not a redirect).
answers200() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $2" "$1")
  if [[ $code != 200 ]]; then echo "$1 answered $code, not 200: not measured" >&2; return 1; fi
}

# measure NAME URL COOKIE [CONNS THREADS]: wrk on the URL into $out/NAME.wrk,
# checked before and after; 16 connections on 2 threads unless told. A
# request wrk gives up on is left out of its percentiles, so the timeout is
# far above any page's time (the table fails on a timeout all the same).
measure() {
  local name="$1" url="$2" cookie="$3" conns="${4:-16}" threads="${5:-2}"
  local header=()
  [[ -n $cookie ]] && header=(-H "Cookie: $cookie")
  answers200 "$url" "$cookie"
  wrk -c"$conns" -t"$threads" -d"$duration" --timeout 60s --latency "${header[@]}" "$url" > "$out/$name.wrk"
  answers200 "$url" "$cookie"
  echo "  $name: $(grep Requests/sec "$out/$name.wrk")"
}

free "$echo_addr"
"$bin/benchdata" echo --addr "$echo_addr" > "$results/echo.log" 2>&1 &
echo_pid=$!
until curl -sf -o /dev/null "http://$echo_addr/"; do
  kill -0 "$echo_pid" 2>/dev/null || { cat "$results/echo.log" >&2; exit 1; }
  sleep 0.1
done

for size in ${sizes//,/ }; do
  set_dir="$dir/$size"
  if [[ ! -f $set_dir/c.db.paths ]]; then
    rm -rf "$set_dir"
    mkdir -p "$set_dir"
    echo "building the $size-case data set"
    /usr/bin/time -f "build: %e s wall, %U s user, %S s sys, max RSS %M KiB" -o "$set_dir/build.txt" \
      "$bin/benchdata" --db "$set_dir/c.db" --unit baerum --cases "$size" 2> "$set_dir/build.log"
    cat "$set_dir/build.log" "$set_dir/build.txt"
  fi
  # shellcheck disable=SC1091
  source "$set_dir/c.db.paths"
  out="$results/$size"
  work="$dir/run-$size"
  rm -rf "$work"
  mkdir -p "$out" "$work"
  cp "$set_dir"/c.db* "$work/"
  rm -f "$work/c.db.lock"
  echo "$size cases in one unit ($(du -h "$set_dir/c.db" | cut -f1)):"
  start_dev "$work/c.db" "$out/dev.log"
  officer=$("$bin/benchdata" cookie --url "http://$addr" --user politi)
  leader=$("$bin/benchdata" cookie --url "http://$addr" --user leder)
  measure echo "http://$echo_addr/" ""
  measure open-case "http://$addr$OPEN_CASE" "$officer"
  measure closed-case "http://$addr$CLOSED_CASE" "$officer"
  measure cases "http://$addr/cases" "$officer"
  measure search "http://$addr/cases?q=$SURNAME" "$officer"
  measure stats "http://$addr/stats" "$leader"
  measure tasks "http://$addr/tasks" "$officer"
  # One connection: the median is the page's own time, not 16 requests'
  # queue on 2 cores (issue 19's list and search targets are medians).
  measure cases-c1 "http://$addr/cases" "$officer" 1 1
  measure search-c1 "http://$addr/cases?q=$SURNAME" "$officer" 1 1
  awk '/VmHWM/ {print $2}' "/proc/$pid/status" > "$out/rss.txt"
  "$bin/benchdata" mix --url "http://$addr" --users 50 --duration "$mix_duration" --pid "$pid" | tee "$out/mix.txt"
  stop_dev
  rm -rf "$work"
done

if [[ -n $national ]]; then
  out="$results/national"
  mkdir -p "$out"
  echo "the mix on the national data set $national ($(du -h "$national" | cut -f1)):"
  extra=()
  [[ -n ${NATIONAL_CONFIG:-} ]] && extra=(--config "$NATIONAL_CONFIG")
  start_dev "$national" "$out/dev.log" "${extra[@]}"
  "$bin/benchdata" mix --url "http://$addr" --users 50 --duration "$mix_duration" --pid "$pid" | tee "$out/mix.txt"
  stop_dev
fi

echo
echo "wrk -c16 -t2 -d$duration --latency; mix: 50 officers, closed model, $mix_duration; client on the same machine"
"$bin/benchdata" table "$results"/*/
