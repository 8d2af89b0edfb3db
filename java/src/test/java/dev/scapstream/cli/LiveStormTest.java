package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.LiveProbe;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Live under a syscall storm (`dd bs=1`, two syscalls per byte): libsinsp's plain next() loop and
 * the whole `scapstream live` pipeline take the same storm in turn with the same open settings and a
 * small per-CPU buffer, so that the kernel side can drop. The drops must be counted (libscap's
 * counters, reported in the summary and, second by second, in the agent rows of the store), and
 * the Java side must add none beyond what the raw loop drops at the same rate.
 */
@Tag("live")
class LiveStormTest {
    private static final int SECONDS = 8;
    private static final int BUFFER_MB = 1;

    @TempDir
    Path tmp;

    @Test
    void stormDropsAreCountedAndTheJavaSideAddsNoneBeyondRawLibscap() throws Exception {
        LiveProbe.requireModernBpf();
        Path rawbench = TestData.repo().resolve("target/native/scapstream-rawbench");
        assertTrue(Files.isExecutable(rawbench), rawbench + " (built by the native build)");
        List<Process> storm = new ArrayList<>();
        try {
            storm.add(new ProcessBuilder("dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000000000", "status=none")
                    .start());
            Thread.sleep(1000);

            // (a) the raw loop: libsinsp's next() and nothing else
            Process raw = new ProcessBuilder(rawbench.toString(), "--live-raw", Integer.toString(SECONDS),
                    Integer.toString(BUFFER_MB)).redirectErrorStream(true).start();
            String rawOut = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(raw.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, raw.exitValue(), rawOut);
            Map<String, Long> rawStats = stats(rawOut);
            long rawEvents = rawStats.get("n_evts"), rawDrops = rawStats.get("n_drops");

            // (b) the whole pipeline, into SQLite, with the same open settings
            Path db = tmp.resolve("storm.db");
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = Main.run(new String[] {"live", "--duration", Integer.toString(SECONDS), "--buffer-mb",
                    Integer.toString(BUFFER_MB), "--db", db.toString(), "--host", "storm", "--json"},
                    new PrintWriter(out), new PrintWriter(err));
            assertEquals(0, code, err.toString());
            JsonNode summary = new ObjectMapper().readTree(out.toString());
            long liveDrops = summary.get("drops").asLong();
            long liveEvents = summary.get("events").asLong();
            long rowDrops;
            try (SqliteStore store = SqliteStore.open(db)) {
                rowDrops = store.agent("storm", 0, Long.MAX_VALUE, 1).stream().mapToLong(Rows.AgentRow::drops).sum();
            }

            double rawFraction = rawDrops / (double) Math.max(1, rawEvents + rawDrops);
            double liveFraction = liveDrops / (double) Math.max(1, liveEvents + liveDrops);
            System.out.printf("storm (%d s, %d MiB per CPU): raw loop %,d events/s, %,d drops (%.3f %%); "
                            + "scapstream live %,d events/s, %,d drops (%.3f %%)%n", SECONDS, BUFFER_MB,
                    (rawEvents + rawDrops) / SECONDS, rawDrops, 100 * rawFraction,
                    (liveEvents + liveDrops) / SECONDS, liveDrops, 100 * liveFraction);

            assertTrue(rawEvents > 200_000L * SECONDS, "the storm is a storm: " + rawEvents + " events in " + SECONDS + " s");
            assertTrue(liveEvents > 200_000L * SECONDS, "live saw the storm: " + liveEvents);
            // counted and reported: the summary's drops are the sum of the per-second agent rows
            assertEquals(liveDrops, rowDrops, "drops in the summary = drops in the store's agent rows");
            // the Java side adds none: live drops no larger a share than the raw loop at the same rate
            // (half a percentage point of slack for run-to-run noise on a shared 2-core machine)
            assertTrue(liveFraction <= rawFraction + 0.005,
                    String.format("live dropped %.3f %% of the storm, the raw loop %.3f %%", 100 * liveFraction,
                            100 * rawFraction));
        } finally {
            for (Process p : storm) p.destroyForcibly().waitFor();
        }
    }

    private static Map<String, Long> stats(String text) {
        Map<String, Long> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] kv = line.trim().split(" ");
            if (kv.length == 2 && kv[1].matches("-?[0-9]+")) m.put(kv[0], Long.parseLong(kv[1]));
        }
        assertTrue(m.containsKey("n_evts") && m.containsKey("n_drops"), "libscap counters in: " + text);
        return m;
    }
}
