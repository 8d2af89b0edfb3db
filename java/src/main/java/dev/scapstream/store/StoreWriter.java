package dev.scapstream.store;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes closed seconds to a store on its own thread, so a slow write never stalls aggregation.
 * The queue is bounded; when it is full the aggregator waits (replay: back-pressure) — a store
 * that is down is the Cassandra backend's business (it spools).
 */
public final class StoreWriter implements AutoCloseable {
    private static final MetricsBatch END = new MetricsBatch();
    private final MetricsStore store;
    private final BlockingQueue<MetricsBatch> queue;
    private final Thread thread;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong writeNanos = new AtomicLong();
    private boolean closed; // owner thread only
    private final AtomicLong writesDone = new AtomicLong();
    private volatile long lastWriteNanos;

    public StoreWriter(MetricsStore store, int queueSeconds) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(queueSeconds);
        this.thread = new Thread(this::loop, "scapstream-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a batch (waits while the queue is full). Throws the writer's failure, if any. */
    public void accept(MetricsBatch b) {
        RuntimeException f = failure.get();
        if (f != null) throw f;
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while queueing a write");
        }
    }

    private void loop() {
        try {
            boolean end = false;
            while (!end) {
                MetricsBatch b = queue.take();
                if (b == END) return;
                // behind? write everything queued as one transaction (later rows overwrite earlier
                // ones with the same key, as they would one by one)
                MetricsBatch next;
                while (store.coalescesWrites() && (next = queue.peek()) != null && b.rowCount() < MAX_COALESCED_ROWS) {
                    queue.poll();
                    if (next == END) {
                        end = true;
                        break;
                    }
                    b = merge(b, next);
                }
                if (failure.get() != null) continue;
                long t0 = System.nanoTime();
                try {
                    store.write(b);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    continue;
                }
                long took = System.nanoTime() - t0;
                writeNanos.addAndGet(took);
                lastWriteNanos = took;
                writesDone.incrementAndGet();
                rows.addAndGet(b.rowCount());
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final int MAX_COALESCED_ROWS = 200_000;

    private static MetricsBatch merge(MetricsBatch a, MetricsBatch b) {
        MetricsBatch m = new MetricsBatch();
        m.addAll(a);
        m.addAll(b);
        return m;
    }

    public long rowsWritten() {
        return rows.get();
    }

    public long writeNanos() {
        return writeNanos.get();
    }

    /** Store writes completed (one or more closed seconds each). */
    public long writes() {
        return writesDone.get();
    }

    /** How long the last write took, ns. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    /** Closed seconds waiting to be written. */
    public int queued() {
        return queue.size();
    }

    /** Writes what is queued, then stops. Throws the first write failure. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            queue.put(END);
            thread.join(TimeUnit.MINUTES.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RuntimeException f = failure.get();
        if (f != null) throw f;
    }
}
