package dev.scapstream.capture;

import dev.scapstream.inspect.CaptureSummary;
import dev.scapstream.inspect.Inspector;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Missing, foreign, truncated and corrupted captures: each must give one clear line naming the
 * file (or a clean partial read), never a JVM crash. The mutations run in this JVM, through the
 * native code, so a crash would kill the test run.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private static void assertOneLineNaming(String message, Path file) {
        assertNotNull(message);
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.contains(file.toString()), "names the file: " + message);
        assertFalse(message.matches(".*\\.(c|cpp), line \\d+.*"), "no source file of the libs' build: " + message);
    }

    /** How a read of a bad file ended: a clean read, a read error after some events, or an open error. */
    private record Outcome(String kind, String message, long events) {
        boolean ok() {
            return kind.equals("ok");
        }
    }

    /** A read of a bad file ends either cleanly or with a one-line error naming the file. */
    private static Outcome readExpectingCleanOutcome(Path file) {
        try {
            CaptureSummary s = Inspector.inspectFile(file, "");
            if (s.error() != null) assertOneLineNaming(s.error(), file);
            return new Outcome(s.error() == null ? "ok" : "error", s.error(), s.events());
        } catch (CaptureException e) {
            assertOneLineNaming(e.getMessage(), file);
            return new Outcome("open-error", e.getMessage(), 0);
        }
    }

    @Test
    void missingFileDirectoryAndEmptyFile() throws IOException {
        Path missing = tmp.resolve("nope.scap");
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureSource.openFile(missing, "", null));
        assertEquals(missing + ": no such file", e.getMessage());
        e = assertThrows(CaptureException.class, () -> CaptureSource.openFile(tmp, "", null));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        Path empty = Files.createFile(tmp.resolve("empty.scap"));
        e = assertThrows(CaptureException.class, () -> CaptureSource.openFile(empty, "", null));
        assertOneLineNaming(e.getMessage(), empty);
    }

    @Test
    void foreignFilesAreRejectedAsNotACapture() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.scap"), "this is not a capture\n".repeat(100));
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureSource.openFile(text, "", null));
        assertOneLineNaming(e.getMessage(), text);
        assertTrue(e.getMessage().contains("not a .scap capture"), e.getMessage());
        Path pom = TestData.repo().resolve("pom.xml");
        e = assertThrows(CaptureException.class, () -> CaptureSource.openFile(pom, "", null));
        assertTrue(e.getMessage().contains("not a .scap capture"), e.getMessage());
        Path gzText = Files.write(tmp.resolve("text.scap.gz"), TestData.gzip("hello world, not scap".repeat(50).getBytes()));
        e = assertThrows(CaptureException.class, () -> CaptureSource.openFile(gzText, "", null));
        assertOneLineNaming(e.getMessage(), gzText);
    }

    @Test
    void badFilterGivesLibsinspsMessage() {
        Path trace = smallestTrace();
        CaptureException e = assertThrows(CaptureException.class,
                () -> CaptureSource.openFile(trace, "proc.name === bash and (", null));
        assertTrue(e.getMessage().startsWith("bad filter 'proc.name === bash and ('"), e.getMessage());
        e = assertThrows(CaptureException.class, () -> CaptureSource.openFile(trace, "no.such.field=1", null));
        assertTrue(e.getMessage().startsWith("bad filter"), e.getMessage());
    }

    @Test
    void filterSelectsEvents() {
        Path trace = smallestTrace();
        long all = Inspector.inspectFile(trace, "").events();
        CaptureSummary switches = Inspector.inspectFile(trace, "evt.type=switch");
        assertTrue(switches.events() > 0 && switches.events() < all, switches.events() + " of " + all);
        assertEquals(switches.events(), switches.eventTypes().getOrDefault("switch", 0L));
    }

    static Path smallestTrace() {
        List<Path> own = TestData.tracesWithTruth(TestData.fixtures());
        assertFalse(own.isEmpty(), "the project's fixtures are missing from " + TestData.fixtures());
        return own.get(0);
    }

    /** Writes a variant, reads it, deletes it. */
    private Outcome variant(String name, byte[] bytes) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, bytes);
        try {
            return readExpectingCleanOutcome(f);
        } finally {
            Files.delete(f);
        }
    }

    @Test
    void mutatedCapturesEndCleanlyEachAsItsKindMust() throws IOException {
        Path trace = smallestTrace();
        byte[] raw = TestData.rawCapture(trace);
        long whole = Inspector.inspectFile(trace, "").events();
        Random r = new Random(20261122);

        // 1) cut short at a random point, raw and gzipped (a gzip cut short is a common real case):
        // what was read before the cut is kept, never more than the whole file has, and a cut
        // reads as a truncated or corrupt capture unless it falls between two blocks
        List<Outcome> cuts = new ArrayList<>();
        for (int i = 0; i < 340; i++) {
            byte[] v = java.util.Arrays.copyOf(raw, 1 + r.nextInt(raw.length - 1));
            Outcome o = variant("trunc" + i + (i % 2 == 0 ? ".scap" : ".scap.gz"), i % 2 == 0 ? v : TestData.gzip(v));
            assertTrue(o.events() < whole, "a cut file yields fewer events than the whole: " + o);
            if (!o.ok()) {
                assertTrue(o.message().contains("truncated") || o.message().contains("corrupt")
                        || o.message().contains("not a .scap"), "a cut reads as truncated or corrupt: " + o);
            }
            cuts.add(o);
        }
        long cleanCuts = cuts.stream().filter(Outcome::ok).count();
        assertTrue(cleanCuts <= cuts.size() / 10, "cuts that read clean fall between blocks: " + cleanCuts + " of 340");

        // 2) random bytes flipped anywhere: a clean read, or the one line, never a crash; a flip in
        // an event's payload can leave the read whole
        int flipErrors = 0;
        for (int i = 0; i < 340; i++) {
            byte[] v = raw.clone();
            int flips = 1 + r.nextInt(32);
            for (int k = 0; k < flips; k++) v[r.nextInt(v.length)] = (byte) r.nextInt(256);
            if (!variant("flip" + i + ".scap", v).ok()) flipErrors++;
        }

        // 3) the first 64 KiB (headers, thread and fd tables) damaged: lengths, counts, magic; a
        // damaged magic is refused at open as not a capture
        int headerErrors = 0;
        for (int i = 0; i < 240; i++) {
            byte[] v = raw.clone();
            int span = Math.min(v.length, 65536);
            int at = i == 0 ? 0 : r.nextInt(span - 4) & ~3;
            int word = r.nextInt(4);
            int value = word == 0 ? 0 : word == 1 ? -1 : word == 2 ? r.nextInt() : 0x7fffffff;
            v[at] = (byte) value;
            v[at + 1] = (byte) (value >> 8);
            v[at + 2] = (byte) (value >> 16);
            v[at + 3] = (byte) (value >> 24);
            Outcome o = variant("hdr" + i + ".scap", v);
            if (i == 0) assertEquals("open-error", o.kind(), "a damaged section header magic: " + o);
            if (!o.ok()) headerErrors++;
        }

        // 4) garbage after a valid prefix, and damaged gzip streams: never read as a clean whole
        // file with more events than the original
        int tailErrors = 0;
        for (int i = 0; i < 80; i++) {
            int keep = r.nextInt(raw.length);
            byte[] v = java.util.Arrays.copyOf(raw, keep + 4096);
            for (int k = keep; k < v.length; k++) v[k] = (byte) r.nextInt(256);
            byte[] gz = TestData.gzip(v);
            if (i % 2 == 1) gz[10 + r.nextInt(gz.length - 10)] ^= (byte) 0x5a;
            Outcome o = variant("tail" + i + ".scap.gz", gz);
            assertTrue(o.events() <= whole, "garbage adds no events: " + o);
            if (!o.ok()) tailErrors++;
        }
        assertTrue(tailErrors >= 40, "random garbage after a prefix is noticed in most tails: " + tailErrors + " of 80");
        System.out.printf("mutated captures: cuts %d clean / %d errors; flips %d errors of 340; header %d errors of 240; "
                + "tails %d errors of 80; 0 crashes%n", cleanCuts, 340 - cleanCuts, flipErrors, headerErrors, tailErrors);
    }
}
