package dev.scapstream.web;

import dev.scapstream.store.Rows;

import java.util.List;

import static dev.scapstream.web.Rates.pct;

/** A container's totals over a range (memory: the last bucket's average and the peak). */
record ContainerTotals(Long cpuNs, Double cpuPct, String cpuSource, long memRssKb, long memPeakKb,
                       long fileInBytes, long fileOutBytes, long fileOps, long netInBytes, long netOutBytes,
                       long syscalls, long syscallErrors, int processes) {
    static ContainerTotals of(List<Rows.ContainerRow> rows, TimeRange r) {
        long cpu = 0;
        boolean cpuKnown = false;
        Rows.CpuSource source = null;
        long peak = 0;
        long rss = 0;
        long fileIn = 0, fileOut = 0, fileOps = 0, netIn = 0, netOut = 0, calls = 0, errors = 0;
        int procs = 0;
        for (Rows.ContainerRow c : rows) {
            if (c.cpuNs() >= 0) {
                cpu += c.cpuNs();
                cpuKnown = true;
            }
            source = Rows.CpuSource.merge(source, c.cpuSource());
            peak = Math.max(peak, c.memRssMaxKb());
            rss = c.memRssKb();
            fileIn += c.fileInBytes();
            fileOut += c.fileOutBytes();
            fileOps += c.fileOps();
            netIn += c.netInBytes();
            netOut += c.netOutBytes();
            calls += c.syscalls();
            errors += c.syscallErrors();
            procs = Math.max(procs, c.processes());
        }
        return new ContainerTotals(cpuKnown ? cpu : null, cpuKnown ? pct(cpu, r.to() - r.from()) : null,
                source == null ? null : source.name(), rss, peak, fileIn, fileOut, fileOps, netIn, netOut,
                calls, errors, procs);
    }
}
