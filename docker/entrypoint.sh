#!/bin/sh
# The image's entrypoint: `scapstream live` with the store and UI settings from the environment,
# then any flags given to `docker run ... IMAGE [FLAGS]` (they win: the last value of a flag counts).
#   SCAPSTREAM_DB          SQLite file (default /data/scapstream.db)
#   SCAPSTREAM_CASSANDRA   HOST:PORT[,...]: store in Cassandra instead of SQLite
#   SCAPSTREAM_KEYSPACE    Cassandra keyspace
#   SCAPSTREAM_LOCAL_DC    Cassandra datacenter of this host; SCAPSTREAM_CONSISTENCY its consistency
#   SCAPSTREAM_SPOOL       where closed seconds wait while Cassandra is unreachable (default /data/spool)
#   SCAPSTREAM_LISTEN      UI address (default 0.0.0.0:5000 inside the container; publish it on
#                          the host's 127.0.0.1 with -p 127.0.0.1:5000:5000)
#   SCAPSTREAM_HOST        host name stored with every row (default: the host's name)
#   SCAPSTREAM_JAVA_OPTS   JVM options (default: a small serial-collected heap)
set -eu
args="live --ui --listen ${SCAPSTREAM_LISTEN:-0.0.0.0:5000}"
if [ -n "${SCAPSTREAM_CASSANDRA:-}" ]; then
  args="$args --cassandra $SCAPSTREAM_CASSANDRA"
  [ -n "${SCAPSTREAM_KEYSPACE:-}" ] && args="$args --keyspace $SCAPSTREAM_KEYSPACE"
  [ -n "${SCAPSTREAM_LOCAL_DC:-}" ] && args="$args --local-dc $SCAPSTREAM_LOCAL_DC"
  [ -n "${SCAPSTREAM_CONSISTENCY:-}" ] && args="$args --consistency $SCAPSTREAM_CONSISTENCY"
  args="$args --spool ${SCAPSTREAM_SPOOL:-/data/spool}"
else
  args="$args --db ${SCAPSTREAM_DB:-/data/scapstream.db}"
fi
if [ -n "${SCAPSTREAM_HOST:-}" ]; then
  args="$args --host $SCAPSTREAM_HOST"
elif [ -r "${HOST_ROOT:-/host}/proc/sys/kernel/hostname" ]; then
  args="$args --host $(cat "${HOST_ROOT:-/host}/proc/sys/kernel/hostname")"
fi
# the settings above first, the flags given to `docker run` after them (a repeated flag: the last wins)
# shellcheck disable=SC2086
set -- $args "$@"
# shellcheck disable=SC2086
exec java ${SCAPSTREAM_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx1g} -jar /opt/scapstream/scapstream.jar "$@"
