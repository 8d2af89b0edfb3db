package dev.scapstream.store;

import java.io.IOException;

/**
 * Fault injection for the fault suite, off unless a system property asks for it:
 * {@code -Dscapstream.fault.kill9-before-write=N} sends SIGKILL to this JVM just as the N-th store
 * write begins, so the kill lands in the middle of a run (and often of a transaction) at a
 * reproducible point, which a kill from outside cannot promise for a sub-second replay.
 */
final class FaultInjection {
    private static final long KILL_BEFORE_WRITE = Long.getLong("scapstream.fault.kill9-before-write", 0);

    /** While a fault is armed, every closed second is its own write, so write N is the same on every run. */
    static final boolean ARMED = KILL_BEFORE_WRITE > 0;

    private FaultInjection() {}

    static void beforeWrite(long writeNumber) {
        if (KILL_BEFORE_WRITE <= 0 || writeNumber != KILL_BEFORE_WRITE) return;
        try {
            // the write goes on while the signal is on its way: no orderly shutdown is possible
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start();
        } catch (IOException e) {
            Runtime.getRuntime().halt(137);
        }
    }
}
