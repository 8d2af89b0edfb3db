package dev.scapstream.testsupport;

import dev.scapstream.aggregate.RunSummary;
import dev.scapstream.aggregate.SecondAggregator;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.store.MetricsBatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a trace through the real pipeline and aggregator, keeping every batch in memory. */
public final class Aggregation {
    public final List<MetricsBatch> batches = new ArrayList<>();
    public final RunSummary.Summary summary;

    private Aggregation(Path trace, String host) {
        RunSummary s = new RunSummary();
        try (CaptureSource source = CaptureSource.openFile(trace, "", null, false)) {
            SecondAggregator agg = new SecondAggregator(host, 200_000_000L, b -> {
                batches.add(b);
                s.add(b);
            }, null);
            new CapturePipeline(source, List.of(agg)).run(100);
            agg.finish();
        }
        summary = s.summary();
    }

    public static Aggregation of(Path trace) {
        return new Aggregation(trace, "test");
    }

    public RunSummary.Process process(long pid) {
        RunSummary.Process found = null;
        for (RunSummary.Process p : summary.processes()) {
            if (p.pid() == pid) {
                if (found != null) throw new AssertionError("pid " + pid + " twice in one trace");
                found = p;
            }
        }
        if (found == null) throw new AssertionError("no process " + pid);
        return found;
    }

    public RunSummary.File file(long pid, String name) {
        for (RunSummary.File f : summary.files()) if (f.pid() == pid && f.name().equals(name)) return f;
        throw new AssertionError("no file " + name + " for pid " + pid + "; files of pid: "
                + summary.files().stream().filter(f -> f.pid() == pid).map(RunSummary.File::name).toList());
    }

    public RunSummary.Container container(String id) {
        for (RunSummary.Container c : summary.containers()) if (c.id().equals(id)) return c;
        throw new AssertionError("no container " + id);
    }
}
