package dev.scapstream.capture;

import com.sun.jna.Memory;

import java.nio.charset.StandardCharsets;

/**
 * libsinsp's state once a capture reached a time: its thread table, each process's fds and the
 * containers, as JSON lines rendered natively (native/src/state.cpp), for the state chisels
 * (ps, lsof, netstat, lscontainers). Reads the capture's events up to that time.
 */
public final class ThreadTable {
    private ThreadTable() {}

    /**
     * The JSON lines at the first event at or after {@code atNs} (0 = the first event); a file's
     * end, or {@code maxWaitMs} live, ends the wait. A read error is a one-line CaptureException.
     */
    public static String at(CaptureSource source, long atNs, int maxWaitMs) {
        byte[] err = new byte[1024];
        long n = NativeShim.ss_state_dump(source.handle(), atNs, maxWaitMs, err, err.length);
        if (n < 0) throw new CaptureException(source.describeReadError(NativeShim.text(err)));
        if (n == 0) return "";
        Memory buf = new Memory(n);
        long got = NativeShim.ss_state_read(buf, n);
        return new String(buf.getByteArray(0, (int) got), StandardCharsets.UTF_8);
    }
}
