package dev.scapstream.cli;

import dev.scapstream.store.RowKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.scapstream.aggregate.RunSummary;
import dev.scapstream.aggregate.SecondAggregator;
import dev.scapstream.capture.CaptureException;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.RecordedFile;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;
import dev.scapstream.store.StoreWriter;
import dev.scapstream.telemetry.RunTelemetry;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * What `replay` and `live` share: capture thread -> ring -> aggregator -> store writer, a
 * progress line on a terminal, and the summary at the end. Only the source differs.
 */
final class MetricsRun {
    static final String[] DROP_KEYS = {"n_drops", "n_drops_buffer", "n_drops_scratch_map", "n_drops_pf", "n_drops_bug",
            "n_preemptions"};

    record Result(RunSummary.Summary summary, long events, double seconds, String error, long rowsWritten) {}

    private MetricsRun() {}

    /**
     * Runs the source to its end (file) or until stopped (live); returns the summary. A capture
     * error ends the run but keeps everything computed before it: it is reported in the result.
     */
    static Result run(CaptureSource source, MetricsStore store, String host, long graceNs,
                      Retention retention, boolean progress, PrintWriter err, java.util.function.Consumer<CapturePipeline> started,
                      RunTelemetry telemetry) {
        // a live agent runs for weeks: its summary keeps the most recently active keys only
        RunSummary summary = source.isLive() ? new RunSummary(RunSummary.LIVE_KEYS) : new RunSummary();
        long t0 = System.nanoTime();
        String error = null;
        long rows;
        LongSupplier[] drops = null;
        if (source.isLive()) {
            drops = new LongSupplier[DROP_KEYS.length];
            for (int i = 0; i < DROP_KEYS.length; i++) {
                String k = DROP_KEYS[i];
                drops[i] = () -> source.stats().getOrDefault(k, 0L); // the capture thread's snapshot
            }
        }
        long[] newest = {Long.MIN_VALUE};
        // the capture thread hands the recorder's notices over without waiting; they ride in the
        // next closed second's batch (the aggregator thread), and the rest in a last batch
        ConcurrentLinkedQueue<Rows.Recording> notices = new ConcurrentLinkedQueue<>();
        source.onRecordings(files -> {
            for (RecordedFile f : files) {
                Rows.Recording r = recording(host, f);
                if (r != null) notices.add(r);
            }
        });
        try (StoreWriter writer = new StoreWriter(store, 64)) {
            SecondAggregator agg = new SecondAggregator(host, graceNs, b -> {
                drain(notices, b);
                summary.add(b);
                writer.accept(b);
                for (var a : b.rows(RowKind.AGENT)) newest[0] = Math.max(newest[0], a.ts());
            }, drops, source.machineCpus());
            CapturePipeline pipeline = new CapturePipeline(source, List.of(agg));
            if (telemetry != null) telemetry.attach(source, pipeline, agg, writer);
            // a terminal on stderr only: a redirected stderr (a log) gets no \r-redrawn line
            Progress.Shown bar = progress && Progress.stderrIsTerminal()
                    ? Progress.show(err, () -> readPermille(source), pipeline::events) : null;
            if (started != null) started.accept(pipeline);
            try {
                pipeline.run(100);
            } catch (CaptureException e) {
                error = e.getMessage();
            } finally {
                try {
                    source.closeRecording(); // on the capture thread, which owns the source
                } catch (CaptureException e) {
                    if (error == null) error = e.getMessage();
                }
                if (bar != null) bar.close();
            }
            long tRun = System.nanoTime();
            agg.finish();
            MetricsBatch last = new MetricsBatch();
            drain(notices, last);
            if (!last.isEmpty()) writer.accept(last);
            writer.close();
            rows = writer.rowsWritten();
            if (Boolean.getBoolean("scapstream.timing")) {
                err.printf("timing: pipeline %.3f s, store drain %.3f s, store busy %.3f s for %d rows%n",
                        (tRun - t0) / 1e9, (System.nanoTime() - tRun) / 1e9, writer.writeNanos() / 1e9, rows);
            }
        }
        if (newest[0] != Long.MIN_VALUE && retention != null) retention.apply(store, newest[0]);
        double secs = (System.nanoTime() - t0) / 1e9;
        RunSummary.Summary s = summary.summary();
        return new Result(s, s.events(), secs, error, rows);
    }

    /**
     * The index row of a recorded file, by its absolute path; none while it holds no event yet (a
     * file just opened has no times to be found by).
     */
    static Rows.Recording recording(String host, RecordedFile f) {
        if (f.firstNs() == 0) return null;
        String path = Path.of(f.path()).toAbsolutePath().normalize().toString();
        return new Rows.Recording(host, path, f.firstNs(), f.lastNs(), f.bytes(), f.state() == RecordedFile.State.GONE);
    }

