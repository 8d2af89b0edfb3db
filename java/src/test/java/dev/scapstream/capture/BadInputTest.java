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
    }

    /** A read of a bad file ends either cleanly or with a one-line error naming the file. */
    private static String readExpectingCleanOutcome(Path file) {
        try {
            CaptureSummary s = Inspector.inspectFile(file, "");
            if (s.error() != null) assertOneLineNaming(s.error(), file);
            return s.error() == null ? "ok" : "error";
        } catch (CaptureException e) {
            assertOneLineNaming(e.getMessage(), file);
            return "open-error";
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

    @Test
    void aThousandMutatedCapturesNeverCrash() throws IOException {
        byte[] raw = TestData.rawCapture(smallestTrace());
        Random r = new Random(20261122);
        List<String> outcomes = new ArrayList<>();
        int variants = 0;
        // 1) truncations at random points, raw and gzipped (a gzip cut short is a common real case)
        for (int i = 0; i < 340; i++) {
            int cut = 1 + r.nextInt(raw.length - 1);
            byte[] v = java.util.Arrays.copyOf(raw, cut);
            Path f = tmp.resolve("trunc" + i + (i % 2 == 0 ? ".scap" : ".scap.gz"));
            Files.write(f, i % 2 == 0 ? v : TestData.gzip(v));
            outcomes.add(readExpectingCleanOutcome(f));
            Files.delete(f);
            variants++;
        }
        // 2) random byte flips anywhere
        for (int i = 0; i < 340; i++) {
            byte[] v = raw.clone();
            int flips = 1 + r.nextInt(32);
            for (int k = 0; k < flips; k++) v[r.nextInt(v.length)] = (byte) r.nextInt(256);
            Path f = tmp.resolve("flip" + i + ".scap");
            Files.write(f, v);
            outcomes.add(readExpectingCleanOutcome(f));
            Files.delete(f);
            variants++;
        }
        // 3) the first 64 KiB (headers, thread and fd tables) damaged: lengths, counts, magic
        for (int i = 0; i < 240; i++) {
            byte[] v = raw.clone();
            int span = Math.min(v.length, 65536);
            int at = r.nextInt(span - 4) & ~3;
            int word = r.nextInt(4);
            int value = word == 0 ? 0 : word == 1 ? -1 : word == 2 ? r.nextInt() : 0x7fffffff;
            v[at] = (byte) value;
            v[at + 1] = (byte) (value >> 8);
            v[at + 2] = (byte) (value >> 16);
            v[at + 3] = (byte) (value >> 24);
            Path f = tmp.resolve("hdr" + i + ".scap");
            Files.write(f, v);
            outcomes.add(readExpectingCleanOutcome(f));
            Files.delete(f);
            variants++;
        }
        // 4) garbage after a valid prefix, and damaged gzip streams
        for (int i = 0; i < 80; i++) {
            int keep = r.nextInt(raw.length);
            byte[] v = java.util.Arrays.copyOf(raw, keep + 4096);
            for (int k = keep; k < v.length; k++) v[k] = (byte) r.nextInt(256);
            byte[] gz = TestData.gzip(v);
            if (i % 2 == 1) gz[10 + r.nextInt(gz.length - 10)] ^= (byte) 0x5a;
            Path f = tmp.resolve("tail" + i + ".scap.gz");
            Files.write(f, gz);
            outcomes.add(readExpectingCleanOutcome(f));
            Files.delete(f);
            variants++;
        }
        assertEquals(1000, variants);
        long errors = outcomes.stream().filter(o -> !o.equals("ok")).count();
        System.out.printf("mutated captures: %d variants, %d clean reads, %d one-line errors, 0 crashes%n",
                variants, variants - errors, errors);
        assertTrue(errors >= 340, "truncations must be reported: " + errors);
    }
}
