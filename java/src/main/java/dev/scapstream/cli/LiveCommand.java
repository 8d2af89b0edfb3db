package dev.scapstream.cli;

import dev.scapstream.aggregate.WarmUp;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.LiveOptions;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.telemetry.RunTelemetry;
import dev.scapstream.web.RunState;
import dev.scapstream.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "live", mixinStandardHelpOptions = true,
        description = "Capture live (modern eBPF probe) into the store, closing and writing every second; "
                + "a summary when stopped (--duration, Ctrl-C or SIGTERM).")
final class LiveCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILTER", description = "sysdig filter")
    List<String> filter;

    @Mixin
    StoreOptions store;

    @Mixin
    WebOptions web;

    @Option(names = "--duration", paramLabel = "S", description = "stop after S seconds")
    Double duration;

    @Mixin
    LiveCaptureOptions probe;

    @Option(names = "--host", description = "host name stored with every row (default: this machine's)")
    String host;

    @Option(names = {"-w", "--write"}, paramLabel = "PATH", description = "also write every event captured to "
            + "this .scap file, as `record` does (`replay` of it gives the same rows); with -C/-G a rotated set, "
            + "a directory (ending in /) for a flight recorder: -w DIR/ -G 60 -W 1440 keeps the last day")
    String write;

    @Mixin
    RecordOptions rotation;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    @Option(names = "--top", defaultValue = "10", description = "rows per table in the summary (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--grace-ms", defaultValue = "200", description = "out-of-order wait (default ${DEFAULT-VALUE})")
    int graceMs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final long WARM_UP_EVENTS = 10_000_000; // about 1 s, while the probe loads for 3-5 s
    private static final long WARM_UP_WAIT_MS = 10_000;

    @Override
    public Integer call() throws Exception {
        if (duration != null && !(duration > 0)) throw new Main.UserError("--duration must be > 0");
        Retention retention = store.retention();
        String h = host != null ? host : InetAddress.getLocalHost().getHostName();
        // metrics need only syscall exits (see CaptureSource.openFile)
        if (write == null && rotation.any()) throw new Main.UserError("-C, -G, -W, -z and --record-max need -w PATH");
        dev.scapstream.capture.RecordSpec record = write == null ? null : rotation.spec(write);
        LiveOptions options = new LiveOptions(probe.engine(), Filters.join(filter), probe.bufferBytes(), record, true,
                probe.pageFaults, false, false);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AtomicReference<CapturePipeline> running = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            CapturePipeline p = running.get();
            if (p != null) p.stop();
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "scapstream-live-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // compile the event path while the probe loads (see WarmUp)
        Thread warmUp = new Thread(() -> WarmUp.run(WARM_UP_EVENTS), "scapstream-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        try {
            MetricsRun.Result r;
            RunTelemetry telemetry = new RunTelemetry();
            try (MetricsStore s = store.open(telemetry, err); CaptureSource source = CaptureSource.openLive(options);
                 WebServer ui = web.start(s, new RunState(RunState.Mode.LIVE, true), telemetry, err)) {
                warmUp.join(WARM_UP_WAIT_MS);
                if (rotation.snaplen() > 0) source.snaplen(rotation.snaplen());
                source.start(); // last: from here the kernel's buffers fill
                err.println("scapstream: capturing live (" + source.description() + ") into " + store.where()
                        + (duration == null ? " until Ctrl-C" : " for " + duration + " s"));
                err.flush();
                r = MetricsRun.run(source, s, h, graceMs * 1_000_000L, retention, System.console() != null && !json, err,
                        p -> {
                            running.set(p);
                            if (duration != null) {
                                Thread timer = new Thread(() -> {
                                    try {
                                        Thread.sleep((long) (duration * 1000));
                                        p.stop();
                                    } catch (InterruptedException ignored) {
                                        Thread.currentThread().interrupt();
                                    }
                                }, "scapstream-live-timer");
                                timer.setDaemon(true);
                                timer.start();
                            }
                        }, telemetry);
            }
            MetricsRun.print(r, store.where(), json, top, out);
            out.flush();
            if (r.error() != null) {
                err.println("scapstream: " + Main.oneLine(r.error()));
                return Main.EXIT_FAILURE;
            }
            return Main.EXIT_OK;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down: the hook waits for us
            }
        }
    }
}
