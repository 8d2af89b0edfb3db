package dev.scapstream.cli;

import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.FormattedEvents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench-events", mixinStandardHelpOptions = true,
        description = "Lines/s of (a) libsinsp's plain loop formatting every event (the scapstream-format tool's loop) "
                + "and (b) `events -r FILE > /dev/null`: shim batches of formatted lines -> JNA -> written by Java, "
                + "alternating, on the same file. Ends with 'ratio: X.XX' = median (b) / median (a).")
final class BenchEventsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--rounds", description = "alternating rounds of (a) and (b) (default ${DEFAULT-VALUE})", defaultValue = "5")
    int rounds;

    @Option(names = {"-p", "--print"}, paramLabel = "FORMAT", description = "output format (default: sysdig's)")
    String format = "";

    @Option(names = {"-j", "--json"}, description = "JSON lines")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) throw new Main.UserError(file + ": no such file");
        if (rounds < 1) throw new Main.UserError("--rounds must be >= 1");
        FormattedEvents.Format fmt = new FormattedEvents.Format(format, json, FormattedEvents.Payload.NORMAL, false);
        PrintWriter out = spec.commandLine().getOut();
        FormattedEvents.rawLoop(file, "", fmt, false); // warm-up: page cache, JIT
        eventsPath(fmt);
        double[] raw = new double[rounds];
        double[] events = new double[rounds];
        long lines = 0;
        for (int r = 0; r < rounds; r++) {
            // the run after the other is measurably slower: (a) and (b) take the first place in turn
            for (int k = 0; k < 2; k++) {
                boolean nativeFirst = r % 2 == 0;
                long[] t = (k == 0) == nativeFirst ? FormattedEvents.rawLoop(file, "", fmt, false) : eventsPath(fmt);
                ((k == 0) == nativeFirst ? raw : events)[r] = t[0] * 1e9 / t[1];
                if (lines != 0 && t[0] != lines) {
                    throw new Main.UserError("line counts differ: " + lines + " and " + t[0]);
                }
                lines = t[0];
            }
            out.printf("round %d: (a) native loop %.0f lines/s   (b) events path %.0f lines/s%n", r + 1, raw[r], events[r]);
        }
        double a = Stats.median(raw);
        double b = Stats.median(events);
        out.printf("file: %s, %d lines%n", file, lines);
        out.printf("(a) libsinsp loop + formatter, written to /dev/null: %.0f lines/s (median of %d)%n", a, rounds);
        out.printf("(b) events -r FILE > /dev/null (batches -> JNA -> Java): %.0f lines/s%n", b);
        out.printf("ratio: %.2f%n", b / a);
        return Main.EXIT_OK;
    }

    /** {lines, ns}: the clock starts once the file is open, as the native loop's does. */
    private long[] eventsPath(FormattedEvents.Format fmt) {
        try (FileOutputStream devNull = new FileOutputStream("/dev/null");
             FileChannel ch = devNull.getChannel();
             CaptureSource source = CaptureSource.openFile(file, "", null);
             FormattedEvents events = FormattedEvents.open(source, fmt, FormattedEvents.Selection.all(), 1 << 20)) {
            long t0 = System.nanoTime();
            long n = EventPrinter.copy(events, ch, 100, () -> false);
            return new long[] {n, Math.max(1, System.nanoTime() - t0)};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
