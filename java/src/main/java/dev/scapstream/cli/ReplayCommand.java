package dev.scapstream.cli;

import dev.scapstream.capture.CaptureSource;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.telemetry.RunTelemetry;
import dev.scapstream.web.RunState;
import dev.scapstream.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a capture into the store: per-second metrics per container, process, file, connection, "
                + "syscall (in the trace's time), with 10 s / 1 h / 1 d rollups; then a top-like summary.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = {"-r", "--read"}, paramLabel = "FILE|DIR", description = "a capture, or a directory of them; "
            + "repeat for several: one timeline, in event-time order, into one store")
    List<Path> reads;

    @Parameters(paramLabel = "[FILE] FILTER", description = "the capture (without -r), then a sysdig filter")
    List<String> args;

    @Mixin
    StoreOptions store;

    @Mixin
    WebOptions web;

    @Option(names = "--host", description = "host name stored with every row (default: the file's name)")
    String host;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    @Option(names = "--top", description = "rows per table in the summary (default ${DEFAULT-VALUE})", defaultValue = "10")
    int top;

    @Option(names = "--grace-ms", description = "wait this long past a second for out-of-order events (default ${DEFAULT-VALUE})",
            defaultValue = "200")
    int graceMs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (graceMs < 0 || graceMs > 900) throw new Main.UserError("--grace-ms must be 0..900");
        Retention retention = store.retention();
        List<String> rest = args == null ? List.of() : args;
        List<Path> inputs = reads;
        if (inputs == null || inputs.isEmpty()) {
            if (rest.isEmpty()) throw new Main.UserError("no capture given: replay FILE [FILTER], or -r FILE|DIR");
            inputs = List.of(Path.of(rest.get(0)));
            rest = rest.subList(1, rest.size());
        }
        List<String> filter = rest;
        Path first = inputs.get(0);
        String h = host != null ? host : (first.getFileName() == null ? first : first.getFileName()).toString()
                .replaceAll("\\.scap\\d*(\\.gz)?$", "");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MetricsRun.Result r;
        RunState state = new RunState(RunState.Mode.REPLAY, true);
        RunTelemetry telemetry = new RunTelemetry();
        try (CaptureSource source = CaptureSource.openFiles(inputs, Filters.join(filter), false);
             MetricsStore s = store.open(telemetry, err); WebServer ui = web.start(s, state, telemetry, err)) {
            r = MetricsRun.run(source, s, h, graceMs * 1_000_000L, retention, Progress.stderrIsTerminal() && !json, err, null, telemetry);
            state.finished();
            if (ui != null) { // the summary, then the UI goes on serving what was replayed
                int rc = report(r, out, err);
                WebOptions.awaitStop(ui, err);
                return rc;
            }
        }
        return report(r, out, err);
    }

    private int report(MetricsRun.Result r, PrintWriter out, PrintWriter err) throws Exception {
        MetricsRun.print(r, store.where(), json, top, out);
        out.flush();
        if (r.error() != null) {
            err.println("scapstream: " + Main.oneLine(r.error()) + " (everything before it was stored)");
            err.flush();
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }
}
