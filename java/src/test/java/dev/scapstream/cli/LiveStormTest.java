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
 * Live under a syscall storm (`dd bs=1`, two syscalls per byte). First, side
 * by side with the shipped settings (8 MiB per CPU): libsinsp's plain next() loop and the whole
 * `scapstream live` pipeline (shim, ring, aggregation, SQLite) take the same storm in turn, and
 * the Java side must drop no larger a share of it than the raw loop. Then, with 1 MiB per CPU, the
 * kernel side must drop, and those drops must be counted: libscap's counters in the summary, the
 * same number second by second in the store's agent rows, with their reason.
 */
@Tag("live")
class LiveStormTest {
    private static final int SECONDS = 8;
    // one `dd bs=1`, as the issue has it: with two, both cores belong to the storm, and whether the
    // agent's own threads (aggregator, writer) then delay the capture thread past its buffer depends
    // on whatever else the machine runs (seen: 0 % in one suite run, 0.3 % in another, next to the
    // suite's Cassandra node)
    private static final int STORMS = 1;

    @TempDir
    Path tmp;

    private String lastDropsPerSecond = "";

    record Run(long events, long drops) {
        double dropFraction() {
            return drops / (double) Math.max(1, events + drops);
        }

        long perSecond() {
            return (events + drops) / SECONDS;
        }
    }

    @Test
    void stormDropsAreCountedAndTheJavaSideAddsNoneBeyondRawLibscap() throws Exception {
        LiveProbe.requireModernBpf();
        Path rawbench = TestData.repo().resolve("target/native/scapstream-rawbench");
        assertTrue(Files.isExecutable(rawbench), rawbench + " (built by the native build)");
        List<Process> storm = new ArrayList<>();
        try {
            for (int i = 0; i < STORMS; i++) {
                storm.add(new ProcessBuilder("dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000000000",
                        "status=none").start());
            }
            Thread.sleep(1000);

            Run raw = raw(rawbench, 8);
            long[] agentDrops = new long[2];
            Run live = live(8, "default", agentDrops);
            System.out.printf("storm (%d x dd bs=1, %d s, 8 MiB per CPU): raw loop %,d events/s, %,d drops (%.3f %%); "
                            + "scapstream live %,d events/s, %,d drops (%.3f %%)%n", STORMS, SECONDS, raw.perSecond(),
                    raw.drops(), 100 * raw.dropFraction(), live.perSecond(), live.drops(), 100 * live.dropFraction());
            assertTrue(raw.events() > 200_000L * SECONDS, "the storm is a storm: " + raw);
            assertTrue(live.events() > 200_000L * SECONDS, "live saw the storm: " + live);
            assertEquals(live.drops(), agentDrops[0], "drops in the summary = drops in the store's agent rows");
            // the Java side adds none (a tenth of a percentage point of slack for run-to-run noise)
            assertTrue(live.dropFraction() <= raw.dropFraction() + 0.001,
                    String.format("live dropped %.3f %% of the storm (per second: %s), the raw loop %.3f %%",
                            100 * live.dropFraction(), lastDropsPerSecond, 100 * raw.dropFraction()));

            // a buffer too small for the storm: the kernel drops, and every drop is counted
            Run small = live(1, "small", agentDrops);
            Run smallRaw = raw(rawbench, 1);
            System.out.printf("storm at 1 MiB per CPU: scapstream live %,d events/s, %,d drops (%.3f %%); raw loop %,d "
                            + "events/s, %,d drops (%.3f %%)%n", small.perSecond(), small.drops(),
                    100 * small.dropFraction(), smallRaw.perSecond(), smallRaw.drops(), 100 * smallRaw.dropFraction());
            assertTrue(small.drops() > 0, "1 MiB per CPU under " + STORMS + " storms must drop: " + small);
            assertEquals(small.drops(), agentDrops[0], "drops in the summary = drops in the store's agent rows");
            assertEquals(small.drops(), agentDrops[1], "every drop has its reason: a full ring buffer");
        } finally {
            for (Process p : storm) p.destroyForcibly().waitFor();
        }
    }

    /** (a) libsinsp's next() and nothing else, with the live command's open settings. */
    private static Run raw(Path rawbench, int bufferMb) throws Exception {
        Process raw = new ProcessBuilder(rawbench.toString(), "--live-raw", Integer.toString(SECONDS),
                Integer.toString(bufferMb)).redirectErrorStream(true).start();
        String out = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(raw.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, raw.exitValue(), out);
        Map<String, Long> stats = stats(out);
        return new Run(stats.get("n_evts"), stats.get("n_drops"));
    }

    /** (b) the whole pipeline into SQLite; agentDrops receives {drops, buffer drops} summed over the agent rows. */
    private Run live(int bufferMb, String name, long[] agentDrops) throws Exception {
        Path db = tmp.resolve(name + ".db");
        // its own JVM, with the launcher's settings (./scapstream: SerialGC, 16 MB initial heap), as users run it
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-Xms16m", "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "live", "--duration",
                Integer.toString(SECONDS), "--buffer-mb", Integer.toString(bufferMb), "--db", db.toString(), "--host",
                "storm", "--json").redirectError(tmp.resolve(name + ".err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve(name + ".err")));
        JsonNode summary = new ObjectMapper().readTree(out);
        try (SqliteStore store = SqliteStore.open(db)) {
            List<Rows.AgentRow> rows = store.agent("storm", 0, Long.MAX_VALUE, 1);
            agentDrops[0] = rows.stream().mapToLong(Rows.AgentRow::drops).sum();
            lastDropsPerSecond = rows.stream().map(r -> Long.toString(r.drops())).toList().toString();
            agentDrops[1] = rows.stream().mapToLong(Rows.AgentRow::dropsBuffer).sum();
        }
        return new Run(summary.get("events").asLong(), summary.get("drops").asLong());
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
