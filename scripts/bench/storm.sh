#!/usr/bin/env bash
# Live capture under a syscall storm (`dd bs=1`, one byte per read and write), three ways in turn
# under the same storm: libsinsp's plain next() loop, the shim's batches, and `scapstream live`
# (shim -> JNA -> Disruptor -> aggregation -> SQLite). Prints events/s and drops for each.
#   scripts/bench/storm.sh [SECONDS] [DD_PROCESSES]      (needs root and a BTF kernel)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-10}
storms=${2:-1}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
"$root/scapstream" build >/dev/null
rawbench="$root/target/native/scapstream-rawbench"
for _ in $(seq "$storms"); do
  dd if=/dev/zero of=/dev/null bs=1 count=100000000000 status=none &
  pids+=($!)
done
sleep 1
stat() { sed -n "s/^$1 //p" "$2" | head -1; }
for path in raw shim; do
  "$rawbench" --live-$path "$seconds" > "$work/$path.txt"
  ev=$(stat n_evts "$work/$path.txt"); dr=$(stat n_drops "$work/$path.txt")
  printf '%-44s events/s %10.0f   drops %9d (%.2f %%)   drops_buffer %s\n' "libsinsp next() loop ($path)" \
    "$(echo "($ev + $dr) / $seconds" | bc -l)" "$dr" "$(echo "100 * $dr / ($ev + $dr + 0.000001)" | bc -l)" \
    "$(stat n_drops_buffer "$work/$path.txt")"
done
"$root/scapstream" live --duration "$seconds" --db "$work/storm.db" --json > "$work/live.json"
python3 - "$work/live.json" "$seconds" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); s = float(sys.argv[2])
ev, dr = r["events"], r["drops"]
print("%-44s events/s %10.0f   drops %9d (%.2f %%)" % ("scapstream live (whole pipeline)", (ev + dr) / s, dr, 100.0 * dr / max(1, ev + dr)))
PY
