#!/usr/bin/env bash
# Peak RSS of `scapstream live` with 10 000 threads in the thread table (target: < 300 MB).
#   scripts/bench/threads.sh [THREADS] [SECONDS]
# Starts a process with THREADS sleeping threads, captures live for SECONDS into a scratch SQLite
# file, and prints the JVM's peak RSS (GNU time's maximum resident set size) and what the capture saw.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
threads=${1:-10000}
seconds=${2:-10}
work=$(mktemp -d)
trap 'kill "$holder" 2>/dev/null || true; rm -rf "$work"' EXIT
"$root/scapstream" build >/dev/null
# a holder process: THREADS threads that sleep until it is killed (64 KiB stacks keep it small)
cat > "$work/holder.c" <<'C'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void* sleeper(void* a) { (void)a; for(;;) pause(); return NULL; }
int main(int argc, char** argv) {
	int n = atoi(argv[1]);
	pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setstacksize(&at, 65536);
	for(int i = 0; i < n; i++) { pthread_t t; if(pthread_create(&t, &at, sleeper, NULL)) { perror("pthread_create"); return 1; } }
	printf("ready\n"); fflush(stdout);
	for(;;) pause();
}
C
cc -O1 -pthread -o "$work/holder" "$work/holder.c"
"$work/holder" "$threads" > "$work/holder.out" &
holder=$!
for _ in $(seq 100); do grep -q ready "$work/holder.out" 2>/dev/null && break; sleep 0.1; done
have=$(ls /proc/$holder/task | wc -l)
echo "holder pid $holder has $have threads; system-wide threads: $(ls -d /proc/[0-9]*/task/* | wc -l)"
/usr/bin/time -f "peak RSS: %M kB" -o "$work/time.out" \
  "$root/scapstream" live --duration "$seconds" --db "$work/threads.db" --json > "$work/live.json"
cat "$work/time.out"
python3 - "$work/live.json" "$holder" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
procs = r.get("processes", [])
print("processes in the summary:", len(procs), "; events:", r.get("events"), "; drops:", r.get("drops"))
PY
