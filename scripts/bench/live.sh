#!/usr/bin/env bash
# The agent's own CPU cost: under a paced load of 64-byte write()s to /dev/null (native/tools/
# paced-writes.c), libsinsp's plain next() loop (`scapstream-rawbench --live-raw`, the same open
# settings as live: procinfo, no enter records) and `scapstream live` into SQLite with the
# launcher's settings, in turn, REPEAT times per rate. Each one's CPU (utime+stime from
# /proc/PID/stat) is taken over WINDOW seconds that start SETTLE seconds after the probe is loaded
# (JIT and first seconds out of the way); drops are the whole run's. Medians per rate, then the
# ratio live / raw at 400 k writes/s.
# --threads also prints where live's CPU went in each window, by thread name (capture, aggregator,
# store writer, GC, JIT compilers).
#   scripts/bench/live.sh [--rates R,R,...] [--repeat N] [--window S] [--settle S] [--threads]
# (root, BTF kernel)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rates=0,100000,400000,1000000
repeat=3
window=10
settle=5
threads=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) rates=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    --threads) threads=1; shift ;;
    *) echo "usage: $0 [--rates R,R,...] [--repeat N] [--window S] [--settle S] [--threads]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
"$root/scapstream" build >/dev/null
native="$root/target/native"
hz=$(getconf CLK_TCK)

# utime + stime of PID; fails when it has already exited (the window would be wrong)
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || { echo "pid $1 ended early" >&2; return 1; }; }

# "name ticks" per thread of PID, threads of one name summed
thread_ticks() {
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$t/stat" 2>/dev/null)"
  done | awk -F'\t' '$2 != "" { n[$1] += $2 } END { for(k in n) print k "\t" n[k] }'
}

# run_one KIND RATE N: one measured run; appends "KIND RATE cores drops events" to $work/runs
run_one() {
  local kind=$1 rate=$2 n=$3 out="$work/$1-$2-$3" pid load t0 t1 c0 c1
  local secs=$((settle + window + 2))
  "$native/paced-writes" "$rate" $((secs + 30)) > "$out.load" &
  load=$!; pids+=("$load")
  if [ "$kind" = raw ]; then
    "$native/scapstream-rawbench" --live-raw "$secs" > "$out.txt" 2> "$out.err" &
  else
    "$root/scapstream" live --duration "$secs" --db "$out.db" --json > "$out.txt" 2> "$out.err" &
  fi
  pid=$!; pids+=("$pid")
  # the probe is loaded when either one says it captures
  for _ in $(seq 600); do grep -q 'capturing live' "$out.err" 2>/dev/null && break; sleep 0.05; done
  grep -q 'capturing live' "$out.err" || { cat "$out.err" >&2; echo "$kind: no capture" >&2; exit 1; }
  sleep "$settle"
  [ "$threads" = 0 ] || thread_ticks "$pid" > "$out.t0"
  c0=$(ticks "$pid") || { cat "$out.err" >&2; exit 1; }; t0=$(date +%s.%N)
  sleep "$window"
  c1=$(ticks "$pid") || { cat "$out.err" >&2; exit 1; }; t1=$(date +%s.%N)
  if [ "$threads" != 0 ]; then
    thread_ticks "$pid" > "$out.t1"
    awk -F'\t' -v hz="$hz" -v w="$window" 'NR == FNR { a[$1] = $2; next } { d = ($2 - a[$1]) / hz / w; if(d > 0.0005) printf "    %.3f cores  %s\n", d, $1 }' \
      "$out.t0" "$out.t1" | sort -r >&2
  fi
  wait "$pid" || { cat "$out.err" >&2; exit 1; }
  kill "$load" 2>/dev/null || true; wait "$load" 2>/dev/null || true
  local drops events
  if [ "$kind" = raw ]; then
    drops=$(sed -n 's/^n_drops //p' "$out.txt" | head -1); events=$(sed -n 's/^events_read //p' "$out.txt")
  else
    read -r events drops < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["events"], r["drops"])' "$out.txt")
  fi
  local cores
  cores=$(echo "($c1 - $c0) / $hz / ($t1 - $t0)" | bc -l)
  printf '%-4s %8d  run %d  cores %.3f  drops %s  events %s\n' "$kind" "$rate" "$n" "$cores" "$drops" "$events" >&2
  echo "$kind $rate $cores $drops $events" >> "$work/runs"
  rm -f "$out.db" "$out.db-wal" "$out.db-shm"
}

IFS=, read -r -a rate_list <<< "$rates"
for rate in "${rate_list[@]}"; do
  for n in $(seq "$repeat"); do
    # alternate which one goes first, so a drift in the machine's load hits both alike
    if [ $((n % 2)) -eq 1 ]; then run_one raw "$rate" "$n"; run_one live "$rate" "$n"
    else run_one live "$rate" "$n"; run_one raw "$rate" "$n"; fi
  done
done

python3 - "$work/runs" "$window" "$settle" <<'PY'
import statistics, sys
runs = [l.split() for l in open(sys.argv[1])]
by = {}
for kind, rate, cores, drops, events in runs:
    by.setdefault((int(rate), kind), []).append((float(cores), int(drops), int(events)))
rates = sorted({r for r, _ in by})
print("CPU in cores over %s s, %s s after the probe is loaded; median of %d runs (min-max); drops per run (max)"
      % (sys.argv[2], sys.argv[3], len(by[(rates[0], "raw")])))
print("%-10s | %-22s %8s | %-22s %8s | %6s" % ("writes/s", "raw next() loop", "drops", "scapstream live", "drops", "ratio"))
ratio_at = {}
for r in rates:
    raw, live = by[(r, "raw")], by[(r, "live")]
    mr, ml = statistics.median(c for c, _, _ in raw), statistics.median(c for c, _, _ in live)
    ratio_at[r] = ml / mr if mr > 0 else float("nan")
    fmt = lambda xs, m: "%.3f (%.3f-%.3f)" % (m, min(c for c, _, _ in xs), max(c for c, _, _ in xs))
    print("%-10d | %-22s %8d | %-22s %8d | %6.2f" % (r, fmt(raw, mr), max(d for _, d, _ in raw),
                                                  fmt(live, ml), max(d for _, d, _ in live), ratio_at[r]))
print("cpu ratio: %.2f" % ratio_at.get(400000, float("nan")))
PY
