package dev.scapstream.store;

import java.util.List;

/**
 * The one storage interface (Zipkin style): every backend (SQLite, Cassandra) implements it and
 * passes the same contract suite. Rows are keyed so that writing a batch again overwrites, never
 * adds: a retried write cannot double-count. Reads return rows as stored (rollups are precomputed).
 */
public interface MetricsStore extends AutoCloseable {
    /** Resolutions in seconds: raw, and the agent's rollups. */
    int[] RESOLUTIONS = {1, 10, 3600, 86400};

    /** Writes (upserts) one batch; returns when it is durable. */
    void write(MetricsBatch batch);

    /**
     * Whether the writer may merge closed seconds that queued up into one write (a store's
     * transaction or batch per write makes that cheaper). A store that must see every second as
     * a write of its own says no.
     */
    default boolean coalescesWrites() {
        return true;
    }

    /** Containers (the host included) seen in [from, to) on a host, or on all hosts when host is null. */
    List<Rows.ContainerInfo> containers(String host, long fromTs, long toTs);

    /**
     * Processes of a container that were alive at some point in [from, to) (epoch seconds, as every
     * range here; a process's start and exit are epoch ns, 0 = before the capture / still running).
     */
    List<Rows.ProcessInfo> processes(String host, String containerId, long fromTs, long toTs);

    /**
     * A series kind's rows of a scope in [from, to) at a resolution, ordered by ts, then the rest of
     * the kind's key. Kinds without a container (cpus, agent) ignore containerId.
     */
    <R extends Record> List<R> series(RowKind<R> kind, String host, String containerId, long fromTs, long toTs, int res);

    /** A container's rows in [from, to) at a resolution, ordered by ts. */
    default List<Rows.ContainerRow> containerSeries(String host, String containerId, long fromTs, long toTs, int res) {
        return series(RowKind.CONTAINER, host, containerId, fromTs, toTs, res);
    }

    /** Process rows of a container in [from, to) at a resolution (all its processes), ordered by ts, pid. */
    default List<Rows.ProcessRow> processSeries(String host, String containerId, long fromTs, long toTs, int res) {
        return series(RowKind.PROCESS, host, containerId, fromTs, toTs, res);
    }

    default List<Rows.FileRow> files(String host, String containerId, long fromTs, long toTs, int res) {
        return series(RowKind.FILE, host, containerId, fromTs, toTs, res);
    }

    default List<Rows.ConnectionRow> connections(String host, String containerId, long fromTs, long toTs, int res) {
        return series(RowKind.CONNECTION, host, containerId, fromTs, toTs, res);
    }

    default List<Rows.PortRow> ports(String host, String containerId, long fromTs, long toTs, int res) {
        return series(RowKind.PORT, host, containerId, fromTs, toTs, res);
    }

    default List<Rows.SyscallRow> syscalls(String host, String containerId, long fromTs, long toTs, int res) {
        return series(RowKind.SYSCALL, host, containerId, fromTs, toTs, res);
    }

    default List<Rows.ErrnoRow> errnos(String host, String containerId, long fromTs, long toTs, int res) {
        return series(RowKind.ERRNO, host, containerId, fromTs, toTs, res);
    }

    /** CPU per thread of a container's processes in [from, to), ordered by ts, pid, tid. */
    default List<Rows.ThreadRow> threads(String host, String containerId, long fromTs, long toTs, int res) {
        return series(RowKind.THREAD, host, containerId, fromTs, toTs, res);
    }

    default List<Rows.CpuRow> cpus(String host, long fromTs, long toTs, int res) {
        return series(RowKind.CPU, host, null, fromTs, toTs, res);
    }

    default List<Rows.AgentRow> agent(String host, long fromTs, long toTs, int res) {
        return series(RowKind.AGENT, host, null, fromTs, toTs, res);
    }

    /**
     * The recorded files of a host whose events overlap [from, to) (epoch seconds: a file from
     * first to last event overlaps when first < to and last >= from), gone ones included, ordered
     * by first event time, then path.
     */
    List<Rows.Recording> recordings(String host, long fromTs, long toTs);

    /** Hosts that wrote anything. */
    List<String> hosts();

    /**
     * The data's span over all hosts: {first second seen, last second seen + 1}, or null when the
     * store is empty. A small metadata read, whatever the store's history: the UI asks every second.
     */
    long[] span();

    /** The hosts a container was seen on (a small metadata read, not a scan of every day). */
    List<String> hostsOf(String containerId);

    /**
     * Deletes rows older than their retention: rows of resolution {@code res} with ts < cutoff for
     * each (res, cutoff) pair. Returns rows deleted (or -1 when the backend expires by TTL itself).
     */
    long expire(int res, long cutoffTs);

    @Override
    void close();

    /** Epoch seconds to ns, saturating (ranges may be Long.MIN_VALUE..Long.MAX_VALUE). */
    static long secondsToNs(long seconds) {
        if (seconds >= Long.MAX_VALUE / 1_000_000_000L) return Long.MAX_VALUE;
        if (seconds <= Long.MIN_VALUE / 1_000_000_000L) return Long.MIN_VALUE;
        return seconds * 1_000_000_000L;
    }
}
