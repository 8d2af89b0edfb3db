package dev.scapstream.capture;

import java.nio.file.Path;

/** The native baseline of bench-read: libsinsp's own loop, run inside the shim in one call. */
public final class NativeBench {
    private NativeBench() {}

    /** Returns {events, elapsed ns} of a plain sinsp::next() loop over the file. */
    public static long[] rawLoop(Path file) {
        NativeShim.ensureLoaded();
        long[] events = new long[1];
        long[] ns = new long[1];
        byte[] err = new byte[1024];
        if (NativeShim.ss_bench_raw(file.toString(), events, ns, err, err.length) != 0) {
            throw new CaptureException(file + ": " + NativeShim.text(err));
        }
        return new long[] {events[0], Math.max(1, ns[0])};
    }
}
