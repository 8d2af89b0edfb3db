#!/usr/bin/env bash
# Cold-start figures of docs/benchmarks.md: whole processes, each run a new process, median of 5.
#   scripts/bench/coldstart.sh [FILE]   FILE: the capture for `events -n 10` and replay vs the raw
#                                       loop (default: the bundled fixture)
# Prints one "name median_s" line per measure, then the targets' verdicts.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
file=${1:-$root/java/src/test/resources/fixtures/basic.scap.gz}
runs=5
"$root/scapstream" build >/dev/null
java=$(ls -d /usr/lib/jvm/java-17-openjdk-*/bin/java 2>/dev/null | head -1)
jar="$root/target/scapstream.jar"
tmp=$(mktemp -d -t scapstream-coldstart.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# median wall seconds of $runs runs of a command (stdout discarded)
median() {
  local i t times=()
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -o "$tmp/t" -f %e "$@" >/dev/null 2>&1 || true
    times+=("$(tail -1 "$tmp/t")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

java_version=$(median "$java" -jar "$jar" --version)
launcher_version=$(median "$root/scapstream" --version)
events10=$(median "$root/scapstream" events -r "$file" -n 10)
events10_nocds=$(median "$java" -XX:+UseSerialGC -jar "$jar" events -r "$file" -n 10)
rm -f "$tmp/r.db"
replay=$(median sh -c "rm -f '$tmp/r.db'; exec '$root/scapstream' replay --db '$tmp/r.db' '$file'")
raw=$(median "$root/target/native/scapstream-rawbench" "$file")
# the path scapstream replaces: every event as a JSON line from libsinsp's formatter, into Python
seed=$(median sh -c "'$root/target/native/scapstream-format' -j -p '%evt.rawtime %container.id %proc.pid %evt.dir %evt.type %evt.rawres' '$file' 2>/dev/null | python3 '$root/scripts/bench/seed-aggregate.py'")

echo "file $file"
echo "java_jar_version $java_version"
echo "launcher_version $launcher_version"
echo "launcher_overhead $(echo "$launcher_version - $java_version" | bc -l)"
echo "events_n10_launcher_cds $events10"
echo "events_n10_plain_java $events10_nocds"
echo "replay $replay"
echo "raw_loop $raw"
echo "replay_over_raw $(echo "scale=2; $replay / $raw" | bc -l)"
echo "seed_path $seed"
echo "seed_over_replay $(echo "scale=2; $seed / $replay" | bc -l)"
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
