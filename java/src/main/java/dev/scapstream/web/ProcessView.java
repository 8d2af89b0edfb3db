package dev.scapstream.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.scapstream.web.Rates.nulls;
import static dev.scapstream.web.Rates.pct;
import static dev.scapstream.web.Rates.rate;

/** The process page: one process's totals and charts, and the children it started. */
final class ProcessView {
    record Process(@JsonUnwrapped Axis axis, Rows.ContainerInfo container, ProcessEntry process, Series series,
                   List<ProcessEntry> children) {}

    record Series(Double[] cpuPct, Double[] userPct, Double[] sysPct, Double[] rssBytes, Double[] vmBytes,
                  Double[] fileInBps, Double[] fileOutBps, Double[] netInBps, Double[] netOutBps,
                  Double[] syscallsPerSec) {}

    private final Reads reads;

    ProcessView(Reads reads) {
        this.reads = reads;
    }

    Process process(String host, String cid, long pid, long start, TimeRange r) {
        MetricsStore store = reads.store();
        Map<String, ProcessSum> procs = ProcessSum.of(reads.alive(host, cid, r),
                reads.exact(host, r, (f, t, res) -> store.processSeries(host, cid, f, t, res)), r, false);
        ProcessSum p = procs.get(ProcessSum.key(pid, start));
        if (p == null) {
            for (Rows.ProcessInfo i : store.processes(host, cid, Long.MIN_VALUE, Long.MAX_VALUE)) {
                if (i.pid() == pid && i.startTs() == start) {
                    p = new ProcessSum(pid, start);
                    p.info = i;
                }
            }
        }
        if (p == null) throw new NotFound("no process " + pid + " started at " + start + " in container '" + cid + "'");
        TimeRange cr = ProcessSum.chartRange(r);
        Series series = series(store.processSeries(host, cid, cr.from(), cr.to(), cr.res()), pid, start, cr);
        List<ProcessEntry> children = new ArrayList<>();
        for (ProcessSum c : procs.values()) {
            if (c.info != null && c.info.ppid() == pid && c.start >= start && c != p) children.add(ProcessEntry.of(c, r));
        }
        return new Process(Axis.of(cr), reads.container(host, cid), ProcessEntry.of(p, r), series, children);
    }

    private static Series series(List<Rows.ProcessRow> rows, long pid, long start, TimeRange cr) {
        int n = cr.points();
        Double[] cpu = nulls(n), user = nulls(n), sys = nulls(n), rss = nulls(n), vm = nulls(n), fileIn = nulls(n),
                fileOut = nulls(n), netIn = nulls(n), netOut = nulls(n), calls = nulls(n);
        for (Rows.ProcessRow x : rows) {
            if (x.pid() != pid || x.startTs() != start) continue;
            int i = cr.index(x.ts());
            if (i < 0 || i >= n) continue;
            cpu[i] = pct(x.cpuNs(), cr.res());
            user[i] = pct(x.cpuUserNs(), cr.res());
            sys[i] = pct(x.cpuSysNs(), cr.res());
            rss[i] = (double) x.vmRssKb() * 1024;
            vm[i] = (double) x.vmSizeKb() * 1024;
            fileIn[i] = rate(x.fileInBytes(), cr.res());
            fileOut[i] = rate(x.fileOutBytes(), cr.res());
            netIn[i] = rate(x.netInBytes(), cr.res());
            netOut[i] = rate(x.netOutBytes(), cr.res());
            calls[i] = rate(x.syscalls(), cr.res());
        }
        return new Series(cpu, user, sys, rss, vm, fileIn, fileOut, netIn, netOut, calls);
    }
}
