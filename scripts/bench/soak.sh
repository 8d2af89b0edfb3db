#!/usr/bin/env bash
# The agent's memory over time: `scapstream live` (launcher settings, SQLite) for SECONDS under a
# paced 100 k writes/s (native/tools/paced-writes.c) and a /bin/true started every 20 ms. Every
# 30 s: RSS, the Java heap's used and committed sizes (jcmd GC.heap_info, no forced GC) and the
# JVM's native memory summary; at the end the live set after a full GC, then events and drops.
#   scripts/bench/soak.sh [--seconds S] [--rate R] [--every S]   (root, BTF kernel)
# SCAPSTREAM_JAVA_OPTS replaces the launcher's JVM options, as for any command.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=600
rate=100000
every=30
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds S] [--rate R] [--every S]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
"$root/scapstream" build >/dev/null
native="$root/target/native"
jh=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
for d in /usr/lib/jvm/java-17-openjdk-*; do [ -x "$d/bin/jcmd" ] && jh=$d; done
jcmd="$jh/bin/jcmd"

"$native/paced-writes" "$rate" $((seconds + 60)) > "$work/load.out" &
pids+=($!)
# process churn: short processes whose keys the aggregator must let go once they exited
( while :; do /bin/true; sleep 0.02; done ) &
pids+=($!)
"$root/scapstream" live --duration $((seconds + 120)) --db "$work/soak.db" --json > "$work/live.json" 2> "$work/live.err" &
pid=$!; pids+=("$pid")
for _ in $(seq 600); do grep -q 'capturing live' "$work/live.err" 2>/dev/null && break; sleep 0.05; done
# "used committed" in kB of the young + old generations ("... total NK, used NK"), not Metaspace
heap_kb() {
  "$jcmd" "$pid" GC.heap_info 2>/dev/null | awk '/generation|Gen/ && /total/ { gsub(/[,K]/, "");
    for(i=1;i<=NF;i++) { if($i=="total") t+=$(i+1); if($i=="used") u+=$(i+1) } } END { print u+0, t+0 }'
}
start=$(date +%s)
printf '%6s %8s %10s %10s %s\n' "s" "RSS MB" "heap used" "committed" "native (NMT, when enabled)"
while [ $(( $(date +%s) - start + every )) -le "$seconds" ]; do
  sleep "$every"
  kill -0 "$pid" 2>/dev/null || { cat "$work/live.err" >&2; exit 1; }
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
  heap=$(heap_kb)
  read -r used total <<< "$heap"
  nmt=$("$jcmd" "$pid" VM.native_memory summary 2>/dev/null | awk '
    /^Total:/ { c=$0; sub(/.*committed=/, "", c); sub(/KB.*/, "", c); printf "total %d ", c/1024 }
    /^-  *[A-Z]/ && /committed=/ { n=$0; sub(/^- */, "", n); sub(/ *\(.*/, "", n); gsub(/ /, "_", n); c=$0; sub(/.*committed=/, "", c); sub(/KB.*/, "", c); if(c/1024 >= 1) printf "%s %d ", n, c/1024 }')
  printf '%6d %8.0f %10.0f %10.0f %s\n' $(( $(date +%s) - start )) "$(echo "$rss / 1024" | bc -l)" \
    "$(echo "${used:-0} / 1024" | bc -l)" "$(echo "${total:-0} / 1024" | bc -l)" "${nmt:-}"
done
# the live set: what a full collection leaves; then live is stopped (SIGTERM: it writes its summary).
# It runs longer than the soak so that jcmd never attaches to a JVM that is already exiting (the
# attach signal would then print a thread dump into its output).
"$jcmd" "$pid" GC.run >/dev/null 2>&1 || true
read -r used total <<< "$(heap_kb)"
printf 'heap after a full GC: used %.0f MB of %.0f MB committed\n' "$(echo "$used / 1024" | bc -l)" "$(echo "$total / 1024" | bc -l)"
printf 'RSS at the end: %.0f MB\n' "$(awk '/^VmRSS/ { print $2 / 1024 }' "/proc/$pid/status")"
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 143 ] || { cat "$work/live.err" >&2; exit 1; }
python3 - "$work/live.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("events %d  drops %d" % (r["events"], r["drops"]))
PY
