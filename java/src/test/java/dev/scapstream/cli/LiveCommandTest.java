package dev.scapstream.cli;

import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** `scapstream live`: the same pipeline as replay, fed by the modern eBPF probe, flushing every second. */
@Tag("live")
class LiveCommandTest {
    @TempDir
    Path tmp;

    @Test
    void liveWritesEverySecondIncludingAKnownFileWrite() throws Exception {
        dev.scapstream.testsupport.LiveProbe.requireModernBpf();
        Path db = tmp.resolve("live.db");
        Path out = tmp.resolve("live-written.bin");
        // the workload starts once the command says it is capturing (loading the probe takes seconds)
        dev.scapstream.testsupport.WatchedWriter err = new dev.scapstream.testsupport.WatchedWriter("capturing");
        java.util.concurrent.CountDownLatch capturing = err.seen;
        dev.scapstream.testsupport.WatchedWriter errText = err;
        Thread workload = new Thread(() -> {
            try {
                if (!capturing.await(60, java.util.concurrent.TimeUnit.SECONDS)) return;
                new ProcessBuilder("dd", "if=/dev/zero", "of=" + out, "bs=4096", "count=100", "status=none")
                        .inheritIO().start().waitFor();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        workload.start();
        java.io.StringWriter stdout = new java.io.StringWriter();
        int code = Main.run(new String[] {"live", "--duration", "4", "--db", db.toString(), "--host", "live-test",
                "proc.name=dd or evt.type=switch"}, new java.io.PrintWriter(stdout), new java.io.PrintWriter(err));
        CliTest.Result r = new CliTest.Result(code, stdout.toString(), errText.toString());
        workload.join();
        assertEquals(0, r.code(), r.err());
        assertEquals(409600, Files.size(out));
        try (SqliteStore store = SqliteStore.open(db)) {
            List<Rows.AgentRow> seconds = store.agent("live-test", 0, Long.MAX_VALUE, 1);
            assertTrue(seconds.size() >= 3, "one agent row per second: " + seconds.size());
            long written = store.files("live-test", "host", 0, Long.MAX_VALUE, 1).stream()
                    .filter(f -> f.file().equals(out.toString())).mapToLong(Rows.FileRow::bytesOut).sum();
            assertEquals(409600, written, "the dd's bytes, exactly, in the per-second file rows");
        }
    }
}
