#!/usr/bin/env bash
# A real Apache Cassandra 5.0 node on this machine, for tests (no Docker, no server package, no cqlsh).
# The server is Maven's org.apache.cassandra:cassandra-all with its runtime jars, run straight from
# the jars with a cassandra.yaml and logback.xml written per node. Several nodes coexist: each binds
# its own loopback address 127.0.0.N (all of 127/8 is loopback on Linux) and JMX stays off unless
# --jmx-port is given.
#
#   node.sh fetch                     the server's jars into ~/.cache/scapstream/cassandra-5.0.9/lib/
#   node.sh start --dir DIR --address 127.0.0.X [--native-port 9042] [--storage-port 7000]
#                 [--seeds 127.0.0.1,...] [--cluster NAME] [--heap 512m] [--timeout 180]
#                 [--jmx-port N] [--bootstrap] [--commitlog-sync periodic|batch|group] [--jvm-opt OPT]...
#                                     (--jmx-port: local JMX on 127.0.0.1:N, one N per node; a later
#                                     --jvm-opt wins, e.g. -XX:TieredStopAtLevel=4 for C2 in benchmarks)
#                                     writes DIR/conf, starts the node in the background (DIR/pid,
#                                     DIR/logs) and waits until a CQL query answers; DIR may hold the
#                                     data of an earlier run (a restart): options not given are read
#                                     back from DIR/node.env
#   node.sh stop --dir DIR [--timeout 30]   SIGTERM, then SIGKILL after the timeout; ok if not running
#   node.sh kill --dir DIR            SIGKILL (fault tests)
#   node.sh status --dir DIR          exit 0 if running and answering CQL
#   node.sh cql (--dir DIR | --address A [--native-port P]) QUERY   prints the rows, tab-separated
#   node.sh wait-peers --dir DIR --count N [--timeout 60]   until the node lists N rows in system.peers
#
# Defaults suit one fresh test cluster: seeds = the node's own address, auto_bootstrap false (a node
# joins with no data streamed; --bootstrap to stream), no gossip settle wait, SimpleSnitch
# (datacenter1/rack1), AllowAllAuthenticator, auto_snapshot off, commitlog_sync periodic every 10 s
# as shipped: a SIGKILL loses the writes of the last 10 s on that node (what a real crash does; use
# --commitlog-sync batch for a node that keeps every acknowledged write). An AppCDS archive of the server's
# classes is made under the cache on the first clean stop and used after (faster start).
# Environment: SCAPSTREAM_CACHE (default ~/.cache/scapstream), SCAPSTREAM_CASSANDRA_JAVA (a JDK 17
# home, else /usr/lib/jvm/java-17-*), SCAPSTREAM_CASSANDRA_CDS=0 to run without the archive.
set -euo pipefail

version=5.0.9
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
cache="${SCAPSTREAM_CACHE:-$HOME/.cache/scapstream}/cassandra-$version"
lib="$cache/lib"
marker="$cache/lib.complete"

say() { echo "cassandra: $*" >&2; }
die() { echo "cassandra: error: $*" >&2; exit 1; }
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# JDK 17 explicitly: 5.0 does not run on the Temurin 25 that may also sit in /usr/lib/jvm, and
# JAVA_HOME may point anywhere.
jdk=""
pick_jdk() {
  [ -n "$jdk" ] && return 0
  local d v
  for d in ${SCAPSTREAM_CASSANDRA_JAVA:-} /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/java-17-*; do
    [ -x "$d/bin/java" ] || continue
    v=$(grep -s '^JAVA_VERSION=' "$d/release" || "$d/bin/java" -version 2>&1 || true)
    if [[ "$v" == *'"17.'* ]]; then jdk=$(readlink -f "$d"); return 0; fi
  done
  die "no JDK 17 found under /usr/lib/jvm (apt-get install openjdk-17-jdk-headless, or set SCAPSTREAM_CASSANDRA_JAVA)"
}

