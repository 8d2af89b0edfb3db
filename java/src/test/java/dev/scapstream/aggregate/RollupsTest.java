package dev.scapstream.aggregate;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;
import dev.scapstream.store.Rows.CpuSource;
import dev.scapstream.testsupport.Aggregation;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The 10 s / 1 h / 1 d rollups, checked against rollups this test computes itself from the raw
 * rows of real traces, for every table; and the early write of an exited process's rollups.
 */
class RollupsTest {
    private static final int[] RES = {10, 3600, 86400};

    @Test
    void rollupsOfTheFixtureEqualSumsOfItsRawRows() {
        checkTrace(TestData.fixtures().resolve("basic.scap.gz"));
    }

    @Test
    void rollupsOfEverySharedTraceEqualSumsOfTheirRawRows() {
        Path dir = TestData.requireSharedTraces();
        List<Path> traces = TestData.tracesWithTruth(dir);
        assertFalse(traces.isEmpty(), "no traces in " + dir);
        for (Path t : traces) checkTrace(t);
    }

    @Test
    void anExitedProcessesRollupsAreWrittenInItsExitSecondNotAtTheEnd() {
        Path trace = TestData.sharedTraces().resolve("churn.scap.gz");
        if (!trace.toFile().exists()) trace = TestData.fixtures().resolve("basic.scap.gz");
        Aggregation a = Aggregation.of(trace);
        int last = a.batches.size() - 1;
        long lastSecond = a.summary.lastSecond();
        int checked = 0;
        Map<List<Object>, Integer> firstBatchOfDayRow = new LinkedHashMap<>();
        for (int i = 0; i <= last; i++) {
            for (Rows.ProcessRow p : a.batches.get(i).rows(RowKind.PROCESS)) {
                if (p.res() == 86400) firstBatchOfDayRow.putIfAbsent(List.of(p.pid(), p.startTs()), i);
            }
        }
        for (RunSummary.Process p : a.summary.processes()) {
            if (p.exitTs() == 0 || Math.floorDiv(p.exitTs(), 1_000_000_000L) >= lastSecond - 1) continue;
            Integer at = firstBatchOfDayRow.get(List.of(p.pid(), p.startTs()));
            assertNotNull(at, "a 1 d row for exited pid " + p.pid());
            assertTrue(at < last, "pid " + p.pid() + " exited in second " + p.exitTs() / 1_000_000_000L
                    + " but its 1 d rollup waited for the final flush");
            checked++;
        }
        assertTrue(checked >= 5, "exited processes checked: " + checked + " in " + trace.getFileName());
    }

