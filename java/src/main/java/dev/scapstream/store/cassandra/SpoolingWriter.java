package dev.scapstream.store.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Keeps any write of prepared seconds going through an outage: a second the target does not take
 * for a reason that passes ({@link DriverErrors.Unavailable}) goes to the on-disk {@link Spool}, as
 * does every second after it until the spool is empty again, so what reaches Cassandra is always
 * in order. A drainer thread writes spooled seconds oldest first as soon as the target answers.
 * The writing thread is never blocked longer than one write's timeouts.
 *
 * <p>Threads: {@link #write} is called by the store writer thread, the drainer thread
 * ({@code scapstream-cassandra-spool}) runs {@link #drainLoop}, and the two share only the spool,
 * under its lock; the target is written by one of them at a time (the writer thread spools while
 * the drainer has seconds to write). Telemetry getters read from any thread.
 */
final class SpoolingWriter {
    private final Spool spool;
    private final Consumer<Prepared> target;
    private final String where;
    private final Consumer<String> log;
    private final AtomicReference<String> lastOutage = new AtomicReference<>();
    private final Thread drainer;
    private volatile boolean stopped;

    SpoolingWriter(Spool spool, Consumer<Prepared> target, String where, Consumer<String> log) {
        this.spool = spool;
        this.target = target;
        this.where = where;
        this.log = log;
        drainer = new Thread(this::drainLoop, "scapstream-cassandra-spool");
        drainer.setDaemon(true);
        drainer.start();
    }

    void write(Prepared p) {
        synchronized (spool) {
            // while older seconds wait, newer ones queue behind them: recovery writes in order
            if (!spool.isEmpty()) {
                toSpool(p, null);
                return;
            }
        }
        try {
            target.accept(p);
        } catch (DriverErrors.Unavailable e) {
            String m = e.getMessage();
            toSpool(p, m.startsWith(where + ": ") ? m.substring(where.length() + 2) : m);
        }
    }

    private void toSpool(Prepared p, String why) {
        if (why != null && lastOutage.getAndSet(why) == null) {
            log.accept("scapstream: " + where + " unavailable (" + why + "): spooling closed seconds to "
                    + spool.dir() + " until it answers");
        }
        synchronized (spool) {
            if (!spool.append(p)) {
                long d = spool.droppedSeconds();
                if (d == 1 || d % 60 == 0) { // loud, but not a line a second
                    log.accept("scapstream: SPOOL FULL (" + spool.bytes() + " of " + spool.maxBytes() + " bytes in "
                            + spool.dir() + "): dropped " + d + " closed seconds (" + spool.droppedRows()
                            + " rows) while " + where + " is unavailable");
                }
            }
            spool.notifyAll();
        }
    }

    private void drainLoop() {
        long backoffMs = 250;
        while (!stopped) {
            Path file;
            synchronized (spool) {
                file = spool.oldest();
                if (file == null) {
                    try {
                        spool.wait(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            Prepared p;
            try {
                p = PreparedCodec.decode(Files.readAllBytes(file));
            } catch (IOException e) {
                log.accept("scapstream: spool file " + file + " cannot be read (" + DriverErrors.oneLine(e)
                        + "): set aside as .bad");
                removeQuietly(file, true);
                continue;
            }
            try {
                target.accept(p);
                removeQuietly(file, false);
                backoffMs = 250;
                if (spool.isEmpty() && lastOutage.getAndSet(null) != null) {
                    log.accept("scapstream: " + where + " answers again: every spooled second is written ("
                            + spool.droppedSeconds() + " dropped while the spool was full)");
                }
            } catch (DriverErrors.Unavailable e) {
                lastOutage.compareAndSet(null, DriverErrors.oneLine(e));
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(2000, backoffMs * 2);
            } catch (RuntimeException e) {
                log.accept("scapstream: spooled second " + file + " refused by " + where + " ("
                        + DriverErrors.oneLine(e) + "): set aside as .bad");
                removeQuietly(file, true);
            }
        }
    }

    private void removeQuietly(Path file, boolean setAside) {
        try {
            spool.removeOldest(file, setAside);
        } catch (IOException e) {
            log.accept("scapstream: spool " + spool.dir() + ": cannot remove " + file.getFileName() + ": "
                    + DriverErrors.oneLine(e));
        }
    }

    /** Waits up to the timeout for the spool to be written; true when it is empty. */
    boolean awaitDrained(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!spool.isEmpty()) {
            if (System.nanoTime() > end) return false;
            Thread.sleep(50);
        }
        return true;
    }

    /** Stops the drainer; seconds still spooled stay on disk for the next run, which is said. */
    void close() {
        stopped = true;
        drainer.interrupt();
        try {
            drainer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!spool.isEmpty()) {
            log.accept("scapstream: " + spool.seconds() + " closed seconds stay spooled in " + spool.dir()
                    + " (" + where + " unavailable): the next run with this spool writes them");
        }
    }

    boolean isEmpty() {
        return spool.isEmpty();
    }

    int seconds() {
        return spool.seconds();
    }

    long bytes() {
        return spool.bytes();
    }

    long droppedSeconds() {
        return spool.droppedSeconds();
    }

    long droppedRows() {
        return spool.droppedRows();
    }

    /** Seconds that went through the spool since open. */
    long spooledSeconds() {
        return spool.spooledSeconds();
    }
}
