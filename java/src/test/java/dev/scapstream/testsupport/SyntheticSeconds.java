package dev.scapstream.testsupport;

import dev.scapstream.store.RowKind;
import dev.scapstream.aggregate.Rollups;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;

/**
 * Closed seconds as an agent would hand them to its store: for each of {@code containers}
 * containers, {@code processes} processes with process, file, syscall rows, a connection and port
 * per container, container rows and infos, per-CPU and agent rows, and the agent's own rollups.
 * Deterministic in (host, second), so a reference store can be written the very same batches.
 */
public final class SyntheticSeconds {
    private final String host;
    private final int containers;
    private final int processes;
    private final long start;
    private final boolean flows;
    private final Rollups rollups = new Rollups();

    public SyntheticSeconds(String host, int containers, int processes, long start) {
        this(host, containers, processes, start, true);
    }

    /** flows = false: no file and syscall rows (processes, containers, connections, ports only). */
    public SyntheticSeconds(String host, int containers, int processes, long start, boolean flows) {
        this.host = host;
        this.containers = containers;
        this.processes = processes;
        this.start = start;
        this.flows = flows;
    }

    public static String containerId(int c) {
        return String.format("%012x", 0xc0ffee000000L + c);
    }

    /** The batch of second {@code start + s} (call with s = 0, 1, 2, ... in order). */
    public MetricsBatch second(int s) {
        long ts = start + s;
        long startNs = start * 1_000_000_000L;
        MetricsBatch b = new MetricsBatch();
        long events = 0;
        for (int c = 0; c < containers; c++) {
            String cid = containerId(c);
            long cpuSum = 0, rssSum = 0, fin = 0, fout = 0;
            for (int p = 0; p < processes; p++) {
                long pid = 10_000L + c * 1000L + p;
                if (s == 0) {
                    b.rows(RowKind.PROCESS_INFO).add(new Rows.ProcessInfo(host, cid, pid, 1, startNs + p, 0, "w" + p, "/usr/bin/w",
                            "--container " + c + " --id " + p, "app"));
                }
                long cpu = 1_000_000L * (1 + (ts + p + c) % 9);
                long rss = 10_000 + 100L * p + ts % 100;
                long fo = p % 3 == 0 ? 512L * (1 + (ts + c) % 13) : 0;
                long fi = p % 4 == 0 ? 256L * (1 + ts % 7) : 0;
                cpuSum += cpu;
                rssSum += rss;
                fin += fi;
                fout += fo;
                events += 50 + p;
                b.rows(RowKind.PROCESS).add(new Rows.ProcessRow(host, cid, pid, startNs + p, ts, 1, cpu, cpu / 2, cpu / 2,
                        Rows.CpuSource.SWITCH, rss * 3, rss, rss + 8, 0, p, 0, fi, fo, 0, 0, 50 + p, p % 5 == 0 ? 1 : 0));
                if (!flows) continue;
                if (fo > 0) b.rows(RowKind.FILE).add(new Rows.FileRow(host, cid, pid, "/var/log/w" + p + ".log", ts, 1, 0, fo, 0, 1, 0, 0));
                if (fi > 0) b.rows(RowKind.FILE).add(new Rows.FileRow(host, cid, pid, "/data/in" + p, ts, 1, fi, 0, 1, 0, p % 7 == 0 ? 1 : 0, 0));
                if (p % 10 == 0) {
                    b.rows(RowKind.SYSCALL).add(new Rows.SyscallRow(host, cid, pid, "write", ts, 1, 50 + p, p % 5 == 0 ? 1 : 0,
                            1000L * (50 + p), 9000));
                }
            }
            b.rows(RowKind.CONNECTION).add(new Rows.ConnectionRow(host, cid, 10_000L + c * 1000L, "tcp",
                    "10.1." + (c / 250) + "." + (c % 250) + ":40000->10.0.0.1:5432", 5432, ts, 1, 100 + ts % 10, 200));
            b.rows(RowKind.PORT).add(new Rows.PortRow(host, cid, "tcp", 5432, ts, 1, 100 + ts % 10, 200));
            b.rows(RowKind.CONTAINER).add(new Rows.ContainerRow(host, cid, ts, 1, cpuSum, Rows.CpuSource.SWITCH, rssSum, rssSum + 8,
                    rssSum * 3, 0, fin, fout, 0, 100 + ts % 10, 200, 0, 0, processes));
            b.rows(RowKind.CONTAINER_INFO).add(new Rows.ContainerInfo(host, cid, "svc-" + c, "registry/svc:" + (c % 7), "docker",
                    start, ts));
        }
        for (int cpu = 0; cpu < 2; cpu++) b.rows(RowKind.CPU).add(new Rows.CpuRow(host, cpu, ts, 1, 400_000_000L + ts % 1000));
        b.rows(RowKind.AGENT).add(new Rows.AgentRow(host, ts, 1, events, 0, 0, 0, 0, 0, 0));
        rollups.add(b, ts);
        return b;
    }

    /** The rollup buckets still open after the last second (as the agent flushes them at the end). */
    public MetricsBatch finish(int lastS) {
        MetricsBatch b = new MetricsBatch();
        rollups.flush(b, start + lastS);
        return b;
    }
}
