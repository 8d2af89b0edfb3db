#!/usr/bin/env bash
# The image, run the way the README's `docker run` line runs it (scripts/image.sh run), must see the
# host: workloads started on the host in fake docker and podman containers (v1 cgroups shaped like the
# runtimes', named by a fake Docker API on the host's sockets, mounted under /host) are checked
# through the agent's UI port. Then: the SQLite file on the data volume survives a restart; the same
# run without CAP_BPF fails naming it; with SCAPSTREAM_CASSANDRA, rows arrive and a node stopped for
# 30 s loses nothing. Prints "test-image: PASS" or "test-image: FAIL ..." (exit 1); a SKIP line with
# the reason when a prerequisite is impossible (exit 0).
# usage: scripts/test-image.sh [--no-cassandra]   (root; after scripts/image.sh build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures="$root/java/src/test/fixtures"
image_sh="$root/scripts/image.sh"
skip() { echo "test-image: SKIP: $*"; exit 0; }
fail() { echo "test-image: FAIL: $*"; exit 1; }
log() { echo "test-image: $*" >&2; }

[ "$(id -u)" -eq 0 ] || skip "needs root"
[ -r /sys/kernel/btf/vmlinux ] || skip "no BTF at /sys/kernel/btf/vmlinux (the modern probe needs it)"
[ -d /sys/fs/cgroup/cpuacct ] || skip "no cgroup v1 cpuacct hierarchy to fake containers with"
buildah inspect --type image localhost/scapstream:latest >/dev/null 2>&1 || fail "no image: scripts/image.sh build"
for s in /var/run/docker.sock /run/podman/podman.sock; do
  [ -e "$s" ] && skip "$s exists (a real runtime?): the fake API will not replace it"
done

# the runtime stage holds no compiler, no build tool and no headers
pkgs=$("$image_sh" packages)
bad=$(grep -E '^((gcc|g\+\+|cpp|clang|llvm)(-[0-9]+)?|maven|cmake|ninja-build|make|linux-headers-.*|openjdk-[0-9]+-jdk.*|.*-dev)$' <<< "$pkgs" || true)
[ -z "$bad" ] || fail "the runtime image has build packages: $(echo $bad)"
log "runtime image: $(wc -l <<< "$pkgs") packages, none a compiler, build tool or -dev: $(echo $pkgs)"

work=$(mktemp -d /tmp/scapstream-image-test.XXXXXX)
data="$work/data"; mkdir -p "$data"
port=$((15000 + RANDOM % 1000))
hexid() { printf '%s' "$1$RANDOM$RANDOM" | sha256sum | cut -c1-64; }
ida=$(hexid web); idb=$(hexid cache)
cga="/docker/$ida"; cgb="/machine.slice/libpod-$idb.scope"
hier="cpu cpuacct pids"
cat > "$work/containers.json" <<JSON
[{"full_id": "$ida", "name": "web", "image": "nginx:1.27"},
 {"full_id": "$idb", "name": "cache", "image": "docker.io/library/redis:7.2"}]
