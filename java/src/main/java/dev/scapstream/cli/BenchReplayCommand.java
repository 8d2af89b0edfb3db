package dev.scapstream.cli;

import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.NativeBench;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.sqlite.SqliteStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "bench-replay", mixinStandardHelpOptions = true,
        description = "Events/s of (a) a plain C++ sinsp::next() loop and (b) a full replay into a fresh SQLite "
                + "file (capture, ring, aggregation, rollups, store writes), on the same file; GC pauses and JIT "
                + "time per replay; peak RSS; "
                + "ends with 'ratio: X.XX' = median (b) / median (a).")
final class BenchReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--rounds", defaultValue = "5", description = "alternating rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3", description = "replays before the rounds, for the JIT "
            + "(default ${DEFAULT-VALUE}: C2 still compiles through the second and third replay)")
    int warmup;

    @Option(names = "--store", defaultValue = "sqlite", description = "sqlite (default), or discard: a store that "
            + "drops every write, to see what the pipeline costs without one")
    String store;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) throw new Main.UserError(file + ": no such file");
        if (rounds < 1) throw new Main.UserError("--rounds must be >= 1");
        if (warmup < 0) throw new Main.UserError("--warmup must be >= 0");
        if (!store.equals("sqlite") && !store.equals("discard")) {
            throw new Main.UserError("--store must be sqlite or discard, not '" + store + "'");
        }
        boolean discard = store.equals("discard");
        String into = discard ? "a discarding store" : "SQLite";
        PrintWriter out = spec.commandLine().getOut();
        NativeBench.rawLoop(file); // page cache
        // JIT: like bench-read, steady state is measured, not the first runs' compilation
        for (int i = 0; i < warmup; i++) replay(file, out, discard);
        double[] raw = new double[rounds];
        double[] full = new double[rounds];
        double[] gcMs = new double[rounds];
        double[] jitMs = new double[rounds];
        long rows = 0;
        for (int r = 0; r < rounds; r++) {
            long[] a = NativeBench.rawLoop(file);
            raw[r] = a[0] * 1e9 / a[1];
            long gc0 = gcMillis();
            long jit0 = jitMillis();
            long[] b = replay(file, out, discard);
            gcMs[r] = gcMillis() - gc0;
            jitMs[r] = jitMillis() - jit0;
            if (b[0] != a[0]) throw new Main.UserError("event counts differ: " + a[0] + " vs " + b[0]);
            full[r] = b[0] * 1e9 / b[1];
            rows = b[2];
            out.printf("round %d: (a) native %.0f events/s   (b) replay into %s %.0f events/s (%.0f ms; GC pauses "
                    + "%.0f ms, JIT compiling %.0f ms)   (b)/(a) %.2f%n", r + 1, raw[r], into, full[r], b[1] / 1e6, gcMs[r],
                    jitMs[r], full[r] / raw[r]);
        }
        out.printf("file: %s; %d rows written per replay%n", file, rows);
        out.printf("(a) native sinsp::next loop: %.0f events/s (median of %d)%n", Stats.median(raw), rounds);
        out.printf("(b) replay into %s: %.0f events/s (median of %d, after %d warm-up replays; "
                + "GC pauses %.0f ms, JIT compiling %.0f ms per replay, medians)%n", into, Stats.median(full), rounds, warmup,
                Stats.median(gcMs), Stats.median(jitMs));
        out.printf("peak RSS: %d MB (VmHWM of this JVM)%n", peakRssKb() / 1024);
        out.printf("ratio: %.2f%n", Stats.median(full) / Stats.median(raw));
        return Main.EXIT_OK;
    }

    /**
     * One full replay into a fresh SQLite file: {events, ns, rows}. Like the native loop, the clock
     * starts once the capture is open (header and thread table read); it includes creating the
     * SQLite file and stops when the last row is written.
     */
    private static long[] replay(Path file, PrintWriter out, boolean discard) throws IOException {
        Path dir = Files.createTempDirectory("scapstream-bench");
        try (CaptureSource source = CaptureSource.openFile(file, "", null, false)) {
            long t0 = System.nanoTime();
            MetricsRun.Result res;
            try (MetricsStore store = discard ? discarding() : SqliteStore.open(dir.resolve("bench.db"))) {
                res = MetricsRun.run(source, store, "bench", 200_000_000L, null, false, out, null, null);
            }
            long ns = System.nanoTime() - t0;
            if (res.error() != null) throw new Main.UserError(res.error());
            return new long[] {res.events(), ns, res.rowsWritten()};
        } finally {
            deleteTree(dir);
        }
    }

    /** A store that drops every write and holds nothing. */
    private static MetricsStore discarding() {
        return (MetricsStore) Proxy.newProxyInstance(MetricsStore.class.getClassLoader(), new Class<?>[] {MetricsStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "write", "close" -> null;
                    case "expire" -> 0L;
                    case "toString" -> "discarding store";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> List.of();
                });
    }

    /** Time the collectors spent in their pauses so far (all of them stop the world here). */
    private static long gcMillis() {
        long ms = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(0, gc.getCollectionTime());
        return ms;
    }

    /** Time the JIT compilers spent so far (their threads share the two cores with the pipeline). */
    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

}
