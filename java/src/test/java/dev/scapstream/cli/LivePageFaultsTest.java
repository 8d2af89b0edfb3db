package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.Loadgen;
import dev.scapstream.testsupport.LiveProbe;
import dev.scapstream.testsupport.WatchedWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** `live --page-faults`: a process's faults are its page fault events, against its own getrusage. */
@Tag("live")
class LivePageFaultsTest {
    @TempDir
    Path tmp;

    @Test
    void faultsOfAProcessTouchingFreshMemoryAreItsRusageFaults() throws Exception {
        LiveProbe.requireModernBpf();
        Loadgen.binary();
        WatchedWriter err = new WatchedWriter("capturing");
        AtomicReference<JsonNode> truth = new AtomicReference<>();
        Thread workload = new Thread(() -> {
            try {
                if (err.seen.await(60, TimeUnit.SECONDS)) truth.set(Loadgen.start("faults", null, "faults", 64).truth());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        workload.start();
        Path db = tmp.resolve("faults.db");
        int code = Main.run(new String[] {"live", "--duration", "6", "--page-faults", "--db", db.toString(), "--host", "pf",
                "proc.name=loadgen or evt.type in (clone, clone3, execve, procexit, switch)"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        workload.join(30_000);
        assertEquals(0, code, err.toString());
        JsonNode t = truth.get();
        assertNotNull(t, "the workload ran: " + err);
        try (SqliteStore store = SqliteStore.open(db)) {
            long faults = store.processSeries("pf", "host", 0, Long.MAX_VALUE, 1).stream()
                    .filter(r -> r.pid() == t.get("pid").asLong()).mapToLong(r -> r.minorFaults() + r.majorFaults()).sum();
            long expected = t.get("total_minor_faults").asLong() + t.get("major_faults").asLong();
            // its rusage is read right after the touch; the few faults of printing and exiting follow
            assertTrue(faults >= t.get("minor_faults").asLong() && Math.abs(faults - expected) <= expected / 100,
                    "page faults " + faults + " vs getrusage " + expected + " (" + t + ")");
        }
    }
}