# ---------------------------------------------------------------- fetch
fetch() {
  [ -f "$marker" ] && return 0
  mkdir -p "$cache"
  exec 8>"$cache/.fetch.lock"
  flock 8                                  # nodes started at once fetch once
  if [ -f "$marker" ]; then exec 8>&-; return 0; fi
  pick_jdk
  command -v mvn >/dev/null || die "mvn is needed to fetch Cassandra $version"
  local t0 part="$cache/lib.partial"
  t0=$(now)
  say "fetching cassandra-all $version and its runtime dependencies (Maven, once)"
  rm -rf "$part" "$lib" "$cache/cds"        # a partial or stale copy is redone; an old archive too
  mkdir -p "$part"
  # (Maven 3.8 prints colour resets even with -B -q: stripped)
  JAVA_HOME="$jdk" mvn -B -q -Dstyle.color=never -f "$here/pom.xml" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$part" 2>&1 \
    | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2 \
    || die "mvn dependency:copy-dependencies failed (above)"
  [ -f "$part/cassandra-all-$version.jar" ] || die "cassandra-all-$version.jar missing after the fetch"
  mv "$part" "$lib"
  touch "$marker"
  say "fetched $(ls "$lib" | wc -l) jars ($(du -sh "$lib" | cut -f1)) in $(since "$t0") s"
  exec 8>&-
}


# ---------------------------------------------------------------- the CQL probe
# CqlProbe.java compiled once into the cache (a source-launcher run compiles it every time, ~1 s of
# a CPU the starting node needs); the source launcher if there is no javac.
probe() {
  pick_jdk
  local src="$here/CqlProbe.java" sum pdir tmp
  sum=$(sha256sum "$src" | cut -c1-16)
  pdir="$cache/probe-$sum"
  if [ ! -f "$pdir/CqlProbe.class" ] && [ -x "$jdk/bin/javac" ]; then
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/probe.XXXXXX")
    if "$jdk/bin/javac" -nowarn -d "$tmp" "$src" >&2; then
      mv -T "$tmp" "$pdir" 2>/dev/null || rm -rf "$tmp"
    else
      rm -rf "$tmp"
    fi
  fi
  local jopts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -Xshare:auto)
  if [ -f "$pdir/CqlProbe.class" ]; then
    "$jdk/bin/java" "${jopts[@]}" -cp "$pdir" CqlProbe "$@"
  else
    "$jdk/bin/java" "${jopts[@]}" "$src" "$@"
  fi
}

# ---------------------------------------------------------------- process helpers
# alive DIR PID: PID is this node's Cassandra (its command line names DIR's cassandra.yaml), not a
# zombie, not a reused pid
alive() {
  local cmd
  [ -n "$2" ] && [ -r "/proc/$2/cmdline" ] || return 1
  cmd=$(tr '\0' '\n' < "/proc/$2/cmdline" 2>/dev/null) || return 1
  grep -qxF -- "-Dcassandra.config=file://$1/conf/cassandra.yaml" <<< "$cmd"
}

read_pid() { [ -f "$1/pid" ] && tr -dc '0-9' < "$1/pid" || true; }

