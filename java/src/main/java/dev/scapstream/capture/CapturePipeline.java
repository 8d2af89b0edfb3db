package dev.scapstream.capture;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The capture thread and its consumers, joined by an LMAX Disruptor ring of batches.
 *
 * <p>Thread ownership: the thread that calls {@link #run} is the capture thread; it alone touches
 * the {@link CaptureSource}, and the shim writes each batch straight into a ring slot's native
 * memory (no copy). Every consumer runs on its own thread, sees every batch in order and owns its
 * own {@link BatchDecoder} and {@link Dictionaries}, so nothing on the event path is shared or
 * locked. A slot is reused only after every consumer has finished with it.
 */
public final class CapturePipeline {
    /** A ring slot: one batch of records. */
    public static final class Slot {
        final Batch batch;

        Slot(int batchBytes) {
            batch = new Batch(batchBytes);
        }
    }

    /** One consumer: its decoder, fed every batch, and the handler that receives the events. */
    public interface Consumer extends dev.scapstream.capture.EventHandler {
        /** Called on the consumer's thread for each event. */
        @Override
        void onEvent(EventView event, Dictionaries dictionaries);

        /** Called on the consumer's thread after each batch (e.g. to close finished seconds). */
        default void onBatchEnd(Dictionaries dictionaries) {}

        /** The dictionaries this consumer decodes into (created once, owned by its thread). */
        Dictionaries dictionaries();
    }

    public static final int DEFAULT_RING_SLOTS = 16;
    public static final int DEFAULT_BATCH_BYTES = 256 << 10;

    private final CaptureSource source;
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    private final AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
    private volatile boolean stopRequested;
    private volatile long events; // written by the capture thread once per batch

    public CapturePipeline(CaptureSource source, List<? extends Consumer> consumers) {
        this(source, consumers, DEFAULT_RING_SLOTS, DEFAULT_BATCH_BYTES);
    }

    @SuppressWarnings("unchecked")
    public CapturePipeline(CaptureSource source, List<? extends Consumer> consumers, int ringSlots, int batchBytes) {
        this.source = source;
        disruptor = new Disruptor<>(() -> new Slot(batchBytes), ringSlots, DaemonThreadFactory.INSTANCE,
                ProducerType.SINGLE, new BlockingWaitStrategy());
        EventHandler<Slot>[] handlers = new EventHandler[consumers.size()];
        for (int i = 0; i < handlers.length; i++) handlers[i] = new Handler(consumers.get(i));
        disruptor.handleEventsWith(handlers);
        ring = disruptor.getRingBuffer();
    }

    private final class Handler implements EventHandler<Slot> {
        private final Consumer consumer;
        private final BatchDecoder decoder;
        private final com.lmax.disruptor.EventHandler<Slot> self = this;

        Handler(Consumer consumer) {
            this.consumer = consumer;
            this.decoder = new BatchDecoder(consumer.dictionaries());
        }

        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
            if (consumerFailure.get() != null) return;
            try {
                decoder.decode(slot.batch.buffer(), slot.batch.used(), consumer);
                consumer.onBatchEnd(consumer.dictionaries());
            } catch (Throwable t) {
                consumerFailure.compareAndSet(null, t);
            }
        }
    }

    /**
     * Runs the capture loop on the calling thread until the source ends (a file) or {@link #stop}
     * is called (live), then waits for the consumers to finish every batch. A read error is thrown
     * after the batches read before it have been consumed.
     */
    public long run(int maxWaitMs) {
        disruptor.start();
        RuntimeException readError = null;
        try {
            boolean more = true;
            while (more && !stopRequested && consumerFailure.get() == null) {
                long seq = ring.next();
                Slot slot = ring.get(seq);
                try {
                    more = source.next(slot.batch, maxWaitMs);
                } catch (RuntimeException e) {
                    slot.batch.used = 0;
                    slot.batch.events = 0;
                    readError = e;
                    more = false;
                } finally {
                    events += slot.batch.events();
                    ring.publish(seq);
                }
            }
            if (stopRequested && source.isLive()) {
                source.stop();
                drainAfterStop();
            }
            source.refreshStats(); // the final counters, for the consumers' last seconds
        } finally {
            awaitConsumed();
            disruptor.halt();
        }
        Throwable failure = consumerFailure.get();
        if (failure != null) {
            if (failure instanceof RuntimeException re) throw re;
            throw new IllegalStateException(failure);
        }
        if (readError != null) throw readError;
        return events;
    }

    /**
     * Waits until every consumer has finished every published batch. Not Disruptor.shutdown():
     * it counts only consumers whose thread is already running, so a short file read before a
     * consumer thread was first scheduled would be halted unconsumed. The gating sequences are
     * registered before start and so cover consumers that have not begun yet.
     */
    private void awaitConsumed() {
        long cursor = ring.getCursor();
        while (ring.getMinimumGatingSequence() < cursor) LockSupport.parkNanos(50_000);
    }

    /** After a live stop: what the probe had already delivered is still read. */
    private void drainAfterStop() {
        for (int i = 0; i < 50; i++) {
            long seq = ring.next();
            Slot slot = ring.get(seq);
            boolean more;
            try {
                more = source.next(slot.batch, 20);
            } finally {
                events += slot.batch.events();
                ring.publish(seq);
            }
            if (!more || slot.batch.events() == 0) return;
        }
    }

    /** Asks the capture loop to end (any thread). */
    public void stop() {
        stopRequested = true;
    }

    /** Events read by the capture thread so far (any thread). */
    public long events() {
        return events;
    }

    /** Batches published but not yet consumed by every consumer, as a fraction of the ring (any thread). */
    public double ringFill() {
        long backlog = ring.getCursor() - ring.getMinimumGatingSequence();
        return Math.max(0, Math.min(1.0, backlog / (double) ring.getBufferSize()));
    }
}
