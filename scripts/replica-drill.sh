#!/usr/bin/env bash
# Measures replication's RPO and RTO here: runs `tryggspor dev` with a file
# replica (sync_interval 1s), imports CASES cases in BATCHES imports while it
# runs, samples tryggspor_replica_lag_seconds every 0.2 s (the writes at
# risk), then kills the server with SIGKILL, deletes the database, WAL and
# SHM and times `restore --from-replica` (the restore checks integrity, the
# audit chain and every row). Loopback only; figures go in docs/benchmarks.md.
# Usage: scripts/replica-drill.sh [CASES] [BATCHES]   (default 100000 10)
set -euo pipefail
cases="${1:-100000}"
batches="${2:-10}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
dev_pid=""
trap '[ -n "$dev_pid" ] && kill -9 "$dev_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
unset AWS_CA_BUNDLE
(cd "$here" && go build -o "$tmp/tryggspor" ./cmd/tryggspor)
bin="$tmp/tryggspor"
db="$tmp/drill.db"
port=$((20000 + RANDOM % 20000))
cat > "$tmp/config.toml" <<TOML
[server]
metrics_addr = "127.0.0.1:$((port + 1))"
[replication]
url = "file://$tmp/replica"
sync_interval = "1s"
TOML
"$bin" dev --config "$tmp/config.toml" --db "$db" --addr "127.0.0.1:$port" >"$tmp/dev.log" 2>&1 &
dev_pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
lag() { curl -s "http://127.0.0.1:$((port + 1))/metrics" | awk '/^tryggspor_replica_lag_seconds /{print $2}'; }
per=$((cases / batches))
for b in $(seq 1 "$batches"); do
  python3 - "$tmp/batch.csv" "$per" "$b" <<'PY'
import sys
path, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    f.write("registered_on;unit;category;role;age;residence_municipality;reported;outcome;outcome_on;intra_family;person_name;birth_date;guardian_name;guardian_phone;notes\n")
    for i in range(n):
        m = i % 12 + 1
        o = ["declined", "conversation", "no_response"][i % 3]
        f.write(f"2024-{m:02d}-{i % 27 + 1:02d};baerum;threats;victim;14;Bærum;no;{o};2024-{m:02d}-28;no;Person{tag}x{i};2010-01-01;Verge{tag}x{i};+47 900 {i % 100000:05d};Notat {tag} {i}\n")
PY
  "$bin" import --config "$tmp/config.toml" --db "$db" --file "$tmp/batch.csv" >/dev/null &
  imp=$!
  while kill -0 "$imp" 2>/dev/null; do lag >>"$tmp/lag.txt"; sleep 0.2; done
  wait "$imp"
done
for _ in $(seq 1 15); do lag >>"$tmp/lag.txt"; sleep 0.2; done
until [ "$(lag)" = "0" ]; do sleep 0.2; done
sleep 2
until [ "$(lag)" = "0" ]; do sleep 0.2; done
"$bin" replica status --config "$tmp/config.toml" --db "$db"
size=$(du -h "$db" | cut -f1)
kill -9 "$dev_pid"; wait "$dev_pid" 2>/dev/null || true; dev_pid=""
rm -f "$db" "$db-wal" "$db-shm"
start=$(date +%s.%N)
/usr/bin/time -f "restore: %e s wall, %U s user, %S s system, %M KB max RSS" \
  "$bin" restore --from-replica "file://$tmp/replica" --config "$tmp/config.toml" --db "$db"
end=$(date +%s.%N)
"$bin" audit verify --db "$db"
echo "database: $cases cases, $size; replica: $(du -sh "$tmp/replica" | cut -f1)"
sort -g "$tmp/lag.txt" | awk '{a[NR]=$1} END {printf "lag samples during the imports: %d, median %.2f s, p99 %.2f s, max %.2f s\n", NR, a[int(NR/2)+1], a[int(NR*0.99)+1], a[NR]}'
echo "RTO (restore, with its checks): $(echo "$end - $start" | bc) s"
