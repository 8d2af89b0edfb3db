package dev.scapstream.capture;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * JNA direct mapping of native/src/scapstream.h. Direct mapping (static natives bound by
 * {@link Native#register}) is JNA's fastest call path; it is used once per batch, never per event.
 * The library is found inside the jar ({@code linux-x86-64/libscapstream.so}); JNA extracts it.
 */
final class NativeShim {
    static final int MODE_FILE = 0;
    static final int MODE_MODERN_BPF = 1;
    static final int MODE_KMOD = 2;

    static final int OK = 0;
    static final int EOF = 1;
    static final int TIMEOUT = 2;
    static final int ERROR = -1;

    static final int FLAG_PROCINFO = 1;
    static final int FLAG_PAGE_FAULTS = 2;
    static final int FLAG_NO_ENTER_RECORDS = 4;
    static final int FLAG_SCRUB_EXISTING = 8;

    /** scapstream.h's SS_ABI_VERSION this class was written against. */
    static final int ABI_VERSION = 4;

    // SS_ERRK_*: what a failed call failed at (ss_last_error_kind)
    static final int ERRK_NONE = 0;
    static final int ERRK_OTHER = 1;
    static final int ERRK_FILE = 2;
    static final int ERRK_NOT_CAPTURE = 3;
    static final int ERRK_TRUNCATED = 4;
    static final int ERRK_CORRUPT = 5;
    static final int ERRK_FILTER = 6;
    static final int ERRK_LIVE = 7;
    static final int ERRK_WRITE = 8;
    static final int ERRK_FORMAT = 9;

    static final int RECORD_GZIP = 1;

    static final int FMT_JSON = 1;
    static final int FMT_ASCII = 2;
    static final int FMT_HEXASCII = 4;
    static final int FMT_VERBOSE = 8;

    private static final Throwable LOAD_ERROR;

    static {
        Throwable error = null;
        try {
            Native.register(NativeShim.class, "scapstream");
            int abi = ss_abi_version();
            // a library of another layout would be misread record by record: refuse it whole
            if (abi != ABI_VERSION) {
                error = new UnsatisfiedLinkError("its ABI version is " + abi + ", this jar needs " + ABI_VERSION
                        + " (a stale build: rebuild with ./scapstream build)");
            }
        } catch (Throwable t) {
            error = t;
        }
        LOAD_ERROR = error;
    }

    private NativeShim() {}

    /** Throws a one-line CaptureException when the native library could not be loaded. */
    static void ensureLoaded() {
        if (LOAD_ERROR != null) {
            throw new CaptureException("cannot load the native library libscapstream.so: "
                    + firstLine(LOAD_ERROR.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static native Pointer ss_open(int mode, String source, String filter, long bufferBytes,
                                  String dumpPath, int flags, byte[] err, int errLen);

    static native int ss_next_batch(Pointer capture, Pointer buf, int cap, Pointer used, Pointer events,
                                    int maxWaitMs, byte[] err, int errLen);

    static native int ss_record_open(Pointer capture, String path, long maxBytes, int seconds, int maxFiles,
                                     long maxTotal, int flags, byte[] err, int errLen);

    static native int ss_record_poll(Pointer capture, byte[] out, int outLen);

    static native int ss_record_close(Pointer capture, byte[] out, int outLen, byte[] err, int errLen);

    static native String ss_last_error_source();

    static native int ss_set_snaplen(Pointer capture, int snaplen, byte[] err, int errLen);

    static native int ss_start(Pointer capture, byte[] err, int errLen);

    static native int ss_stop(Pointer capture, byte[] err, int errLen);

    static native int ss_stats(Pointer capture, byte[] out, int outLen);

    static native int ss_name(int nameId, byte[] out, int outLen);

    static native int ss_name_id_limit();

    static native void ss_close(Pointer capture);

    static native String ss_libs_version();

    static native int ss_abi_version();

    /** SS_ERRK_* of the calling thread's last failed call. */
    static native int ss_last_error_kind();

    static native int ss_live_possible(int mode, byte[] err, int errLen);

    static native Pointer ss_format_open(Pointer capture, String format, int flags, int snaplen, long fromNs,
                                         long toNs, long limit, byte[] err, int errLen);

    static native int ss_format_next(Pointer formatter, Pointer buf, int cap, Pointer used, Pointer lines,
                                     int maxWaitMs, byte[] err, int errLen);

    static native void ss_format_close(Pointer formatter);

    static native long ss_state_dump(Pointer capture, long atNs, int maxWaitMs, byte[] err, int errLen);

    static native long ss_state_read(Pointer buf, long cap);

    static native int ss_format_raw(String path, String filter, String format, int flags, int fd, long[] lines,
                                    long[] elapsedNs, byte[] err, int errLen);

    static String text(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
