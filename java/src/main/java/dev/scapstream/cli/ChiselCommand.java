package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.capture.CaptureException;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.FormattedEvents;
import dev.scapstream.capture.LiveOptions;
import dev.scapstream.capture.ThreadTable;
import dev.scapstream.chisel.Chisel;
import dev.scapstream.chisel.Chisels;
import dev.scapstream.chisel.FieldTableChisel;
import dev.scapstream.chisel.IoBytesChisel;
import dev.scapstream.chisel.SpyUsersChisel;
import dev.scapstream.chisel.StateChisel;
import dev.scapstream.chisel.StreamChisel;
import dev.scapstream.chisel.SysdigTable;
import dev.scapstream.chisel.ViewChisel;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.view.Scope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

@Command(name = "chisel", mixinStandardHelpOptions = true,
        description = "Run one of sysdig's chisels: live (modern eBPF, until Ctrl-C), on capture files (-r), or, for the "
                + "tables of stored views, on a store (--db/--cassandra) over --from/--to. `chisel --list` lists them.")
final class ChiselCommand implements Callable<Integer> {
    private static final String HOST = "chisel";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-l", "--list"}, description = "list the chisels by category")
    boolean list;

    @Option(names = {"-r", "--read"}, paramLabel = "FILE", description = "read this capture file; repeat for several")
    List<Path> files;

    @Mixin
    StoreOptions store;

    @Option(names = "--host", description = "store: the host whose rows to read (default: the store's only host)")
    String host;

