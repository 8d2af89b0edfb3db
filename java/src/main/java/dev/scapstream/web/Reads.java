package dev.scapstream.web;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every page reads through: the range asked for, the host and record of a container, and
 * rows that sum to exactly the range (see {@link ExactRows}). Reads go through {@link MetricsStore}
 * only, so every backend serves the same UI.
 */
final class Reads {
    private final MetricsStore store;

    Reads(MetricsStore store) {
        this.store = store;
    }

    MetricsStore store() {
        return store;
    }

    /** The data's own span [from, to) over all hosts, or null when the store is empty. */
    long[] span() {
        return store.span();
    }

    /** The range asked for; without from/to, the data's own span (or the last 5 min of an empty store). */
    TimeRange range(Params p) {
        Long from = p.number("from");
        Long to = p.number("to");
        Integer res = TimeRange.parseRes(p);
        if (from == null || to == null) {
            if (from != null || to != null) throw new BadRequest("from and to go together");
            long[] span = span();
            if (span == null) {
                long now = Instant.now().getEpochSecond();
                span = new long[] {now - 300, now};
            }
            from = span[0];
            to = span[1];
        }
        return TimeRange.of(from, to, res);
    }

    /** The host a container is on: the one given, else the only host that has it. */
    String hostOf(String host, String id) {
        if (host != null) return host;
        List<String> hosts = store.hostsOf(id);
        if (hosts.isEmpty()) throw new NotFound("no container '" + id + "' in the store");
        if (hosts.size() > 1) throw new BadRequest("host: required (container '" + id + "' is on several hosts)");
        return hosts.get(0);
    }

    Rows.ContainerInfo container(String host, String id) {
        for (Rows.ContainerInfo c : store.containers(host, 0, Long.MAX_VALUE)) {
            if (c.id().equals(id)) return c;
        }
        throw new NotFound("no container '" + id + "' on host '" + host + "'");
    }

    /** Rows of one kind whose counters add up to exactly the range. */
    <T> List<T> exact(String host, TimeRange r, ExactRows.Reader<T> reader) {
        return ExactRows.read(reader, r.from(), r.to(), complete(host, r));
    }

    /** Processes alive in the range (the store applies the range: start/exit ns against seconds). */
    List<Rows.ProcessInfo> alive(String host, String cid, TimeRange r) {
        return store.processes(host, cid, r.from(), r.to());
    }

    /** The command name of each pid alive in the range. */
    Map<Long, String> comms(String host, String cid, TimeRange r) {
        Map<Long, String> m = new HashMap<>();
        for (Rows.ProcessInfo p : alive(host, cid, r)) m.put(p.pid(), p.comm());
        return m;
    }

    /**
     * Where the rollups end: the newest 10 s edge the agent closed (rollups are written with the
     * second that completes them). With no agent row near the range's end, the data ended before
     * it and every bucket was flushed.
     */
    private long complete(String host, TimeRange r) {
        long newest = Long.MIN_VALUE;
        for (Rows.AgentRow a : store.agent(host, Math.max(r.from(), r.to() - 30), r.to(), 1)) newest = Math.max(newest, a.ts());
        return newest == Long.MIN_VALUE ? r.to() : Math.floorDiv(newest + 1, 10) * 10;
    }
}
