package dev.scapstream.aggregate;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Totals over a whole run, built from the raw (1 s) rows as they are written: the top-like summary
 * of `replay` and `live`. Deterministic: identical rows give identical summaries, in a fixed order.
 */
public final class RunSummary {
    public record Container(String id, String name, String image, String runtime, double cpuSeconds,
                            long peakMemRssKb, long fileInBytes, long fileOutBytes, long netInBytes, long netOutBytes,
                            long syscalls) {}

    public record Process(long pid, long startTs, long exitTs, String name, String args, String container,
                          double cpuSeconds, long peakRssKb, long fileInBytes, long fileOutBytes, long netInBytes,
                          long netOutBytes) {}

    public record File(String name, long pid, String process, String container, long bytesIn, long bytesOut,
                       long opsIn, long opsOut, long opens, long openErrors) {}

    public record Connection(String l4, String tuple, int serverPort, long pid, String process, String container,
                             long bytesIn, long bytesOut) {}

    public record Syscall(String syscall, long calls, long errors, double totalLatencyMs, double maxLatencyMs) {}

    public record Summary(long events, long seconds, long firstSecond, long lastSecond, long drops, String cpuSource,
                          List<Container> containers, List<Process> processes, List<File> files,
                          List<Connection> connections, List<Syscall> syscalls) {}

    /**
     * Keys per table that a live run's summary keeps (processes, files, connections): beyond them
     * the least recently active go (exited processes first). Unbounded, a long-running agent would
     * keep every process it ever saw, ~1.6 kB each.
     */
    public static final int LIVE_KEYS = 10_000;

    private final int maxKeys;
    private final Map<String, long[]> containers = new LinkedHashMap<>();
    private final Map<String, Rows.ContainerInfo> containerInfos = new LinkedHashMap<>();
    private final Map<Rows.ProcessKey, Rows.ProcessInfo> processInfos = new LinkedHashMap<>();
    private final Map<Rows.ProcessKey, long[]> processes;
    // totals of 1 s rows by their key (RowKind.combine)
    private final Map<List<Object>, Rows.FileRow> files;
    private final Map<List<Object>, Rows.ConnectionRow> conns;
    private long keysDropped;

    /** A summary of every key (replay: exact and complete). */
    public RunSummary() {
        this(Integer.MAX_VALUE);
    }

    /** A summary that keeps at most {@code maxKeys} processes, files and connections each. */
    public RunSummary(int maxKeys) {
        if (maxKeys <= 0) throw new IllegalArgumentException("maxKeys <= 0");
        this.maxKeys = maxKeys;
        processes = bounded(processInfos);
        files = bounded(null);
        conns = bounded(null);
    }

