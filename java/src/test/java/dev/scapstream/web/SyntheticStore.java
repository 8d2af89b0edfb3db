package dev.scapstream.web;

import dev.scapstream.store.RowKind;
import dev.scapstream.aggregate.Rollups;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.util.List;

/**
 * A store as an agent would leave it after watching one busy container: per-second rows for every
 * process (with files, connections, syscalls) and the agent's own rollups, written through
 * {@link MetricsStore#write}. Values are deterministic.
 */
final class SyntheticStore {
    static final String HOST = "bench";
    static final String CONTAINER = "b3nch0000001";

    private SyntheticStore() {}

    /** Writes `seconds` seconds from `start` with `processes` processes; returns the rows written. */
    static long fill(MetricsStore store, long start, int seconds, int processes) {
        Rollups rollups = new Rollups();
        MetricsBatch pending = new MetricsBatch();
        long rows = 0;
        long startNs = start * 1_000_000_000L;
        for (int s = 0; s < seconds; s++) {
            long ts = start + s;
            MetricsBatch b = new MetricsBatch();
            if (s == 0) {
                for (int p = 0; p < processes; p++) {
                    b.rows(RowKind.PROCESS_INFO).add(new Rows.ProcessInfo(HOST, CONTAINER, 1000 + p, p == 0 ? 1 : 1000, startNs + p, 0,
                            "worker-" + p, "/usr/bin/worker", "--id " + p + " --threads 4", "app"));
                }
            }
            long cpuSum = 0, rssSum = 0, in = 0, out = 0;
            for (int p = 0; p < processes; p++) {
                long cpu = (long) (1e7 * (1 + p % 7) * (1.2 + Math.sin((ts + p * 37) / 60.0)));
                long rss = 20_000 + 1_000L * p + (ts % 300) * 10;
                long fi = p % 5 == 0 ? 4096L * (1 + ts % 17) : 0;
                long fo = p % 3 == 0 ? 8192L * (1 + ts % 11) : 0;
                cpuSum += cpu;
                rssSum += rss;
                in += fi;
                out += fo;
                b.rows(RowKind.PROCESS).add(new Rows.ProcessRow(HOST, CONTAINER, 1000 + p, startNs + p, ts, 1, cpu, cpu * 3 / 4, cpu / 4,
                        Rows.CpuSource.SWITCH, rss * 4, rss, rss + 64, 0, 10, 0, fi, fo, p < 2 ? 1500 : 0, p < 2 ? 900 : 0,
                        40 + p, p % 10 == 0 ? 1 : 0));
                if (fi > 0) b.rows(RowKind.FILE).add(new Rows.FileRow(HOST, CONTAINER, 1000 + p, "/data/in-" + p + ".db", ts, 1, fi, 0, 1, 0, 0, 0));
                if (fo > 0) b.rows(RowKind.FILE).add(new Rows.FileRow(HOST, CONTAINER, 1000 + p, "/var/log/w-" + p + ".log", ts, 1, 0, fo, 0, 2, 0, 0));
                b.rows(RowKind.SYSCALL).add(new Rows.SyscallRow(HOST, CONTAINER, 1000 + p, p % 2 == 0 ? "read" : "write", ts, 1, 40 + p,
                        p % 10 == 0 ? 1 : 0, 40_000L * (40 + p), 90_000));
                if (p % 10 == 0) b.rows(RowKind.ERRNO).add(new Rows.ErrnoRow(HOST, CONTAINER, 1000 + p, "read", 11, ts, 1, 1));
            }
            for (int c = 0; c < 2; c++) {
                b.rows(RowKind.CONNECTION).add(new Rows.ConnectionRow(HOST, CONTAINER, 1000 + c, "tcp",
                        "10.0.0." + (2 + c) + ":4" + c + "000->10.0.0.1:5432", 5432, ts, 1, 1500, 900));
            }
            b.rows(RowKind.PORT).add(new Rows.PortRow(HOST, CONTAINER, "tcp", 5432, ts, 1, 3000, 1800));
            b.rows(RowKind.CONTAINER).add(new Rows.ContainerRow(HOST, CONTAINER, ts, 1, cpuSum, Rows.CpuSource.SWITCH, rssSum, rssSum + 64,
                    rssSum * 4, 0, in, out, processes, 3000, 1800, 0, 0, processes));
            b.rows(RowKind.CONTAINER_INFO).add(new Rows.ContainerInfo(HOST, CONTAINER, "bench-app", "example/app:1.0", "docker", start, ts));
            b.rows(RowKind.AGENT).add(new Rows.AgentRow(HOST, ts, 1, 50_000, 0, 0, 0, 0, 0, 0));
            rollups.add(b, ts);
            append(pending, b);
            if (pending.rowCount() > 20_000) {
                rows += pending.rowCount();
                store.write(pending);
                pending = new MetricsBatch();
            }
        }
        rollups.flush(pending, start + seconds - 1);
        rows += pending.rowCount();
        store.write(pending);
        return rows;
    }

    private static void append(MetricsBatch to, MetricsBatch from) {
        add(to.rows(RowKind.CONTAINER), from.rows(RowKind.CONTAINER));
        add(to.rows(RowKind.PROCESS), from.rows(RowKind.PROCESS));
        add(to.rows(RowKind.FILE), from.rows(RowKind.FILE));
        add(to.rows(RowKind.CONNECTION), from.rows(RowKind.CONNECTION));
        add(to.rows(RowKind.PORT), from.rows(RowKind.PORT));
        add(to.rows(RowKind.SYSCALL), from.rows(RowKind.SYSCALL));
        add(to.rows(RowKind.ERRNO), from.rows(RowKind.ERRNO));
        add(to.rows(RowKind.THREAD), from.rows(RowKind.THREAD));
        add(to.rows(RowKind.CPU), from.rows(RowKind.CPU));
        add(to.rows(RowKind.AGENT), from.rows(RowKind.AGENT));
        add(to.rows(RowKind.PROCESS_INFO), from.rows(RowKind.PROCESS_INFO));
        add(to.rows(RowKind.CONTAINER_INFO), from.rows(RowKind.CONTAINER_INFO));
    }

    private static <T> void add(List<T> to, List<T> from) {
        to.addAll(from);
    }
}