    @Test
    void aPidReusedAfterItsRollupsWereWrittenIsWrittenAgainWithTheWholeSum() {
        Rollups r = new Rollups();
        long t0 = 1_700_000_000L - Math.floorMod(1_700_000_000L, 86400) + 100; // a 10 s edge, mid-day
        List<MetricsBatch> out = new ArrayList<>();
        // second 0: pid 7 reads 5 times and exits
        out.add(second(r, t0, syscall(7, "read", t0, 5, 100), List.of(7L)));
        // second 2: another process with pid 7 reads 3 times; exits in second 3
        out.add(second(r, t0 + 1, null, List.of()));
        out.add(second(r, t0 + 2, syscall(7, "read", t0 + 2, 3, 400), List.of()));
        out.add(second(r, t0 + 3, null, List.of(7L)));
        MetricsBatch tail = new MetricsBatch();
        r.flush(tail, t0 + 3);
        out.add(tail);

        for (int res : RES) {
            List<Rows.SyscallRow> written = new ArrayList<>();
            List<Integer> where = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                for (Rows.SyscallRow s : out.get(i).rows(RowKind.SYSCALL)) {
                    if (s.res() == res) {
                        written.add(s);
                        where.add(i);
                    }
                }
            }
            assertEquals(List.of(0, 3), where, "written at the first exit and at the second, at " + res + " s");
            assertEquals(5, written.get(0).calls());
            Rows.SyscallRow last = written.get(1);
            assertEquals(8, last.calls(), "the second write carries both processes' calls");
            assertEquals(500, last.totalLatencyNs());
            assertEquals(400, last.maxLatencyNs());
            assertEquals(Math.floorDiv(t0, res) * res, last.ts());
        }
    }

    @Test
    void keysOfExitedProcessesBeyondTheBoundAreForgottenOnceWrittenAndAReusedPidIsCounted() {
        Rollups r = new Rollups(30);
        long t0 = 1_700_000_000L - Math.floorMod(1_700_000_000L, 86400) + 3600;
        long rowsAtExit = 0;
        for (int s = 0; s < 100; s++) { // a process a second, 10 syscalls each, exiting in that second
            MetricsBatch b = new MetricsBatch();
            long pid = 1000 + s;
            for (int k = 0; k < 10; k++) b.rows(RowKind.SYSCALL).add(syscall(pid, "call" + k, t0 + s, k + 1, 10));
            r.add(b, t0 + s, List.of(pid));
            rowsAtExit += b.rows(RowKind.SYSCALL).stream().filter(x -> x.res() == 3600 && x.pid() == pid).count();
            assertTrue(r.keysHeld() <= 30 + 10, "keys held after second " + s + ": " + r.keysHeld());
        }
        assertEquals(100 * 10, rowsAtExit, "every exited process's 1 h rows were written in its exit second");
        assertEquals(100 * 10 - 30, r.keysForgotten());
        assertEquals(0, r.keysRestarted());

        // pid 1099 is still held: its key is merged (one process's calls on top of the other's)
        MetricsBatch again = new MetricsBatch();
        again.rows(RowKind.SYSCALL).add(syscall(1099, "call0", t0 + 120, 5, 10));
        r.add(again, t0 + 120, List.of(1099L));
        Rows.SyscallRow hour = again.rows(RowKind.SYSCALL).stream().filter(x -> x.res() == 3600).findFirst().orElseThrow();
        assertEquals(1 + 5, hour.calls());
        assertEquals(0, r.keysRestarted());

        // pid 1000 was forgotten: a new key of it the same day is counted
        MetricsBatch reused = new MetricsBatch();
        reused.rows(RowKind.SYSCALL).add(syscall(1000, "call0", t0 + 121, 7, 10));
        r.add(reused, t0 + 121, List.of(1000L));
        assertEquals(1, r.keysRestarted());
        assertEquals(7, reused.rows(RowKind.SYSCALL).stream().filter(x -> x.res() == 3600).findFirst().orElseThrow().calls());

        // nothing forgotten is written again, and what is held is written once at the end
        MetricsBatch tail = new MetricsBatch();
        r.flush(tail, t0 + 121);
        assertEquals(List.of(), tail.rows(RowKind.SYSCALL).stream().filter(x -> x.res() != 10).toList(),
                "1 h / 1 d rows of exited processes were all written at their exits");
    }

    @Test
    void anUnknownCounterStaysUnknownOnlyWhileNoSecondKnowsIt() {
        Rollups r = new Rollups();
        long t0 = 1_700_000_000L - Math.floorMod(1_700_000_000L, 10);
        MetricsBatch a = new MetricsBatch();
        a.rows(RowKind.PROCESS).add(process(9, t0, 0, CpuSource.SWITCH));
        r.add(a, t0);
        MetricsBatch b = new MetricsBatch();
        b.rows(RowKind.PROCESS).add(process(9, t0 + 1, -1, CpuSource.SWITCH));
        r.add(b, t0 + 1);
        MetricsBatch c = new MetricsBatch();
        c.rows(RowKind.PROCESS).add(process(9, t0 + 2, 40, CpuSource.SWITCH));
        r.add(c, t0 + 2);
        MetricsBatch tail = new MetricsBatch();
        r.flush(tail, t0 + 2);
        assertEquals(3, tail.rows(RowKind.PROCESS).size());
        for (Rows.ProcessRow p : tail.rows(RowKind.PROCESS)) assertEquals(40, p.cpuNs(), "0 + unknown + 40 at " + p.res());

        Rollups u = new Rollups();
        MetricsBatch d = new MetricsBatch();
        d.rows(RowKind.PROCESS).add(process(9, t0, -1, CpuSource.UNKNOWN));
        u.add(d, t0);
        MetricsBatch tail2 = new MetricsBatch();
        u.flush(tail2, t0);
        for (Rows.ProcessRow p : tail2.rows(RowKind.PROCESS)) assertEquals(-1, p.cpuNs(), "nothing known at " + p.res());
    }

    private static MetricsBatch second(Rollups r, long sec, Rows.SyscallRow row, List<Long> exited) {
        MetricsBatch b = new MetricsBatch();
        if (row != null) b.rows(RowKind.SYSCALL).add(row);
        r.add(b, sec, exited);
        return b;
    }

    private static Rows.SyscallRow syscall(long pid, String name, long ts, long calls, long latency) {
        return new Rows.SyscallRow("h", "host", pid, name, ts, 1, calls, 0, latency, latency);
    }

    private static Rows.ProcessRow process(long pid, long ts, long cpu, CpuSource source) {
        return new Rows.ProcessRow("h", "host", pid, 1, ts, 1, cpu, -1, -1, source, 100, 50, 50, 0, 0, 0,
                0, 0, 0, 0, 1, 0);
    }

    // ---- the check over a trace ----

    private static void checkTrace(Path trace) {
        Aggregation a = Aggregation.of(trace);
        String name = trace.getFileName().toString();
        Tables stored = new Tables();
        for (MetricsBatch b : a.batches) stored.write(b); // the last write of a key wins, as in a store
        assertTrue(stored.count() > 0, name);
        compare(name, "containers", stored.containers, Rows.ContainerRow::res, Rows.ContainerRow::ts,
                x -> List.of(x.containerId()), RollupsTest::containers);
        compare(name, "processes", stored.processes, Rows.ProcessRow::res, Rows.ProcessRow::ts,
                x -> List.of(x.pid(), x.startTs()), RollupsTest::processes);
        compare(name, "files", stored.files, Rows.FileRow::res, Rows.FileRow::ts,
                x -> List.of(x.containerId(), x.pid(), x.file()),
                (g, ts, res) -> {
                    Rows.FileRow f = g.get(0);
                    return new Rows.FileRow(f.host(), f.containerId(), f.pid(), f.file(), ts, res,
                            sum(g, Rows.FileRow::bytesIn), sum(g, Rows.FileRow::bytesOut),
                            sum(g, Rows.FileRow::opsIn), sum(g, Rows.FileRow::opsOut),
                            sum(g, Rows.FileRow::opens), sum(g, Rows.FileRow::openErrors));
                });
        compare(name, "connections", stored.connections, Rows.ConnectionRow::res, Rows.ConnectionRow::ts,
                x -> List.of(x.containerId(), x.pid(), x.l4(), x.tuple()),
                (g, ts, res) -> {
                    Rows.ConnectionRow c = g.get(0);
                    return new Rows.ConnectionRow(c.host(), c.containerId(), c.pid(), c.l4(), c.tuple(), c.serverPort(),
                            ts, res, sum(g, Rows.ConnectionRow::bytesIn), sum(g, Rows.ConnectionRow::bytesOut));
                });
        compare(name, "ports", stored.ports, Rows.PortRow::res, Rows.PortRow::ts,
                x -> List.of(x.containerId(), x.l4(), x.port()),
                (g, ts, res) -> {
                    Rows.PortRow p = g.get(0);
                    return new Rows.PortRow(p.host(), p.containerId(), p.l4(), p.port(), ts, res,
                            sum(g, Rows.PortRow::bytesIn), sum(g, Rows.PortRow::bytesOut));
                });
        compare(name, "syscalls", stored.syscalls, Rows.SyscallRow::res, Rows.SyscallRow::ts,
                x -> List.of(x.containerId(), x.pid(), x.syscall()),
                (g, ts, res) -> {
                    Rows.SyscallRow s = g.get(0);
                    return new Rows.SyscallRow(s.host(), s.containerId(), s.pid(), s.syscall(), ts, res,
                            sum(g, Rows.SyscallRow::calls), sum(g, Rows.SyscallRow::errors),
                            sum(g, Rows.SyscallRow::totalLatencyNs), max(g, Rows.SyscallRow::maxLatencyNs));
                });
        compare(name, "errnos", stored.errnos, Rows.ErrnoRow::res, Rows.ErrnoRow::ts,
                x -> List.of(x.containerId(), x.pid(), x.syscall(), x.errno()),
                (g, ts, res) -> {
                    Rows.ErrnoRow e = g.get(0);
                    return new Rows.ErrnoRow(e.host(), e.containerId(), e.pid(), e.syscall(), e.errno(), ts, res,
                            sum(g, Rows.ErrnoRow::count));
                });
        compare(name, "threads", stored.threads, Rows.ThreadRow::res, Rows.ThreadRow::ts,
                x -> List.of(x.containerId(), x.pid(), x.tid()),
                (g, ts, res) -> {
                    Rows.ThreadRow t = g.get(0);
                    return new Rows.ThreadRow(t.host(), t.containerId(), t.pid(), t.tid(), ts, res, sum(g, Rows.ThreadRow::cpuNs));
                });
        compare(name, "cpus", stored.cpus, Rows.CpuRow::res, Rows.CpuRow::ts, x -> List.of(x.cpu()),
                (g, ts, res) -> new Rows.CpuRow(g.get(0).host(), g.get(0).cpu(), ts, res, sum(g, Rows.CpuRow::busyNs)));
        compare(name, "agent", stored.agent, Rows.AgentRow::res, Rows.AgentRow::ts, x -> List.of(),
                (g, ts, res) -> new Rows.AgentRow(g.get(0).host(), ts, res, sum(g, Rows.AgentRow::events),
                        sum(g, Rows.AgentRow::drops), sum(g, Rows.AgentRow::dropsBuffer),
                        sum(g, Rows.AgentRow::dropsScratchMap), sum(g, Rows.AgentRow::dropsPf),
                        sum(g, Rows.AgentRow::dropsBug), sum(g, Rows.AgentRow::preemptions)));
    }

    private static Rows.ContainerRow containers(List<Rows.ContainerRow> g, long ts, int res) {
        Rows.ContainerRow c = g.get(0);
        long n = g.size();
        return new Rows.ContainerRow(c.host(), c.containerId(), ts, res, sum(g, Rows.ContainerRow::cpuNs), source(g.stream().map(Rows.ContainerRow::cpuSource).toList()),
                total(g, Rows.ContainerRow::memRssKb) / n,
                Math.max(max(g, Rows.ContainerRow::memRssKb), max(g, Rows.ContainerRow::memRssMaxKb)),
                total(g, Rows.ContainerRow::memVmKb) / n, total(g, Rows.ContainerRow::memSwapKb) / n,
                sum(g, Rows.ContainerRow::fileInBytes), sum(g, Rows.ContainerRow::fileOutBytes),
                sum(g, Rows.ContainerRow::fileOps), sum(g, Rows.ContainerRow::netInBytes),
                sum(g, Rows.ContainerRow::netOutBytes), sum(g, Rows.ContainerRow::syscalls),
                sum(g, Rows.ContainerRow::syscallErrors),
                (int) Math.round((double) total(g, Rows.ContainerRow::processes) / n));
    }

    private static Rows.ProcessRow processes(List<Rows.ProcessRow> g, long ts, int res) {
        Rows.ProcessRow p = g.get(0);
        long n = g.size();
        return new Rows.ProcessRow(p.host(), p.containerId(), p.pid(), p.startTs(), ts, res,
                sum(g, Rows.ProcessRow::cpuNs), sum(g, Rows.ProcessRow::cpuUserNs), sum(g, Rows.ProcessRow::cpuSysNs),
                source(g.stream().map(Rows.ProcessRow::cpuSource).toList()),
                total(g, Rows.ProcessRow::vmSizeKb) / n, total(g, Rows.ProcessRow::vmRssKb) / n,
                Math.max(max(g, Rows.ProcessRow::vmRssKb), max(g, Rows.ProcessRow::vmRssMaxKb)),
                total(g, Rows.ProcessRow::vmSwapKb) / n,
                sum(g, Rows.ProcessRow::minorFaults), sum(g, Rows.ProcessRow::majorFaults),
                sum(g, Rows.ProcessRow::fileInBytes), sum(g, Rows.ProcessRow::fileOutBytes),
                sum(g, Rows.ProcessRow::netInBytes), sum(g, Rows.ProcessRow::netOutBytes),
                sum(g, Rows.ProcessRow::syscalls), sum(g, Rows.ProcessRow::syscallErrors));
    }

    interface Expect<R> {
        R row(List<R> rawRowsOfTheBucket, long ts, int res);
    }

    /**
     * Groups the raw rows by key and bucket, builds the expected rollup row of each group, and
     * compares that set with the rollup rows the store would hold.
     */
    private static <R> void compare(String trace, String table, Map<List<Object>, R> stored, ToLongFunction<R> resOf,
                                    ToLongFunction<R> tsOf, Function<R, List<Object>> keyOf, Expect<R> expect) {
        Map<List<Object>, List<R>> groups = new LinkedHashMap<>();
        Map<List<Object>, R> got = new LinkedHashMap<>();
        for (R row : stored.values()) {
            long res = resOf.applyAsLong(row);
            long ts = tsOf.applyAsLong(row);
            if (res == 1) {
                for (int r : RES) {
                    groups.computeIfAbsent(key(keyOf.apply(row), Math.floorDiv(ts, r) * r, r), k -> new ArrayList<>()).add(row);
                }
            } else {
                got.put(key(keyOf.apply(row), ts, (int) res), row);
            }
        }
        Map<List<Object>, R> want = new LinkedHashMap<>();
        for (Map.Entry<List<Object>, List<R>> e : groups.entrySet()) {
            List<Object> k = e.getKey();
            long ts = (Long) k.get(k.size() - 2);
            int res = (Integer) k.get(k.size() - 1);
            List<R> raw = new ArrayList<>(e.getValue());
            raw.sort((x, y) -> Long.compare(tsOf.applyAsLong(x), tsOf.applyAsLong(y)));
            want.put(k, expect.row(raw, ts, res));
        }
        assertEquals(want.keySet(), got.keySet(), trace + " " + table + ": rollup keys");
        for (List<Object> k : want.keySet()) assertEquals(want.get(k), got.get(k), trace + " " + table + " " + k);
    }

    private static List<Object> key(List<Object> natural, long ts, int res) {
        List<Object> k = new ArrayList<>(natural);
        k.add(ts);
        k.add(res);
        return k;
    }

    /** A counter over seconds: the sum of the known values, -1 (unknown) if none is known. */
    private static <R> long sum(List<R> g, ToLongFunction<R> f) {
        long s = 0;
        boolean known = false;
        for (R r : g) {
            long v = f.applyAsLong(r);
            if (v >= 0) {
                s += v;
                known = true;
            }
        }
        return known ? s : -1;
    }

    private static <R> long total(List<R> g, ToLongFunction<R> f) {
        return g.stream().mapToLong(f).sum();
    }

    private static <R> long max(List<R> g, ToLongFunction<R> f) {
        return g.stream().mapToLong(f).max().orElse(0);
    }

    private static CpuSource source(List<CpuSource> sources) {
        if (sources.contains(CpuSource.SWITCH)) return CpuSource.SWITCH;
        if (sources.contains(CpuSource.PROCINFO)) return CpuSource.PROCINFO;
        return CpuSource.UNKNOWN;
    }

    /** What a store holds after the batches: per table, the last row written for each key. */
    private static final class Tables {
        final Map<List<Object>, Rows.ContainerRow> containers = new LinkedHashMap<>();
        final Map<List<Object>, Rows.ProcessRow> processes = new LinkedHashMap<>();
        final Map<List<Object>, Rows.FileRow> files = new LinkedHashMap<>();
        final Map<List<Object>, Rows.ConnectionRow> connections = new LinkedHashMap<>();
        final Map<List<Object>, Rows.PortRow> ports = new LinkedHashMap<>();
        final Map<List<Object>, Rows.SyscallRow> syscalls = new LinkedHashMap<>();
        final Map<List<Object>, Rows.ErrnoRow> errnos = new LinkedHashMap<>();
        final Map<List<Object>, Rows.ThreadRow> threads = new LinkedHashMap<>();
        final Map<List<Object>, Rows.CpuRow> cpus = new LinkedHashMap<>();
        final Map<List<Object>, Rows.AgentRow> agent = new LinkedHashMap<>();

        void write(MetricsBatch b) {
            for (var x : b.rows(RowKind.CONTAINER)) containers.put(List.of(x.containerId(), x.ts(), x.res()), x);
            for (var x : b.rows(RowKind.PROCESS)) processes.put(List.of(x.containerId(), x.pid(), x.startTs(), x.ts(), x.res()), x);
            for (var x : b.rows(RowKind.FILE)) files.put(List.of(x.containerId(), x.pid(), x.file(), x.ts(), x.res()), x);
            for (var x : b.rows(RowKind.CONNECTION)) connections.put(List.of(x.containerId(), x.pid(), x.l4(), x.tuple(), x.ts(), x.res()), x);
            for (var x : b.rows(RowKind.PORT)) ports.put(List.of(x.containerId(), x.l4(), x.port(), x.ts(), x.res()), x);
            for (var x : b.rows(RowKind.SYSCALL)) syscalls.put(List.of(x.containerId(), x.pid(), x.syscall(), x.ts(), x.res()), x);
            for (var x : b.rows(RowKind.ERRNO)) errnos.put(List.of(x.containerId(), x.pid(), x.syscall(), x.errno(), x.ts(), x.res()), x);
            for (var x : b.rows(RowKind.THREAD)) threads.put(List.of(x.containerId(), x.pid(), x.tid(), x.ts(), x.res()), x);
            for (var x : b.rows(RowKind.CPU)) cpus.put(List.of(x.cpu(), x.ts(), x.res()), x);
            for (var x : b.rows(RowKind.AGENT)) agent.put(List.of(x.ts(), x.res()), x);
        }

        int count() {
            return containers.size() + processes.size() + files.size() + syscalls.size() + agent.size();
        }
    }
}
