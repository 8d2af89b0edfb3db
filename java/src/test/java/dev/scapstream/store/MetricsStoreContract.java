package dev.scapstream.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link MetricsStore} backend must do; a backend's test extends this and supplies a fresh,
 * empty store per test. Rows are built with a distinct value in every field (from a seed), so a
 * swapped, truncated or dropped column fails the comparison of whole records.
 *
 * <p>Orders are asserted only where the interface documents them (containerSeries by ts, processSeries
 * by ts, pid); elsewhere results are compared as multisets.
 */
public abstract class MetricsStoreContract {
    /** A fresh, empty store; closed by the suite after each test. */
    protected abstract MetricsStore newStore();

    protected MetricsStore store;

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    // ---------------------------------------------------------------- test data

    protected static final String H1 = "host-a";
    protected static final String H2 = "host-b";
    protected static final String C1 = "3f2a1b4c5d6e";
    protected static final String C2 = "host"; // the host itself, as the agent names it

    /** Where a row goes: its key. sub picks the rest of the key (pid, file, port...); tag goes into its strings. */
    protected record At(String host, String cid, long ts, int res, int sub, String tag) {
        public At(String host, String cid, long ts, int res) {
            this(host, cid, ts, res, 0, "");
        }

        public At sub(int s) {
            return new At(host, cid, ts, res, s, tag);
        }
    }

    @FunctionalInterface
    protected interface Read<R> {
        List<R> read(MetricsStore s, String host, String cid, long from, long to, int res);
    }

    @FunctionalInterface
    protected interface Make<R> {
        R make(At at, long seed);
    }

