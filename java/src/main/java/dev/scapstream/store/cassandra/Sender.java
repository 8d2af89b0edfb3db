package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One round of async sends, holding a slot of the store's in-flight limit per request, and
 * {@link #await} for all of them. Used by the thread that writes a second (the store writer or the
 * drainer); completions release their slot on the driver's threads.
 */
final class Sender {
    private final CqlSession session;
    private final Semaphore inFlight;
    private final long timeoutMs;
    private final List<CompletionStage<AsyncResultSet>> pending = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Sender(CqlSession session, Semaphore inFlight, Duration requestTimeout) {
        this.session = session;
        this.inFlight = inFlight;
        this.timeoutMs = requestTimeout.toMillis();
    }

    void send(Statement<?> s) {
        if (failure.get() != null) return; // the second is failing: it is retried whole
        try {
            if (!inFlight.tryAcquire(timeoutMs * 2, TimeUnit.MILLISECONDS)) {
                failure.compareAndSet(null, new DriverTimeoutException("no free request slot"));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
            return;
        }
        CompletionStage<AsyncResultSet> f;
        try {
            f = session.executeAsync(s);
        } catch (RuntimeException e) {
            inFlight.release();
            failure.compareAndSet(null, e);
            return;
        }
        pending.add(f.whenComplete((r, e) -> {
            inFlight.release();
            if (e != null) failure.compareAndSet(null, e);
        }));
    }

    /** Waits for every request sent; returns the first failure, or null when all were acknowledged. */
    Throwable await() {
        for (CompletionStage<AsyncResultSet> f : pending) {
            try {
                f.toCompletableFuture().get(timeoutMs * 4, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                failure.compareAndSet(null, e instanceof ExecutionException ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
        }
        return failure.get();
    }
}
