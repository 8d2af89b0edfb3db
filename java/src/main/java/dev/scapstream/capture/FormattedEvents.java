package dev.scapstream.capture;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The events of a capture as lines rendered natively by libsinsp's own formatter, as sysdig prints
 * them, a batch of lines per native call (native/src/format.cpp). Control characters are already
 * escaped. Owned by one thread; close it before its capture.
 */
public final class FormattedEvents implements AutoCloseable {
    private static final int ERR_LEN = 1024;

    /** How I/O buffers are shown: as libsinsp's normal rendering, as text (sysdig -A), as hex + ASCII (-X). */
    public enum Payload {
        NORMAL(0), ASCII(NativeShim.FMT_ASCII), HEX_ASCII(NativeShim.FMT_HEXASCII);

        final int flag;

        Payload(int flag) {
            this.flag = flag;
        }
    }

    /** A sysdig output format ("" = sysdig's default line, "c" = its -pc line) and its rendering options. */
    public record Format(String format, boolean json, Payload payload, boolean verbose) {
        int flags() {
            return (json ? NativeShim.FMT_JSON : 0) | payload.flag | (verbose ? NativeShim.FMT_VERBOSE : 0);
        }
    }

    /** Which events: [fromNs, toNs] of event time (0 = unbounded), at most limit lines (0 = all); live snaplen. */
    public record Selection(long fromNs, long toNs, long limit, int snaplen) {
        public static Selection all() {
            return new Selection(0, 0, 0, 0);
        }
    }

    private final CaptureSource source;
    private Pointer handle;
    private final Memory buffer;
    private final Memory counters = new Memory(8);
    private final byte[] err = new byte[ERR_LEN];
    private int used;
    private int lines;
    private boolean ended;
    private String pendingError;

    private FormattedEvents(CaptureSource source, Pointer handle, int capacity) {
        this.source = source;
        this.handle = handle;
        this.buffer = new Memory(capacity);
    }

    /** A bad format (an unknown field) is a {@link BadFormatException}. */
    public static FormattedEvents open(CaptureSource source, Format format, Selection selection, int capacity) {
        byte[] e = new byte[ERR_LEN];
        Pointer h = NativeShim.ss_format_open(source.handle(), format.format(), format.flags(), selection.snaplen(),
                selection.fromNs(), selection.toNs(), selection.limit(), e, e.length);
        if (h == null) {
            String shown = format.format().isEmpty() ? "default" : format.format();
            throw new BadFormatException("bad format '" + shown + "': " + NativeShim.text(e));
        }
        return new FormattedEvents(source, h, capacity);
    }

    /**
     * Formats the next lines into {@link #lines()}. Returns false once the stream has ended (the
     * last lines are in the buffer). A read error (truncated, corrupt) is thrown as a one-line
     * CaptureException after the lines formatted before it were handed out by a call returning false.
     */
    public boolean next(int maxWaitMs) {
        if (handle == null) throw new IllegalStateException("formatter closed");
        if (ended) {
            used = 0;
            lines = 0;
            return false;
        }
        int rc = NativeShim.ss_format_next(handle, buffer, (int) buffer.size(), counters, counters.share(4),
                maxWaitMs, err, err.length);
        used = counters.getInt(0);
        lines = counters.getInt(4);
        source.refreshStatsIfDue(); // read_permille for a progress line on another thread
        if (rc == NativeShim.ERROR) {
            ended = true;
            pendingError = source.describeReadError(NativeShim.text(err));
            return false;
        }
        if (rc == NativeShim.EOF) {
            ended = true;
            return false;
        }
        return true;
    }

    /** Throws the read error that ended the stream, if one did. */
    public void throwIfFailed() {
        if (pendingError != null) {
            String msg = pendingError;
            pendingError = null;
            throw new CaptureException(msg);
        }
    }

    /** The bytes of the last batch (UTF-8 lines, each ending in '\n'), a view valid until the next call. */
    public ByteBuffer bytes() {
        return buffer.getByteBuffer(0, used);
    }

    public int lineCount() {
        return lines;
    }

    @Override
    public void close() {
        if (handle != null) {
            NativeShim.ss_format_close(handle);
            handle = null;
        }
    }

    /** The output format names a field libsinsp does not know, or is malformed. */
    public static final class BadFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadFormatException(String message) {
            super(message);
        }
    }

    /**
     * libsinsp's plain loop over a file, every event formatted as {@link #open} formats it and written
     * to /dev/null (the baseline of bench-events), or to stdout with {@code toStdout}. Returns {lines, ns}.
     */
    public static long[] rawLoop(Path file, String filter, Format format, boolean toStdout) {
        NativeShim.ensureLoaded();
        long[] n = new long[1];
        long[] ns = new long[1];
        byte[] e = new byte[ERR_LEN];
        if (NativeShim.ss_format_raw(file.toString(), filter, format.format(), format.flags(), toStdout ? 1 : -1,
                n, ns, e, e.length) != 0) {
            throw new CaptureException(file + ": " + NativeShim.text(e));
        }
        return new long[] {n[0], Math.max(1, ns[0])};
    }
}
