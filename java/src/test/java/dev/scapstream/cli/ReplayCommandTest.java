package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** `scapstream replay` end to end: the summary, what lands in SQLite, rollups, errors. */
class ReplayCommandTest {
    @TempDir
    Path tmp;

    private static Path fixture() {
        return TestData.fixtures().resolve("basic.scap.gz");
    }

    /** The bundled recordings with a sidecar: the fixture and the demo. */
    static List<Path> fixtures() {
        return TestData.tracesWithTruth(TestData.fixtures());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void jsonSummaryIsIdenticalOnEveryRunAndMatchesTheSidecar(Path trace) throws Exception {
        CliTest.Result a = CliTest.run("replay", "--json", "--db", tmp.resolve("a.db").toString(), trace.toString());
        CliTest.Result b = CliTest.run("replay", "--json", "--db", tmp.resolve("b.db").toString(), trace.toString());
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out(), "replaying the same file twice prints the same summary");
        JsonNode s = new ObjectMapper().readTree(a.out());
        JsonNode truth = TestData.readTruth(trace);
        for (JsonNode w : truth.path("workloads")) {
            if (!w.has("file_bytes_written")) continue;
            boolean found = false;
            for (JsonNode f : s.path("files")) {
                if (f.path("pid").asLong() == w.path("pid").asLong() && f.path("name").asText().equals(w.path("file").asText())) {
                    assertEquals(w.path("file_bytes_written").asLong(), f.path("bytesOut").asLong());
                    found = true;
                }
            }
            assertTrue(found, "file row for " + w.path("label").asText());
        }
        assertEquals(truth.path("containers").size() + 1, s.path("containers").size(), "containers + host");
    }

    @Test
    void storeHoldsRawRowsAndRollupsThatAddUp() {
        Path db = tmp.resolve("m.db");
        CliTest.Result r = CliTest.run("replay", "--db", db.toString(), "--host", "h1", fixture().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rows written to SQLite " + db), r.out());
        try (SqliteStore store = SqliteStore.open(db)) {
            assertEquals(List.of("h1"), store.hosts());
            List<Rows.ContainerInfo> containers = store.containers("h1", 0, Long.MAX_VALUE);
            JsonNode truth = TestData.readTruth(fixture());
            for (JsonNode c : truth.path("containers")) {
                Rows.ContainerInfo got = containers.stream().filter(x -> x.id().equals(c.path("id").asText())).findFirst().orElseThrow();
                assertEquals(c.path("name").asText(), got.name());
                assertEquals(c.path("image").asText(), got.image());
                String cid = got.id();
                List<Rows.ContainerRow> raw = store.containerSeries("h1", cid, 0, Long.MAX_VALUE, 1);
                assertFalse(raw.isEmpty());
                for (int res : new int[] {10, 3600, 86400}) {
                    List<Rows.ContainerRow> roll = store.containerSeries("h1", cid, 0, Long.MAX_VALUE, res);
                    assertFalse(roll.isEmpty(), "rollup " + res);
                    assertEquals(raw.stream().mapToLong(Rows.ContainerRow::fileOutBytes).sum(),
                            roll.stream().mapToLong(Rows.ContainerRow::fileOutBytes).sum(), "file out at " + res + " s");
                    assertEquals(raw.stream().mapToLong(Rows.ContainerRow::cpuNs).sum(),
                            roll.stream().mapToLong(Rows.ContainerRow::cpuNs).sum(), "cpu at " + res + " s");
                    assertEquals(raw.stream().mapToLong(Rows.ContainerRow::memRssMaxKb).max().orElse(0),
                            roll.stream().mapToLong(Rows.ContainerRow::memRssMaxKb).max().orElse(0), "peak rss at " + res + " s");
                }
            }
            // the web container's dd wrote its 2 MiB to one file: in the file rows too
            JsonNode dd = null;
            for (JsonNode w : truth.path("workloads")) if (w.path("label").asText().equals("dd-write-2MiB")) dd = w;
            String ddFile = dd.path("file").asText();
            long written = store.files("h1", dd.path("container_id").asText(), 0, Long.MAX_VALUE, 1).stream()
                    .filter(f -> f.file().equals(ddFile)).mapToLong(Rows.FileRow::bytesOut).sum();
            assertEquals(dd.path("file_bytes_written").asLong(), written);
        }
    }

    @Test
    void rawRowsExpireButRollupsStay() {
        Path db = tmp.resolve("e.db");
        // keep raw rows 1 s behind the newest data: older raw seconds go, rollups stay
        CliTest.Result r = CliTest.run("replay", "--db", db.toString(), "--host", "h", "--keep-raw", "1s", fixture().toString());
        assertEquals(0, r.code(), r.err());
        try (SqliteStore store = SqliteStore.open(db)) {
            List<Rows.AgentRow> raw = store.agent("h", 0, Long.MAX_VALUE, 1);
            List<Rows.AgentRow> tens = store.agent("h", 0, Long.MAX_VALUE, 10);
            assertTrue(raw.size() <= 2, "raw seconds left: " + raw.size());
            assertFalse(tens.isEmpty());
        }
    }

    @Test
    void badInputGivesOneLineErrors() {
        CliTest.Result r = CliTest.run("replay", "--db", tmp.resolve("x.db").toString(), tmp.resolve("missing.scap").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("no such file"), r.err());
        r = CliTest.run("replay", "--db", tmp.resolve("x.db").toString(), "--keep-raw", "soon", fixture().toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad duration 'soon'"), r.err());
        r = CliTest.run("replay", "--db", tmp.resolve("x.db").toString(), fixture().toString(), "evt.type", "===");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad filter"), r.err());
    }
}
