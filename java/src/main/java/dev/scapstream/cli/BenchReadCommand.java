package dev.scapstream.cli;

import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.Dictionaries;
import dev.scapstream.capture.EventView;
import dev.scapstream.capture.NativeBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench-read", mixinStandardHelpOptions = true,
        description = "Events/s of (a) a plain C++ loop over sinsp::next() and (b) the full path: shim -> JNA "
                + "batch into a Disruptor ring slot -> a consumer thread's record view, as replay and live run it "
                + "(records for syscall exits, not enters), on the same file; also (b') with a record for every "
                + "event, as inspect runs it. Ends with 'ratio: X.XX' = median (b) / median (a).")
final class BenchReadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--rounds", description = "alternating rounds of (a) and (b) (default ${DEFAULT-VALUE})", defaultValue = "6")
    int rounds;

    @Option(names = "--batch-kb", description = "batch buffer size in KiB (default ${DEFAULT-VALUE})", defaultValue = "256")
    int batchKb;

    @Option(names = "--ring-slots", description = "Disruptor ring slots (power of two, default ${DEFAULT-VALUE})", defaultValue = "16")
    int ringSlots;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Consumes every field a metrics handler reads, so nothing is optimised away. */
    private static final class Touch implements CapturePipeline.Consumer {
        long sink;
        final Dictionaries dictionaries = new Dictionaries();

        @Override
        public Dictionaries dictionaries() {
            return dictionaries;
        }

        @Override
        public void onEvent(EventView e, Dictionaries d) {
            sink += e.ts() ^ e.tid() ^ e.res() ^ e.latencyNs() ^ e.cpu() ^ e.flags() ^ e.containerKey() ^ e.fdKey()
                    ^ e.nameId() ^ e.fdNum();
        }
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) throw new Main.UserError(file + ": no such file");
        if (rounds < 1) throw new Main.UserError("--rounds must be >= 1");
        if (batchKb < 128 || batchKb > 65536) throw new Main.UserError("--batch-kb must be 128..65536");
        if (ringSlots < 2 || Integer.bitCount(ringSlots) != 1) throw new Main.UserError("--ring-slots must be a power of two >= 2");
        PrintWriter out = spec.commandLine().getOut();
        // warm-up: page cache, JIT
        NativeBench.rawLoop(file);
        readThroughJava(file, new Touch(), batchKb, ringSlots, false);
        readThroughJava(file, new Touch(), batchKb, ringSlots, true);
        double[] raw = new double[rounds];
        double[] metrics = new double[rounds];
        double[] all = new double[rounds];
        long events = 0;
        long sink = 0;
        for (int r = 0; r < rounds; r++) {
            long[] a = NativeBench.rawLoop(file);
            raw[r] = a[0] * 1e9 / a[1];
            // the run right after the native loop is measurably slower, so (b) and (b')
            // take that place in turn, round by round
            boolean[] order = r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
            for (boolean enterRecords : order) {
                Touch touch = new Touch();
                long[] timed = readThroughJava(file, touch, batchKb, ringSlots, enterRecords);
                long n = timed[0];
                long ns = timed[1];
                sink ^= touch.sink;
                if (n != a[0]) throw new Main.UserError("event counts differ: native loop " + a[0] + ", shim path " + n);
                (enterRecords ? all : metrics)[r] = n * 1e9 / ns;
                events = n;
            }
            out.printf("round %d: (a) native %.0f events/s   (b) metrics path %.0f events/s   (b') all records %.0f events/s%n",
                    r + 1, raw[r], metrics[r], all[r]);
        }
        double medRaw = Stats.median(raw);
        out.printf("file: %s, %d events%n", file, events);
        out.printf("(a)  native sinsp::next loop: %.0f events/s (median of %d)%n", medRaw, rounds);
        out.printf("(b') shim -> JNA -> Java view, every event a record (inspect): %.0f events/s, ratio %.2f%n",
                Stats.median(all), Stats.median(all) / medRaw);
        out.printf("(b)  shim -> JNA -> Java view, syscall exits only (replay, live): %.0f events/s%n", Stats.median(metrics));
        out.printf("ratio: %.2f%n", Stats.median(metrics) / medRaw);
        if (sink == 42) out.print(""); // keep the sink alive
        return Main.EXIT_OK;
    }

    /** The real path: capture thread -> Disruptor ring of batches -> a consumer thread's record view. */
    /**
     * Returns {events, ns}. Like the native loop, the clock starts once the file is open (libsinsp
     * has read its header and thread table) and stops when the last batch has been consumed.
     */
    private static long[] readThroughJava(Path file, Touch touch, int batchKb, int ringSlots, boolean enterRecords) {
        try (CaptureSource source = CaptureSource.openFile(file, "", null, enterRecords)) {
            CapturePipeline pipeline = new CapturePipeline(source, List.of(touch), ringSlots, batchKb << 10);
            long t0 = System.nanoTime();
            long n = pipeline.run(100);
            return new long[] {n, System.nanoTime() - t0};
        }
    }

}
