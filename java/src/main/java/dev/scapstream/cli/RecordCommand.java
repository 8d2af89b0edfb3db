package dev.scapstream.cli;

import dev.scapstream.capture.Batch;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.LiveOptions;
import dev.scapstream.capture.RecordSpec;
import dev.scapstream.capture.RecordedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Capture live kernel events into a .scap file, like `sysdig -w` (needs root and BTF).")
final class RecordCommand implements Callable<Integer> {
    @Option(names = {"-w", "--write"}, required = true, paramLabel = "PATH", description = "the .scap file to write; "
            + "with -C or -G the first of a set (NAME0.scap, NAME1.scap… or NAME-<start>.scap), a directory "
            + "(ending in /) for files named by their start time")
    String output;

    @picocli.CommandLine.Mixin
    RecordOptions rotation;

    @Option(names = "--duration", paramLabel = "S", description = "stop after S seconds (default: until Ctrl-C)")
    Double duration;

    @picocli.CommandLine.Mixin
    LiveCaptureOptions probe;

    @Option(names = "--scrub-existing", description = "write processes that existed before the capture "
            + "without args, env, exe path, cwd or open files (what starts during the recording is kept)")
    boolean scrubExisting;

    @Parameters(paramLabel = "FILTER", description = "sysdig filter: only matching events are written "
            + "(container meta-events are always kept)")
    List<String> filter;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (duration != null && !(duration > 0)) throw new Main.UserError("--duration must be > 0");
        RecordSpec record = rotation.spec(output);
        // container meta-events are always kept, so a filtered recording still names its containers
        String f = Filters.join(filter);
        String recordFilter = f.isEmpty() ? "" : "(" + f + ") or evt.type=container";
        LiveOptions options = new LiveOptions(probe.engine(), recordFilter, probe.bufferBytes(), record,
                false, probe.pageFaults, true, scrubExisting);
        PrintWriter out = spec.commandLine().getOut();
        long events = 0;
        long start = 0;
        CountDownLatch finished = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            main.interrupt();
            try {
                finished.await(10, TimeUnit.SECONDS); // let the loop flush and close the file
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "scapstream-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, Long> stats;
        try {
        Map<String, RecordedFile> files = new LinkedHashMap<>();
        try (CaptureSource source = CaptureSource.openLive(options)) {
            source.onRecordings(list -> list.forEach(r -> files.put(r.path(), r)));
            if (rotation.snaplen() > 0) source.snaplen(rotation.snaplen());
            // the duration counts from the moment the probe is loaded and capturing
            source.start();
            start = System.nanoTime();
            PrintWriter err = spec.commandLine().getErr();
            err.println("scapstream: capturing (" + source.description() + ") to " + output
                    + (duration == null ? " until Ctrl-C" : " for " + duration + " s"));
            err.flush();
            long deadline = duration == null ? Long.MAX_VALUE : start + (long) (duration * 1e9);
            Batch batch = new Batch();
            while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                source.next(batch, 100);
                events += batch.events();
            }
            source.stop();
            // drain what the probe already delivered
            for (int i = 0; i < 50; i++) {
                boolean more = source.next(batch, 20);
                events += batch.events();
                if (!more || batch.events() == 0) break;
            }
            stats = source.stats();
            source.closeRecording();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        List<RecordedFile> kept = files.values().stream()
                .filter(r -> r.state() != RecordedFile.State.GONE).toList();
        long bytes = kept.stream().mapToLong(RecordedFile::bytes).sum();
        String where = kept.size() == 1 ? kept.get(0).path() : kept.size() + " files in " + output;
        out.printf("recorded %d events in %.1f s to %s (%d bytes); drops %d%n", events, secs, where,
                bytes, stats.getOrDefault("n_drops", 0L));
        if (kept.size() > 1) for (var r : kept) out.println("  " + r.path() + " (" + r.bytes() + " bytes)");
        out.flush();
        return Main.EXIT_OK;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook is waiting for this
            }
        }
    }
}
