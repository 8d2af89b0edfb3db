package dev.scapstream.capture;

import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ring hands every batch to every consumer, however fast the file is read: a short capture can
 * be read completely before a consumer's thread is first scheduled, and the pipeline must still
 * wait for it (Disruptor's own shutdown counts only consumers already running).
 */
class CapturePipelineTest {

    /** Counts events and sums their timestamps: what a consumer saw, to compare with a direct read. */
    private static final class Tally implements CapturePipeline.Consumer {
        final Dictionaries dictionaries = new Dictionaries();
        long events, tsSum;

        @Override
        public void onEvent(EventView event, Dictionaries d) {
            events++;
            tsSum += event.ts();
        }

        @Override
        public Dictionaries dictionaries() {
            return dictionaries;
        }
    }

    /** The same tally, read on the calling thread without the ring. */
    private static Tally readDirectly(Path trace) {
        Tally t = new Tally();
        BatchDecoder decoder = new BatchDecoder(t.dictionaries);
        Batch batch = new Batch(CapturePipeline.DEFAULT_BATCH_BYTES);
        try (CaptureSource source = CaptureSource.openFile(trace, "", null)) {
            boolean more = true;
            while (more) {
                more = source.next(batch, 100);
                decoder.decode(batch.buffer(), batch.used(), t);
            }
        }
        return t;
    }

    @Test
    void everyConsumerSeesEveryEventOfAShortFileEveryTime(@TempDir Path dir) {
        // a capture of a few hundred events, read in well under a millisecond: where the race was
        // widest (it lost every batch of such a file about every other run)
        Path trace = dir.resolve("short.scap");
        try (CaptureSource source = CaptureSource.openFile(TestData.fixtures().resolve("basic.scap.gz"), "evt.num < 300", trace)) {
            new CapturePipeline(source, List.of(new Tally())).run(100);
        }
        Tally expected = readDirectly(trace);
        int runs = 150;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Tally a = new Tally(), b = new Tally();
            try (CaptureSource source = CaptureSource.openFile(trace, "", null)) {
                new CapturePipeline(source, List.of(a, b), 4, 128 << 10).run(100);
            }
            if (a.events != expected.events || b.events != expected.events || a.tsSum != expected.tsSum || b.tsSum != expected.tsSum) {
                wrong.add("run " + i + ": " + a.events + " and " + b.events + " events");
            }
        }
        assertTrue(expected.events > 100, "records in the short capture: " + expected.events);
        assertEquals(List.of(), wrong, "expected " + expected.events + " events in every run");
    }
}
