package dev.scapstream.cli;

import dev.scapstream.capture.Batch;
import dev.scapstream.capture.BatchDecoder;
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
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "bench-read", mixinStandardHelpOptions = true,
        description = "Events/s of (a) a plain C++ loop over sinsp::next() and (b) the shim -> JNA -> Java "
                + "record view path, on the same file; ends with 'ratio: X.XX' = median (b) / median (a).")
final class BenchReadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--rounds", description = "alternating rounds of (a) and (b) (default ${DEFAULT-VALUE})", defaultValue = "5")
    int rounds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Consumes every field a metrics handler reads, so nothing is optimised away. */
    private static final class Touch {
        long sink;

        void onEvent(EventView e, Dictionaries d) {
            sink += e.ts() ^ e.tid() ^ e.res() ^ e.latencyNs() ^ e.cpu() ^ e.flags() ^ e.containerKey() ^ e.fdKey()
                    ^ e.nameId() ^ e.pid();
        }
    }

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) throw new Main.UserError(file + ": no such file");
        if (rounds < 1) throw new Main.UserError("--rounds must be >= 1");
        PrintWriter out = spec.commandLine().getOut();
        // warm-up: page cache, JIT
        NativeBench.rawLoop(file);
        readThroughJava(file, new Touch());
        double[] raw = new double[rounds];
        double[] java = new double[rounds];
        long events = 0;
        Touch touch = new Touch();
        for (int r = 0; r < rounds; r++) {
            long[] a = NativeBench.rawLoop(file);
            raw[r] = a[0] * 1e9 / a[1];
            long t0 = System.nanoTime();
            long n = readThroughJava(file, touch);
            long ns = System.nanoTime() - t0;
            java[r] = n * 1e9 / ns;
            events = n;
            if (n != a[0]) {
                throw new Main.UserError("event counts differ: native loop " + a[0] + ", shim path " + n);
            }
            out.printf("round %d: (a) native %.0f events/s   (b) shim+JNA+Java %.0f events/s%n", r + 1, raw[r], java[r]);
        }
        double medRaw = median(raw);
        double medJava = median(java);
        out.printf("file: %s, %d events%n", file, events);
        out.printf("(a) native sinsp::next loop: %.0f events/s (median of %d)%n", medRaw, rounds);
        out.printf("(b) shim -> JNA -> Java view: %.0f events/s (median of %d)%n", medJava, rounds);
        out.printf("ratio: %.2f%n", medJava / medRaw);
        if (touch.sink == 42) out.print(""); // keep the sink alive
        return Main.EXIT_OK;
    }

    private static long readThroughJava(Path file, Touch touch) {
        try (CaptureSource source = CaptureSource.openFile(file, "", null)) {
            BatchDecoder decoder = new BatchDecoder(new Dictionaries());
            Batch batch = new Batch();
            long n = 0;
            boolean more;
            do {
                more = source.next(batch, 100);
                n += decoder.decode(batch.buffer(), batch.used(), touch::onEvent);
            } while (more);
            return n;
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