    @Option(names = "--from", paramLabel = "TIME", description = "store: from TIME (epoch seconds or ISO-8601; default its first second)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "store: to TIME (default its last second)")
    String to;

    @Option(names = "--at", paramLabel = "TIME", description = "ps, lsof, netstat, lscontainers on files: the state at TIME, not at the first event")
    String at;

    @Option(names = "--interval", paramLabel = "S", description = "live tables: print the table of the last S seconds every S seconds")
    Integer interval;

    @Option(names = {"-X", "--print-hex-ascii"}, description = "payload chisels: I/O buffers as hex + ASCII, not as text")
    boolean hex;

    @Mixin
    LiveCaptureOptions probe;

    @Parameters(paramLabel = "NAME [ARGS] [FILTER]", description = "the chisel, its arguments, then a sysdig filter")
    List<String> words;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private volatile boolean stopping;
    private volatile Runnable stopAction;
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            Chisels.list(out);
            return Main.EXIT_OK;
        }
        if (words == null || words.isEmpty()) throw usage("missing chisel name (see chisel --list)");
        Chisel chisel = Chisels.byName(words.get(0));
        if (chisel == null) throw usage("unknown chisel '" + words.get(0) + "' (see chisel --list)");
        List<String> rest = words.subList(1, words.size());
        List<String> args;
        List<String> checked = new ArrayList<>();
        try {
            args = chisel.arguments(rest);
            for (int i = 0; i < args.size(); i++) checked.add(Chisels.check(chisel.args().get(i), args.get(i)));
        } catch (IllegalArgumentException e) {
            throw usage(chisel.name() + ": " + e.getMessage());
        }
        String userFilter = Filters.join(rest.subList(args.size(), rest.size()));
        boolean onStore = store.db != null || store.cassandra != null;
        boolean live = !onStore && (files == null || files.isEmpty());
        if (onStore && files != null && !files.isEmpty()) throw usage("give capture files (-r) or a store (--db/--cassandra), not both");
        if (onStore && !chisel.runsOnStore()) throw usage(chisel.name() + " reads events: run it live or on capture files (-r)");
        if (onStore && !userFilter.isEmpty()) throw usage("a filter selects events; a store holds per-second rows (use -r or live)");
        if (!onStore && (from != null || to != null)) throw usage("--from and --to select a store's range (--db or --cassandra)");
        boolean table = chisel instanceof ViewChisel || chisel instanceof FieldTableChisel || chisel instanceof IoBytesChisel;
        if (interval != null && (!live || !table)) throw usage("--interval applies to live tables");
        if (interval != null && interval < 1) throw usage("--interval must be >= 1 s");
        if (!live) return dispatch(chisel, checked, userFilter, false, onStore, out);
        // Ctrl-C, SIGTERM: the capture stops, and the JVM exits once the table is printed
        Thread hook = new Thread(() -> {
            stopping = true;
            Runnable stop = stopAction;
            if (stop != null) stop.run();
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "scapstream-chisel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return dispatch(chisel, checked, userFilter, true, false, out);
        } finally {
            out.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: it waits for finished
            }
        }
    }

    private int dispatch(Chisel chisel, List<String> checked, String userFilter, boolean live, boolean onStore,
                         PrintWriter out) throws Exception {
        if (at != null && (!(chisel instanceof StateChisel) || live)) {
            throw usage("--at applies to ps, lsof, netstat and lscontainers on capture files");
        }
        if (chisel instanceof StateChisel st) {
            if (!userFilter.isEmpty()) throw usage(st.name() + " lists libsinsp's tables; it takes no filter");
            return state(st, live, out);
        }
        if (chisel instanceof ViewChisel v) return onStore ? storeTable(v, out) : runTable(v, userFilter, live, out);
        return runEvents(chisel, checked, userFilter, live, out);
    }

    /** ps, lsof, netstat, lscontainers: libsinsp's tables once the capture reached the first event, or --at. */
    private int state(StateChisel st, boolean live, PrintWriter out) {
        long atNs = at == null ? 0 : EventTimes.parseNs("--at", at);
        Path file = live ? null : files.get(0);
        if (files != null && files.size() > 1) throw usage(st.name() + " reads one capture file");
        try (CaptureSource source = live
                ? CaptureSource.openLive(new LiveOptions(probe.engine(), "", probe.bufferBytes(), null, false,
                probe.pageFaults, true, false))
                : CaptureSource.openFile(file, "", null)) {
            source.start();
            st.print(ThreadTable.at(source, atNs, 10_000), out);
        }
        return Main.EXIT_OK;
    }

    /** A table of a stored view over a store's range. */
    private int storeTable(ViewChisel v, PrintWriter out) {
        try (MetricsStore s = store.openForReading()) {
            long[] span = s.span();
            if (span == null) throw new Main.UserError(store.where() + " holds no data");
            String h = store.hostOf(s, host);
            long f = from == null ? span[0] : EventTimes.parseNs("--from", from) / 1_000_000_000L;
            long t = to == null ? span[1] : Math.floorDiv(EventTimes.parseNs("--to", to) + 999_999_999L, 1_000_000_000L);
            if (t <= f) throw usage("--from is not before --to");
            print(v, s, Scope.host(h, f, t), out);
        }
        return Main.EXIT_OK;
    }

    /** A view's table over files or a live capture: the pipeline fills a store of its own, then the view reads it. */
    private int runTable(ViewChisel v, String filter, boolean live, PrintWriter out) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("scapstream-chisel");
        String error = null;
        try (SqliteStore s = SqliteStore.open(dir.resolve("chisel.db"))) {
            if (live) {
                error = runLive(filter, s, v, out, err);
            } else {
                for (Path file : files) {
                    try (CaptureSource source = CaptureSource.openFile(file, filter, null, false)) {
                        MetricsRun.Result r = MetricsRun.run(source, s, HOST, 200_000_000L, null, false, err, null, null);
                        if (r.error() != null) {
                            error = r.error();
                            break;
                        }
                    }
                }
            }
            long[] span = s.span();
            if (interval == null) {
                if (span == null) SysdigTable.print(out, v.valueTitle(), v.titles(), v.units(), 0, List.of());
                else print(v, s, Scope.host(HOST, span[0], span[1]), out);
            }
        } finally {
            deleteTree(dir);
        }
        if (error != null) {
            err.println("scapstream: " + Main.oneLine(error) + " (the table holds the events before it)");
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    private String runLive(String filter, SqliteStore s, ViewChisel v, PrintWriter out, PrintWriter err) {
        LiveOptions options = new LiveOptions(probe.engine(), filter, probe.bufferBytes(), null, true, probe.pageFaults, false, false);
        AtomicReference<CapturePipeline> running = new AtomicReference<>();
        return whileLive(() -> {
            try (CaptureSource source = CaptureSource.openLive(options)) {
                source.start();
                err.println("scapstream: capturing (" + source.description() + ") until Ctrl-C");
                err.flush();
                Thread ticker = interval == null ? null : ticker(v, s, out);
                try {
                    MetricsRun.Result r = MetricsRun.run(source, s, HOST, 200_000_000L, null, false, err, p -> {
                        running.set(p);
                        if (stopping) p.stop();
                    }, null);
                    return r.error();
                } finally {
                    if (ticker != null) ticker.interrupt();
                }
            }
        }, () -> {
            CapturePipeline p = running.get();
            if (p != null) p.stop();
        });
    }

    /**
     * Every --interval seconds, the table of the seconds the store received since the last table:
     * each closed second is in exactly one table, however late the writer stored it.
     */
    private Thread ticker(ViewChisel v, SqliteStore s, PrintWriter out) {
        Thread t = new Thread(() -> {
            long covered = Long.MIN_VALUE; // end (exclusive) of the last table's seconds
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(interval * 1000L);
                    long[] span = s.span();
                    if (span == null) continue;
                    long end = span[1];
                    long start = covered == Long.MIN_VALUE ? Math.max(span[0], end - interval) : covered;
                    if (end <= start) continue;
                    covered = end;
                    synchronized (out) {
                        print(v, s, Scope.host(HOST, start, end), out);
                        out.println();
                        out.flush();
                    }
                }
            } catch (InterruptedException ignored) {
                // stopped
            }
        }, "scapstream-chisel-interval");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void print(ViewChisel v, MetricsStore s, Scope scope, PrintWriter out) {
        if (v.note() != null) out.println(v.note());
        SysdigTable.print(out, v.valueTitle(), v.titles(), v.units(), scope.windowNs(), v.rows(s, scope));
    }

    /** Chisels over libsinsp's rendering of each event: a folded table, bytes per second, or the lines themselves. */
    private int runEvents(Chisel chisel, List<String> args, String userFilter, boolean live, PrintWriter out) {
        String chiselFilter;
        String format;
        boolean json;
        FormattedEvents.Payload payload = FormattedEvents.Payload.NORMAL;
        Consumer<JsonNode> fold;
        Runnable end;
        // a live table with --interval: printed and started again every S seconds, by the loop below
        Runnable restart = null;
        if (chisel instanceof FieldTableChisel t) {
            chiselFilter = t.filter();
            format = fieldsFormat(t.fields(args));
            json = true;
            AtomicReference<FieldTableChisel.Fold> f = new AtomicReference<>(t.new Fold(args));
            fold = e -> f.get().add(e);
            end = () -> {
                if (!t.distinctFds()) SysdigTable.print(out, t.valueTitle(), t.titles(args), t.units(), 0, f.get().rows());
                else for (SysdigTable.Row r : f.get().rows()) out.println(String.join(" ", r.keys()) + "\t" + r.value());
            };
            restart = () -> f.set(t.new Fold(args));
        } else if (chisel instanceof SpyUsersChisel) {
            chiselFilter = SpyUsersChisel.FILTER;
            format = "*" + fieldsFormat(SpyUsersChisel.fields());
            json = true;
            SpyUsersChisel.Fold f = new SpyUsersChisel.Fold(out);
            fold = e -> {
                f.add(e);
                if (live) out.flush();
            };
            end = () -> { };
        } else if (chisel instanceof IoBytesChisel io) {
            chiselFilter = io.filter();
            format = fieldsFormat(IoBytesChisel.FIELDS);
            json = true;
            AtomicReference<IoBytesChisel.Fold> f = new AtomicReference<>(new IoBytesChisel.Fold());
            fold = e -> f.get().add(e);
            end = () -> f.get().print(out);
            restart = () -> f.set(new IoBytesChisel.Fold());
        } else {
            StreamChisel st = (StreamChisel) chisel;
            chiselFilter = st.filter();
            format = st.nativeFormat();
            json = false;
            if (st.payload()) payload = hex ? FormattedEvents.Payload.HEX_ASCII : FormattedEvents.Payload.ASCII;
            fold = null;
            end = () -> { };
            if (st.header() != null) out.println(st.header());
        }
        chiselFilter = Chisels.fill(chiselFilter, args);
        String filter = userFilter.isEmpty() ? chiselFilter : "(" + chiselFilter + ") and (" + userFilter + ")";
        FormattedEvents.Format fmt = new FormattedEvents.Format(format, json, payload, false);
        PrintWriter err = spec.commandLine().getErr();
        Runnable again = restart;
        long everyNs = interval == null ? 0 : interval * 1_000_000_000L;
        String error = whileLive(() -> {
            List<Path> inputs = live ? Collections.singletonList(null) : files;
            for (Path file : inputs) {
                if (stopping) break;
                try (CaptureSource source = file == null
                        ? CaptureSource.openLive(new LiveOptions(probe.engine(), filter, probe.bufferBytes(), null, false,
                        probe.pageFaults, true, false))
                        : CaptureSource.openFile(file, filter, null);
                     FormattedEvents events = open(source, fmt)) {
                    source.start();
                    if (source.isLive()) {
                        err.println("scapstream: capturing (" + source.description() + ") until Ctrl-C");
                        err.flush();
                    }
                    boolean more;
                    long due = System.nanoTime() + everyNs;
                    do {
                        more = events.next(100);
                        String text = StandardCharsets.UTF_8.decode(events.bytes()).toString();
                        if (fold == null) {
                            out.print(chisel instanceof StreamChisel st ? st.shown(text) : text);
                            if (source.isLive()) out.flush();
                        } else {
                            for (String line : text.split("\n")) if (!line.isEmpty()) fold.accept(parse(line));
                        }
                        if (everyNs > 0 && again != null && System.nanoTime() >= due) {
                            end.run(); // the last S seconds' table, then a new one
                            out.println();
                            out.flush();
                            again.run();
                            due += everyNs;
                        }
                    } while (more && !stopping);
                    events.throwIfFailed();
                } catch (CaptureException e) {
                    return e.getMessage();
                }
            }
            return null;
        }, () -> { });
        end.run();
        out.flush();
        if (error != null) {
            err.println("scapstream: " + Main.oneLine(error));
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("libsinsp's JSON line does not parse: " + e.getMessage(), e);
        }
    }

    private static String fieldsFormat(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) b.append(b.length() == 0 ? "" : " ").append('%').append(f);
        return b.toString();
    }

    private FormattedEvents open(CaptureSource source, FormattedEvents.Format fmt) {
        try {
            return FormattedEvents.open(source, fmt, FormattedEvents.Selection.all(), 1 << 20);
        } catch (FormattedEvents.BadFormatException e) {
            throw usage(e.getMessage());
        }
    }

    /** Runs body; live, Ctrl-C or SIGTERM (the hook in call) sets stopping and runs stop. */
    private String whileLive(java.util.function.Supplier<String> body, Runnable stop) {
        stopAction = stop;
        try {
            return body.get();
        } finally {
            stopAction = null;
        }
    }

    /** Removes a temporary tree (the store a chisel or top filled); one left behind is harmless. */
    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    private CommandLine.ParameterException usage(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }
}
