package dev.scapstream.capture;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One libsinsp capture, offline (a .scap file, gzip or not) or live (modern eBPF probe or kernel
 * module): the same records either way.
 *
 * <p>Owned by one thread, the capture thread: the one that opened it. libsinsp is single-threaded
 * and the shim's counters read its thread table, so every native call comes from that thread and
 * any other thread's call is refused. Other threads (the aggregator's drop counters, /metrics)
 * read {@link #stats()} from a snapshot the owner publishes after its batches.
 */
public final class CaptureSource implements AutoCloseable {
    private static final int ERR_LEN = 1024;

    private static final long STATS_EVERY_NS = 250_000_000L;

    private Pointer handle;
    private final Thread owner = Thread.currentThread();
    private final boolean live;
    private final String description;
    private final Memory counters = new Memory(8);
    private final byte[] err = new byte[ERR_LEN];
    private boolean ended;
    private String pendingError;
    private final byte[] statsText = new byte[64 * 1024];
    private volatile Map<String, Long> statsSnapshot = Map.of();
    private long statsAtNs;
    private boolean recording;
    private long polledAtNs;
    private Consumer<List<RecordedFile>> recordings = files -> {};
    private final byte[] noticeText = new byte[256 * 1024];

    private CaptureSource(Pointer handle, boolean live, String description) {
        this.handle = handle;
        this.live = live;
        this.description = description;
        refreshStats();
    }

    /** Refuses a native call from any thread but the owner (one volatile-free reference compare). */
    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("capture " + description + " is owned by thread '" + owner.getName()
                    + "'; called from '" + Thread.currentThread().getName() + "'");
        }
    }

    /** Opens a capture file. Missing, foreign and unreadable files give a one-line CaptureException. */
    public static CaptureSource openFile(Path file, String filter, Path recordTo) {
        return openFile(file, filter, recordTo, true);
    }

    /**
     * As {@link #openFile(Path, String, Path)}; with {@code enterRecords} false, syscall enter events
     * produce no record (metrics need only exits, which carry the latency; enters are half of all
     * events). Every event is still read, parsed and counted in {@link Batch#events()}.
     */
    public static CaptureSource openFile(Path file, String filter, Path recordTo, boolean enterRecords) {
        check(file);
        return open(NativeShim.MODE_FILE, file.toString(), filter, 0, recordTo,
                enterRecords ? 0 : NativeShim.FLAG_NO_ENTER_RECORDS, file.toString());
    }

    /**
     * Opens several capture files as one timeline: read one after the other in the order of their
     * first events (a rotated set), a process that spans files being one process. A directory
     * stands for the capture files in it.
     */
    public static CaptureSource openFiles(List<Path> inputs, String filter, boolean enterRecords) {
        List<Path> files = expand(inputs);
        if (files.size() == 1) return openFile(files.get(0), filter, null, enterRecords);
        StringBuilder list = new StringBuilder();
        for (Path f : files) {
            check(f);
            if (f.toString().indexOf('\n') >= 0) throw new CaptureException(f + ": a file name with a line break");
            list.append(f).append('\n');
        }
        String what = files.size() + " files (" + files.get(0) + " … " + files.get(files.size() - 1) + ")";
        return open(NativeShim.MODE_FILE, list.toString(), filter, 0, null,
                enterRecords ? 0 : NativeShim.FLAG_NO_ENTER_RECORDS, what);
    }

    private static final Pattern CAPTURE_NAME = Pattern.compile(".*\\.scap\\d*(\\.gz)?|.*\\.scap(\\.gz)?\\d+");

    /**
     * The capture files the inputs name: files as given, a directory's {@code .scap} and
     * {@code .scap.gz} files (and sysdig's {@code .scapN}) in natural order. A directory without
     * any is a one-line error.
     */
    public static List<Path> expand(List<Path> inputs) {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (!Files.isDirectory(in)) {
                out.add(in);
                continue;
            }
            List<Path> found;
            try (Stream<Path> s = Files.list(in)) {
                found = new ArrayList<>(s.filter(p -> Files.isRegularFile(p)
                        && CAPTURE_NAME.matcher(p.getFileName().toString()).matches()).toList());
            } catch (IOException e) {
                throw new CaptureException(in + ": cannot list (" + e.getMessage() + ")");
            }
            if (found.isEmpty()) throw new CaptureException(in + ": holds no capture files (.scap, .scap.gz)");
            found.sort(Comparator.comparing(p -> naturalKey(p.getFileName().toString())));
            out.addAll(found);
        }
        if (out.isEmpty()) throw new CaptureException("no capture file given");
        return out;
    }

    private static final Pattern DIGITS = Pattern.compile("\\d+");

    /** "a2" before "a10": runs of digits compare by value (sysdig's numbered files). */
    private static String naturalKey(String name) {
        Matcher m = DIGITS.matcher(name);
        StringBuilder b = new StringBuilder();
        int at = 0;
        while (m.find()) {
            b.append(name, at, m.start());
            String d = m.group().replaceFirst("^0+(?=.)", "");
            b.append((char) ('0' + Math.min(d.length(), 60))).append(d);
            at = m.end();
        }
        return b.append(name.substring(at)).toString();
    }

    private static void check(Path file) {
        if (!Files.exists(file)) throw new CaptureException(file + ": no such file");
        if (Files.isDirectory(file)) throw new CaptureException(file + ": is a directory, not a capture file");
        if (!Files.isReadable(file)) throw new CaptureException(file + ": not readable");
    }

    /** Opens a live capture; see {@link LiveOptions}. */
    public static CaptureSource openLive(LiveOptions options) {
        String why = liveUnavailableReason(options.engine());
        if (why != null) throw new CaptureException(why);
        int flags = (options.procinfo() ? NativeShim.FLAG_PROCINFO : 0)
                | (options.pageFaults() ? NativeShim.FLAG_PAGE_FAULTS : 0)
                | (options.enterRecords() ? 0 : NativeShim.FLAG_NO_ENTER_RECORDS)
                | (options.scrubExisting() ? NativeShim.FLAG_SCRUB_EXISTING : 0);
        CaptureSource s = open(options.engine().mode, null, options.filter(), options.bufferBytesPerCpu(),
                null, flags, "live " + options.engine().label);
        if (options.record() != null) {
            try {
                s.record(options.record());
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        }
        return s;
    }

    /** Null when live capture with this engine looks possible here, else the one-line reason. */
    public static String liveUnavailableReason(LiveOptions.Engine engine) {
        NativeShim.ensureLoaded();
        byte[] e = new byte[ERR_LEN];
        return NativeShim.ss_live_possible(engine.mode, e, e.length) == 1 ? null : NativeShim.text(e);
    }

    private static CaptureSource open(int mode, String source, String filter, long bufferBytes,
                                      Path recordTo, int flags, String description) {
        NativeShim.ensureLoaded();
        byte[] e = new byte[ERR_LEN];
        Pointer h = NativeShim.ss_open(mode, source, filter == null ? "" : filter, bufferBytes,
                recordTo == null ? null : recordTo.toString(), flags, e, e.length);
        if (h == null) {
            String source_ = NativeShim.ss_last_error_source();
            String what = source_ != null && !source_.isEmpty() ? source_ : description;
            throw new CaptureException(describeOpenError(mode, what, filter, NativeShim.text(e)));
        }
        return new CaptureSource(h, mode != NativeShim.MODE_FILE, description);
    }

    /** The one-line error of a failed open, by the kind the shim gives (not by the message's words). */
    private static String describeOpenError(int mode, String what, String filter, String msg) {
        return switch (NativeShim.ss_last_error_kind()) {
            case NativeShim.ERRK_FILTER -> "bad filter '" + filter + "': " + msg;
            case NativeShim.ERRK_NOT_CAPTURE -> what + ": not a .scap capture file (" + msg + ")";
            case NativeShim.ERRK_TRUNCATED -> what + ": truncated capture (" + msg + ")";
            case NativeShim.ERRK_CORRUPT -> what + ": corrupt capture (" + msg + ")";
            case NativeShim.ERRK_FILE -> msg.startsWith(what) ? msg : what + ": " + msg;
            case NativeShim.ERRK_WRITE -> "cannot write the recording: " + msg;
            case NativeShim.ERRK_LIVE -> "cannot start " + what + " capture: " + msg;
            default -> mode == NativeShim.MODE_FILE ? what + ": cannot read capture (" + msg + ")"
                    : "cannot start " + what + " capture: " + msg;
        };
    }

    public boolean isLive() {
        return live;
    }

    public String description() {
        return description;
    }

    /**
     * Fills the batch with the next records. Returns false once the stream has ended (the batch
     * may still hold a last few records). A read error (a truncated or corrupt file) is thrown as
     * a one-line CaptureException by the call after the one that returned the records read before it.
     */
    public boolean next(Batch batch, int maxWaitMs) {
        checkOwner();
        if (handle == null) throw new IllegalStateException("capture closed");
        if (pendingError != null) {
            String msg = pendingError;
            pendingError = null;
            throw new CaptureException(msg);
        }
        if (ended) {
            batch.used = 0;
            batch.events = 0;
            batch.status = NativeShim.EOF;
            return false;
        }
        int rc = NativeShim.ss_next_batch(handle, batch.memory, batch.capacity(), counters,
                counters.share(4), maxWaitMs, err, err.length);
        batch.used = counters.getInt(0);
        batch.events = counters.getInt(4);
        batch.status = rc;
        if (rc == NativeShim.ERROR || rc == NativeShim.EOF) {
            refreshStats();
        } else {
            refreshStatsIfDue();
        }
        if (recording && System.nanoTime() - polledAtNs >= POLL_EVERY_NS) pollRecordings();
        if (rc == NativeShim.ERROR) {
            // hand out what was read before the error first; the next call reports it
            ended = true;
            batch.status = NativeShim.EOF;
            pendingError = describeReadError(NativeShim.text(err));
            return true;
        }
        if (rc == NativeShim.EOF) {
            ended = true;
            return false;
        }
        return true;
    }

    /** The native capture, for {@link FormattedEvents}, which reads it through its own entry point. */
    Pointer handle() {
        checkOwner();
        if (handle == null) throw new IllegalStateException("capture closed");
        return handle;
    }

    /** The one-line error of a failed read, by the kind the shim gave (call right after the failed call). */
    String describeReadError(String msg) {
        String source_ = NativeShim.ss_last_error_source();
        // the recording's own file and reason, not the input read (which is fine)
        if (NativeShim.ss_last_error_kind() == NativeShim.ERRK_WRITE) return "cannot write the recording: " + msg;
        String what = source_ != null && !source_.isEmpty() ? source_ : description;
        return what + ": " + switch (NativeShim.ss_last_error_kind()) {
            case NativeShim.ERRK_TRUNCATED -> "truncated capture";
            case NativeShim.ERRK_WRITE -> "cannot write the recording";
            case NativeShim.ERRK_LIVE -> "capture failed";
            default -> live ? "capture failed" : "corrupt capture";
        } + " (" + msg + ")";
    }

    private static final long POLL_EVERY_NS = 1_000_000_000L;

    /**
     * Records every event this capture returns from now on (call before the first {@link #next}).
     * The files it writes, opens, closes and deletes are reported to {@link #onRecordings}.
     */
    public void record(RecordSpec spec) {
        checkOwner();
        Path target = Path.of(spec.path());
        Path parent = target.toAbsolutePath().getParent();
        if (spec.path().endsWith("/")) {
            try {
                Files.createDirectories(target);
            } catch (IOException e) {
                throw new CaptureException("cannot write the recording: " + spec.path() + ": " + e.getMessage());
            }
        } else if (parent != null && !Files.isDirectory(parent)) {
            throw new CaptureException(parent + ": no such directory");
        }
        if (NativeShim.ss_record_open(handle, spec.path(), spec.maxBytes(), spec.seconds(), spec.maxFiles(),
                spec.maxTotal(), spec.gzip() ? NativeShim.RECORD_GZIP : 0, err, err.length) != 0) {
            throw new CaptureException("cannot write the recording: " + NativeShim.text(err));
        }
        recording = true;
    }

    /** Keeps this many bytes of each I/O buffer of a live capture (sysdig's -s; libsinsp's default is 80). */
    public void snaplen(int bytes) {
        checkOwner();
        if (live && NativeShim.ss_set_snaplen(handle, bytes, err, err.length) != 0) {
            throw new CaptureException("bad snaplen " + bytes + ": " + NativeShim.text(err));
        }
    }

    /** Receives, on the capture thread, the recording's files as they open, change, close or go. */
    public void onRecordings(Consumer<List<RecordedFile>> listener) {
        recordings = java.util.Objects.requireNonNull(listener);
    }

    /** Flushes the recording and reports what changed in its files (the capture thread, once a second). */
    private void pollRecordings() {
        polledAtNs = System.nanoTime();
        int n = NativeShim.ss_record_poll(handle, noticeText, noticeText.length);
        if (n > 0) recordings.accept(RecordedFile.parse(NativeShim.text(noticeText)));
    }

    /** Closes the recording's current files (their last notices go to the listener). */
    public void closeRecording() {
        checkOwner();
        if (handle == null || !recording) return;
        pollRecordings();
        recording = false;
        int n = NativeShim.ss_record_close(handle, noticeText, noticeText.length, err, err.length);
        if (n < 0) throw new CaptureException("cannot write the recording: " + NativeShim.text(err));
        if (n > 0) recordings.accept(RecordedFile.parse(NativeShim.text(noticeText)));
    }

    /**
     * Starts a live capture now (otherwise the first {@link #next} does): call it when everything
     * that reads the events is ready, so setup time does not fill the kernel's buffers.
     */
    public void start() {
        checkOwner();
        if (handle != null && live && NativeShim.ss_start(handle, err, err.length) != 0) {
            throw new CaptureException(description + ": " + NativeShim.text(err));
        }
    }

    /** Stops a live capture: no new events; buffered ones can still be read until the end. */
    public void stop() {
        checkOwner();
        if (handle != null && live) {
            NativeShim.ss_stop(handle, err, err.length);
            refreshStats();
        }
    }

    /**
     * libscap counters: events, drops (total, per reason, per CPU when live), the machine's CPU
     * count and the shim's own. On the owner thread they are read now; on any other thread they
     * are the owner's last snapshot (at most 250 ms old while live, final after the end).
     */
    public Map<String, Long> stats() {
        if (Thread.currentThread() == owner) refreshStats();
        return statsSnapshot;
    }

    /**
     * Publishes the counters when the last snapshot is 250 ms old (a file's: 50 ms, so the progress
     * line's read_permille keeps up with a read that lasts a second or two).
     */
    void refreshStatsIfDue() {
        if (System.nanoTime() - statsAtNs >= (live ? STATS_EVERY_NS : STATS_EVERY_NS / 5)) refreshStats();
    }

    /** Reads the counters on the owner thread and publishes them for the other threads. */
    public void refreshStats() {
        checkOwner();
        statsAtNs = System.nanoTime();
        if (handle == null || NativeShim.ss_stats(handle, statsText, statsText.length) < 0) return;
        statsSnapshot = java.util.Collections.unmodifiableMap(parseCounters(NativeShim.text(statsText)));
    }

    /**
     * CPUs of the machine the events come from (libscap's machine info of a live capture), 0 when
     * unknown (a file: libscap 0.20 does not hand out its machine block).
     */
    public int machineCpus() {
        return statsSnapshot.getOrDefault("machine_cpus", 0L).intValue();
    }

    /** The shim's "name value" lines (ss_stats, and what scapstream-rawbench prints) as a map, in order. */
    public static Map<String, Long> parseCounters(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int sp = line.lastIndexOf(' ');
            if (sp <= 0) continue;
            try {
                out.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1)));
            } catch (NumberFormatException ignored) {
                // a counter the shim formats differently is skipped, not fatal
            }
        }
        return out;
    }

    public static String libsVersion() {
        NativeShim.ensureLoaded();
        return NativeShim.ss_libs_version();
    }

    @Override
    public void close() {
        checkOwner();
        if (handle != null) {
            refreshStats();
            try {
                closeRecording();
            } catch (CaptureException ignored) {
                // closing after a failure: the error that ended the run is the one reported
            }
            NativeShim.ss_close(handle);
            handle = null;
        }
    }
}