    /**
     * Totals by key; unbounded it keeps insertion order (the summary sorts), bounded it is in
     * access order and drops its least recently active key, with that key's entry in {@code side}.
     */
    private <K, V> Map<K, V> bounded(Map<K, ?> side) {
        if (maxKeys == Integer.MAX_VALUE) return new LinkedHashMap<>();
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() <= maxKeys) return false;
                if (side != null) side.remove(eldest.getKey());
                keysDropped++;
                return true;
            }
        };
    }

    /** Processes, files and connections left out of a bounded summary. */
    public synchronized long keysDropped() {
        return keysDropped;
    }
    private final Map<String, long[]> syscalls = new LinkedHashMap<>();
    private long events, drops, seconds, first = Long.MAX_VALUE, last = Long.MIN_VALUE;
    private String cpuSource = "UNKNOWN";

    /** Adds a batch's raw rows (rollup rows are ignored). */
    public synchronized void add(MetricsBatch b) {
        for (Rows.AgentRow a : b.rows(RowKind.AGENT)) {
            if (a.res() != 1) continue;
            events += a.events();
            drops += a.drops();
            seconds++;
            first = Math.min(first, a.ts());
            last = Math.max(last, a.ts());
        }
        for (Rows.ContainerInfo c : b.rows(RowKind.CONTAINER_INFO)) containerInfos.put(c.id(), c);
        for (Rows.ProcessInfo p : b.rows(RowKind.PROCESS_INFO)) {
            Rows.ProcessKey k = Rows.ProcessKey.of(p);
            processInfos.put(k, p);
            // bounded, an info is kept with its process's totals (and goes with them)
            if (maxKeys != Integer.MAX_VALUE) processes.computeIfAbsent(k, x -> new long[7]);
        }
        for (Rows.ContainerRow c : b.rows(RowKind.CONTAINER)) {
            if (c.res() != 1) continue;
            long[] v = containers.computeIfAbsent(c.containerId(), k -> new long[7]);
            v[0] += Math.max(0, c.cpuNs());
            v[1] = Math.max(v[1], c.memRssMaxKb());
            v[2] += c.fileInBytes();
            v[3] += c.fileOutBytes();
            v[4] += c.netInBytes();
            v[5] += c.netOutBytes();
            v[6] += c.syscalls();
            cpuSource = c.cpuSource().name(); // containers carry the time's source, never a split
        }
        for (Rows.ProcessRow p : b.rows(RowKind.PROCESS)) {
            if (p.res() != 1) continue;
            long[] v = processes.computeIfAbsent(Rows.ProcessKey.of(p), k -> new long[7]);
            v[6]++; // rows seen: a process known only from its info is not listed
            v[0] += Math.max(0, p.cpuNs());
            v[1] = Math.max(v[1], p.vmRssMaxKb());
            v[2] += p.fileInBytes();
            v[3] += p.fileOutBytes();
            v[4] += p.netInBytes();
            v[5] += p.netOutBytes();
        }
        total(RowKind.FILE, b, files);
        total(RowKind.CONNECTION, b, conns);
        for (Rows.SyscallRow s : b.rows(RowKind.SYSCALL)) {
            if (s.res() != 1) continue;
            long[] v = syscalls.computeIfAbsent(s.syscall(), x -> new long[4]);
            v[0] += s.calls();
            v[1] += s.errors();
            v[2] += s.totalLatencyNs();
            v[3] = Math.max(v[3], s.maxLatencyNs());
        }
    }

    private static <R extends Record> void total(RowKind<R> kind, MetricsBatch b, Map<List<Object>, R> totals) {
        for (R r : kind.of(b)) {
            if ((Integer) kind.field("res").get(r) != 1) continue;
            totals.merge(kind.key(r), r, kind::combine);
        }
    }

    public synchronized Summary summary() {
        List<Container> cs = new ArrayList<>();
        containers.forEach((id, v) -> {
            Rows.ContainerInfo i = containerInfos.get(id);
            cs.add(new Container(id, i == null ? "" : i.name(), i == null ? "" : i.image(), i == null ? "" : i.runtime(),
                    v[0] / 1e9, v[1], v[2], v[3], v[4], v[5], v[6]));
        });
        cs.sort(Comparator.comparingDouble(Container::cpuSeconds).reversed().thenComparing(Container::id));
        List<Process> ps = new ArrayList<>();
        processes.forEach((k, v) -> {
            if (v[6] == 0) return;
            Rows.ProcessInfo i = processInfos.get(k);
            ps.add(new Process(k.pid(), k.startTs(), i == null ? 0 : i.exitTs(), i == null ? "?" : i.comm(), i == null ? "" : i.args(),
                    i == null ? "host" : i.containerId(), v[0] / 1e9, v[1], v[2], v[3], v[4], v[5]));
        });
        ps.sort(Comparator.comparingDouble(Process::cpuSeconds).reversed().thenComparingLong(Process::pid)
                .thenComparingLong(Process::startTs));
        // the name of a pid: its latest process info (a pid may be reused within a trace)
        Map<Long, String> names = new java.util.HashMap<>();
        for (Rows.ProcessInfo p : processInfos.values()) names.put(p.pid(), p.comm());
        List<File> fs = new ArrayList<>();
        for (Rows.FileRow f : files.values()) {
            fs.add(new File(f.file(), f.pid(), names.getOrDefault(f.pid(), "?"), f.containerId(), f.bytesIn(), f.bytesOut(),
                    f.opsIn(), f.opsOut(), f.opens(), f.openErrors()));
        }
        fs.sort(Comparator.comparingLong((File f) -> f.bytesIn() + f.bytesOut()).reversed()
                .thenComparing(File::name).thenComparingLong(File::pid));
        List<Connection> ns = new ArrayList<>();
        for (Rows.ConnectionRow c : conns.values()) {
            ns.add(new Connection(c.l4(), c.tuple(), c.serverPort(), c.pid(), names.getOrDefault(c.pid(), "?"),
                    c.containerId(), c.bytesIn(), c.bytesOut()));
        }
        ns.sort(Comparator.comparingLong((Connection c) -> c.bytesIn() + c.bytesOut()).reversed()
                .thenComparing(Connection::tuple).thenComparingLong(Connection::pid));
        List<Syscall> ss = new ArrayList<>();
        syscalls.forEach((k, v) -> ss.add(new Syscall(k, v[0], v[1], v[2] / 1e6, v[3] / 1e6)));
        ss.sort(Comparator.comparingLong(Syscall::calls).reversed().thenComparing(Syscall::syscall));
        return new Summary(events, seconds, first == Long.MAX_VALUE ? 0 : first, last == Long.MIN_VALUE ? 0 : last,
                drops, cpuSource, cs, ps, fs, ns, ss);
    }
}