JSON
pids=(); agent=""
stop_agent() {
  [ -n "$agent" ] || return 0
  kill -INT "$agent" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$agent" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$agent" 2>/dev/null || true
  wait "$agent" 2>/dev/null || true
  agent=""
}
cleanup() {
  stop_agent
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$image_sh" rm --name scapstream-test || true
  rm -f /var/run/docker.sock /run/podman/podman.sock
  # a group can be removed once its last process is gone (a killed loop's sleep lingers briefly)
  for _ in $(seq 50); do
    left=0
    for cg in "$cga" "$cgb"; do for h in $hier; do
      [ -d "/sys/fs/cgroup/$h$cg" ] && { rmdir "/sys/fs/cgroup/$h$cg" 2>/dev/null || left=1; }
    done; done
    [ "$left" = 0 ] && break
    sleep 0.1
  done
  rmdir /sys/fs/cgroup/*/machine.slice 2>/dev/null || true
  [ -n "${cass_dir:-}" ] && "$root/scripts/cassandra/node.sh" stop --dir "$cass_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
for cg in "$cga" "$cgb"; do for h in $hier; do mkdir -p "/sys/fs/cgroup/$h$cg"; done; done
python3 "$fixtures/fake_runtime_api.py" /var/run/docker.sock "$work/containers.json" "$work/api.log" & pids+=($!)
python3 "$fixtures/fake_runtime_api.py" /run/podman/podman.sock "$work/containers.json" "$work/api.log" & pids+=($!)
# the sockets must exist before the agent starts: a bind mount of a missing file is skipped
for _ in $(seq 50); do [ -S /var/run/docker.sock ] && [ -S /run/podman/podman.sock ] && break; sleep 0.1; done
[ -S /var/run/docker.sock ] && [ -S /run/podman/podman.sock ] || fail "the fake runtime API did not start"

# in_container CGROUP CMD...: CMD in the fake container, in the background (sets $last)
in_container() {
  local cg=$1; shift
  ( for h in $hier; do echo "$BASHPID" > "/sys/fs/cgroup/$h$cg/cgroup.procs"; done; exec "$@" ) &
  last=$!
}

# a process that exists before the agent starts: its args can only come from /host/proc
marker="scapstream-preexisting-$RANDOM"
in_container "$cga" sh -c 'while :; do sleep 0.3; done' "$marker"; pre=$last; pids+=("$pre")

# start_agent LOG [run options...]: the container in the background; waits for "capturing"
start_agent() {
  local out=$1; shift
  "$image_sh" run --name scapstream-test -v "$data:/data" -e "SCAPSTREAM_LISTEN=127.0.0.1:$port" "$@" \
    > "$out" 2>&1 &
  agent=$!
  for _ in $(seq 300); do
    grep -q capturing "$out" 2>/dev/null && return 0
    kill -0 "$agent" 2>/dev/null || break
    sleep 0.2
  done
  cat "$out" >&2; fail "the agent did not start capturing (log above)"
}
api() { curl -fsS --max-time 10 "http://127.0.0.1:$port$1"; }

# run_workloads TAG: dd writes of known sizes in both containers and ~1 s of CPU in the podman one;
# writes $work/truth-TAG.json (pids, exact bytes, the burner's CPU clock and the steal beside it)
run_workloads() {
  local tag=$1 pw pc pr
  in_container "$cga" dd if=/dev/zero "of=$work/web-$tag.bin" bs=4096 count=300 status=none; pw=$last
  in_container "$cgb" dd if=/dev/zero "of=$work/cache-$tag.bin" bs=1000 count=777 status=none; pc=$last
  # The burner is a forked child, so its parent's wait4() gives the kernel's whole task clock,
  # exit included. Switch intervals also hold hypervisor steal, which that clock leaves out
  # (paravirt steal accounting): the steal over the run, from /proc/stat, is written beside it.
  # (the child reads its clock every ~10 ms only: each read is a syscall the probe would capture)
  in_container "$cgb" python3 -c '
import os, sys, time
def steal_ns():
    f = open("/proc/stat").readline().split()
    return int(f[8]) * 1_000_000_000 // os.sysconf("SC_CLK_TCK")
s0 = steal_ns()
pid = os.fork()
if pid == 0:
    t = time.thread_time_ns() + 1_000_000_000
    while time.thread_time_ns() < t:
        for _ in range(300_000): pass
    os._exit(0)
_, _, ru = os.wait4(pid, 0)
open(sys.argv[1], "w").write("%d %d %d" % (pid, round((ru.ru_utime + ru.ru_stime) * 1e9), steal_ns() - s0))' "$work/burn-$tag.ns"; pr=$last
  wait "$pw" "$pc" "$pr"
  sleep 4   # the agent closes and writes a second every second
  printf '{"web_pid": %d, "web_file": "%s", "web_bytes": 1228800, "cache_pid": %d, "cache_file": "%s", "cache_bytes": 777000, "burn_pid": %d, "burn_cpu": %d, "burn_steal": %d}\n' \
    "$pw" "$work/web-$tag.bin" "$pc" "$work/cache-$tag.bin" $(cat "$work/burn-$tag.ns") > "$work/truth-$tag.json"
}

# check TAG WHAT...: what the UI serves against the truth (python: JSON in, one line per failure)
# (the podman container's cpuacct.usage is its truth only in run 1, which holds all its CPU so far)
check() {
  local tag=$1 cpuacct=-; shift
  [ "$tag" = 1 ] && cpuacct=$(cat "/sys/fs/cgroup/cpuacct$cgb/cpuacct.usage")
  # libsinsp names a container by an asynchronous call to the runtime's API: on a loaded host the
  # name may come a few seconds after the container's first rows, so the check is retried a while
  local try
  for try in 1 2 3 4 5 6; do
    python3 "$root/scripts/test-image-check.py" "http://127.0.0.1:$port" "$work/truth-$tag.json" \
      "$ida" "$idb" "$(cat /proc/sys/kernel/hostname)" "$pre" "$marker" "$cpuacct" "$@" > "$work/check.out" \
      && { cat "$work/check.out"; return 0; }
    sleep 5
  done
  cat "$work/check.out"; return 1
}

# 1. SQLite on the data volume
log "run 1: SQLite on /data, UI on 127.0.0.1:$port"
start_agent "$work/agent1.log"
run_workloads 1
# read whole, then grep: grep -q closing the pipe early fails curl (23) under pipefail
metrics=$(api /metrics)
log "run 1: $(grep -E '^falcosecurity_scap_n_(evts|drops)_total' <<<"$metrics" | tr '\n' ' ')"
check 1 all || { cat "$work/agent1.log" >&2; fail "run 1 (above)"; }
grep -q '^scapstream_' <<<"$metrics" || fail "/metrics does not answer with scapstream_ metrics"
stop_agent
[ -s "$data/scapstream.db" ] || fail "no SQLite file on the data volume ($data/scapstream.db)"
log "restart: the rows of run 1 are still served"
start_agent "$work/agent2.log"
check 1 stored || fail "after a restart (above)"
stop_agent

# 2. least privilege: without CAP_BPF the entrypoint fails with one line naming it
log "run without CAP_BPF"
set +e
timeout 120 "$image_sh" run --name scapstream-test --cap-drop CAP_BPF -v "$data:/data" \
  -e "SCAPSTREAM_LISTEN=127.0.0.1:$port" > "$work/nocap.log" 2>&1
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "the agent ran without CAP_BPF (exit 0)"
grep -q 'CAP_BPF' "$work/nocap.log" || { cat "$work/nocap.log" >&2; fail "no message naming CAP_BPF (log above)"; }
[ "$(grep -c . "$work/nocap.log")" -le 2 ] || { cat "$work/nocap.log" >&2; fail "more than a one-line message without CAP_BPF"; }
log "without CAP_BPF: exit $rc, $(grep CAP_BPF "$work/nocap.log" | head -1)"

# 3. Cassandra: rows arrive; the node stopped for 30 s loses nothing
if [ "${1:-}" = "--no-cassandra" ]; then
  echo "test-image: PASS (SQLite, restart, least privilege; Cassandra not asked)"; exit 0
fi
# a node of its own (other ports than the suite's), so stopping it disturbs no other test
cass_dir="$work/cassandra"
log "starting a Cassandra node for the image test"
"$root/scripts/cassandra/node.sh" start --dir "$cass_dir" --address 127.0.0.1 --native-port 19142 \
  --storage-port 17100 --cluster scapstream-image-test --heap 768m >&2 || fail "the Cassandra node did not start"
ks="image_test_$RANDOM"
start_agent "$work/agent3.log" -e SCAPSTREAM_CASSANDRA=127.0.0.1:19142 -e "SCAPSTREAM_KEYSPACE=$ks"
run_workloads 3
check 3 all || { cat "$work/agent3.log" >&2; fail "Cassandra run (above)"; }
log "stopping the node for 30 s while the workloads run again"
"$root/scripts/cassandra/node.sh" stop --dir "$cass_dir" >&2
stopped=$(date +%s)
run_workloads 4
sleep $((30 - ($(date +%s) - stopped) > 0 ? 30 - ($(date +%s) - stopped) : 0))
"$root/scripts/cassandra/node.sh" start --dir "$cass_dir" >&2 || fail "the Cassandra node did not restart"
sleep 15   # the spooled seconds go out once the driver reconnects
check 3 all || { cat "$work/agent3.log" >&2; fail "after the outage, run 3's rows (above)"; }
check 4 all || { cat "$work/agent3.log" >&2; fail "rows written during the outage (above)"; }
stop_agent
echo "test-image: PASS (SQLite, restart, least privilege, Cassandra with a 30 s outage)"
