package dev.scapstream.web;

import dev.scapstream.store.Rows;

import java.util.List;

import static dev.scapstream.web.Rates.nulls;
import static dev.scapstream.web.Rates.pct;
import static dev.scapstream.web.Rates.rate;

/** A container's charts on the range's dense axis: CPU %, memory bytes, file and network bytes/s. */
record ContainerSeries(Double[] cpuPct, Double[] memBytes, Double[] fileInBps, Double[] fileOutBps,
                       Double[] netInBps, Double[] netOutBps) {
    static ContainerSeries of(List<Rows.ContainerRow> rows, TimeRange r) {
        int n = r.points();
        Double[] cpu = nulls(n), mem = nulls(n), fileIn = nulls(n), fileOut = nulls(n), netIn = nulls(n), netOut = nulls(n);
        for (Rows.ContainerRow c : rows) {
            int i = r.index(c.ts());
            if (i < 0 || i >= n) continue;
            cpu[i] = pct(c.cpuNs(), r.res());
            mem[i] = (double) c.memRssKb() * 1024;
            fileIn[i] = rate(c.fileInBytes(), r.res());
            fileOut[i] = rate(c.fileOutBytes(), r.res());
            netIn[i] = rate(c.netInBytes(), r.res());
            netOut[i] = rate(c.netOutBytes(), r.res());
        }
        return new ContainerSeries(cpu, mem, fileIn, fileOut, netIn, netOut);
    }
}
