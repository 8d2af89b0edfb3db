package dev.scapstream.web;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the pages show, computed from {@link MetricsStore} reads only (so every backend serves the
 * same UI): series on a dense time axis (null where nothing was stored) and totals over the range.
 * Rates are per second of the bucket (bytes/s, % of one CPU), whatever the resolution.
 */
final class Views {
    /** Processes drawn one by one in the per-process charts; the rest are summed into "other". */
    static final int CHART_PROCESSES = 10;
    /** Points per process in the per-process charts (see processesView). */
    static final int PROCESS_POINTS = 600;

    private final Reads reads;
    private final MetricsStore store;
    private final RunState state;

    Views(Reads reads, RunState state) {
        this.reads = reads;
        this.store = reads.store();
        this.state = state;
    }

    // ---- status and ranges ----------------------------------------------------------------------

    Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        long now = Instant.now().getEpochSecond();
        long[] span = reads.span();
        m.put("mode", state.mode().name().toLowerCase());
        // a store another process is writing (a `live` elsewhere) counts as running when it is fresh
        m.put("running", state.running() || (span != null && span[1] >= now - 5));
        m.put("now", now);
        m.put("hosts", store.hosts());
        m.put("span", span == null ? null : Map.of("from", span[0], "to", span[1]));
        m.put("resolutions", MetricsStore.RESOLUTIONS);
        return m;
    }

    // ---- home ----------------------------------------------------------------------------------

    Map<String, Object> overview(String host, TimeRange r) {
        List<String> hosts = host == null ? store.hosts() : List.of(host);
        List<Object> containers = new ArrayList<>();
        List<Object> agents = new ArrayList<>();
        for (String h : hosts) {
            for (Rows.ContainerInfo c : store.containers(h, r.from(), r.to())) {
                List<Rows.ContainerRow> rows = store.containerSeries(h, c.id(), r.from(), r.to(), r.res());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", h);
                m.put("id", c.id());
                m.put("name", c.name());
                m.put("image", c.image());
                m.put("runtime", c.runtime());
                m.put("firstSeen", c.firstSeen());
                m.put("lastSeen", c.lastSeen());
                m.put("totals", containerTotals(rows, r));
                m.put("series", containerSeries(rows, r));
                containers.add(m);
            }
            agents.add(agent(h, r));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        putRange(m, r);
        m.put("agents", agents);
        m.put("containers", containers);
        return m;
    }

    private Map<String, Object> agent(String host, TimeRange r) {
        List<Rows.AgentRow> rows = store.agent(host, r.from(), r.to(), r.res());
        long events = 0;
        long drops = 0;
        long preemptions = 0;
        Double[] evs = nulls(r.points());
        Double[] drs = nulls(r.points());
        long newest = Long.MIN_VALUE;
        for (Rows.AgentRow a : rows) {
            events += a.events();
            drops += a.drops();
            preemptions += a.preemptions();
            int i = r.index(a.ts());
            if (i >= 0 && i < evs.length) {
                evs[i] = rate(a.events(), r.res());
                drs[i] = rate(a.drops(), r.res());
            }
            newest = Math.max(newest, a.ts());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("events", events);
        m.put("eventsPerSec", round((double) events / (r.to() - r.from())));
        m.put("drops", drops);
        m.put("preemptions", preemptions);
        m.put("newestTs", newest == Long.MIN_VALUE ? null : newest);
        m.put("series", Map.of("events", evs, "drops", drs));
        return m;
    }

    private static Map<String, Object> containerTotals(List<Rows.ContainerRow> rows, TimeRange r) {
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpuNs", cpuKnown ? cpu : null);
        m.put("cpuPct", cpuKnown ? round(cpu / ((r.to() - r.from()) * 1e7)) : null);
        m.put("cpuSource", source == null ? null : source.name());
        m.put("memRssKb", rss);
        m.put("memPeakKb", peak);
        m.put("fileInBytes", fileIn);
        m.put("fileOutBytes", fileOut);
        m.put("fileOps", fileOps);
        m.put("netInBytes", netIn);
        m.put("netOutBytes", netOut);
        m.put("syscalls", calls);
        m.put("syscallErrors", errors);
        m.put("processes", procs);
        return m;
    }

    private static Map<String, Object> containerSeries(List<Rows.ContainerRow> rows, TimeRange r) {
        int n = r.points();
        Double[] cpu = nulls(n), mem = nulls(n), fileIn = nulls(n), fileOut = nulls(n), netIn = nulls(n), netOut = nulls(n);
        for (Rows.ContainerRow c : rows) {
            int i = r.index(c.ts());
            if (i < 0 || i >= n) continue;
            cpu[i] = c.cpuNs() < 0 ? null : round(c.cpuNs() / (r.res() * 1e7));
            mem[i] = (double) c.memRssKb() * 1024;
            fileIn[i] = rate(c.fileInBytes(), r.res());
            fileOut[i] = rate(c.fileOutBytes(), r.res());
            netIn[i] = rate(c.netInBytes(), r.res());
            netOut[i] = rate(c.netOutBytes(), r.res());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpuPct", cpu);
        m.put("memBytes", mem);
        m.put("fileInBps", fileIn);
        m.put("fileOutBps", fileOut);
        m.put("netInBps", netIn);
        m.put("netOutBps", netOut);
        return m;
    }

    // ---- container and process pages -------------------------------------------------------------

    /** One process over the range: its life, totals, and per-bucket CPU and memory. */
    private static final class Proc {
        final long pid;
        final long start;
        Rows.ProcessInfo info;
        long cpuNs, fileIn, fileOut, netIn, netOut, calls, errors, minor, major, rssKb, vmKb, peakKb, lastTs = -1;
        boolean cpuKnown;
        Rows.CpuSource source;
        Double[] cpu, rss;

        Proc(long pid, long start) {
            this.pid = pid;
            this.start = start;
        }

        String label() {
            return (info == null ? "?" : info.comm()) + " " + pid;
        }
    }

    private Map<String, Proc> procs(String host, String cid, TimeRange r, boolean series, List<Rows.ProcessRow> rows) {
        Map<String, Proc> procs = new LinkedHashMap<>();
        for (Rows.ProcessInfo p : reads.alive(host, cid, r)) {
            procs.computeIfAbsent(p.pid() + "/" + p.startTs(), k -> new Proc(p.pid(), p.startTs())).info = p;
        }
        int n = r.points();
        for (Rows.ProcessRow x : rows) {
            Proc p = procs.computeIfAbsent(x.pid() + "/" + x.startTs(), k -> new Proc(x.pid(), x.startTs()));
            if (x.cpuNs() >= 0) {
                p.cpuNs += x.cpuNs();
                p.cpuKnown = true;
            }
            p.source = Rows.CpuSource.merge(p.source, x.cpuSource());
            p.fileIn += x.fileInBytes();
            p.fileOut += x.fileOutBytes();
            p.netIn += x.netInBytes();
            p.netOut += x.netOutBytes();
            p.calls += x.syscalls();
            p.errors += x.syscallErrors();
            p.minor += x.minorFaults();
            p.major += x.majorFaults();
            p.peakKb = Math.max(p.peakKb, x.vmRssMaxKb());
            if (x.ts() >= p.lastTs) {
                p.lastTs = x.ts();
                p.rssKb = x.vmRssKb();
                p.vmKb = x.vmSizeKb();
            }
            if (series) {
                int i = r.index(x.ts());
                if (i < 0 || i >= n) continue;
                if (p.cpu == null) {
                    p.cpu = nulls(n);
                    p.rss = nulls(n);
                }
                p.cpu[i] = x.cpuNs() < 0 ? null : round(x.cpuNs() / (r.res() * 1e7));
                p.rss[i] = (double) x.vmRssKb() * 1024;
            }
        }
        return procs;
    }

    private static Map<String, Object> processEntry(Proc p, TimeRange r) {
        Map<String, Object> m = new LinkedHashMap<>();
        Rows.ProcessInfo i = p.info;
        m.put("pid", p.pid);
        // start and exit are epoch ns: beyond a JavaScript number's 53 bits, so sent as strings
        m.put("startTs", Long.toString(p.start));
        m.put("ppid", i == null ? null : i.ppid());
        m.put("exitTs", Long.toString(i == null ? 0 : i.exitTs()));
        m.put("comm", i == null ? "" : i.comm());
        m.put("exe", i == null ? "" : i.exe());
        m.put("args", i == null ? "" : i.args());
        m.put("user", i == null ? "" : i.user());
        m.put("cpuNs", p.cpuKnown ? p.cpuNs : null);
        m.put("cpuPct", p.cpuKnown ? round(p.cpuNs / ((r.to() - r.from()) * 1e7)) : null);
        m.put("cpuSource", p.source == null ? null : p.source.name());
        m.put("rssKb", p.rssKb);
        m.put("peakRssKb", p.peakKb);
        m.put("vmKb", p.vmKb);
        m.put("fileInBytes", p.fileIn);
        m.put("fileOutBytes", p.fileOut);
        m.put("netInBytes", p.netIn);
        m.put("netOutBytes", p.netOut);
        m.put("syscalls", p.calls);
        m.put("syscallErrors", p.errors);
        m.put("minorFaults", p.minor);
        m.put("majorFaults", p.major);
        return m;
    }

    /** The container page's first answer: its own series and totals, cheap enough to draw at once. */
    Map<String, Object> containerView(String host, String id, TimeRange r) {
        Rows.ContainerInfo info = reads.container(host, id);
        List<Rows.ContainerRow> rows = store.containerSeries(host, id, r.from(), r.to(), r.res());
        Map<String, Object> m = new LinkedHashMap<>();
        putRange(m, r);
        m.put("container", info);
        m.put("totals", containerTotals(rows, r));
        m.put("series", containerSeries(rows, r));
        return m;
    }

    /**
     * A container's processes: the table (exact totals over the range) and CPU and memory per
     * process for stacked charts, at a resolution that keeps them under {@link #PROCESS_POINTS}
     * points (a chart is a few hundred pixels wide; 50 processes x 3,600 s is 180,000 rows).
     */
    Map<String, Object> processesView(String host, String id, TimeRange r) {
        reads.container(host, id);
        TimeRange cr = perProcess(r);
        Map<String, Proc> charted = procs(host, id, cr, true, store.processSeries(host, id, cr.from(), cr.to(), cr.res()));
        Map<String, Proc> exact = procs(host, id, r, false, reads.exact(host, r,
                (f, t, res) -> store.processSeries(host, id, f, t, res)));
        List<Map<String, Object>> table = new ArrayList<>();
        for (Proc p : exact.values()) table.add(processEntry(p, r));
        Map<String, Object> m = new LinkedHashMap<>();
        putRange(m, cr);
        m.put("cpuByProcess", stack(charted.values(), cr, Comparator.comparingLong((Proc p) -> p.cpuNs).reversed(), true));
        m.put("memByProcess", stack(charted.values(), cr, Comparator.comparingLong((Proc p) -> p.peakKb).reversed(), false));
        m.put("processes", table);
        return m;
    }

    /** The range per-process series are read at: at most PROCESS_POINTS points (the store holds every process's rows together). */
    private static TimeRange perProcess(TimeRange r) {
        TimeRange cr = r;
        for (int res : MetricsStore.RESOLUTIONS) {
            if (res < r.res()) continue;
            cr = TimeRange.of(r.from(), r.to(), res);
            if (cr.points() <= PROCESS_POINTS) break;
        }
        return cr;
    }

    /** The top processes one by one and the others summed: what a stacked chart needs. */
    private static Map<String, Object> stack(Iterable<Proc> all, TimeRange r, Comparator<Proc> order, boolean cpu) {
        List<Proc> ps = new ArrayList<>();
        for (Proc p : all) if (p.cpu != null) ps.add(p);
        ps.sort(order);
        List<Object> series = new ArrayList<>();
        Double[] other = null;
        int others = 0;
        for (int k = 0; k < ps.size(); k++) {
            Proc p = ps.get(k);
            Double[] v = cpu ? p.cpu : p.rss;
            if (k < CHART_PROCESSES) {
                series.add(Map.of("label", p.label(), "pid", p.pid, "startTs", Long.toString(p.start), "values", v));
                continue;
            }
            if (other == null) other = nulls(r.points());
            others++;
            for (int i = 0; i < v.length; i++) {
                if (v[i] != null) other[i] = round((other[i] == null ? 0 : other[i]) + v[i]);
            }
        }
        if (other != null) series.add(Map.of("label", "other (" + others + " processes)", "values", other));
        return Map.of("series", series);
    }

    Map<String, Object> processView(String host, String cid, long pid, long start, TimeRange r) {
        Map<String, Proc> procs = procs(host, cid, r, false, reads.exact(host, r,
                (f, t, res) -> store.processSeries(host, cid, f, t, res)));
        Proc p = procs.get(pid + "/" + start);
        if (p == null) {
            for (Rows.ProcessInfo i : store.processes(host, cid, Long.MIN_VALUE, Long.MAX_VALUE)) {
                if (i.pid() == pid && i.startTs() == start) {
                    p = new Proc(pid, start);
                    p.info = i;
                }
            }
        }
        if (p == null) throw new NotFound("no process " + pid + " started at " + start + " in container '" + cid + "'");
        TimeRange cr = perProcess(r);
        int n = cr.points();
        Double[] cpu = nulls(n), user = nulls(n), sys = nulls(n), rss = nulls(n), vm = nulls(n), fileIn = nulls(n),
                fileOut = nulls(n), netIn = nulls(n), netOut = nulls(n), calls = nulls(n);
        for (Rows.ProcessRow x : store.processSeries(host, cid, cr.from(), cr.to(), cr.res())) {
            if (x.pid() != pid || x.startTs() != start) continue;
            int i = cr.index(x.ts());
            if (i < 0 || i >= n) continue;
            cpu[i] = x.cpuNs() < 0 ? null : round(x.cpuNs() / (cr.res() * 1e7));
            user[i] = x.cpuUserNs() < 0 ? null : round(x.cpuUserNs() / (cr.res() * 1e7));
            sys[i] = x.cpuSysNs() < 0 ? null : round(x.cpuSysNs() / (cr.res() * 1e7));
            rss[i] = (double) x.vmRssKb() * 1024;
            vm[i] = (double) x.vmSizeKb() * 1024;
            fileIn[i] = rate(x.fileInBytes(), cr.res());
            fileOut[i] = rate(x.fileOutBytes(), cr.res());
            netIn[i] = rate(x.netInBytes(), cr.res());
            netOut[i] = rate(x.netOutBytes(), cr.res());
            calls[i] = rate(x.syscalls(), cr.res());
        }
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("cpuPct", cpu);
        series.put("userPct", user);
        series.put("sysPct", sys);
        series.put("rssBytes", rss);
        series.put("vmBytes", vm);
        series.put("fileInBps", fileIn);
        series.put("fileOutBps", fileOut);
        series.put("netInBps", netIn);
        series.put("netOutBps", netOut);
        series.put("syscallsPerSec", calls);
        List<Object> children = new ArrayList<>();
        for (Proc c : procs.values()) {
            if (c.info != null && c.info.ppid() == pid && c.start >= start && c != p) children.add(processEntry(c, r));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        putRange(m, cr);
        m.put("container", reads.container(host, cid));
        m.put("process", processEntry(p, r));
        m.put("series", series);
        m.put("children", children);
        return m;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void putRange(Map<String, Object> m, TimeRange r) {
        m.put("from", r.from());
        m.put("to", r.to());
        m.put("res", r.res());
        long[] ts = new long[r.points()];
        for (int i = 0; i < ts.length; i++) ts[i] = r.from() + (long) i * r.res();
        m.put("ts", ts);
    }

    private static Double[] nulls(int n) {
        return new Double[n];
    }

    private static double rate(long v, int res) {
        return res == 1 ? v : round((double) v / res);
    }

    /** Three decimals keep the JSON small; charts need no more. */
    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
