package dev.scapstream.web;

import dev.scapstream.store.Rows;

import static dev.scapstream.web.Rates.pct;

/**
 * A process as the tables list it: its life and its totals over the range. Start and exit are
 * epoch ns, beyond a JavaScript number's 53 bits, so they are sent as strings.
 */
record ProcessEntry(long pid, String startTs, Long ppid, String exitTs, String comm, String exe, String args, String user,
                    Long cpuNs, Double cpuPct, String cpuSource, long rssKb, long peakRssKb, long vmKb,
                    long fileInBytes, long fileOutBytes, long netInBytes, long netOutBytes,
                    long syscalls, long syscallErrors, long minorFaults, long majorFaults) {
    static ProcessEntry of(ProcessSum p, TimeRange r) {
        Rows.ProcessInfo i = p.info;
        return new ProcessEntry(p.pid, Long.toString(p.start), i == null ? null : i.ppid(),
                Long.toString(i == null ? 0 : i.exitTs()), i == null ? "" : i.comm(), i == null ? "" : i.exe(),
                i == null ? "" : i.args(), i == null ? "" : i.user(), p.cpuKnown ? p.cpuNs : null,
                p.cpuKnown ? pct(p.cpuNs, r.to() - r.from()) : null, p.source == null ? null : p.source.name(),
                p.rssKb, p.peakKb, p.vmKb, p.fileIn, p.fileOut, p.netIn, p.netOut, p.calls, p.errors, p.minor, p.major);
    }
}
