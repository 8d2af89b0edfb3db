package dev.scapstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scapstream.capture.CaptureException;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.FormattedEvents;
import dev.scapstream.capture.LiveOptions;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.terminal.Top;
import dev.scapstream.terminal.TopTerminal;
import dev.scapstream.view.Catalog;
import dev.scapstream.view.Column;
import dev.scapstream.view.Scope;
import dev.scapstream.view.Table;
import dev.scapstream.view.View;
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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "top", mixinStandardHelpOptions = true,
        description = "An interactive top of every resource, as csysdig: live (modern eBPF), played through capture "
                + "files (-r), or over a store's history (--db/--cassandra, --from/--to or --at; the arrow keys move "
                + "through time). --json prints a view's rows once.")
final class TopCommand implements Callable<Integer> {
    private static final String HOST = "top";

    @Option(names = {"-r", "--read"}, paramLabel = "FILE", description = "read this capture file or directory; repeat for several")
    List<Path> files;

    @Mixin
    StoreOptions store;

    @Option(names = "--host", description = "store: the host to show (default: the store's only host)")
    String host;

    @Option(names = "--from", paramLabel = "TIME", description = "store: the window's start (epoch seconds or ISO-8601)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "store: the window's end")
    String to;

    @Option(names = "--at", paramLabel = "TIME", description = "files or a store: the window of -d that starts at TIME")
    String at;

    @Option(names = {"-v", "--view"}, paramLabel = "VIEW", defaultValue = "processes",
            description = "the first view: containers, processes, threads, files, directories, connections, ports, "
                    + "syscalls, errors, page_faults, spy_users (default ${DEFAULT-VALUE})")
    String view;

    @Option(names = {"-d", "--delay"}, paramLabel = "MS", defaultValue = "2000",
            description = "refresh every MS milliseconds (at least 100; default ${DEFAULT-VALUE}); on files each refresh "
                    + "plays the next MS of trace time, whole seconds")
    long delayMs;

    @Option(names = {"-j", "--json"}, description = "print the view's rows once, as JSON, and exit (like csysdig -j)")
    boolean json;

    @Mixin
    LiveCaptureOptions probe;

    @Parameters(paramLabel = "FILTER", description = "sysdig filter (files and live)")
    List<String> filter;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        View<?> v = Catalog.byId(view);
        if (v == null) {
            throw usage("unknown view '" + Text.printable(view) + "' (" + String.join(", ", Catalog.ALL.stream().map(View::id).toList()) + ")");
        }
        if (delayMs < 100) throw usage("-d must be at least 100 ms");
        boolean onStore = store.db != null || store.cassandra != null;
        boolean onFiles = files != null && !files.isEmpty();
        if (onStore && onFiles) throw usage("give capture files (-r) or a store (--db/--cassandra), not both");
        String userFilter = Filters.join(filter);
        if (onStore && !userFilter.isEmpty()) throw usage("a filter selects events; a store holds per-second rows (use -r or live)");
        if (!onStore && (from != null || to != null)) throw usage("--from and --to select a store's window (--db or --cassandra)");
        if (at != null && (from != null || to != null)) throw usage("--at or --from/--to, not both");
        if (!onStore && !onFiles && at != null) throw usage("--at applies to files or a store");
        if (!onStore && !onFiles && !json && System.console() == null) throw new Main.UserError("top needs a terminal (or --json)");
        long step = Math.max(1, delayMs / 1000);
        Path tmp = onStore ? null : Files.createTempDirectory("scapstream-top");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true, "scapstream-top-shutdown"));
        try (Sources src = onStore ? storeSource() : onFiles ? fileSource(tmp, userFilter) : liveSource(tmp, userFilter)) {
            long[] window = window(src, step);
            if (json) {
                if (src.mode() == Top.Mode.LIVE) {
                    Thread.sleep(delayMs); // one interval of capture
                    window = src.span();
                    if (window == null) throw new Main.UserError("no events in " + delayMs + " ms of live capture");
                }
                printJson(v, src, window);
                return Main.EXIT_OK;
            }
            Top top = new Top(src, v, step, window, userFilter);
            TopTerminal.run(top, delayMs, () -> stopping);
        } finally {
            if (tmp != null) ChiselCommand.deleteTree(tmp);
        }
        return Main.EXIT_OK;
    }

    /** The first window: --from/--to, --at and -d, or (--json) all of it; null lets top pick. */
    private long[] window(Sources src, long step) {
        long[] span = src.span();
        if (from != null || to != null) {
            if (span == null) throw new Main.UserError(src.describe() + " holds no data");
            long f = from == null ? span[0] : EventTimes.parseNs("--from", from) / 1_000_000_000L;
            long t = to == null ? span[1] : Math.floorDiv(EventTimes.parseNs("--to", to) + 999_999_999L, 1_000_000_000L);
            if (t <= f) throw usage("--from is not before --to");
            return new long[] {f, t};
        }
        if (at != null) {
            long f = Math.floorDiv(EventTimes.parseNs("--at", at), 1_000_000_000L);
            return new long[] {f, f + step};
        }
        if (json && span != null) return span;
        return null;
    }

    private void printJson(View<?> v, Sources src, long[] window) {
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("view", v.id());
        root.put("host", src.host());
        ArrayNode rows = root.putArray("rows");
        if (window != null) {
            root.put("from", window[0]);
            root.put("to", window[1]);
            Scope s = Scope.host(src.host(), window[0], window[1]);
            s = new Scope(s.host(), null, -1, s.fromTs(), s.toTs(), Top.resolution(window[1] - window[0]));
            Table t = v.evaluate(src.store(), s);
            for (Object[] row : t.rows()) {
                ObjectNode o = rows.addObject();
                for (int i = 0; i < row.length; i++) {
                    Column<?> c = v.columns().get(i);
                    if (row[i] instanceof Long l) o.put(c.header(), l);
                    else o.put(c.header(), row[i] == null ? null : String.valueOf(row[i]));
                }
            }
        }
        ArrayNode cols = root.putArray("columns");
        for (Column<?> c : v.columns()) cols.addObject().put("header", c.header()).put("unit", c.unit().name()).put("hidden", c.hidden());
        try {
            out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** A top source that owns what it opened (a store, a temporary replay, a live run). */
    private abstract static class Sources implements Top.Source, AutoCloseable {
        @Override
        public void close() {}
    }

    private Sources storeSource() {
        MetricsStore s = store.openForReading();
        String theHost;
        try {
            theHost = store.hostOf(s, host);
        } catch (Main.UserError e) {
            s.close();
            throw e;
        }
        String where = store.where();
        return new Sources() {
            public MetricsStore store() {
                return s;
            }

            public String host() {
                return theHost;
            }

            public long[] span() {
                return s.span();
            }

            public Top.Mode mode() {
                return Top.Mode.STORE;
            }

            public String describe() {
                return where + ", host " + Text.printable(theHost);
            }

            public String filter(String f) {
                return f.isEmpty() ? null : "a store holds per-second rows: a sysdig filter needs events (top -r or live)";
            }

            public List<String> events(long pid, long fromTs, long toTs, boolean echo) {
                List<Path> recorded = new ArrayList<>();
                for (Rows.Recording r : s.recordings(theHost, fromTs, toTs)) {
                    if (!r.gone() && Files.isRegularFile(Path.of(r.path()))) recorded.add(Path.of(r.path()));
                }
                if (recorded.isEmpty()) return List.of("no recorded file of this host covers this window (live -w records them)");
                return eventLines(recorded, pid, fromTs, toTs, echo);
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    /** The files replayed into a store of top's own; a new filter replays them again. */
    private Sources fileSource(Path tmp, String initialFilter) {
        PrintWriter err = spec.commandLine().getErr();
        AtomicReference<SqliteStore> current = new AtomicReference<>(replay(tmp, initialFilter, err, 0));
        int[] generation = {0};
        return new Sources() {
            public MetricsStore store() {
                return current.get();
            }

            public String host() {
                return HOST;
            }

            public long[] span() {
                return current.get().span();
            }

            public Top.Mode mode() {
                return Top.Mode.FILES;
            }

            public String describe() {
                return files.size() == 1 ? Text.printable(files.get(0).toString()) : files.size() + " capture files";
            }

            public String filter(String f) {
                try {
                    SqliteStore next = replay(tmp, f, null, ++generation[0]);
                    current.getAndSet(next).close();
                    return null;
                } catch (Main.UserError | CaptureException e) {
                    return e.getMessage();
                }
            }

            public List<String> events(long pid, long fromTs, long toTs, boolean echo) {
                return eventLines(files, pid, fromTs, toTs, echo);
            }

            @Override
            public void close() {
                current.get().close();
            }
        };
    }

    private SqliteStore replay(Path tmp, String f, PrintWriter err, int generation) {
        SqliteStore s = SqliteStore.open(tmp.resolve("top-" + generation + ".db"));
        try (CaptureSource source = CaptureSource.openFiles(files, f, false)) {
            MetricsRun.Result r = MetricsRun.run(source, s, HOST, 200_000_000L, null, err != null && Progress.stderrIsTerminal(),
                    err == null ? new PrintWriter(java.io.Writer.nullWriter()) : err, null, null);
            if (r.error() != null && err != null) {
                err.println("scapstream: " + Main.oneLine(r.error()) + " (top shows the events before it)");
                err.flush();
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** A live capture aggregated into a store of top's own, on threads of its own; a new filter starts it again. */
    private Sources liveSource(Path tmp, String initialFilter) {
        final class Run {
            final SqliteStore store;
            final Thread thread;
            final AtomicReference<CapturePipeline> pipeline = new AtomicReference<>();
            final AtomicReference<String> error = new AtomicReference<>();

            Run(int generation, String f) {
                store = SqliteStore.open(tmp.resolve("live-" + generation + ".db"));
                LiveOptions o = new LiveOptions(probe.engine(), f, probe.bufferBytes(), null, true, probe.pageFaults, false, false);
                java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
                thread = new Thread(() -> {
                    // the capture thread opens, owns and closes its source
                    try (CaptureSource source = CaptureSource.openLive(o)) {
                        source.start();
                        opened.countDown();
                        MetricsRun.Result r = MetricsRun.run(source, store, HOST, 200_000_000L, null, false,
                                new PrintWriter(java.io.Writer.nullWriter()), pipeline::set, null);
                        if (r.error() != null) error.set(r.error());
                    } catch (RuntimeException e) {
                        error.set(e.getMessage());
                    } finally {
                        opened.countDown();
                    }
                }, "scapstream-top-capture");
                thread.setDaemon(true);
                thread.start();
                try {
                    opened.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (error.get() != null) {
                    store.close();
                    throw new Main.UserError(error.get());
                }
            }

            void stop() {
                CapturePipeline p = pipeline.get();
                if (p != null) p.stop();
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                store.close();
            }
        }
        AtomicReference<Run> run = new AtomicReference<>(new Run(0, initialFilter));
        // on stderr, before the screen is taken: a workload may start once this is said
        spec.commandLine().getErr().println("scapstream: capturing (live " + probe.engine() + ")");
        spec.commandLine().getErr().flush();
        int[] generation = {0};
        return new Sources() {
            public MetricsStore store() {
                return run.get().store;
            }

            public String host() {
                return HOST;
            }

            public long[] span() {
                return run.get().store.span();
            }

            public Top.Mode mode() {
                return Top.Mode.LIVE;
            }

            public String describe() {
                String e = run.get().error.get();
                return "live (" + probe.engine() + ")" + (e == null ? "" : " | stopped: " + Main.oneLine(e));
            }

            public String filter(String f) {
                try {
                    Run next = new Run(++generation[0], f);
                    run.getAndSet(next).stop();
                    return null;
                } catch (Main.UserError | CaptureException e) {
                    return e.getMessage();
                }
            }

            public List<String> events(long pid, long fromTs, long toTs, boolean echo) {
                return List.of("live: echo and dig read capture files; record with live -w and run top on the store or "
                        + "the files");
            }

            @Override
            public void close() {
                run.get().stop();
            }
        };
    }

    private static final int EVENT_LINES = 20_000;

    /** A process's events in a window, by libsinsp's formatter (echo: its I/O, payloads as text). */
    private static List<String> eventLines(List<Path> input, long pid, long fromTs, long toTs, boolean echo) {
        String f = "proc.pid=" + pid + (echo ? " and evt.is_io=true and evt.dir=<" : "");
        List<String> out = new ArrayList<>();
        try (CaptureSource source = CaptureSource.openFiles(input, f, true);
             FormattedEvents events = FormattedEvents.open(source, new FormattedEvents.Format("", false,
                     echo ? FormattedEvents.Payload.ASCII : FormattedEvents.Payload.NORMAL, false),
                     new FormattedEvents.Selection(fromTs * 1_000_000_000L, toTs * 1_000_000_000L - 1, EVENT_LINES, 0),
                     1 << 20)) {
            source.start();
            boolean more = true;
            while (more && out.size() < EVENT_LINES) {
                more = events.next(100);
                java.nio.ByteBuffer b = events.bytes();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                String text = new String(bytes, StandardCharsets.UTF_8);
                // the formatter escaped control characters; tabs still move the cursor
                for (String line : text.split("\n", -1)) if (!line.isEmpty()) out.add(line.replace('\t', ' '));
            }
            events.throwIfFailed();
        } catch (RuntimeException e) {
            out.add("scapstream: " + Main.oneLine(e.getMessage()));
        }
        if (out.isEmpty()) out.add("(no events of process " + pid + " in this window)");
        return out;
    }

    private CommandLine.ParameterException usage(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }
}
