package dev.scapstream.store;

/**
 * What is stored: one row per key and time bucket, at a resolution of 1 s (raw), 10 s, 1 h or 1 d.
 * Rollups are computed by the agent, never by a store on read: counters are sums over the bucket;
 * gauges carry the average over the seconds seen ({@code *Kb}) and the maximum ({@code *MaxKb}).
 * {@code ts} is the bucket start in epoch seconds; {@code res} its length in seconds.
 * Every key starts with the host, so one store can hold a fleet.
 */
public final class Rows {
    private Rows() {}

    /** Where a CPU figure came from. */
    public enum CpuSource {
        /** exact on-CPU time from sched_switch events */
        SWITCH,
        /**
         * exact on-CPU time from sched_switch events, split into user and system time by the ratio
         * of the procinfo ticks of the same process (of that second, else since its first sample)
         */
        SWITCH_SPLIT_BY_PROCINFO,
        /** sysdig's formula over procinfo samples (Δ user+system ticks, capped at one core per thread) */
        PROCINFO,
        /** the trace has neither: CPU is unknown, not zero */
        UNKNOWN;

        /** Whether the CPU time is exact (from switch events). */
        public boolean exact() {
            return this == SWITCH || this == SWITCH_SPLIT_BY_PROCINFO;
        }

        /**
         * The source of a sum of rows of these two sources (the one rule for rollups, summaries
         * and views): exact time wins over estimates, and a known split over none.
         */
        public static CpuSource merge(CpuSource a, CpuSource b) {
            if (a == null) return b;
            if (b == null) return a;
            return a.rank() <= b.rank() ? a : b;
        }

        private int rank() {
            return switch (this) {
                case SWITCH_SPLIT_BY_PROCINFO -> 0;
                case SWITCH -> 1;
                case PROCINFO -> 2;
                case UNKNOWN -> 3;
            };
        }
    }

    public record ContainerRow(String host, String containerId, long ts, int res,
                               long cpuNs, CpuSource cpuSource,
                               long memRssKb, long memRssMaxKb, long memVmKb, long memSwapKb,
                               long fileInBytes, long fileOutBytes, long fileOps,
                               long netInBytes, long netOutBytes,
                               long syscalls, long syscallErrors, int processes) {}

    public record ProcessRow(String host, String containerId, long pid, long startTs, long ts, int res,
                             long cpuNs, long cpuUserNs, long cpuSysNs, CpuSource cpuSource,
                             long vmSizeKb, long vmRssKb, long vmRssMaxKb, long vmSwapKb,
                             long minorFaults, long majorFaults,
                             long fileInBytes, long fileOutBytes, long netInBytes, long netOutBytes,
                             long syscalls, long syscallErrors) {}

    /**
     * I/O on one file by one process; {@code opens} counts its successful opens, {@code openErrors}
     * the opens of its path that failed (csysdig's OPENS and ERRORS).
     */
    public record FileRow(String host, String containerId, long pid, String file, long ts, int res,
                          long bytesIn, long bytesOut, long opsIn, long opsOut, long opens, long openErrors) {}

    /** A connection: l4 protocol and tuple (cip:cport->sip:sport) as libsinsp names it. */
    public record ConnectionRow(String host, String containerId, long pid, String l4, String tuple,
                                int serverPort, long ts, int res, long bytesIn, long bytesOut) {}

    /** Traffic per server port (netstat's local/remote port of the listening side). */
    public record PortRow(String host, String containerId, String l4, int port, long ts, int res,
                          long bytesIn, long bytesOut) {}

    /** strace -c: calls, errors, total and max latency (exit ts - enter ts). */
    public record SyscallRow(String host, String containerId, long pid, String syscall, long ts, int res,
                             long calls, long errors, long totalLatencyNs, long maxLatencyNs) {}

    public record ErrnoRow(String host, String containerId, long pid, String syscall, int errno, long ts, int res,
                           long count) {}

    /** CPU time of one thread (tid) of a process, from sched_switch; only seconds it ran. */
    public record ThreadRow(String host, String containerId, long pid, long tid, long ts, int res, long cpuNs) {}

    /** Busy time of one CPU (everything but the idle task). */
    public record CpuRow(String host, int cpu, long ts, int res, long busyNs) {}

    /** The agent itself (Falco's metric names where one exists, see AgentMetrics). */
    public record AgentRow(String host, long ts, int res, long events, long drops, long dropsBuffer,
                           long dropsScratchMap, long dropsPf, long dropsBug, long preemptions) {}

    /** A process's life: start (clone time; 0 = before the capture), exit (0 = alive), args. */
    public record ProcessInfo(String host, String containerId, long pid, long ppid, long startTs, long exitTs,
                              String comm, String exe, String args, String user) {}

    /** A container, the host included (id "host"); first and last second seen. */
    public record ContainerInfo(String host, String id, String name, String image, String runtime,
                                long firstSeen, long lastSeen) {}

    /**
     * A recorded capture file in the store's index: its path as written (absolute), its first and
     * last event times (epoch ns), its size, and whether rotation deleted it. Keyed by (host, path):
     * a later entry replaces an earlier one, but a gone entry only marks the file gone and keeps
     * its stored times and size (its own times say which days hold it, see the Cassandra store).
     */
    public record Recording(String host, String path, long firstNs, long lastNs, long bytes, boolean gone) {}

    /** A process: a pid and its start (clone time, 0 = before the capture), since pids are reused. */
    public record ProcessKey(long pid, long startTs) {
        public static ProcessKey of(ProcessRow r) {
            return new ProcessKey(r.pid(), r.startTs());
        }

        public static ProcessKey of(ProcessInfo p) {
            return new ProcessKey(p.pid(), p.startTs());
        }
    }
}