# exited PID: every thread of PID has exited (a zombie, or reaped): its sockets are closed. (Its
# command line goes empty earlier, while the threads still tear down.)
exited() {
  local st
  [ -d "/proc/$1" ] || return 0
  for st in /proc/"$1"/task/*/stat; do
    [ -r "$st" ] || continue
    case "$(sed 's/^.*) \(.\).*$/\1/' "$st" 2>/dev/null)" in Z|X|'') ;; *) return 1 ;; esac
  done
  return 0
}

# gone DIR PID: this node's process has exited (or PID now names another process)
gone() {
  local cmd
  exited "$2" && return 0
  cmd=$(tr '\0' '\n' < "/proc/$2/cmdline" 2>/dev/null) || return 0
  [ -n "$cmd" ] && ! grep -qxF -- "-Dcassandra.config=file://$1/conf/cassandra.yaml" <<< "$cmd"
}

# wait_gone DIR PID SECONDS: 0 once the process is gone, 1 if still alive after SECONDS
wait_gone() {
  local end
  end=$(awk -v t="$EPOCHREALTIME" -v s="$3" 'BEGIN { printf "%.3f", t + s }')
  while ! gone "$1" "$2"; do
    awk -v t="$EPOCHREALTIME" -v e="$end" 'BEGIN { exit !(t > e) }' && return 1
    sleep 0.2
  done
  return 0
}

log_tail() {
  local d="$1/logs"
  if [ -s "$d/system.log" ]; then
    echo "---- $d/system.log (last 40 lines)" >&2
    tail -n 40 "$d/system.log" >&2
  fi
  if [ -s "$d/stdout.log" ]; then
    echo "---- $d/stdout.log (last 15 lines)" >&2
    tail -n 15 "$d/stdout.log" >&2
  fi
  echo "----" >&2
}

# ---------------------------------------------------------------- AppCDS
# One dynamic archive of the server's classes per JDK build, written by the first node that stops
# cleanly (-XX:ArchiveClassesAtExit to a part file of its own), checked with -Xshare:on, then moved
# into place; later nodes map it (-XX:SharedArchiveFile). A node that could not map it (e.g. the JDK
# changed) drops it and the next clean stop makes a new one.
cds_dir="$cache/cds"
cds_archive() { pick_jdk; echo "$cds_dir/server-$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$jdk/release" 2>/dev/null || true)-$(echo "$jdk" | sha256sum | cut -c1-8).jsa"; }

classpath() { local j cp=""; for j in "$lib"/*.jar; do cp="$cp${cp:+:}$j"; done; echo "$cp"; }

# cds_settle DIR: after the node's process is gone, promote its part file or drop it
cds_settle() {
  local part arch
  [ -f "$1/cds-pending" ] || return 0
  part=$(cat "$1/cds-pending")
  rm -f "$1/cds-pending"
  [ -n "$part" ] && [ -f "$part" ] || return 0
  arch=$(cds_archive)
  if [ ! -f "$arch" ] && [ -s "$part" ] \
      && "$jdk/bin/java" -XX:SharedArchiveFile="$part" -Xshare:on -cp "$(classpath)" -version >"$1/logs/cds-check.log" 2>&1; then
    mv -f "$part" "$arch"
    say "AppCDS archive saved: $arch ($(du -h "$arch" | cut -f1))"
  else
    rm -f "$part"
  fi
}

# ---------------------------------------------------------------- start
# shell-quoted key=value lines, read back by a later start on the same DIR
save_env() {
  {
    local k
    for k in address native_port storage_port seeds cluster heap jmx_port bootstrap commitlog_sync; do
      printf '%s=%q\n' "$k" "${!k}"
    done
  } > "$dir/node.env"
}

yq() { local v="${1//\'/\'\'}"; printf "'%s'" "$v"; }   # a YAML single-quoted string

write_conf() {
  mkdir -p "$dir/conf" "$dir/logs" "$dir/data" "$dir/commitlog" "$dir/saved_caches" "$dir/hints" "$dir/cdc_raw"
  cat > "$dir/conf/cassandra.yaml" <<YAML
# written by scripts/cassandra/node.sh for a test node ($address, native $native_port, storage $storage_port)
cluster_name: $(yq "$cluster")
num_tokens: 16
allocate_tokens_for_local_replication_factor: 3
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: $(yq "$seeds")
listen_address: $address
rpc_address: $address
storage_port: $storage_port
native_transport_port: $native_port
start_native_transport: true
auto_bootstrap: $([ "$bootstrap" = 1 ] && echo true || echo false)

data_file_directories:
  - $(yq "$dir/data")
commitlog_directory: $(yq "$dir/commitlog")
saved_caches_directory: $(yq "$dir/saved_caches")
hints_directory: $(yq "$dir/hints")
cdc_raw_directory: $(yq "$dir/cdc_raw")
$(case "$commitlog_sync" in
    periodic) printf 'commitlog_sync: periodic\ncommitlog_sync_period: 10000ms' ;;
    batch) printf 'commitlog_sync: batch' ;;
    group) printf 'commitlog_sync: group\ncommitlog_sync_group_window: 15ms' ;;
  esac)

authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
role_manager: CassandraRoleManager
network_authorizer: AllowAllNetworkAuthorizer

# tests drop and truncate tables often: no snapshot each time
auto_snapshot: false
YAML
  cat > "$dir/conf/logback.xml" <<XML
<configuration scan="false">
  <appender name="SYSTEMLOG" class="ch.qos.logback.core.rolling.RollingFileAppender">
    <file>$dir/logs/system.log</file>
    <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
      <fileNamePattern>$dir/logs/system.log.%i</fileNamePattern>
      <minIndex>1</minIndex>
      <maxIndex>3</maxIndex>
    </rollingPolicy>
    <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
      <maxFileSize>50MB</maxFileSize>
    </triggeringPolicy>
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %logger{0} - %msg%n</pattern>
    </encoder>
  </appender>
  <root level="INFO">
    <appender-ref ref="SYSTEMLOG"/>
  </root>
</configuration>
XML
}

# the JPMS list of Cassandra's conf/jvm17-server.options: without it the node exits at once
# ("Cassandra is unable to access required classes")
jpms_opts=(
  -Djdk.attach.allowAttachSelf=true
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
  --add-exports java.sql/java.sql=ALL-UNNAMED
  --add-exports java.base/java.lang.ref=ALL-UNNAMED
  --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
  --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
  --add-opens java.base/java.lang.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
  --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
  --add-opens java.base/jdk.internal.math=ALL-UNNAMED
  --add-opens java.base/jdk.internal.module=ALL-UNNAMED
  --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.base/java.io=ALL-UNNAMED
  --add-opens java.base/java.nio=ALL-UNNAMED
  --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/java.util=ALL-UNNAMED
  --add-opens java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens java.base/java.net=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true
  -Dio.netty.allocator.useCacheForAllThreads=true
  -Dio.netty.allocator.maxOrder=11
)

start() {
  local dir="" o_address="" o_native="" o_storage="" o_seeds="" o_cluster="" o_heap="" o_jmx="" o_boot="" o_sync=""
  local timeout=180 extra=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      --address) o_address="$2"; shift 2 ;;
      --native-port) o_native="$2"; shift 2 ;;
      --storage-port) o_storage="$2"; shift 2 ;;
      --seeds) o_seeds="$2"; shift 2 ;;
      --cluster) o_cluster="$2"; shift 2 ;;
      --heap) o_heap="$2"; shift 2 ;;
      --timeout) timeout="$2"; shift 2 ;;
      --jmx-port) o_jmx="$2"; shift 2 ;;
      --bootstrap) o_boot=1; shift ;;
      --commitlog-sync) o_sync="$2"; shift 2 ;;
      --jvm-opt) extra+=("$2"); shift 2 ;;
      *) die "start: unknown option $1" ;;
    esac
  done
  [ -n "$dir" ] || die "start: --dir DIR is needed"
  case "$dir" in *[[:space:]\'\"\&\<\>\\\$]*) die "start: DIR must not contain spaces or quotes: $dir" ;; esac
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)

  local address="" native_port=9042 storage_port=7000 seeds="" cluster=scapstream heap=512m jmx_port="" bootstrap=0
  local commitlog_sync=periodic
  # shellcheck disable=SC1091
  [ -f "$dir/node.env" ] && . "$dir/node.env"
  address=${o_address:-$address}; native_port=${o_native:-$native_port}; storage_port=${o_storage:-$storage_port}
  seeds=${o_seeds:-${seeds:-$address}}; cluster=${o_cluster:-$cluster}; heap=${o_heap:-$heap}
  jmx_port=${o_jmx:-$jmx_port}; bootstrap=${o_boot:-$bootstrap}; commitlog_sync=${o_sync:-$commitlog_sync}
  case "$commitlog_sync" in periodic|batch|group) ;; *) die "start: --commitlog-sync periodic|batch|group" ;; esac
  [ -n "$address" ] || die "start: --address 127.0.0.X is needed"
  [[ "$address" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "start: --address must be an IPv4 address: $address"
  local p
  for p in "$native_port" "$storage_port" "$timeout" ${jmx_port:+"$jmx_port"}; do
    [[ "$p" =~ ^[0-9]+$ ]] || die "start: not a number: $p"
  done
  [[ "$heap" =~ ^[0-9]+[kKmMgG]?$ ]] || die "start: --heap like 512m: $heap"

  local pid
  pid=$(read_pid "$dir")
  if alive "$dir" "$pid"; then die "a node already runs on $dir (pid $pid)"; fi
  rm -f "$dir/pid"
  cds_settle "$dir"                       # a killed earlier run may have left its part file
  for p in "$address:$native_port" "$address:$storage_port" ${jmx_port:+"127.0.0.1:$jmx_port"}; do
    if (exec 3<>"/dev/tcp/${p%:*}/${p##*:}") 2>/dev/null; then die "$p is already in use"; fi
  done

  fetch
  pick_jdk
  write_conf
  save_env

  # Token allocation first waits up to ring_delay_ms (30 s) while the node knows no schema but its
  # own system keyspaces: the first node of a new cluster can only time out there. A seed does not
  # need the delay otherwise (it gives up waiting for other seeds after it and carries on), so seeds
  # run with 1 s. A joining node keeps the 30 s, which only bounds its waits: its seed's schema and
  # ring arrive within a second or two.
  local ring_delay_ms=30000
  if [[ ",$seeds," == *",$address,"* || ",$seeds," == *",$address:$storage_port,"* ]]; then ring_delay_ms=1000; fi
  local opts=(
    -Xms"$heap" -Xmx"$heap" -Xss256k
    -XX:+UseG1GC -XX:+ParallelRefProcEnabled -XX:MaxTenuringThreshold=1
    -XX:+PerfDisableSharedMem -XX:ErrorFile="$dir/logs/hs_err_pid%p.log"
    -Djava.net.preferIPv4Stack=true
    "${jpms_opts[@]}"
    -Dcassandra.config="file://$dir/conf/cassandra.yaml"
    -Dlogback.configurationFile="$dir/conf/logback.xml"
    -Dcassandra.logdir="$dir/logs"
    -Dcassandra.storagedir="$dir"
    -Dcassandra-foreground=yes
    # start faster: no wait for gossip to settle, a cheap memtable overhead estimate, and C1 only
    # (a quarter less start time; lower peak throughput: --jvm-opt -XX:TieredStopAtLevel=4)
    -Dcassandra.skip_wait_for_gossip_to_settle=0
    -Dcassandra.ring_delay_ms="$ring_delay_ms"
    -Dcassandra.memtable_row_overhead_computation_step=100
    -XX:TieredStopAtLevel=1
  )
  [ -n "$jmx_port" ] && opts+=(-Dcassandra.jmx.local.port="$jmx_port")

  local arch part="" mapped=""
  arch=$(cds_archive)
  if [ "${SCAPSTREAM_CASSANDRA_CDS:-1}" != 0 ]; then
    if [ -f "$arch" ]; then
      opts+=(-XX:SharedArchiveFile="$arch")
      mapped=$arch
    else
      mkdir -p "$cds_dir"
      find "$cds_dir" -name '*.part-*' -mmin +1440 -delete 2>/dev/null || true   # of nodes never stopped
      part="$arch.part-$$-$RANDOM"
      opts+=(-XX:ArchiveClassesAtExit="$part" "-Xlog:cds*=off")
      echo "$part" > "$dir/cds-pending"
    fi
  fi
  opts+=("${extra[@]}")

  local t0 cp
  t0=$(now)
  cp=$(classpath)
  say "starting $address:$native_port (storage $storage_port, cluster '$cluster', seeds $seeds, heap $heap) in $dir"
  # As root the node would mlockall its whole heap (CAP_IPC_LOCK ignores the memlock limit): seconds
  # of start and ~1 GB of locked RSS per node for nothing in a test. Without the capability it logs
  # a warning and carries on.
  local pre=()
  if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then pre=(setpriv --bounding-set -ipc_lock --); fi
  (cd "$dir" && exec "${pre[@]}" "$jdk/bin/java" "${opts[@]}" -cp "$cp" org.apache.cassandra.service.CassandraDaemon) \
    > "$dir/logs/stdout.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$dir/pid"

  local rc=0
  probe "$address" "$native_port" --wait "$timeout" --pid "$pid" > /dev/null 2> "$dir/logs/probe.log" || rc=$?
  if [ "$rc" -ne 0 ]; then
    local why
    if [ "$rc" -eq 3 ]; then why="the node exited during start"; else why="no CQL answer in $timeout s"; fi
    if alive "$dir" "$pid"; then kill -KILL "$pid" 2>/dev/null || true; wait_gone "$dir" "$pid" 10 || true; fi
    wait "$pid" 2>/dev/null || true
    rm -f "$dir/pid"
    [ -n "$part" ] && rm -f "$part" "$dir/cds-pending"
    log_tail "$dir"
    tail -n 1 "$dir/logs/probe.log" >&2 || true
    die "$address:$native_port did not start: $why (logs in $dir/logs)"
  fi
  if [ -n "$mapped" ] && ! grep -qF "$mapped" "/proc/$pid/maps" 2>/dev/null; then
    say "the AppCDS archive could not be used (JDK or jars changed?): dropped, the next clean stop makes a new one"
    rm -f "$mapped"
  fi
  say "$address:$native_port up in $(since "$t0") s (pid $pid, $dir)"
}

# ---------------------------------------------------------------- stop / kill / status / cql
dir_opt() {
  dir=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      --timeout) timeout="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ -n "$dir" ] || die "--dir DIR is needed"
  [ -d "$dir" ] || die "no such directory: $dir"
  dir=$(cd "$dir" && pwd -P)
}

stop() {
  local dir timeout=30 pid t0
  dir_opt "$@"
  pid=$(read_pid "$dir")
  if ! alive "$dir" "$pid"; then
    rm -f "$dir/pid"; cds_settle "$dir"
    say "not running ($dir)"; return 0
  fi
  t0=$(now)
  kill -TERM "$pid" 2>/dev/null || true
  if wait_gone "$dir" "$pid" "$timeout"; then
    say "stopped pid $pid in $(since "$t0") s ($dir)"
  else
    if alive "$dir" "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait_gone "$dir" "$pid" 10 || die "pid $pid survived SIGKILL"
    say "pid $pid did not stop in $timeout s: killed ($dir)"
  fi
  rm -f "$dir/pid"
  cds_settle "$dir"
}

kill_node() {
  local dir timeout pid
  dir_opt "$@"
  pid=$(read_pid "$dir")
  if alive "$dir" "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$dir" "$pid" 10 || die "pid $pid survived SIGKILL"
    say "killed pid $pid ($dir)"
  else
    say "not running ($dir)"
  fi
  rm -f "$dir/pid"
  cds_settle "$dir"
}

status() {
  local dir timeout pid address="" native_port=9042
  dir_opt "$@"
  pid=$(read_pid "$dir")
  alive "$dir" "$pid" || { say "not running ($dir)"; return 1; }
  # shellcheck disable=SC1091
  . "$dir/node.env"
  if probe "$address" "$native_port" > /dev/null; then
    say "running: pid $pid, $address:$native_port ($dir)"
  else
    say "pid $pid runs but $address:$native_port does not answer CQL ($dir)"; return 1
  fi
}

cql() {
  local dir="" address="" native_port=9042 query="" wait=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      --address) address="$2"; shift 2 ;;
      --native-port) native_port="$2"; shift 2 ;;
      --wait) wait=(--wait "$2"); shift 2 ;;
      -*) die "cql: unknown option $1" ;;
      *) [ -z "$query" ] || die "cql: one QUERY only (quote it)"; query="$1"; shift ;;
    esac
  done
  if [ -n "$dir" ]; then
    # shellcheck disable=SC1091
    . "$dir/node.env"
  fi
  [ -n "$address" ] || die "cql: --dir DIR or --address A is needed"
  probe "$address" "$native_port" ${query:+"$query"} "${wait[@]}"
}

wait_peers() {
  local dir="" count="" timeout=60 address="" native_port=9042
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      --count) count="$2"; shift 2 ;;
      --timeout) timeout="$2"; shift 2 ;;
      *) die "wait-peers: unknown option $1" ;;
    esac
  done
  [ -n "$dir" ] && [ -f "$dir/node.env" ] || die "wait-peers: --dir DIR of a started node is needed"
  [[ "$count" =~ ^[0-9]+$ ]] || die "wait-peers: --count N is needed"
  # shellcheck disable=SC1091
  . "$dir/node.env"
  probe "$address" "$native_port" "SELECT peer FROM system.peers" --rows "$count" --wait "$timeout" > /dev/null \
    || die "$address:$native_port does not list $count peers after $timeout s"
  say "$address:$native_port sees $count peers"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  fetch) fetch ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  kill) kill_node "$@" ;;
  status) status "$@" ;;
  cql) cql "$@" ;;
  wait-peers) wait_peers "$@" ;;
  *) die "usage: node.sh fetch|start|stop|kill|status|cql|wait-peers ... (see the head of $0)" ;;
esac
