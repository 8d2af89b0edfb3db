package dev.scapstream.cli;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.cassandra.CassandraConfig;
import dev.scapstream.store.cassandra.CassandraStore;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.StoreDump;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** `replay --cassandra` end to end on a real node, and the one-line errors of a bad cluster setting. */
class CassandraCliTest {
    @TempDir
    Path tmp;

    static String node() {
        String cp = System.getenv("SCAPSTREAM_TEST_CASSANDRA");
        Assumptions.assumeTrue(cp != null && !cp.isBlank(),
                "no Cassandra node: SCAPSTREAM_TEST_CASSANDRA is not set (./scapstream test starts one)");
        return cp;
    }

    @org.junit.jupiter.api.AfterAll
    static void dropKeyspace() {
        dev.scapstream.store.cassandra.SharedNode.drop("cli_" + ProcessHandle.current().pid());
    }

    private static Path fixture() {
        return TestData.fixtures().resolve("basic.scap.gz");
    }

    /** The same replay into SQLite and into Cassandra: every query of the interface answers the same rows. */
    @Test
    void replayIntoCassandraStoresWhatSqliteStores() {
        String ks = "cli_" + ProcessHandle.current().pid();
        Path db = tmp.resolve("ref.db");
        CliTest.Result a = CliTest.run("replay", "--json", "--host", "h1", "--db", db.toString(), fixture().toString());
        assertEquals(0, a.code(), a.err());
        CliTest.Result b = CliTest.run("replay", "--json", "--host", "h1", "--cassandra", node(), "--keyspace", ks,
                "--spool", tmp.resolve("spool").toString(), fixture().toString());
        assertEquals(0, b.code(), b.err());
        assertEquals(a.out(), b.out(), "the summary does not depend on the store");
        Map<String, List<String>> sqlite, cassandra;
        try (SqliteStore s = SqliteStore.open(db)) {
            sqlite = StoreDump.of(s, "h1");
        }
        try (MetricsStore s = CassandraStore.open(CassandraConfig.local(CassandraConfig.parseContactPoints(node()), ks))) {
            assertEquals(List.of("h1"), s.hosts());
            cassandra = StoreDump.of(s, "h1");
        }
        assertTrue(StoreDump.rows(sqlite) > 1000, "rows: " + StoreDump.rows(sqlite));
        assertEquals(sqlite.keySet(), cassandra.keySet());
        for (String k : sqlite.keySet()) assertEquals(sqlite.get(k), cassandra.get(k), k);
    }

    @Test
    void anUnreachableClusterIsOneLineAndExitOne() {
        CliTest.Result r = CliTest.run("replay", "--cassandra", "127.0.0.1:1", "--spool", tmp.resolve("s").toString(),
                fixture().toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("scapstream: Cassandra 127.0.0.1:1 keyspace scapstream: cannot reach any node"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void badClusterFlagsAreOneLineErrors() {
        String[][] bad = {
                {"--cassandra", "127.0.0.1:99999", "port"},
                {"--cassandra", "127.0.0.1", "--replication", "dc1:x", "replication"},
                {"--cassandra", "127.0.0.1", "--consistency", "MOST", "consistency"},
                {"--cassandra", "127.0.0.1", "--keyspace", "no-dashes", "keyspace"},
                {"--cassandra", "127.0.0.1", "--spool-max", "lots", "size"},
                {"--cassandra", "127.0.0.1", "--db", "x.db", "--db and --cassandra"},
        };
        for (String[] b : bad) {
            String[] args = new String[b.length];
            args[0] = "replay";
            System.arraycopy(b, 0, args, 1, b.length - 1);
            String[] full = java.util.Arrays.copyOf(args, args.length + 1);
            full[args.length] = fixture().toString();
            CliTest.Result r = CliTest.run(full);
            assertEquals(1, r.code(), String.join(" ", full) + ": " + r.err());
            assertTrue(r.err().contains(b[b.length - 1]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
