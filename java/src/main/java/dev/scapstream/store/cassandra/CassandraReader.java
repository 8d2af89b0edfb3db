package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;
import dev.scapstream.store.StoreException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.scapstream.store.cassandra.BucketIndex.day;

/**
 * The store's reads, each through the bucket index: a range is read as the buckets (or days) the
 * index lists for it, one partition query each, so no query scans a table. Rows of one entity
 * written in several runs or days are merged here as the tables would merge two writes.
 *
 * <p>Threads: the web server's and the CLI's, several at once; it holds only prepared statements,
 * and the driver's session is thread-safe.
 */
final class CassandraReader {
    /** Ranges are clamped to this many seconds either side of the epoch (bucket arithmetic stays in range). */
    private static final long MAX_SECONDS = 1L << 52;

    /** A series kind's selects: raw rows, rollups. */
    private record SeriesSelect<R extends Record>(CqlTable<R> table, PreparedStatement raw, PreparedStatement rollup) {}

    private final CqlSession session;
    private final String where;
    private final Map<Class<?>, SeriesSelect<?>> series = new HashMap<>();
    private final PreparedStatement selectProcesses, selectContainers, selectRecordings;
    private final PreparedStatement selectHosts, selectContainerHosts, selectBuckets;

    CassandraReader(CassandraConfig config, CqlSession session) {
        this.session = session;
        this.where = config.toString();
        String ks = config.keyspace();
        for (RowKind<?> k : RowKind.series()) {
            CqlTable<?> t = new CqlTable<>(k);
            series.put(t.type, seriesSelect(t, ks));
        }
        selectProcesses = prepare("SELECT pid, start_ts, ppid, exit_ts, comm, exe, args, user FROM " + ks
                + ".processes WHERE host = ? AND container_id = ? AND day = ?");
        selectContainers = prepare("SELECT id, first_seen, last_seen, name, writetime(name), image, writetime(image),"
                + " runtime, writetime(runtime) FROM " + ks + ".containers WHERE host = ? AND day = ?");
        selectRecordings = prepare("SELECT path, first_ns, last_ns, bytes, gone FROM " + ks
                + ".recordings WHERE host = ? AND day = ?");
        selectHosts = prepare("SELECT host FROM " + ks + ".hosts WHERE shard = ?");
        selectContainerHosts = prepare("SELECT host FROM " + ks + ".container_hosts WHERE id = ?");
        selectBuckets = prepare("SELECT bucket FROM " + ks + ".buckets WHERE host = ? AND scope = ? AND res = ?"
                + " AND bucket >= ? AND bucket < ?");
    }

    private <R extends Record> SeriesSelect<R> seriesSelect(CqlTable<R> t, String ks) {
        return new SeriesSelect<>(t, prepare(t.selectCql(ks, 1)), prepare(t.selectCql(ks, 10)));
    }

    private PreparedStatement prepare(String cql) {
        return SessionFactory.prepare(session, cql);
    }

    /** A container's rows of several agent runs and days, merged: seen range widened, newest names kept. */
    private static final class SeenContainer {
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        final String[] names = {"", "", ""}; // name, image, runtime
        final long[] written = {-1, -1, -1};  // their writetime

        void add(Row r) {
            first = Math.min(first, r.getLong(1));
            last = Math.max(last, r.getLong(2));
            for (int i = 0; i < 3; i++) {
                String v = r.getString(3 + 2 * i);
                long wt = r.isNull(4 + 2 * i) ? -1 : r.getLong(4 + 2 * i);
                if (v != null && wt > written[i]) {
                    names[i] = v;
                    written[i] = wt;
                }
            }
        }
    }

