package dev.scapstream.aggregate;

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
                       long opsIn, long opsOut) {}

    public record Connection(String l4, String tuple, int serverPort, long pid, String process, String container,
                             long bytesIn, long bytesOut) {}

    public record Syscall(String syscall, long calls, long errors, double totalLatencyMs, double maxLatencyMs) {}

    public record Summary(long events, long seconds, long firstSecond, long lastSecond, long drops, String cpuSource,
                          List<Container> containers, List<Process> processes, List<File> files,
                          List<Connection> connections, List<Syscall> syscalls) {}

    /**
     * Keys per table that a live run's summary keeps (processes, files, connections): beyond them
     * the least recently active go (exited processes first). Unbounded, a week-long agent kept
     * every process it ever saw: 1.6 kB a short process, 66 MB in ten minutes of churn (bench-soak).
     */
    public static final int LIVE_KEYS = 10_000;

    private final int maxKeys;
    private final Map<String, long[]> containers = new LinkedHashMap<>();
    private final Map<String, Rows.ContainerInfo> containerInfos = new LinkedHashMap<>();
    private final Map<String, Rows.ProcessInfo> processInfos = new LinkedHashMap<>();
    private final Map<String, Rows.FileRow> fileKeys = new LinkedHashMap<>();
    private final Map<String, Rows.ConnectionRow> connKeys = new LinkedHashMap<>();
    private final Map<String, long[]> processes;
    private final Map<String, long[]> files;
    private final Map<String, long[]> conns;
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
        files = bounded(fileKeys);
        conns = bounded(connKeys);
    }

    /**
     * Totals by key; unbounded it keeps insertion order (the summary sorts), bounded it is in
     * access order and drops its least recently active key, with that key's entry in {@code side}.
     */
    private Map<String, long[]> bounded(Map<String, ?> side) {
        if (maxKeys == Integer.MAX_VALUE) return new LinkedHashMap<>();
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                if (size() <= maxKeys) return false;
                side.remove(eldest.getKey());
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
        for (Rows.AgentRow a : b.agent) {
            if (a.res() != 1) continue;
            events += a.events();
            drops += a.drops();
            seconds++;
            first = Math.min(first, a.ts());
            last = Math.max(last, a.ts());
        }
        for (Rows.ContainerInfo c : b.containerInfos) containerInfos.put(c.id(), c);
        for (Rows.ProcessInfo p : b.processInfos) {
            String k = p.pid() + "@" + p.startTs();
            processInfos.put(k, p);
            // bounded, an info is kept with its process's totals (and goes with them)
            if (maxKeys != Integer.MAX_VALUE) processes.computeIfAbsent(k, x -> new long[7]);
        }
        for (Rows.ContainerRow c : b.containers) {
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
        for (Rows.ProcessRow p : b.processes) {
            if (p.res() != 1) continue;
            long[] v = processes.computeIfAbsent(p.pid() + "@" + p.startTs(), k -> new long[7]);
            v[6]++; // rows seen: a process known only from its info is not listed
            v[0] += Math.max(0, p.cpuNs());
            v[1] = Math.max(v[1], p.vmRssMaxKb());
            v[2] += p.fileInBytes();
            v[3] += p.fileOutBytes();
            v[4] += p.netInBytes();
            v[5] += p.netOutBytes();
        }
        for (Rows.FileRow f : b.files) {
            if (f.res() != 1) continue;
            String k = f.containerId() + "\u0000" + f.pid() + "\u0000" + f.file();
            fileKeys.putIfAbsent(k, f);
            long[] v = files.computeIfAbsent(k, x -> new long[4]);
            v[0] += f.bytesIn();
            v[1] += f.bytesOut();
            v[2] += f.opsIn();
            v[3] += f.opsOut();
        }
        for (Rows.ConnectionRow c : b.connections) {
            if (c.res() != 1) continue;
            String k = c.containerId() + "\u0000" + c.pid() + "\u0000" + c.l4() + "\u0000" + c.tuple();
            connKeys.putIfAbsent(k, c);
            long[] v = conns.computeIfAbsent(k, x -> new long[2]);
            v[0] += c.bytesIn();
            v[1] += c.bytesOut();
        }
        for (Rows.SyscallRow s : b.syscalls) {
            if (s.res() != 1) continue;
            long[] v = syscalls.computeIfAbsent(s.syscall(), x -> new long[4]);
            v[0] += s.calls();
            v[1] += s.errors();
            v[2] += s.totalLatencyNs();
            v[3] = Math.max(v[3], s.maxLatencyNs());
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
            long pid = Long.parseLong(k.substring(0, k.indexOf('@')));
            long start = Long.parseLong(k.substring(k.indexOf('@') + 1));
            ps.add(new Process(pid, start, i == null ? 0 : i.exitTs(), i == null ? "?" : i.comm(), i == null ? "" : i.args(),
                    i == null ? "host" : i.containerId(), v[0] / 1e9, v[1], v[2], v[3], v[4], v[5]));
        });
        ps.sort(Comparator.comparingDouble(Process::cpuSeconds).reversed().thenComparingLong(Process::pid)
                .thenComparingLong(Process::startTs));
        // the name of a pid: its latest process info (a pid may be reused within a trace)
        Map<Long, String> names = new java.util.HashMap<>();
        for (Rows.ProcessInfo p : processInfos.values()) names.put(p.pid(), p.comm());
        List<File> fs = new ArrayList<>();
        files.forEach((k, v) -> {
            Rows.FileRow f = fileKeys.get(k);
            fs.add(new File(f.file(), f.pid(), names.getOrDefault(f.pid(), "?"), f.containerId(), v[0], v[1], v[2], v[3]));
        });
        fs.sort(Comparator.comparingLong((File f) -> f.bytesIn() + f.bytesOut()).reversed()
                .thenComparing(File::name).thenComparingLong(File::pid));
        List<Connection> ns = new ArrayList<>();
        conns.forEach((k, v) -> {
            Rows.ConnectionRow c = connKeys.get(k);
            ns.add(new Connection(c.l4(), c.tuple(), c.serverPort(), c.pid(), names.getOrDefault(c.pid(), "?"),
                    c.containerId(), v[0], v[1]));
        });
        ns.sort(Comparator.comparingLong((Connection c) -> c.bytesIn() + c.bytesOut()).reversed()
                .thenComparing(Connection::tuple).thenComparingLong(Connection::pid));
        List<Syscall> ss = new ArrayList<>();
        syscalls.forEach((k, v) -> ss.add(new Syscall(k, v[0], v[1], v[2] / 1e6, v[3] / 1e6)));
        ss.sort(Comparator.comparingLong(Syscall::calls).reversed().thenComparing(Syscall::syscall));
        return new Summary(events, seconds, first == Long.MAX_VALUE ? 0 : first, last == Long.MIN_VALUE ? 0 : last,
                drops, cpuSource, cs, ps, fs, ns, ss);
    }
}
