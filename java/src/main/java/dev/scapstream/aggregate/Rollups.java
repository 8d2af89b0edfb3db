package dev.scapstream.aggregate;

import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;
import dev.scapstream.store.Rows.CpuSource;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 10 s, 1 h and 1 d rollups computed by the agent from its closed seconds, so a store never
 * aggregates on read. Counters are summed; gauges keep the average over the seconds seen and the
 * maximum. A 10 s bucket is written once complete; 1 h and 1 d buckets are written with their
 * running totals every minute (overwriting, rows are keyed) and once complete. Runs on the
 * aggregator thread, once per closed second: nothing here is on the per-event path.
 */
public final class Rollups {
    static final int[] RES = {10, 3600, 86400};

    /**
     * One rollup bucket of one key: running sums (counters, and gauges for their average), maxima,
     * and the number of seconds (used for the averages of container and process gauges).
     */
    private static final class Acc {
        final Object first;   // the first raw row: key fields
        final long[] sum;
        final long[] max;
        long seconds;
        CpuSource source;
        boolean dirty;

        Acc(Object first, int fields) {
            this.first = first;
            sum = new long[fields];
            max = new long[fields];
        }
    }

    // per resolution: bucket start -> key -> acc
    private final List<Map<Long, Map<String, Acc>>> buckets = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());

    /** Adds the raw rows of a closed second and appends the rollup rows due now to the batch. */
    public void add(MetricsBatch raw, long sec) {
        for (int r = 0; r < RES.length; r++) {
            int res = RES[r];
            long bucket = Math.floorDiv(sec, res) * res;
            Map<String, Acc> accs = buckets.get(r).computeIfAbsent(bucket, b -> new LinkedHashMap<>());
            for (Rows.ContainerRow x : raw.containers) {
                Acc a = acc(accs, "c|" + x.containerId(), x, 9);
                add(a, 0, x.cpuNs()); gauge(a, 1, x.memRssKb()); add(a, 2, x.fileInBytes()); add(a, 3, x.fileOutBytes());
                add(a, 4, x.fileOps()); add(a, 5, x.netInBytes()); add(a, 6, x.netOutBytes());
                a.max[1] = Math.max(a.max[1], x.memRssMaxKb());
                add(a, 7, x.syscalls());
                add(a, 8, x.syscallErrors());
                gaugeExtra(a, x.memVmKb(), x.memSwapKb(), x.processes());
                a.source = merge(a.source, x.cpuSource());
            }
            for (Rows.ProcessRow x : raw.processes) {
                Acc a = acc(accs, "p|" + x.pid() + "|" + x.startTs(), x, 14);
                add(a, 0, x.cpuNs()); add(a, 1, x.cpuUserNs()); add(a, 2, x.cpuSysNs());
                gauge(a, 3, x.vmSizeKb()); gauge(a, 4, x.vmRssKb()); gauge(a, 5, x.vmSwapKb());
                a.max[4] = Math.max(a.max[4], x.vmRssMaxKb());
                add(a, 6, x.minorFaults()); add(a, 7, x.majorFaults());
                add(a, 8, x.fileInBytes()); add(a, 9, x.fileOutBytes()); add(a, 10, x.netInBytes()); add(a, 11, x.netOutBytes());
                add(a, 12, x.syscalls()); add(a, 13, x.syscallErrors());
                a.source = merge(a.source, x.cpuSource());
                a.seconds++;
            }
            for (Rows.FileRow x : raw.files) {
                Acc a = acc(accs, "f|" + x.containerId() + "|" + x.pid() + "|" + x.file(), x, 4);
                add(a, 0, x.bytesIn()); add(a, 1, x.bytesOut()); add(a, 2, x.opsIn()); add(a, 3, x.opsOut());
            }
            for (Rows.ConnectionRow x : raw.connections) {
                Acc a = acc(accs, "n|" + x.containerId() + "|" + x.pid() + "|" + x.l4() + "|" + x.tuple(), x, 2);
                add(a, 0, x.bytesIn()); add(a, 1, x.bytesOut());
            }
            for (Rows.PortRow x : raw.ports) {
                Acc a = acc(accs, "o|" + x.containerId() + "|" + x.l4() + "|" + x.port(), x, 2);
                add(a, 0, x.bytesIn()); add(a, 1, x.bytesOut());
            }
            for (Rows.SyscallRow x : raw.syscalls) {
                Acc a = acc(accs, "s|" + x.containerId() + "|" + x.pid() + "|" + x.syscall(), x, 3);
                add(a, 0, x.calls()); add(a, 1, x.errors()); add(a, 2, x.totalLatencyNs());
                a.max[0] = Math.max(a.max[0], x.maxLatencyNs());
            }
            for (Rows.ErrnoRow x : raw.errnos) {
                Acc a = acc(accs, "e|" + x.containerId() + "|" + x.pid() + "|" + x.syscall() + "|" + x.errno(), x, 1);
                add(a, 0, x.count());
            }
            for (Rows.CpuRow x : raw.cpus) {
                Acc a = acc(accs, "u|" + x.cpu(), x, 1);
                add(a, 0, x.busyNs());
            }
            for (Rows.AgentRow x : raw.agent) {
                Acc a = acc(accs, "a", x, 7);
                add(a, 0, x.events()); add(a, 1, x.drops()); add(a, 2, x.dropsBuffer()); add(a, 3, x.dropsScratchMap());
                add(a, 4, x.dropsPf()); add(a, 5, x.dropsBug()); add(a, 6, x.preemptions());
            }
        }
        // 10 s buckets when complete; 1 h / 1 d running totals once a minute (and when complete,
        // which is always on a minute's edge): rewriting them every 10 s cost a store 13 % more rows
        if ((sec + 1) % 10 == 0) emit(raw, 0, sec, false);
        if ((sec + 1) % 60 == 0) {
            for (int r = 1; r < RES.length; r++) emit(raw, r, sec, false);
        }
    }

    /** At the end of a capture: every bucket with data is written, complete or not. */
    public void flush(MetricsBatch out, long lastSec) {
        for (int r = 0; r < RES.length; r++) emit(out, r, lastSec, true);
    }

    private void emit(MetricsBatch out, int r, long sec, boolean all) {
        int res = RES[r];
        Iterator<Map.Entry<Long, Map<String, Acc>>> it = buckets.get(r).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Map<String, Acc>> e = it.next();
            long bucket = e.getKey();
            boolean complete = sec + 1 >= bucket + res;
            if (res == 10 && !complete && !all) continue;
            for (Acc a : e.getValue().values()) {
                if (!a.dirty) continue;
                emitRow(out, a, bucket, res);
                a.dirty = false;
            }
            if (complete || all) it.remove();
        }
    }

    private static Acc acc(Map<String, Acc> accs, String key, Object first, int fields) {
        Acc a = accs.get(key);
        if (a == null) {
            a = new Acc(first, fields + 3);
            accs.put(key, a);
        }
        a.dirty = true;
        return a;
    }

    private static void add(Acc a, int i, long v) {
        if (v < 0) { // unknown stays unknown
            if (a.sum[i] == 0) a.sum[i] = -1;
            return;
        }
        a.sum[i] = a.sum[i] < 0 ? v : a.sum[i] + v;
    }

    private static void gauge(Acc a, int i, long v) {
        a.sum[i] += v;
        a.max[i] = Math.max(a.max[i], v);
    }

    private static void gaugeExtra(Acc a, long vm, long swap, int processes) {
        int n = a.sum.length;
        a.sum[n - 3] += vm;
        a.sum[n - 2] += swap;
        a.sum[n - 1] += processes;
        a.seconds++;
    }

    private static CpuSource merge(CpuSource a, CpuSource b) {
        if (a == null) return b;
        if (a == CpuSource.SWITCH || b == CpuSource.SWITCH) return CpuSource.SWITCH;
        if (a == CpuSource.PROCINFO || b == CpuSource.PROCINFO) return CpuSource.PROCINFO;
        return CpuSource.UNKNOWN;
    }

    private static void emitRow(MetricsBatch out, Acc a, long ts, int res) {
        long n = Math.max(1, a.seconds);
        long[] s = a.sum;
        if (a.first instanceof Rows.ContainerRow x) {
            int k = s.length;
            out.containers.add(new Rows.ContainerRow(x.host(), x.containerId(), ts, res, s[0], a.source,
                    s[1] / n, a.max[1], s[k - 3] / n, s[k - 2] / n, s[2], s[3], s[4], s[5], s[6], s[7], s[8],
                    (int) Math.round((double) s[k - 1] / n)));
        } else if (a.first instanceof Rows.ProcessRow x) {
            out.processes.add(new Rows.ProcessRow(x.host(), x.containerId(), x.pid(), x.startTs(), ts, res,
                    s[0], s[1], s[2], a.source, s[3] / n, s[4] / n, a.max[4], s[5] / n, s[6], s[7],
                    s[8], s[9], s[10], s[11], s[12], s[13]));
        } else if (a.first instanceof Rows.FileRow x) {
            out.files.add(new Rows.FileRow(x.host(), x.containerId(), x.pid(), x.file(), ts, res, s[0], s[1], s[2], s[3]));
        } else if (a.first instanceof Rows.ConnectionRow x) {
            out.connections.add(new Rows.ConnectionRow(x.host(), x.containerId(), x.pid(), x.l4(), x.tuple(),
                    x.serverPort(), ts, res, s[0], s[1]));
        } else if (a.first instanceof Rows.PortRow x) {
            out.ports.add(new Rows.PortRow(x.host(), x.containerId(), x.l4(), x.port(), ts, res, s[0], s[1]));
        } else if (a.first instanceof Rows.SyscallRow x) {
            out.syscalls.add(new Rows.SyscallRow(x.host(), x.containerId(), x.pid(), x.syscall(), ts, res,
                    s[0], s[1], s[2], a.max[0]));
        } else if (a.first instanceof Rows.ErrnoRow x) {
            out.errnos.add(new Rows.ErrnoRow(x.host(), x.containerId(), x.pid(), x.syscall(), x.errno(), ts, res, s[0]));
        } else if (a.first instanceof Rows.CpuRow x) {
            out.cpus.add(new Rows.CpuRow(x.host(), x.cpu(), ts, res, s[0]));
        } else if (a.first instanceof Rows.AgentRow x) {
            out.agent.add(new Rows.AgentRow(x.host(), ts, res, s[0], s[1], s[2], s[3], s[4], s[5], s[6]));
        }
    }
}
