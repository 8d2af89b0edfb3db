package dev.scapstream.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * The progress line of a long read on a terminal: percent of the input read, ETA, events and
 * events/s, redrawn in place with \r and cleared at the end. The percent comes from the capture's
 * read_permille counter (libsinsp's read progress); without one (live) the line has no percent.
 */
final class Progress {
    static final long UNKNOWN = -1;

    private final LongSupplier clock;
    private final long t0;

    /** clock: nanoseconds (System::nanoTime; a test's own); the run's time counts from now. */
    Progress(LongSupplier clock) {
        this.clock = clock;
        this.t0 = clock.getAsLong();
    }

    /**
     * The line for thousandths of the input read (UNKNOWN when there is no such figure) and the
     * events handled so far. The ETA assumes the rest is read at the rate the input was read so far.
     */
    String line(long permille, long events) {
        double secs = Math.max(clock.getAsLong() - t0, 0) / 1e9;
        String counts = String.format("%,d events  %,.0f events/s  %.1f s", events, events / Math.max(secs, 1e-9), secs);
        if (permille < 0) return counts;
        long p = Math.min(permille, 1000);
        String eta = p <= 0 || secs <= 0 ? "--:--" : duration(secs * (1000 - p) / p);
        return String.format("%5.1f %%  ETA %s  %s", p / 10.0, eta, counts);
    }

    /** 75 s -> "1:15", 3725 s -> "1:02:05" (rounded up: an ETA that says 0:00 is done). */
    static String duration(double seconds) {
        long s = (long) Math.ceil(Math.max(seconds, 0));
        if (s >= 3600) return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        return String.format("%d:%02d", s / 60, s % 60);
    }

    /**
     * Redraws the line on err every 250 ms from its own thread until closed, then clears it. The
     * suppliers are read from that thread: they must be snapshots (a capture's published stats, a
     * counter), never a call into the capture.
     */
    static Shown show(PrintWriter err, LongSupplier permille, LongSupplier events) {
        Progress p = new Progress(System::nanoTime);
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(250);
                    err.print("\r" + p.line(permille.getAsLong(), events.getAsLong()) + "\u001b[K");
                    err.flush();
                }
            } catch (InterruptedException ignored) {
                // closed
            }
        }, "scapstream-progress");
        t.setDaemon(true);
        t.start();
        return () -> {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.print("\r\u001b[K");
            err.flush();
        };
    }

    /** A line being shown: closing it stops the redraws and clears it. */
    interface Shown extends AutoCloseable {
        @Override
        void close();
    }

    /** Whether stderr is a terminal: only then is a progress line drawn (a pipe or a log gets none). */
    static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    /** isatty(3) of a file descriptor of this process; false where libc cannot be asked. */
    static boolean isTerminal(int fd) {
        try {
            return LibC.INSTANCE.isatty(fd) == 1;
        } catch (Throwable t) {
            return false;
        }
    }

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int isatty(int fd);
    }
}
