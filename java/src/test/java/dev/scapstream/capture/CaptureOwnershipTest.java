package dev.scapstream.capture;

import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * libsinsp is single-threaded: only the thread that opened a capture may call into the shim for
 * it. Any other thread is refused before the native call, and reads the owner's stats snapshot.
 */
class CaptureOwnershipTest {
    private static Throwable onAnotherThread(Runnable r) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "not-the-owner");
        t.start();
        t.join();
        return thrown.get();
    }

    @Test
    void anotherThreadsNativeCallsAreRefusedAndItsStatsComeFromTheOwnersSnapshot() throws Exception {
        try (CaptureSource source = CaptureSource.openFile(TestData.fixtures().resolve("basic.scap.gz"), "", null)) {
            Batch batch = new Batch();
            for (Runnable call : new Runnable[] {() -> source.next(batch, 10), source::start, source::stop,
                    source::refreshStats, source::close}) {
                Throwable e = onAnotherThread(call);
                assertInstanceOf(IllegalStateException.class, e);
                assertTrue(e.getMessage().contains("owned by thread '" + Thread.currentThread().getName() + "'")
                        && e.getMessage().contains("'not-the-owner'"), e.getMessage());
            }
            long events = 0;
            boolean more = true;
            while (more) {
                more = source.next(batch, 10);
                events += batch.events();
            }
            Map<String, Long> own = source.stats();
            AtomicReference<Map<String, Long>> seen = new AtomicReference<>();
            assertNull(onAnotherThread(() -> seen.set(source.stats())));
            assertEquals(own, seen.get(), "another thread reads the snapshot the owner published last");
            assertEquals(events, own.get("events_seen"), "the snapshot is the one after the last batch");
            assertTrue(own.containsKey("machine_cpus"), "the CPU count is among the counters: " + own);
        }
    }
}
