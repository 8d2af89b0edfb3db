#!/usr/bin/env bash
# What `scapstream top` costs live, against `scapstream live` alone, under the bench-live load
# (native/tools/paced-writes at RATE 64-byte writes/s): each one's CPU (utime+stime from
# /proc/PID/stat) over WINDOW seconds that start SETTLE seconds after it captures, REPEAT times in
# turn; medians, then `top/live cpu ratio: X.XX`. top runs in a tmux pane (it needs a terminal),
# refreshing every 2 s as csysdig does.
#   scripts/bench/top-cost.sh [--rate R] [--repeat N] [--window S] [--settle S]   (root, BTF kernel, tmux)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rate=400000 repeat=3 window=10 settle=5
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    *) echo "usage: $0 [--rate R] [--repeat N] [--window S] [--settle S]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
session="scapstream-top-cost-$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  tmux kill-session -t "$session" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$root/scapstream" build >/dev/null
hz=$(getconf CLK_TCK)
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# run_one KIND: prints the cores KIND used over the window
run_one() {
  local kind=$1 pid load c0 c1
  local secs=$((settle + window + 5))
  "$root/target/native/paced-writes" "$rate" $((secs + 30)) > /dev/null &
  load=$!; pids+=("$load")
  if [ "$kind" = live ]; then
    "$root/scapstream" live --duration "$secs" --db "$work/live.db" --json > /dev/null 2> "$work/live.err" &
    pid=$!; pids+=("$pid")
    for _ in $(seq 600); do grep -q 'capturing' "$work/live.err" 2>/dev/null && break; sleep 0.05; done
  else
    tmux new-session -d -s "$session" -x 160 -y 40 "exec '$root/scapstream' top -d 2000"
    pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')
    for _ in $(seq 600); do tmux capture-pane -p -t "$session" | grep -q 'F1/? Help' && break; sleep 0.05; done
  fi
  sleep "$settle"
  c0=$(ticks "$pid"); sleep "$window"; c1=$(ticks "$pid")
  if [ "$kind" = live ]; then wait "$pid" || true; else tmux send-keys -t "$session" q; sleep 2; tmux kill-session -t "$session" 2>/dev/null || true; fi
  kill "$load" 2>/dev/null || true; wait "$load" 2>/dev/null || true
  echo "($c1 - $c0) / $hz / $window" | bc -l
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
: > "$work/live"; : > "$work/top"
for n in $(seq "$repeat"); do
  for kind in live top; do
    c=$(run_one "$kind")
    printf '%s round %d: %.3f cores\n' "$kind" "$n" "$c"
    echo "$c" >> "$work/$kind"
  done
done
l=$(median < "$work/live"); t=$(median < "$work/top")
printf 'at %d writes/s: live %.3f cores, top %.3f cores (medians of %d)\n' "$rate" "$l" "$t" "$repeat"
printf 'top/live cpu ratio: %.2f\n' "$(echo "$t / $l" | bc -l)"