    private static void drain(ConcurrentLinkedQueue<Rows.Recording> notices, MetricsBatch b) {
        for (Rows.Recording r; (r = notices.poll()) != null; ) b.rows(RowKind.RECORDING).add(r);
    }

    /** A file's share read so far, in thousandths, from the capture thread's published stats; live: none. */
    static long readPermille(CaptureSource source) {
        return source.isLive() ? Progress.UNKNOWN : source.stats().getOrDefault("read_permille", Progress.UNKNOWN);
    }

    static void print(Result r, String where, boolean json, int top, PrintWriter out) throws Exception {
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.summary()));
            return;
        }
        RunSummary.Summary s = r.summary();
        out.printf("%,d events over %d s of trace time (%s .. %s), CPU from %s, drops %d%n", s.events(), s.seconds(),
                Instant.ofEpochSecond(s.firstSecond()), Instant.ofEpochSecond(s.lastSecond()), s.cpuSource(), s.drops());
        out.printf("processed in %.1f s (%,.0f events/s); %,d rows written to %s%n%n", r.seconds(),
                r.events() / Math.max(r.seconds(), 1e-9), r.rowsWritten(), where);
        out.println("CONTAINER     NAME                 IMAGE                     CPU s   PEAK RSS    FILE IN   FILE OUT     NET IN    NET OUT");
        int n = 0;
        for (RunSummary.Container c : s.containers()) {
            if (n++ >= top) break;
            out.printf("%-13s %-20s %-22s %8.2f %10s %10s %10s %10s %10s%n", Text.clip(c.id(), 13),
                    Text.clip(Text.printable(c.name()), 20), Text.clip(Text.printable(c.image()), 22), c.cpuSeconds(),
                    kb(c.peakMemRssKb()), bytes(c.fileInBytes()), bytes(c.fileOutBytes()), bytes(c.netInBytes()),
                    bytes(c.netOutBytes()));
        }
        out.println();
        out.println("PID      CONTAINER     NAME             CPU s   PEAK RSS    FILE IN   FILE OUT     NET IN    NET OUT  ARGS");
        n = 0;
        for (RunSummary.Process p : s.processes()) {
            if (n++ >= top) break;
            out.printf("%-8d %-13s %-16s %6.2f %10s %10s %10s %10s %10s  %s%n", p.pid(), Text.clip(p.container(), 13),
                    Text.clip(Text.printable(p.name()), 16), p.cpuSeconds(), kb(p.peakRssKb()), bytes(p.fileInBytes()),
                    bytes(p.fileOutBytes()), bytes(p.netInBytes()), bytes(p.netOutBytes()),
                    Text.clip(Text.printable(p.args()), 60));
        }
        out.println();
        out.println("FILE                                                         PID      PROCESS          BYTES IN  BYTES OUT    OPS  OPENS ERRORS");
        n = 0;
        for (RunSummary.File f : s.files()) {
            if (n++ >= top) break;
            out.printf("%-60s %-8d %-16s %9s %10s %6d %6d %6d%n", Text.clip(Text.printable(f.name()), 60), f.pid(),
                    Text.clip(Text.printable(f.process()), 16), bytes(f.bytesIn()), bytes(f.bytesOut()), f.opsIn() + f.opsOut(),
                    f.opens(), f.openErrors());
        }
        out.println();
        out.println("L4   CONNECTION                                      PORT  PID      PROCESS          BYTES IN  BYTES OUT");
        n = 0;
        for (RunSummary.Connection c : s.connections()) {
            if (n++ >= top) break;
            out.printf("%-4s %-47s %5d %-8d %-16s %9s %10s%n", c.l4(), Text.clip(c.tuple(), 47), c.serverPort(), c.pid(),
                    Text.clip(Text.printable(c.process()), 16), bytes(c.bytesIn()), bytes(c.bytesOut()));
        }
        out.println();
        out.println("SYSCALL                 CALLS   ERRORS   TOTAL ms     MAX ms");
        n = 0;
        for (RunSummary.Syscall c : s.syscalls()) {
            if (n++ >= top) break;
            out.printf("%-20s %8d %8d %10.2f %10.3f%n", Text.clip(c.syscall(), 20), c.calls(), c.errors(),
                    c.totalLatencyMs(), c.maxLatencyMs());
        }
    }

    static String bytes(long b) {
        if (b < 10_000) return Long.toString(b);
        if (b < 10_000_000) return String.format("%.1fK", b / 1024.0);
        if (b < 10_000_000_000L) return String.format("%.1fM", b / 1048576.0);
        return String.format("%.1fG", b / 1073741824.0);
    }

    static String kb(long kb) {
        return bytes(kb * 1024);
    }
}