    /** One row type: how to build one, add it to a batch and query it back. */
    protected record Kind<R>(String name, boolean perContainer, int subs, Make<R> make,
                             BiConsumer<MetricsBatch, R> add, Read<R> read) {
        public R row(At at, long seed) {
            return make.make(at, seed);
        }

        List<R> query(MetricsStore s, String host, String cid, long from, long to, int res) {
            return read.read(s, host, cid, from, to, res);
        }

        void write(MetricsStore s, List<R> rows) {
            MetricsBatch b = new MetricsBatch();
            rows.forEach(r -> add.accept(b, r));
            s.write(b);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A long no other field shares, above 2^32 so an int column would truncate it. */
    protected static long v(long seed, int field) {
        return (1L << 33) + seed * 1_000_003L + field * 7_919L;
    }

    protected static int i(long seed, int field) {
        return (int) (seed * 31 + field);
    }

    protected static Rows.CpuSource source(long seed) {
        Rows.CpuSource[] all = Rows.CpuSource.values();
        return all[Math.floorMod(seed, all.length)];
    }

    private static final String[] SYSCALLS = {"read", "write", "openat", "connect"};

    protected static final Kind<Rows.ContainerRow> CONTAINER = new Kind<>("containerSeries", true, 1,
            (a, s) -> new Rows.ContainerRow(a.host, a.cid, a.ts, a.res, v(s, 1), source(s), v(s, 2), v(s, 3),
                    v(s, 4), v(s, 5), v(s, 6), v(s, 7), v(s, 8), v(s, 9), v(s, 10), v(s, 11), v(s, 12), i(s, 13)),
            (b, r) -> b.rows(RowKind.CONTAINER).add(r), MetricsStore::containerSeries);

    protected static final Kind<Rows.ProcessRow> PROCESS = new Kind<>("processSeries", true, 8,
            (a, s) -> new Rows.ProcessRow(a.host, a.cid, 4000 + a.sub, 1_700_000_000L + a.sub, a.ts, a.res,
                    v(s, 1), v(s, 2), v(s, 3), source(s), v(s, 4), v(s, 5), v(s, 6), v(s, 7), v(s, 8), v(s, 9),
                    v(s, 10), v(s, 11), v(s, 12), v(s, 13), v(s, 14), v(s, 15)),
            (b, r) -> b.rows(RowKind.PROCESS).add(r), MetricsStore::processSeries);

    protected static final Kind<Rows.FileRow> FILE = new Kind<>("files", true, 8,
            (a, s) -> new Rows.FileRow(a.host, a.cid, 4000 + a.sub / 2, "/var/log/" + a.tag + "app-" + a.sub + ".log",
                    a.ts, a.res, v(s, 1), v(s, 2), v(s, 3), v(s, 4), v(s, 5), v(s, 6)),
            (b, r) -> b.rows(RowKind.FILE).add(r), MetricsStore::files);

    protected static final Kind<Rows.ConnectionRow> CONNECTION = new Kind<>("connections", true, 8,
            (a, s) -> new Rows.ConnectionRow(a.host, a.cid, 4000 + a.sub / 2, (a.sub % 2 == 0 ? "tcp" : "udp") + a.tag,
                    "10.0.0.1:" + (40000 + a.sub) + "->10.0.0.2:" + (8000 + a.sub) + a.tag, 8000 + a.sub,
                    a.ts, a.res, v(s, 1), v(s, 2)),
            (b, r) -> b.rows(RowKind.CONNECTION).add(r), MetricsStore::connections);

    protected static final Kind<Rows.PortRow> PORT = new Kind<>("ports", true, 8,
            (a, s) -> new Rows.PortRow(a.host, a.cid, (a.sub % 2 == 0 ? "tcp" : "udp") + a.tag, 8000 + a.sub / 2,
                    a.ts, a.res, v(s, 1), v(s, 2)),
            (b, r) -> b.rows(RowKind.PORT).add(r), MetricsStore::ports);

    protected static final Kind<Rows.SyscallRow> SYSCALL = new Kind<>("syscalls", true, 8,
            (a, s) -> new Rows.SyscallRow(a.host, a.cid, 4000 + a.sub / 4, SYSCALLS[a.sub % 4] + a.tag, a.ts, a.res,
                    v(s, 1), v(s, 2), v(s, 3), v(s, 4)),
            (b, r) -> b.rows(RowKind.SYSCALL).add(r), MetricsStore::syscalls);

    protected static final Kind<Rows.ErrnoRow> ERRNO = new Kind<>("errnos", true, 8,
            (a, s) -> new Rows.ErrnoRow(a.host, a.cid, 4000 + a.sub / 4, SYSCALLS[a.sub / 2 % 2] + a.tag, 2 + a.sub % 2,
                    a.ts, a.res, v(s, 1)),
            (b, r) -> b.rows(RowKind.ERRNO).add(r), MetricsStore::errnos);

    protected static final Kind<Rows.ThreadRow> THREAD = new Kind<>("threads", true, 8,
            (a, s) -> new Rows.ThreadRow(a.host, a.cid, 4000 + a.sub / 4, (4000 + a.sub / 4) * 10L + a.sub % 4,
                    a.ts, a.res, v(s, 1)),
            (b, r) -> b.rows(RowKind.THREAD).add(r), MetricsStore::threads);

    protected static final Kind<Rows.CpuRow> CPU = new Kind<>("cpus", false, 8,
            (a, s) -> new Rows.CpuRow(a.host, a.sub, a.ts, a.res, v(s, 1)),
            (b, r) -> b.rows(RowKind.CPU).add(r), (st, h, c, from, to, res) -> st.cpus(h, from, to, res));

    protected static final Kind<Rows.AgentRow> AGENT = new Kind<>("agent", false, 1,
            (a, s) -> new Rows.AgentRow(a.host, a.ts, a.res, v(s, 1), v(s, 2), v(s, 3), v(s, 4), v(s, 5), v(s, 6),
                    v(s, 7)),
            (b, r) -> b.rows(RowKind.AGENT).add(r), (st, h, c, from, to, res) -> st.agent(h, from, to, res));

    protected static final List<Kind<?>> KINDS =
            List.of(CONTAINER, PROCESS, FILE, CONNECTION, PORT, SYSCALL, ERRNO, THREAD, CPU, AGENT);

    protected static Rows.ProcessInfo proc(String host, String cid, long pid, long startTs, long exitTs, String tag) {
        return new Rows.ProcessInfo(host, cid, pid, pid - 1, startTs, exitTs, "comm" + pid + tag,
                "/usr/bin/exe" + pid + tag, "--id " + pid + " " + tag, "user" + pid + tag);
    }

    protected static Rows.ContainerInfo ctr(String host, String id, long first, long last, String tag) {
        return new Rows.ContainerInfo(host, id, "name-" + id + tag, "image/" + id + ":1" + tag, "docker" + tag,
                first, last);
    }

    /** Compares as multisets, for results whose order the interface leaves open. */
    protected static void assertSameRows(List<?> expected, List<?> actual, String what) {
        assertEquals(sortedByText(expected), sortedByText(actual), what);
    }

    private static List<Object> sortedByText(List<?> rows) {
        List<Object> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(String::valueOf));
        return copy;
    }

    private static String scope(Kind<?> k, String host, String cid) {
        return k + " of " + host + (k.perContainer ? "/" + cid : "");
    }

    /** Everything a reader can see for the given hosts and containers, keyed by query. */
    private Map<String, List<?>> snapshot(List<String> hosts, List<String> cids, long from, long to) {
        Map<String, List<?>> all = new LinkedHashMap<>();
        for (String h : hosts) {
            all.put("containers " + h, store.containers(h, from, to));
            for (String c : cids) all.put("processes " + h + "/" + c, store.processes(h, c, from, to));
            for (Kind<?> k : KINDS) {
                for (int res : MetricsStore.RESOLUTIONS) {
                    for (String c : k.perContainer ? cids : List.of(C1)) {
                        all.put(scope(k, h, c) + " res " + res, k.query(store, h, c, from, to, res));
                    }
                }
            }
        }
        all.put("containers *", sortedByText(store.containers(null, from, to)));
        all.put("hosts", sortedByText(store.hosts()));
        return all;
    }

    /** Rows at several ts, several sub-keys per ts, every CpuSource; returned in documented order. */
    private static <R> List<R> addRoundTripRows(Kind<R> k, MetricsBatch b) {
        List<R> rows = new ArrayList<>();
        long seed = 1;
        for (long ts = 1000; ts < 1004; ts++) {
            for (int sub = 0; sub < Math.min(k.subs, 3); sub++) {
                rows.add(k.row(new At(H1, C1, ts, 1).sub(sub), seed++));
            }
        }
        rows.forEach(r -> k.add.accept(b, r));
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static <R> void addRow(Kind<R> k, MetricsBatch b, Object row) {
        k.add.accept(b, (R) row);
    }

    /** Two hosts x two containers x ts 10..12 x two sub-keys, at res 1 and 10. */
    private static <R> long addGrid(Kind<R> k, MetricsBatch b, long seed) {
        for (String h : List.of(H1, H2)) {
            for (String c : List.of(C1, C2)) {
                if (!k.perContainer && c.equals(C2)) continue;
                for (int res : new int[] {1, 10}) {
                    for (long ts = 10; ts < 13; ts++) {
                        for (int sub = 0; sub < Math.min(k.subs, 2); sub++) {
                            k.add.accept(b, k.row(new At(h, c, ts * res, res).sub(sub), seed++));
                        }
                    }
                }
            }
        }
        return seed;
    }

    private static int gridRowsPerScope(Kind<?> k) {
        return 3 * Math.min(k.subs, 2);
    }

    private <R> void rewrite(Kind<R> k) {
        At at = new At(H1, C1, 500, 10).sub(Math.min(k.subs, 2) - 1);
        k.write(store, List.of(k.row(at, 1)));
        R newer = k.row(at, 2); // a rollup bucket that grew since
        k.write(store, List.of(newer));
        assertEquals(List.of(newer), k.query(store, H1, C1, 500, 510, 10), k.name);
    }

    private <R> void halfOpen(Kind<R> k) {
        long from = 100, to = 110;
        List<R> rows = new ArrayList<>();
        for (long ts : new long[] {from - 1, from, to - 1, to}) rows.add(k.row(new At(H1, C1, ts, 1), ts));
        k.write(store, rows);
        assertEquals(List.of(rows.get(1), rows.get(2)), k.query(store, H1, C1, from, to, 1), k.name);
        assertEquals(List.of(rows.get(1)), k.query(store, H1, C1, from, from + 1, 1), k.name + " [from, from+1)");
        assertEquals(List.of(rows.get(3)), k.query(store, H1, C1, to, to + 1, 1), k.name + " [to, to+1)");
        assertEquals(List.of(), k.query(store, H1, C1, from, from, 1), k.name + " empty range");
        assertEquals(List.of(), k.query(store, H1, C1, to, from, 1), k.name + " reversed range");
    }

    private <R> void resolutions(Kind<R> k) {
        // the same bucket start at three resolutions: three rows, each found only at its own
        R raw = k.row(new At(H1, C1, 3600, 1), 1);
        R tens = k.row(new At(H1, C1, 3600, 10), 2);
        R hour = k.row(new At(H1, C1, 3600, 3600), 3);
        k.write(store, List.of(raw, tens, hour));
        assertEquals(List.of(raw), k.query(store, H1, C1, 0, 7200, 1), k.name + " res 1");
        assertEquals(List.of(tens), k.query(store, H1, C1, 0, 7200, 10), k.name + " res 10");
        assertEquals(List.of(hour), k.query(store, H1, C1, 0, 7200, 3600), k.name + " res 3600");
        assertEquals(List.of(), k.query(store, H1, C1, 0, 7200, 86400), k.name + " res 86400");
    }

    private <R> void hostIsolation(Kind<R> k, List<String> hosts) {
        List<R> rows = new ArrayList<>();
        for (int n = 0; n < hosts.size(); n++) rows.add(k.row(new At(hosts.get(n), C1, 50, 1), n + 1));
        k.write(store, rows);
        for (int n = 0; n < hosts.size(); n++) {
            assertEquals(List.of(rows.get(n)), k.query(store, hosts.get(n), C1, 0, 100, 1), scope(k, hosts.get(n), C1));
        }
        assertEquals(List.of(), k.query(store, "nosuchhost", C1, 0, 100, 1), k.name);
    }

    private <R> void containerIsolation(Kind<R> k, List<String> cids) {
        List<R> rows = new ArrayList<>();
        for (int n = 0; n < cids.size(); n++) rows.add(k.row(new At(H1, cids.get(n), 50, 1), n + 1));
        k.write(store, rows);
        for (int n = 0; n < cids.size(); n++) {
            assertEquals(List.of(rows.get(n)), k.query(store, H1, cids.get(n), 0, 100, 1), scope(k, H1, cids.get(n)));
        }
    }

    // ---------------------------------------------------------------- the index of recorded files

    /** Epoch ns of second {@code s} plus {@code ms} milliseconds, past 2^60: a truncated column shows. */
    protected static long ns(long s, long ms) {
        return (1_795_000_000L + s) * 1_000_000_000L + ms * 1_000_000L + 123;
    }

    protected static long sec(long s) {
        return 1_795_000_000L + s;
    }

    private void writeRecordings(Rows.Recording... notices) {
        MetricsBatch b = new MetricsBatch();
        b.rows(RowKind.RECORDING).addAll(List.of(notices));
        store.write(b);
    }

    /** Per host and container: res 1 at ts 95..104 and res 10 at ts 0..190 (all older than the res-1 cutoff). */
    private static <R> long addExpiryRows(Kind<R> k, MetricsBatch b, Map<Kind<?>, List<?>> written, long seed) {
        List<R> rows = new ArrayList<>();
        for (String h : List.of(H1, H2)) {
            for (String c : k.perContainer ? List.of(C1, C2) : List.of(C1)) {
                for (long ts = 95; ts < 105; ts++) rows.add(k.row(new At(h, c, ts, 1).sub((int) ts % k.subs), seed++));
                for (long ts = 0; ts < 200; ts += 10) rows.add(k.row(new At(h, c, ts, 10), seed++));
            }
        }
        rows.forEach(r -> k.add.accept(b, r));
        written.put(k, rows);
        return seed;
    }

    private static <R> R addOne(Kind<R> k, MetricsBatch b, At at, long seed) {
        R row = k.row(at, seed);
        k.add.accept(b, row);
        return row;
    }

    // the key fields every row type has, read generically for the expiry bookkeeping
    private static String host(Object row) {
        return (String) component(row, "host");
    }

    private static String cid(Object row) {
        return (String) component(row, "containerId");
    }

    private static long ts(Object row) {
        return (Long) component(row, "ts");
    }

    private static int res(Object row) {
        return (Integer) component(row, "res");
    }

    private static Object component(Object row, String name) {
        for (var c : row.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                try {
                    return c.getAccessor().invoke(row);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalArgumentException(row.getClass().getSimpleName() + " has no " + name);
    }

    // ---------------------------------------------------------------- tests

    /** Per-second and rollup rows: every field of every kind, ranges, resolutions, order. */
    @Nested
    class Series {
        @Test
        void everyRowTypeRoundTripsWithEveryField() {
            MetricsBatch b = new MetricsBatch();
            Map<Kind<?>, List<?>> expected = new LinkedHashMap<>();
            for (Kind<?> k : KINDS) expected.put(k, addRoundTripRows(k, b));
            List<Rows.ProcessInfo> procs = List.of(proc(H1, C1, 100, 0, 0, ""), proc(H1, C1, 101, 1000, 1050, ""),
                    proc(H1, C1, 101, 1060, 0, "")); // pid reuse: same pid, another start
            List<Rows.ContainerInfo> ctrs = List.of(ctr(H1, C1, 1000, 1100, ""), ctr(H1, C2, 900, 1200, ""));
            b.rows(RowKind.PROCESS_INFO).addAll(procs);
            b.rows(RowKind.CONTAINER_INFO).addAll(ctrs);
            store.write(b);

            for (Kind<?> k : KINDS) {
                List<?> got = k.query(store, H1, C1, 0, 10_000, 1);
                if (k == CONTAINER || k == PROCESS) assertEquals(expected.get(k), got, k.name);
                else assertSameRows(expected.get(k), got, k.name);
            }
            assertSameRows(procs, store.processes(H1, C1, 0, 10_000), "processes");
            assertSameRows(ctrs, store.containers(H1, 0, 10_000), "containers");
            assertEquals(List.of(H1), store.hosts());
        }

        @Test
        void extremeNumbersRoundTrip() {
            long big = Long.MAX_VALUE, small = Long.MIN_VALUE;
            Rows.ContainerRow c = new Rows.ContainerRow(H1, C1, 1L << 40, 1, big, Rows.CpuSource.UNKNOWN, small, 0, -1,
                    big - 1, small + 1, 1, 2, 3, 4, 5, 6, Integer.MAX_VALUE);
            Rows.ProcessRow p = new Rows.ProcessRow(H1, C1, Integer.MAX_VALUE + 1L, -5, 1L << 40, 1, big, small, 0,
                    Rows.CpuSource.PROCINFO, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, Long.MIN_VALUE);
            Rows.PortRow port = new Rows.PortRow(H1, C1, "tcp", 65535, 1L << 40, 1, big, small);
            MetricsBatch b = new MetricsBatch();
            b.rows(RowKind.CONTAINER).add(c);
            b.rows(RowKind.PROCESS).add(p);
            b.rows(RowKind.PORT).add(port);
            store.write(b);
            assertEquals(List.of(c), store.containerSeries(H1, C1, 1L << 40, (1L << 40) + 1, 1));
            assertEquals(List.of(p), store.processSeries(H1, C1, 1L << 40, (1L << 40) + 1, 1));
            assertEquals(List.of(port), store.ports(H1, C1, 1L << 40, (1L << 40) + 1, 1));
        }

        @Test
        void rewritingARowReplacesIt() {
            for (Kind<?> k : KINDS) rewrite(k);
        }

        @Test
        void rangesAreHalfOpen() {
            for (Kind<?> k : KINDS) halfOpen(k);
        }

        @Test
        void resolutionsAreIsolated() {
            for (Kind<?> k : KINDS) resolutions(k);
        }

        @Test
        void containerSeriesIsOrderedByTs() {
            List<Rows.ContainerRow> rows = new ArrayList<>();
            for (long ts : new long[] {107, 103, 109, 101, 105, 100}) {
                Rows.ContainerRow r = CONTAINER.row(new At(H1, C1, ts, 1), ts);
                rows.add(r);
                CONTAINER.write(store, List.of(r)); // one batch each, out of order
            }
            rows.sort(Comparator.comparingLong(Rows.ContainerRow::ts));
            assertEquals(rows, store.containerSeries(H1, C1, 0, 1000, 1));
        }

        @Test
        void processSeriesIsOrderedByTsThenPid() {
            List<Rows.ProcessRow> rows = new ArrayList<>();
            long seed = 1;
            // pids whose text order differs from their numeric order, and whose start times run the other
            // way, written newest first
            for (long ts = 203; ts >= 200; ts--) {
                for (long pid : new long[] {300, 20, 1000, 9}) {
                    rows.add(new Rows.ProcessRow(H1, C1, pid, 5000 - pid, ts, 1, v(seed, 1), v(seed, 2), v(seed, 3),
                            source(seed), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, seed++));
                }
            }
            PROCESS.write(store, rows);
            rows.sort(Comparator.comparingLong(Rows.ProcessRow::ts).thenComparingLong(Rows.ProcessRow::pid));
            assertEquals(rows, store.processSeries(H1, C1, 0, 1000, 1));
        }
    }

    /** Hosts and containers see only their own rows. */
    @Nested
    class Isolation {
        @Test
        void emptyStoreReturnsNothing() {
            store.write(new MetricsBatch());
            for (List<?> rows : snapshot(List.of(H1), List.of(C1), Long.MIN_VALUE, Long.MAX_VALUE).values()) {
                assertEquals(List.of(), rows);
            }
        }

        @Test
        void hostsAreIsolatedAndMatchedExactly() {
            // near-misses of each other: prefixes, case, and LIKE wildcards that must not act as patterns
            List<String> hosts = List.of("web", "web-1", "WEB", "we_", "web%", "w");
            for (Kind<?> k : KINDS) hostIsolation(k, hosts);
            assertEquals(new HashSet<>(hosts), new HashSet<>(store.hosts()));
            assertEquals(hosts.size(), store.hosts().size(), "hosts() without duplicates");
        }

        @Test
        void containersAreIsolated() {
            List<String> cids = List.of(C1, C1.substring(0, 6), C2, "%", "HOST");
            for (Kind<?> k : KINDS) {
                if (k.perContainer) containerIsolation(k, cids);
            }
        }
    }

    /** A retried or coalesced write cannot double-count or let an older version win. */
    @Nested
    class Idempotence {
        /**
         * A batch can hold two versions of one rollup row: the writer coalesces queued seconds, and a
         * 1 h row written at its process's exit is written again if its pid comes back. The later one
         * must win whatever the values (Cassandra breaks a tie of write timestamps by value).
         */
        @Test
        void theLaterOfTwoVersionsOfARowInOneBatchWins() {
            for (Kind<?> k : KINDS) {
                At at = new At(H1, C1, 7200, 3600);
                Object early = k.row(at, 900); // larger values first: a tie broken by value would keep it
                Object late = k.row(at, 3);
                MetricsBatch b = new MetricsBatch();
                addRow(k, b, early);
                addRow(k, b, late);
                store.write(b);
                assertEquals(List.of(late), k.query(store, H1, C1, 7200, 7201, 3600), k.name);
            }
        }

        /** The same for a process seen before and after its execve, and a container whose names arrive late. */
        @Test
        void twoVersionsOfAProcessAndAContainerInOneBatchMergeLikeTwoWrites() {
            long ns = 1_000_000_000L;
            MetricsBatch b = new MetricsBatch();
            b.rows(RowKind.PROCESS_INFO).add(new Rows.ProcessInfo(H1, C1, 500, 7, 1000 * ns, 0, "sh", "/bin/sh", "-c cat f", "root"));
            b.rows(RowKind.PROCESS_INFO).add(new Rows.ProcessInfo(H1, C1, 500, 7, 1000 * ns, 1002 * ns, "cat", "/bin/cat", "", ""));
            b.rows(RowKind.CONTAINER_INFO).add(new Rows.ContainerInfo(H1, C1, "web", "", "docker", 1000, 1000));
            b.rows(RowKind.CONTAINER_INFO).add(new Rows.ContainerInfo(H1, C1, "", "nginx:1", "", 1001, 1001));
            store.write(b);
            assertEquals(List.of(new Rows.ProcessInfo(H1, C1, 500, 7, 1000 * ns, 1002 * ns, "cat", "/bin/cat", "-c cat f",
                    "root")), store.processes(H1, C1, 0, 10_000));
            assertEquals(List.of(new Rows.ContainerInfo(H1, C1, "web", "nginx:1", "docker", 1000, 1001)),
                    store.containers(H1, 0, 10_000));
        }

        @Test
        void writingTheSameBatchTwiceChangesNothing() {
            MetricsBatch b = new MetricsBatch();
            long seed = 1;
            for (Kind<?> k : KINDS) seed = addGrid(k, b, seed);
            b.rows(RowKind.PROCESS_INFO).add(proc(H1, C1, 100, 5, 0, ""));
            b.rows(RowKind.PROCESS_INFO).add(proc(H2, C2, 200, 5, 50, ""));
            b.rows(RowKind.CONTAINER_INFO).add(ctr(H1, C1, 5, 60, ""));
            b.rows(RowKind.CONTAINER_INFO).add(ctr(H2, C2, 5, 60, ""));
            store.write(b);
            Map<String, List<?>> once = snapshot(List.of(H1, H2), List.of(C1, C2), 0, 1000);
            store.write(b);
            Map<String, List<?>> twice = snapshot(List.of(H1, H2), List.of(C1, C2), 0, 1000);
            assertEquals(once, twice);
            // and what was read once is what was written: counters were not added up
            for (Kind<?> k : KINDS) {
                assertEquals(gridRowsPerScope(k), once.get(scope(k, H1, C1) + " res 1").size(), k.name);
            }
            assertEquals(List.of(proc(H1, C1, 100, 5, 0, "")), once.get("processes " + H1 + "/" + C1));
        }
    }

    /** Process and container lives, their merges, the hosts and the span. */
    @Nested
    class ProcessesAndContainers {
        @Test
        void spanAndHostsOfAContainerComeFromTheMetadata() {
            store.write(new MetricsBatch());
            assertNull(store.span(), "an empty store has no span");
            assertEquals(List.of(), store.hostsOf(C1));
            long day = 86_400;
            MetricsBatch b = new MetricsBatch();
            // containers of two hosts over days far apart: the span is the earliest first and the latest last
            b.rows(RowKind.CONTAINER_INFO).add(ctr(H1, C1, 1_790_000_000L, 1_790_000_000L + 5, ""));
            b.rows(RowKind.CONTAINER_INFO).add(ctr(H1, C1, 1_790_000_000L, 1_790_000_000L + 3 * day, ""));
            b.rows(RowKind.CONTAINER_INFO).add(ctr(H2, C1, 1_790_000_000L - 7 * day, 1_790_000_000L - 6 * day, ""));
            b.rows(RowKind.CONTAINER_INFO).add(ctr(H2, "0123456789ab", 1_790_000_000L + day, 1_790_000_000L + 9 * day + 17, ""));
            store.write(b);
            assertArrayEquals(new long[] {1_790_000_000L - 7 * day, 1_790_000_000L + 9 * day + 18}, store.span());
            assertEquals(List.of(H1, H2), store.hostsOf(C1));
            assertEquals(List.of(H2), store.hostsOf("0123456789ab"));
            assertEquals(List.of(), store.hostsOf("ffffffffffff"));
        }

        /** Process start/exit times are epoch ns (libsinsp's clock); the range is in epoch seconds, as everywhere. */
        @Test
        void processesReturnsThoseAliveInTheRange() {
            long from = 100, to = 200, s = 1_000_000_000L;
            List<Rows.ProcessInfo> alive = List.of(
                    proc(H1, C1, 1, 50 * s + 7, 0, ""),                      // running since before the range
                    proc(H1, C1, 2, 50 * s, from * s + 5, ""),               // exited in the range's first second
                    proc(H1, C1, 3, (to - 1) * s + 999_999_999L, 0, ""),     // started in its last second
                    proc(H1, C1, 4, 0, 150 * s, ""),                         // started before the capture, exited inside
                    proc(H1, C1, 5, 120 * s, 130 * s, ""),                   // lived inside
                    proc(H1, C1, 6, 50 * s, 500 * s, ""));                   // spans it
            List<Rows.ProcessInfo> notAlive = List.of(
                    proc(H1, C1, 7, 50 * s, from * s - 1, ""),  // exited just before
                    proc(H1, C1, 8, to * s, 0, ""),             // started at the end (excluded)
                    proc(H1, C1, 9, 300 * s, 0, ""),
                    proc(H1, C2, 1, 50 * s, 0, ""),             // another container
                    proc(H2, C1, 1, 50 * s, 0, ""));            // another host
            MetricsBatch b = new MetricsBatch();
            b.rows(RowKind.PROCESS_INFO).addAll(alive);
            b.rows(RowKind.PROCESS_INFO).addAll(notAlive);
            store.write(b);
            assertSameRows(alive, store.processes(H1, C1, from, to), "alive in [100, 200)");
            assertEquals(List.of(proc(H1, C2, 1, 50 * s, 0, "")), store.processes(H1, C2, from, to));
            // a later range, against the rule itself: started before its end, not exited before its start
            List<Rows.ProcessInfo> mine = new ArrayList<>(alive.subList(0, alive.size()));
            mine.addAll(notAlive.subList(0, 3));
            assertSameRows(mine.stream().filter(p -> p.startTs() < 700 * s && (p.exitTs() == 0 || p.exitTs() >= 600 * s)).toList(),
                    store.processes(H1, C1, 600, 700), "alive in [600, 700)");
            // the whole range of seconds does not overflow
            assertEquals(alive.size() + 3, store.processes(H1, C1, Long.MIN_VALUE, Long.MAX_VALUE).size());
        }

        @Test
        void processExitIsKeptAndEmptyStringsDoNotEraseKnownOnes() {
            Rows.ProcessInfo running = proc(H1, C1, 42, 100, 0, "");
            Rows.ProcessInfo exited = proc(H1, C1, 42, 100, 150, "");
            Rows.ProcessInfo lateBlank = new Rows.ProcessInfo(H1, C1, 42, running.ppid(), 100, 0, "", "", "", "");
            for (Rows.ProcessInfo p : List.of(running, exited, lateBlank)) {
                MetricsBatch b = new MetricsBatch();
                b.rows(RowKind.PROCESS_INFO).add(p);
                store.write(b);
            }
            // a late or retried write that still saw it running neither revives it nor blanks its command
            assertEquals(List.of(exited), store.processes(H1, C1, 0, 1000));
            assertEquals(List.of(), store.processes(H1, C1, 151, 1000));
        }

        @Test
        void containersMergeSeenRangeAndKeepKnownNames() {
            Rows.ContainerInfo first = new Rows.ContainerInfo(H1, C1, "web", "nginx:1.25", "docker", 100, 200);
            Rows.ContainerInfo blank = new Rows.ContainerInfo(H1, C1, "", "", null, 50, 150);
            Rows.ContainerInfo renamed = new Rows.ContainerInfo(H1, C1, "web-2", "", "", 120, 300);
            for (Rows.ContainerInfo c : List.of(first, blank, renamed)) {
                MetricsBatch b = new MetricsBatch();
                b.rows(RowKind.CONTAINER_INFO).add(c);
                store.write(b);
            }
            Rows.ContainerInfo merged = new Rows.ContainerInfo(H1, C1, "web-2", "nginx:1.25", "docker", 50, 300);
            assertEquals(List.of(merged), store.containers(H1, 0, 1000));
            assertEquals(List.of(merged), store.containers(null, 0, 1000));
        }

        @Test
        void containersSeenInTheRangeOnAHostOrOnAll() {
            long from = 1000, to = 2000;
            List<Rows.ContainerInfo> seen = List.of(
                    ctr(H1, "a", 500, from, ""),    // last seen at the first second
                    ctr(H1, "b", to - 1, to + 9, ""), // first seen at the last second
                    ctr(H1, C2, 0, 5000, ""),
                    ctr(H2, "a", 1500, 1500, ""));
            List<Rows.ContainerInfo> unseen = List.of(
                    ctr(H1, "c", 500, from - 1, ""),
                    ctr(H1, "d", to, to + 5, ""),
                    ctr(H2, "e", 3000, 4000, ""));
            MetricsBatch b = new MetricsBatch();
            b.rows(RowKind.CONTAINER_INFO).addAll(seen);
            b.rows(RowKind.CONTAINER_INFO).addAll(unseen);
            store.write(b);
            Predicate<Rows.ContainerInfo> onH1 = c -> c.host().equals(H1);
            assertSameRows(seen.stream().filter(onH1).toList(), store.containers(H1, from, to), "on " + H1);
            assertSameRows(seen.stream().filter(onH1.negate()).toList(), store.containers(H2, from, to), "on " + H2);
            assertSameRows(seen, store.containers(null, from, to), "on all hosts");
            assertEquals(List.of(), store.containers("nosuchhost", from, to));
        }

        @Test
        void hostsListsEveryHostThatWroteAnything() {
            MetricsBatch b = new MetricsBatch();
            b.rows(RowKind.AGENT).add(AGENT.row(new At("only-agent", C1, 10, 1), 1));
            b.rows(RowKind.CONTAINER_INFO).add(ctr("only-container-info", C2, 1, 2, ""));
            b.rows(RowKind.PROCESS_INFO).add(proc("only-process-info", C1, 5, 1, 0, ""));
            b.rows(RowKind.ERRNO).add(ERRNO.row(new At("only-errnos", C1, 10, 1), 2));
            b.rows(RowKind.CPU).add(CPU.row(new At("only-agent", C1, 10, 1), 3));
            store.write(b);
            List<String> hosts = store.hosts();
            assertEquals(4, hosts.size(), hosts.toString());
            assertEquals(new HashSet<>(List.of("only-agent", "only-container-info", "only-process-info", "only-errnos")),
                    new HashSet<>(hosts));
        }
    }

    /** The index of recorded capture files. */
    @Nested
    class Recordings {
        @Test
        void aRecordedFileIsUpsertedByHostAndPathAndAGoneOneKeepsItsTimes() {
            String path = "/var/lib/scapstream/fr/scapstream-20261203T061500.123Z.scap";
            assertEquals(List.of(), store.recordings(H1, 0, Long.MAX_VALUE));
            Rows.Recording open = new Rows.Recording(H1, path, ns(10, 5), ns(11, 0), 4_096, false);
            writeRecordings(open);
            assertEquals(List.of(open), store.recordings(H1, sec(0), sec(100)));
            Rows.Recording closed = new Rows.Recording(H1, path, ns(10, 5), ns(12, 999), 5_000_000_123L, false);
            writeRecordings(closed);
            assertEquals(List.of(closed), store.recordings(H1, sec(0), sec(100)));
            // what rotation reports when it deletes the file: its times place it, its size is not the store's business
            writeRecordings(new Rows.Recording(H1, path, ns(10, 5), ns(12, 999), 0, true));
            assertEquals(List.of(new Rows.Recording(H1, path, ns(10, 5), ns(12, 999), 5_000_000_123L, true)),
                    store.recordings(H1, sec(0), sec(100)));
            // another host's file of the same path is its own, and not listed for H1
            Rows.Recording other = new Rows.Recording(H2, path, ns(10, 7), ns(13, 1), 77, false);
            writeRecordings(other);
            assertEquals(List.of(other), store.recordings(H2, sec(0), sec(100)));
            assertEquals(List.of(new Rows.Recording(H1, path, ns(10, 5), ns(12, 999), 5_000_000_123L, true)),
                    store.recordings(H1, sec(0), sec(100)));
            assertEquals(List.of(), store.recordings("nosuchhost", 0, Long.MAX_VALUE));
            assertTrue(store.hosts().containsAll(List.of(H1, H2)), store.hosts().toString());
        }

        @Test
        void noticesOfOneFileInOneWriteApplyInOrder() {
            // a second's poll can report a file open, closed and deleted at once (a short -G, a small -W)
            String a = "/r/a.scap", b = "/r/b.scap";
            writeRecordings(new Rows.Recording(H1, a, ns(1, 0), ns(1, 500), 10, false),
                    new Rows.Recording(H1, a, ns(1, 0), ns(2, 0), 20, false),
                    new Rows.Recording(H1, a, ns(1, 0), ns(2, 0), 0, true),
                    new Rows.Recording(H1, b, ns(2, 0), ns(2, 100), 30, false),
                    new Rows.Recording(H1, b, ns(2, 0), ns(3, 0), 40, false));
            assertEquals(List.of(new Rows.Recording(H1, a, ns(1, 0), ns(2, 0), 20, true),
                    new Rows.Recording(H1, b, ns(2, 0), ns(3, 0), 40, false)), store.recordings(H1, sec(0), sec(10)));
        }

        @Test
        void recordingsAreTheFilesOverlappingAHalfOpenRangeInTimeOrder() {
            Rows.Recording a = new Rows.Recording(H1, "/r/a.scap", ns(100, 500), ns(102, 200), 1, false);
            Rows.Recording b = new Rows.Recording(H1, "/r/b.scap", ns(102, 500), ns(104, 900), 2, false);
            Rows.Recording c = new Rows.Recording(H1, "/r/c.scap", ns(105, 0), ns(106, 100), 3, true);
            // days long: begun the day before the range, ending the day after it
            Rows.Recording days = new Rows.Recording(H1, "/r/long.scap", ns(-86_400, 0), ns(2 * 86_400, 0), 4, false);
            Rows.Recording elsewhere = new Rows.Recording(H2, "/r/a.scap", ns(100, 0), ns(106, 0), 5, false);
            // c as the recorder reports it: closed, then deleted by rotation in a later poll
            writeRecordings(new Rows.Recording(H1, c.path(), c.firstNs(), c.lastNs(), c.bytes(), false), a, elsewhere, b);
            writeRecordings(days, new Rows.Recording(H1, c.path(), c.firstNs(), c.lastNs(), 0, true));
            assertEquals(List.of(days, a, b), store.recordings(H1, sec(102), sec(103)));
            assertEquals(List.of(days, b), store.recordings(H1, sec(103), sec(105)), "a file starting at the range's end is out");
            assertEquals(List.of(days, c), store.recordings(H1, sec(106), sec(107)), "its last event's second is in");
            assertEquals(List.of(days, a, b, c), store.recordings(H1, sec(0), sec(1000)));
            assertEquals(List.of(days, a, b, c), store.recordings(H1, Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(List.of(days), store.recordings(H1, sec(86_400), sec(86_401)), "a day inside the long file");
            assertEquals(List.of(), store.recordings(H1, sec(3 * 86_400), sec(4 * 86_400)));
            assertEquals(List.of(elsewhere), store.recordings(H2, sec(0), sec(1000)));
        }
    }

    /** Expiry by resolution. */
    @Nested
    class Expiry {
        @Test
        void expireDeletesOnlyOlderRowsOfThatResolution() {
            long cutoff = 100;
            MetricsBatch b = new MetricsBatch();
            Map<Kind<?>, List<?>> written = new LinkedHashMap<>();
            long seed = 1;
            for (Kind<?> k : KINDS) seed = addExpiryRows(k, b, written, seed);
            b.rows(RowKind.PROCESS_INFO).add(proc(H1, C1, 1, 10, 20, ""));
            b.rows(RowKind.CONTAINER_INFO).add(ctr(H1, C1, 10, 20, ""));
            store.write(b);

            long older = written.values().stream().flatMap(List::stream)
                    .filter(r -> res(r) == 1 && ts(r) < cutoff).count();
            assertTrue(older > 0);
            long deleted = store.expire(1, cutoff);
            Assumptions.assumeFalse(deleted == -1, "this backend expires rows by TTL");
            assertEquals(older, deleted, "rows deleted");

            for (Kind<?> k : KINDS) {
                for (String h : List.of(H1, H2)) {
                    for (String c : k.perContainer ? List.of(C1, C2) : List.of(C1)) {
                        for (int res : new int[] {1, 10}) {
                            List<?> expected = written.get(k).stream()
                                    .filter(r -> host(r).equals(h) && (!k.perContainer || cid(r).equals(c)) && res(r) == res)
                                    .filter(r -> res != 1 || ts(r) >= cutoff)
                                    .collect(Collectors.toList());
                            assertSameRows(expected, k.query(store, h, c, 0, 10_000, res), scope(k, h, c) + " res " + res);
                        }
                    }
                }
            }
            assertEquals(1, store.processes(H1, C1, 0, 1000).size(), "processes are not expired with rows");
            assertEquals(1, store.containers(H1, 0, 1000).size(), "containers are not expired with rows");
            assertEquals(0, store.expire(1, cutoff), "nothing left to expire");
        }
    }

    /** Hostile and non-ASCII strings round-trip unchanged. */
    @Nested
    class Strings {
        @Test
        void hostileAndUnicodeStringsRoundTripUnchanged() {
            List<String> strings = List.of(
                    "<script>alert('x')</script>",
                    "Robert'); DROP TABLE container_rows;--",
                    "\"double\" 'single' `back` \\back\\slash",
                    "tab\there, newline\nthere, cr\rthere",
                    "üñíçødé — ∑ € 日本語 עברית \u202Eright-to-left",
                    "emoji 😀👩‍👩‍👧 and 𝄞 (four-byte UTF-8)",
                    "%_*?[]{}$;|&",
                    "  padded  ",
                    "\uFEFFbom and \u0001\u001F controls");
            long seed = 1;
            for (String s : strings) {
                At at = new At(s, s + "/ctr", 60, 1, 1, s); // in the key and in the value strings
                MetricsBatch b = new MetricsBatch();
                Map<Kind<?>, Object> rows = new LinkedHashMap<>();
                for (Kind<?> k : KINDS) rows.put(k, addOne(k, b, at, seed++));
                b.rows(RowKind.PROCESS_INFO).add(proc(s, s + "/ctr", 7, 1, 0, s));
                b.rows(RowKind.CONTAINER_INFO).add(ctr(s, s + "/ctr", 1, 100, s));
                store.write(b);
                for (Kind<?> k : KINDS) {
                    assertEquals(List.of(rows.get(k)), k.query(store, s, s + "/ctr", 0, 1000, 1), k.name + " with " + s);
                }
                assertEquals(List.of(proc(s, s + "/ctr", 7, 1, 0, s)), store.processes(s, s + "/ctr", 0, 1000), s);
                assertEquals(List.of(ctr(s, s + "/ctr", 1, 100, s)), store.containers(s, 0, 1000), s);
            }
            assertEquals(new HashSet<>(strings), new HashSet<>(store.hosts()));
        }
    }
}
