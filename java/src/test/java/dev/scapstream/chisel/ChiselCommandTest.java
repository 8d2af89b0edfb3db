package dev.scapstream.chisel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scapstream.cli.Main;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** `scapstream chisel` on the bundled fixture: files and a store give one table, equal to the workloads' truth; bad input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChiselCommandTest {
    private Path dir;
    private Path trace;
    private Path db;
    private JsonNode truth;

    record Run(int rc, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(rc, out.toString(), err.toString());
    }

    @BeforeAll
    void replay() throws Exception {
        trace = TestData.fixtures().resolve("basic.scap.gz");
        truth = TestData.readTruth(trace);
        dir = Files.createTempDirectory("scapstream-chisel-test");
        db = dir.resolve("c.db");
        Run r = run("replay", "--db", db.toString(), "--host", "fixture", trace.toString());
        assertEquals(0, r.rc(), r.err());
    }

    @AfterAll
    void clean() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private JsonNode workload(String label) {
        for (JsonNode w : truth.path("workloads")) if (w.path("label").asText().equals(label)) return w;
        throw new AssertionError("no workload " + label);
    }

    @Test
    void aStoreAndTheFileGiveTheSameTables() {
        for (String c : List.of("topprocs_file", "topprocs_net", "topfiles_bytes", "topconns", "topports_server",
                "topscalls", "topscalls_time", "topprocs_errors", "topcontainers_file", "topcontainers_net", "topprocs_cpu")) {
            Run onFile = run("chisel", c, "-r", trace.toString());
            Run onStore = run("chisel", c, "--db", db.toString());
            assertEquals(0, onFile.rc(), onFile.err());
            assertEquals(0, onStore.rc(), onStore.err());
            assertEquals(onFile.out(), onStore.out(), c);
            assertTrue(onFile.out().split("\n").length > 2, c + " has rows: " + onFile.out());
        }
    }

    /** The store's tables read the same from Cassandra: every chisel that runs on a store. */
    @Test
    void cassandraGivesTheTablesSqliteGives() {
        String node = System.getenv("SCAPSTREAM_TEST_CASSANDRA");
        org.junit.jupiter.api.Assumptions.assumeTrue(node != null && !node.isBlank(),
                "no Cassandra node: SCAPSTREAM_TEST_CASSANDRA is not set (./scapstream test starts one)");
        String ks = "chisel_" + ProcessHandle.current().pid();
        try {
            Run r = run("replay", "--cassandra", node, "--keyspace", ks, "--host", "fixture",
                    "--spool", dir.resolve("spool").toString(), trace.toString());
            assertEquals(0, r.rc(), r.err());
            int n = 0;
            for (dev.scapstream.chisel.Chisel c : Chisels.ALL) {
                if (!c.runsOnStore()) continue;
                Run a = run("chisel", c.name(), "--db", db.toString());
                Run b = run("chisel", c.name(), "--cassandra", node, "--keyspace", ks);
                assertEquals(0, b.rc(), c.name() + ": " + b.err());
                assertEquals(a.out(), b.out(), c.name());
                n++;
            }
            assertTrue(n >= 10, n + " chisels on a store");
        } finally {
            dev.scapstream.store.cassandra.SharedNode.drop(ks);
        }
    }

    @Test
    void topfilesBytesHoldsTheWorkloadsBytes() {
        JsonNode w = workload("dd-write-2MiB");
        JsonNode r = workload("dd-read-2MiB");
        assertEquals(w.path("file").asText(), r.path("file").asText());
        String out = run("chisel", "topfiles_bytes", "-r", trace.toString()).out();
        long both = w.path("file_bytes_written").asLong() + r.path("file_bytes_read").asLong();
        String expected = SysdigTable.pad(SysdigTable.bytes(both)) + w.path("file").asText();
        assertTrue(out.lines().anyMatch(expected::equals), "'" + expected + "' in\n" + out);
    }

    @Test
    void containerTablesLeaveTheHostOut() {
        String out = run("chisel", "topcontainers_file", "-r", trace.toString()).out();
        List<String> names = new ArrayList<>();
        out.lines().skip(2).forEach(l -> names.add(l.substring(20)));
        assertFalse(names.isEmpty(), out);
        assertFalse(names.contains("host"), out);
        // the writer's and the reader's containers moved file bytes: both appear (by name or id)
        assertTrue(names.size() >= 2, out);
    }

    @Test
    void aFilterNarrowsTheEvents() {
        JsonNode w = workload("dd-write-2MiB");
        String out = run("chisel", "topprocs_file", "-r", trace.toString(), "proc.pid=" + w.path("pid").asLong()).out();
        List<String> rows = out.lines().skip(2).toList();
        assertEquals(1, rows.size(), out);
        assertTrue(rows.get(0).endsWith(" " + w.path("pid").asLong()), out);
    }

    @Test
    void aStoresRangeHoldsOnlyItsSeconds() throws Exception {
        long pid = workload("dd-write-2MiB").path("pid").asLong();
        long second;
        long bytes;
        // the store's own rows, summed by SQL here (not through the view)
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var q = c.prepareStatement("select ts, sum(file_in_bytes + file_out_bytes) from process_rows"
                     + " where pid = ? and res = 1 group by ts order by 2 desc limit 1")) {
            q.setLong(1, pid);
            try (var r = q.executeQuery()) {
                assertTrue(r.next(), "dd's rows");
                second = r.getLong(1);
                bytes = r.getLong(2);
            }
        }
        Run in = run("chisel", "topprocs_file", "--db", db.toString(), "--from", Long.toString(second),
                "--to", Long.toString(second + 1));
        assertEquals(0, in.rc(), in.err());
        String expected = SysdigTable.pad(SysdigTable.bytes(bytes)) + SysdigTable.pad("dd") + pid;
        assertTrue(in.out().lines().anyMatch(expected::equals), "'" + expected + "' in\n" + in.out());
        Run after = run("chisel", "topprocs_file", "--db", db.toString(), "--from", Long.toString(second + 1));
        assertEquals(0, after.rc(), after.err());
        assertTrue(after.out().lines().noneMatch(l -> l.endsWith(" " + pid) && !l.startsWith("0")), after.out());
    }

    @Test
    void listShowsEveryChiselUnderItsCategory() {
        Run r = run("chisel", "--list");
        assertEquals(0, r.rc(), r.err());
        for (Chisel c : Chisels.ALL) {
            int cat = r.out().indexOf("Category: " + c.category());
            int at = r.out().indexOf("\n" + c.name() + " ");
            assertTrue(cat >= 0 && at > cat, c.name() + " under " + c.category());
        }
    }

    @Test
    void badInputIsOneLineAndAFailure() {
        String f = trace.toString();
        String[][] bad = {
                {"chisel"},
                {"chisel", "topnothing", "-r", f},
                {"chisel", "fileslower", "-r", f},
                {"chisel", "fileslower", "ten", "-r", f},
                {"chisel", "spy_port", "99999", "-r", f},
                {"chisel", "spy_ip", "1.2.3.4;x", "-r", f},
                {"chisel", "fdbytes_by", "proc.nosuchfield", "-r", f},
                {"chisel", "topprocs_net", "-r", f, "proc.nosuch=1"},
                {"chisel", "topprocs_net", "-r", f, "--db", db.toString()},
                {"chisel", "echo_fds", "--db", db.toString()},
                {"chisel", "topprocs_net", "--db", db.toString(), "proc.name=dd"},
                {"chisel", "topprocs_net", "-r", f, "--from", "1"},
                {"chisel", "topprocs_net", "-r", f, "--interval", "1"},
                {"chisel", "topprocs_net", "-r", dir.resolve("none.scap").toString()},
        };
        for (String[] args : bad) {
            Run r = run(args);
            String what = String.join(" ", args);
            assertNotEquals(0, r.rc(), what);
            assertEquals(1, r.err().strip().lines().count(), what + ": " + r.err());
            assertTrue(r.err().startsWith("scapstream: "), what + ": " + r.err());
        }
    }
}
