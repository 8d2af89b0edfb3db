package dev.scapstream.cli;

import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.RecordSpec;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A recording that fills its disk (a 2 MB tmpfs): the run ends with one line naming the write
 * failure, the metrics computed up to it are stored, every rotated file reads whole, and the
 * last one reads up to its last whole event.
 */
class RecordingDiskFullTest {
    @TempDir
    Path tmp;
    private Path mount;

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }

    private void mountSmallDisk() throws Exception {
        Path m = Files.createDirectories(tmp.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", m.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(ok, "a small disk needs mount -t tmpfs (root, CAP_SYS_ADMIN): " + out);
        mount = m;
    }

    @Test
    void aFullDiskEndsTheRunWithOneLineAndKeepsWhatWasWritten() throws Exception {
        mountSmallDisk();
        Path dir = mount.resolve("rec");
        Path db = tmp.resolve("s.db");
        StringWriter err = new StringWriter();
        MetricsRun.Result r;
        try (SqliteStore s = SqliteStore.open(db);
             CaptureSource source = CaptureSource.openFile(TestData.fixtures().resolve("demo.scap.gz"), "", null)) {
            // 600 kB files: three fit, the fourth meets the end of the disk
            source.record(new RecordSpec(dir + "/", 600_000, 0, 0, 0, false));
            r = MetricsRun.run(source, s, "h", 0, null, false, new PrintWriter(err), null, null);
        }
        assertNotNull(r.error(), "the write failure ends the run");
        assertEquals(1, r.error().lines().count(), r.error());
        assertTrue(r.error().startsWith("cannot write the recording") && r.error().contains("No space left on device"),
                r.error());
        assertTrue(r.events() > 1000, "events read before the disk filled: " + r.events());
        try (SqliteStore s = SqliteStore.open(db)) {
            assertFalse(s.agent("h", 0, Long.MAX_VALUE, 1).isEmpty(), "the seconds closed before the failure are stored");
            assertFalse(s.recordings("h", 0, Long.MAX_VALUE).isEmpty(), "and the index of the files written");
        }
        List<Path> parts;
        try (Stream<Path> s = Files.list(dir)) {
            parts = s.filter(p -> p.toString().endsWith(".scap")).sorted().toList();
        }
        assertTrue(parts.size() >= 2, parts.toString());
        for (int i = 0; i < parts.size() - 1; i++) {
            CliTest.Result e = EventsCommandTest.events("-r", parts.get(i).toString(), "-p", "%evt.num");
            assertEquals(0, e.code(), parts.get(i) + " was closed by rotation and reads whole: " + e.err());
            assertTrue(e.out().lines().count() > 100, parts.get(i).toString());
        }
        Path last = parts.get(parts.size() - 1);
        CliTest.Result e = EventsCommandTest.events("-r", last.toString(), "-p", "%evt.num");
        if (e.code() != 0) {
            assertEquals(1, e.err().strip().lines().count(), e.err());
            assertTrue(e.err().contains("truncated"), e.err());
        }
        assertTrue(e.out().lines().count() > 0 || Files.size(last) < 10_000, "the last file's whole events: " + e.err());
    }
}
