package dev.scapstream.cli;

import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.FormattedEvents;
import dev.scapstream.capture.LiveOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Print events as sysdig does, rendered by libsinsp's own formatter: live (modern eBPF, "
                + "needs root and BTF) or from capture files given with -r, in order.")
final class EventsCommand implements Callable<Integer> {
    @Option(names = {"-r", "--read"}, paramLabel = "FILE", description = "read this capture file (.scap or .scap.gz) or directory of them; "
            + "repeat for several: one timeline, in event-time order")
    List<Path> files;

    @Option(names = {"-p", "--print"}, paramLabel = "FORMAT", description = "sysdig output format with any libsinsp field "
            + "(%%proc.name, %%fd.name, ...); 'c' (-pc) is sysdig's container format")
    String format = "";

    @Option(names = {"-j", "--json"}, description = "one JSON object per event, with the fields of the format (as sysdig -j)")
    boolean json;

    @Option(names = {"-A", "--print-ascii"}, description = "I/O buffers as text, non-printables as '.'")
    boolean ascii;

    @Option(names = {"-X", "--print-hex-ascii"}, description = "I/O buffers as hex + ASCII")
    boolean hexAscii;

    @Option(names = {"-v", "--verbose"}, description = "I/O buffers in full (up to the snaplen), not cut to 80 characters")
    boolean verbose;

    @Option(names = {"-n", "--numevents"}, paramLabel = "N", description = "stop after N events")
    Long count;

    @Option(names = "--from", paramLabel = "TIME", description = "files or a store: only events at or after TIME "
            + "(epoch seconds or ISO-8601)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "files or a store: only events at or before TIME")
    String to;

    @CommandLine.Mixin
    StoreOptions store;

    @Option(names = "--host", description = "store: the host whose recordings to read (default: the store's only host)")
    String host;

    @Option(names = "--container", paramLabel = "ID", description = "only this container's events (its 12-character id, "
            + "or host); with the filter, both must hold")
    String container;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "BYTES", description = "live: bytes of each I/O buffer captured "
            + "(driver default 80); a file holds what was recorded")
    Integer snaplen;

    @CommandLine.Mixin
    LiveCaptureOptions probe;

    @Parameters(paramLabel = "FILTER", description = "sysdig filter, e.g. proc.name=cat and evt.type=write")
    List<String> filter;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the lines go: the process's stdout (null), or a stream given by a test. */
    private final OutputStream sink;

    /** What libsinsp puts in container.id: a short hex id, "host", or a runtime's own short name. */
    private static final java.util.regex.Pattern CONTAINER_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    private volatile boolean stopping;

    EventsCommand() {
        this(null);
    }

    EventsCommand(OutputStream sink) {
        this.sink = sink;
    }

    @Override
    public Integer call() {
        FormattedEvents.Format fmt = format();
        boolean onStore = store.db != null || store.cassandra != null;
        if (onStore && files != null && !files.isEmpty()) throw usage("give capture files (-r) or a store (--db/--cassandra), not both");
        if (!onStore && host != null) throw usage("--host picks a store's host (--db or --cassandra)");
        if (container != null && !CONTAINER_ID.matcher(container).matches()) {
            throw usage("bad --container '" + Text.printable(container) + "' (a container id such as 3f2a9c1b7d4e, or host)");
        }
        boolean live = !onStore && (files == null || files.isEmpty());
        long fromNs = from == null ? 0 : EventTimes.parseNs("--from", from);
        long toNs = to == null ? 0 : EventTimes.parseNs("--to", to);
        if (live && (from != null || to != null)) throw usage("--from and --to apply to files (-r) or a store (--db/--cassandra)");
        if (from != null && to != null && fromNs > toNs) throw usage("--from is after --to");
        if (count != null && count < 1) throw usage("-n must be >= 1");
        if (snaplen != null && !live) throw usage("-s sets what a live capture keeps of each I/O buffer; a file holds what was recorded");
        if (snaplen != null && (snaplen < 1 || snaplen > RecordOptions.SNAPLEN_MAX)) throw usage("-s must be 1.." + RecordOptions.SNAPLEN_MAX);
        long limit = count == null ? 0 : count;

        // a terminal sees each batch at once, and live batches end within 20 ms; otherwise big batches
        boolean terminal = sink == null && System.console() != null;
        int capacity = terminal ? 64 << 10 : 1 << 20;
        int waitMs = terminal ? 20 : 100;
        WritableByteChannel out = sink == null ? new FileOutputStream(FileDescriptor.out).getChannel() : Channels.newChannel(sink);

        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopping = true; // Ctrl-C, SIGTERM: the loop ends after the batch it is writing
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "scapstream-events-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Path> input = onStore ? Recordings.covering(store, host, from == null ? null : fromNs,
                to == null ? null : toNs, spec.commandLine().getErr()) : files;
        try {
            print(live ? null : input, fmt, new FormattedEvents.Selection(fromNs, toNs, limit,
                    snaplen == null ? 0 : snaplen), out, capacity, waitMs);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it only waits for finished
            }
        }
        return Main.EXIT_OK;
    }

    /** Prints the input: live, or the files as one set (a closed stdout, | head, ends it quietly). */
    private void print(List<Path> files, FormattedEvents.Format fmt, FormattedEvents.Selection selection,
                          WritableByteChannel out, int capacity, int waitMs) {
        String filterText = Filters.and(Filters.join(filter), container == null ? "" : "container.id=" + container);
        try (CaptureSource source = files == null ? CaptureSource.openLive(liveOptions(filterText))
                : CaptureSource.openFiles(files, filterText, true);
             FormattedEvents events = open(source, fmt, selection, capacity)) {
            source.start();
            if (source.isLive()) {
                // on stderr, so stdout stays the events; a workload may start once this is said
                spec.commandLine().getErr().println("scapstream: capturing (" + source.description() + ") until Ctrl-C");
                spec.commandLine().getErr().flush();
            }
            if (!progress(source)) {
                EventPrinter.copy(events, out, waitMs, () -> stopping);
                return;
            }
            java.util.concurrent.atomic.AtomicLong lines = new java.util.concurrent.atomic.AtomicLong();
            try (Progress.Shown bar = Progress.show(spec.commandLine().getErr(), () -> MetricsRun.readPermille(source), lines::get)) {
                EventPrinter.copy(events, out, waitMs, () -> stopping, lines::set);
            }
        }
    }

    /** A file's events going to a pipe or a file, with a terminal on stderr: a progress line there. */
    private boolean progress(CaptureSource source) {
        return !source.isLive() && sink == null && !Progress.isTerminal(1) && Progress.stderrIsTerminal();
    }

    private FormattedEvents open(CaptureSource source, FormattedEvents.Format fmt, FormattedEvents.Selection s, int capacity) {
        try {
            return FormattedEvents.open(source, fmt, s, capacity);
        } catch (FormattedEvents.BadFormatException e) {
            throw usage(e.getMessage());
        }
    }

    private LiveOptions liveOptions(String filterText) {
        return new LiveOptions(probe.engine(), filterText, probe.bufferBytes(), null, false, probe.pageFaults, true, false);
    }

    private FormattedEvents.Format format() {
        if (ascii && hexAscii) throw usage("-A and -X are exclusive: one rendering of I/O buffers");
        FormattedEvents.Payload payload = ascii ? FormattedEvents.Payload.ASCII
                : hexAscii ? FormattedEvents.Payload.HEX_ASCII : FormattedEvents.Payload.NORMAL;
        return new FormattedEvents.Format(format == null ? "" : format, json, payload, verbose);
    }

    private CommandLine.ParameterException usage(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }
}
