package dev.scapstream.web;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.scapstream.web.Rates.nulls;
import static dev.scapstream.web.Rates.pct;

/** One process over a range: its life, totals, and (for charts) per-bucket CPU and memory. */
final class ProcessSum {
    /** Points per process in the per-process charts (see {@link #chartRange}). */
    static final int PROCESS_POINTS = 600;

    final long pid;
    final long start;
    Rows.ProcessInfo info;
    long cpuNs, fileIn, fileOut, netIn, netOut, calls, errors, minor, major, rssKb, vmKb, peakKb, lastTs = -1;
    boolean cpuKnown;
    Rows.CpuSource source;
    Double[] cpu, rss;

    ProcessSum(long pid, long start) {
        this.pid = pid;
        this.start = start;
    }

    String label() {
        return (info == null ? "?" : info.comm()) + " " + pid;
    }

    /** The processes alive in the range and those with rows, keyed "pid/start", with the rows summed. */
    static Map<String, ProcessSum> of(List<Rows.ProcessInfo> alive, List<Rows.ProcessRow> rows, TimeRange r, boolean series) {
        Map<String, ProcessSum> procs = new LinkedHashMap<>();
        for (Rows.ProcessInfo p : alive) {
            procs.computeIfAbsent(key(p.pid(), p.startTs()), k -> new ProcessSum(p.pid(), p.startTs())).info = p;
        }
        int n = r.points();
        for (Rows.ProcessRow x : rows) {
            ProcessSum p = procs.computeIfAbsent(key(x.pid(), x.startTs()), k -> new ProcessSum(x.pid(), x.startTs()));
            p.add(x);
            if (series) {
                int i = r.index(x.ts());
                if (i < 0 || i >= n) continue;
                if (p.cpu == null) {
                    p.cpu = nulls(n);
                    p.rss = nulls(n);
                }
                p.cpu[i] = pct(x.cpuNs(), r.res());
                p.rss[i] = (double) x.vmRssKb() * 1024;
            }
        }
        return procs;
    }

    static String key(long pid, long start) {
        return pid + "/" + start;
    }

    /**
     * The range per-process series are read at: at most PROCESS_POINTS points, since the store
     * holds every process's rows together (50 processes x 3,600 s is 180,000 rows) and a chart is
     * a few hundred pixels wide.
     */
    static TimeRange chartRange(TimeRange r) {
        TimeRange cr = r;
        for (int res : MetricsStore.RESOLUTIONS) {
            if (res < r.res()) continue;
            cr = TimeRange.of(r.from(), r.to(), res);
            if (cr.points() <= PROCESS_POINTS) break;
        }
        return cr;
    }

    private void add(Rows.ProcessRow x) {
        if (x.cpuNs() >= 0) {
            cpuNs += x.cpuNs();
            cpuKnown = true;
        }
        source = Rows.CpuSource.merge(source, x.cpuSource());
        fileIn += x.fileInBytes();
        fileOut += x.fileOutBytes();
        netIn += x.netInBytes();
        netOut += x.netOutBytes();
        calls += x.syscalls();
        errors += x.syscallErrors();
        minor += x.minorFaults();
        major += x.majorFaults();
        peakKb = Math.max(peakKb, x.vmRssMaxKb());
        if (x.ts() >= lastTs) {
            lastTs = x.ts();
            rssKb = x.vmRssKb();
            vmKb = x.vmSizeKb();
        }
    }
}
