package dev.scapstream.aggregate;

import dev.scapstream.capture.BatchDecoder;
import dev.scapstream.capture.EventTypes;
import dev.scapstream.capture.RecordLayout;
import dev.scapstream.capture.SyntheticBatch;

/**
 * Compiles the event path before a live probe starts. A live capture cannot wait for the JIT: in
 * its first seconds an interpreted decoder and aggregator keep up with a storm only partly, the
 * ring of batches fills, the capture thread blocks and the kernel's per-CPU buffers overflow, so
 * the first seconds of a storm would lose events that a compiled path keeps.
 * So while the probe loads (seconds), synthetic events of every kind the aggregator handles (file
 * and socket I/O, generic and failed syscalls, switches, skipped enters) run through a decoder and a
 * throwaway {@link SecondAggregator}, on their own thread, in the shim's exact record layout.
 */
public final class WarmUp {
    private static final int THREADS = 8;
    private static final int FILES = 16;
    private static final int SOCKETS = 4;

    private WarmUp() {}

    /** Runs {@code events} synthetic events through a fresh decoder and aggregator; returns them. */
    public static long run(long events) {
        SyntheticBatch batch = new SyntheticBatch(256 << 10);
        // the run's summary too: like the rollups it runs once per closed second, and left to the
        // JIT it would be interpreted through the capture's first minute, the agent's costliest part then
        RunSummary summary = new RunSummary();
        SecondAggregator agg = new SecondAggregator("warm-up", 200_000_000L, summary::add, null);
        BatchDecoder decoder = new BatchDecoder(agg.dictionaries());
        long ts = 1_700_000_000_000_000_000L;
        long done = 0;
        boolean first = true;
        while (done < events) {
            batch.clear();
            if (first) {
                for (int t = 0; t < THREADS; t++) batch.thread(100 + t, 100 + t, ts - 1, 0, "warm-up", "warm up " + t);
                for (int f = 1; f <= FILES; f++) batch.fd(f, RecordLayout.FD_TYPE_FILE, 0, 0, 0, "/warm-up/" + f);
                for (int s = 0; s < SOCKETS; s++) {
                    batch.fd(FILES + 1 + s, RecordLayout.FD_TYPE_IPV4_SOCK, 2, 40000 + s, 80,
                            "127.0.0.1:" + (40000 + s) + "->127.0.0.1:80");
                }
                first = false;
            }
            int n = 0;
            while (batch.room() >= RecordLayout.EVENT_SIZE && done < events) {
                long tid = 100 + (done % THREADS);
                int fileKey = 1 + (int) (done % FILES), sockKey = FILES + 1 + (int) (done % SOCKETS);
                int sys = RecordLayout.F_SYSCALL | RecordLayout.F_EXIT;
                switch ((int) (done & 7)) {
                    case 0, 7 -> batch.event(7, 7, ts, tid, 1, 900, 0, sys | RecordLayout.F_IO_READ,
                            RecordLayout.FD_TYPE_FILE, 0, fileKey, 3);
                    case 1 -> batch.event(9, 9, ts, tid, 1, 900, 0, sys | RecordLayout.F_IO_WRITE,
                            RecordLayout.FD_TYPE_FILE, 0, fileKey, 4);
                    case 2 -> batch.event(9, 9, ts, tid, 100, 900, 1, sys | RecordLayout.F_IO_WRITE,
                            RecordLayout.FD_TYPE_IPV4_SOCK, 0, sockKey, 5);
                    case 3 -> batch.event(7, 7, ts, tid, 100, 900, 1, sys | RecordLayout.F_IO_READ,
                            RecordLayout.FD_TYPE_IPV4_SOCK, 0, sockKey, 5);
                    case 4 -> batch.event(EventTypes.GENERIC_X, 1024 + 3, ts, tid, 0, 900, 0, sys, 0xff, 0, 0, -1);
                    case 5 -> batch.event(9, 9, ts, tid, -9, 900, 1, sys | RecordLayout.F_FAILED,
                            RecordLayout.FD_TYPE_FILE, 0, fileKey, 9);
                    default -> batch.event(EventTypes.SCHEDSWITCH_6_E, EventTypes.SCHEDSWITCH_6_E, ts, tid,
                            100 + ((done + 1) % THREADS), 0, (int) (done & 1), RecordLayout.F_EXIT, 0xff, 0, 0, -1);
                }
                ts += 4_000; // 250 k events per second of synthetic time: 40 seconds close, rollups run
                done++;
                n++;
            }
            decoder.decode(batch.buffer(), batch.used(), agg);
            agg.onSkippedEnters(ts, n);
            agg.onBatchEnd(agg.dictionaries());
        }
        agg.finish();
        return done;
    }
}