    List<Rows.ContainerInfo> containers(String host, long fromTs, long toTs) {
        long from = clamp(fromTs), to = clamp(toTs);
        List<Rows.ContainerInfo> out = new ArrayList<>();
        for (String h : host == null ? hosts() : List.of(host)) {
            Map<String, SeenContainer> merged = new TreeMap<>();
            for (long day : buckets(h, "", BucketIndex.CONTAINER_DAYS, day(from), to)) {
                for (Row r : session.execute(selectContainers.bind(h, day))) {
                    merged.computeIfAbsent(r.getString(0), id -> new SeenContainer()).add(r);
                }
            }
            merged.forEach((id, c) -> {
                if (c.first < toTs && c.last >= fromTs) {
                    out.add(new Rows.ContainerInfo(h, id, c.names[0], c.names[1], c.names[2], c.first, c.last));
                }
            });
        }
        return out;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    List<Rows.ProcessInfo> processes(String host, String containerId, long fromTs, long toTs) {
        long fromNs = MetricsStore.secondsToNs(fromTs), toNs = MetricsStore.secondsToNs(toTs);
        long from = clamp(fromTs), to = clamp(toTs);
        Map<String, Rows.ProcessInfo> merged = new LinkedHashMap<>();
        for (long day : buckets(host, containerId, BucketIndex.PROCESS_DAYS, day(from), to)) {
            for (Row r : session.execute(selectProcesses.bind(host, containerId, day))) {
                Rows.ProcessInfo p = new Rows.ProcessInfo(host, containerId, r.getLong(0), r.getLong(2), r.getLong(1),
                        r.isNull(3) ? 0 : r.getLong(3), orEmpty(r.getString(4)), orEmpty(r.getString(5)),
                        orEmpty(r.getString(6)), orEmpty(r.getString(7)));
                merged.merge(p.pid() + "@" + p.startTs(), p, ProcessDays::merge);
            }
        }
        List<Rows.ProcessInfo> out = new ArrayList<>();
        for (Rows.ProcessInfo p : merged.values()) {
            if (p.startTs() < toNs && (p.exitTs() == 0 || p.exitTs() >= fromNs)) out.add(p);
        }
        out.sort(Comparator.comparingLong(Rows.ProcessInfo::pid).thenComparingLong(Rows.ProcessInfo::startTs));
        return out;
    }

    /**
     * A file's rows of the range's days merged: the one with the latest last event is the file as
     * last reported (a path written again by a later run shows that run's file).
     */
    List<Rows.Recording> recordings(String host, long fromTs, long toTs) {
        long fromNs = MetricsStore.secondsToNs(fromTs), toNs = MetricsStore.secondsToNs(toTs);
        long from = clamp(fromTs), to = clamp(toTs);
        Map<String, Rows.Recording> byPath = new TreeMap<>();
        try {
            for (long day : buckets(host, "", BucketIndex.RECORDING_DAYS, day(from), to)) {
                for (Row r : session.execute(selectRecordings.bind(host, day))) {
                    if (r.isNull(1) || r.isNull(2)) continue; // no times: nothing to place it by
                    Rows.Recording f = new Rows.Recording(host, r.getString(0), r.getLong(1), r.getLong(2),
                            r.isNull(3) ? 0 : r.getLong(3), !r.isNull(4) && r.getBoolean(4));
                    byPath.merge(f.path(), f, (a, c) -> c.lastNs() > a.lastNs() ? c : a);
                }
            }
        } catch (DriverException e) {
            throw DriverErrors.readFailed(where, "recordings", e);
        }
        List<Rows.Recording> out = new ArrayList<>();
        for (Rows.Recording f : byPath.values()) if (f.firstNs() < toNs && f.lastNs() >= fromNs) out.add(f);
        out.sort(Comparator.comparingLong(Rows.Recording::firstNs).thenComparing(Rows.Recording::path));
        return out;
    }

    @SuppressWarnings("unchecked")
    <R extends Record> List<R> series(RowKind<R> kind, String host, String containerId, long fromTs, long toTs,
                                      int res) {
        SeriesSelect<R> s = (SeriesSelect<R>) series.get(kind.type);
        CqlTable<R> t = s.table;
        List<R> out = new ArrayList<>();
        if (fromTs >= toTs) return out;
        String scopeId = kind.perContainer ? containerId : "";
        long from = clamp(fromTs), to = clamp(toTs);
        String scope = t.perContainer ? scopeId : "";
        PreparedStatement select = res == 1 ? s.raw : s.rollup;
        try {
            for (long bucket : buckets(host, scope, res, CqlTable.bucket(from, res), to)) {
                List<Object> v = t.scopeValues(host, scopeId, res);
                v.add(bucket);
                v.add(from);
                v.add(to);
                for (Row r : session.execute(select.bind(v.toArray()))) out.add(t.read(r));
            }
        } catch (DriverException e) {
            throw DriverErrors.readFailed(where, t.table(res), e);
        }
        return out;
    }

    /** The buckets of a scope and resolution that exist in [fromBucket, toTs), in order. */
    private List<Long> buckets(String host, String scope, int res, long fromBucket, long toTs) {
        List<Long> out = new ArrayList<>();
        try {
            for (Row r : session.execute(selectBuckets.bind(host, scope, res, fromBucket, toTs))) out.add(r.getLong(0));
        } catch (DriverException e) {
            throw DriverErrors.readFailed(where, "buckets", e);
        }
        return out;
    }

    private static long clamp(long ts) {
        return Math.max(-MAX_SECONDS, Math.min(MAX_SECONDS, ts));
    }

    /** Per host: the first and the last day of containers (the bucket index), and only those two days read. */
    long[] span() {
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (String h : hosts()) {
            List<Long> days = buckets(h, "", BucketIndex.CONTAINER_DAYS, day(-MAX_SECONDS), MAX_SECONDS);
            if (days.isEmpty()) continue;
            for (long day : days.size() == 1 ? List.of(days.get(0)) : List.of(days.get(0), days.get(days.size() - 1))) {
                try {
                    for (Row r : session.execute(selectContainers.bind(h, day))) {
                        first = Math.min(first, r.getLong(1));
                        last = Math.max(last, r.getLong(2));
                    }
                } catch (DriverException e) {
                    throw DriverErrors.readFailed(where, "the span", e);
                }
            }
        }
        return first == Long.MAX_VALUE ? null : new long[] {first, last + 1};
    }

    List<String> hostsOf(String containerId) {
        TreeSet<String> out = new TreeSet<>();
        try {
            for (Row r : session.execute(selectContainerHosts.bind(containerId))) out.add(r.getString(0));
        } catch (DriverException e) {
            throw DriverErrors.readFailed(where, "the hosts of a container", e);
        }
        if (out.isEmpty()) {
            // a keyspace written before container_hosts existed: the long way
            for (Rows.ContainerInfo c : containers(null, 0, Long.MAX_VALUE)) if (c.id().equals(containerId)) out.add(c.host());
        }
        return new ArrayList<>(out);
    }

    List<String> hosts() {
        TreeSet<String> hosts = new TreeSet<>();
        try {
            for (Row r : session.execute(selectHosts.bind(BucketIndex.HOST_SHARD))) hosts.add(r.getString(0));
        } catch (DriverException e) {
            throw DriverErrors.readFailed(where, "hosts", e);
        }
        return new ArrayList<>(hosts);
    }
}
