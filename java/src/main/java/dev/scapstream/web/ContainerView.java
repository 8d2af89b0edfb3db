package dev.scapstream.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static dev.scapstream.web.Rates.nulls;
import static dev.scapstream.web.Rates.round;

/** The container page: first its own totals and charts, then its processes (a table and stacked charts). */
final class ContainerView {
    /** Processes drawn one by one in the per-process charts; the rest are summed into "other". */
    static final int CHART_PROCESSES = 10;

    record Container(@JsonUnwrapped Axis axis, Rows.ContainerInfo container, ContainerTotals totals,
                     ContainerSeries series) {}

    record Processes(@JsonUnwrapped Axis axis, Stack cpuByProcess, Stack memByProcess, List<ProcessEntry> processes) {}

    record Stack(List<Stacked> series) {}

    /** One band of a stacked chart: a process (pid, start), or the others summed (neither). */
    record Stacked(String label, @JsonInclude(JsonInclude.Include.NON_NULL) Long pid,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String startTs, Double[] values) {}

    private final Reads reads;

    ContainerView(Reads reads) {
        this.reads = reads;
    }

    /** The page's first answer: the container's own series and totals, cheap enough to draw at once. */
    Container container(String host, String id, TimeRange r) {
        Rows.ContainerInfo info = reads.container(host, id);
        List<Rows.ContainerRow> rows = reads.store().containerSeries(host, id, r.from(), r.to(), r.res());
        return new Container(Axis.of(r), info, ContainerTotals.of(rows, r), ContainerSeries.of(rows, r));
    }

    /**
     * The container's processes: the table (exact totals over the range) and CPU and memory per
     * process for stacked charts, at the coarser range of {@link ProcessSum#chartRange}.
     */
    Processes processes(String host, String id, TimeRange r) {
        reads.container(host, id);
        MetricsStore store = reads.store();
        TimeRange cr = ProcessSum.chartRange(r);
        Map<String, ProcessSum> charted = ProcessSum.of(reads.alive(host, id, cr),
                store.processSeries(host, id, cr.from(), cr.to(), cr.res()), cr, true);
        Map<String, ProcessSum> exact = ProcessSum.of(reads.alive(host, id, r),
                reads.exact(host, r, (f, t, res) -> store.processSeries(host, id, f, t, res)), r, false);
        List<ProcessEntry> table = new ArrayList<>();
        for (ProcessSum p : exact.values()) table.add(ProcessEntry.of(p, r));
        return new Processes(Axis.of(cr),
                stack(charted.values(), cr, Comparator.comparingLong((ProcessSum p) -> p.cpuNs).reversed(), true),
                stack(charted.values(), cr, Comparator.comparingLong((ProcessSum p) -> p.peakKb).reversed(), false),
                table);
    }

    /** The top processes one by one and the others summed: what a stacked chart needs. */
    private static Stack stack(Iterable<ProcessSum> all, TimeRange r, Comparator<ProcessSum> order, boolean cpu) {
        List<ProcessSum> ps = new ArrayList<>();
        for (ProcessSum p : all) if (p.cpu != null) ps.add(p);
        ps.sort(order);
        List<Stacked> series = new ArrayList<>();
        Double[] other = null;
        int others = 0;
        for (int k = 0; k < ps.size(); k++) {
            ProcessSum p = ps.get(k);
            Double[] v = cpu ? p.cpu : p.rss;
            if (k < CHART_PROCESSES) {
                series.add(new Stacked(p.label(), p.pid, Long.toString(p.start), v));
                continue;
            }
            if (other == null) other = nulls(r.points());
            others++;
            for (int i = 0; i < v.length; i++) {
                if (v[i] != null) other[i] = round((other[i] == null ? 0 : other[i]) + v[i]);
            }
        }
        if (other != null) series.add(new Stacked("other (" + others + " processes)", null, null, other));
        return new Stack(series);
    }
}
