package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.CassandraNode;
import dev.scapstream.testsupport.StoreDump;
import dev.scapstream.testsupport.SyntheticSeconds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A three-node cluster on 127.0.0.1-3, keyspace at rf=3, writes and reads at QUORUM, no spool (so a
 * failed write would surface): one node is killed (SIGKILL) while seconds are being written.
 * Every write must succeed and every row must be read back, compared with an SQLite store that
 * was written the very same seconds.
 */
@Tag("slow")
class CassandraClusterTest {
    @TempDir
    Path tmp;

    @Test
    void killingOneOfThreeNodesAtQuorumFailsNoWriteAndLosesNoRow() throws Exception {
        List<CassandraNode> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                nodes.add(CassandraNode.start(tmp.resolve("n" + i), "127.0.0." + i, 9042, 7000, "127.0.0.1",
                        "scapstream-3", "--heap", "768m"));
            }
            nodes.get(0).awaitPeers(2, Duration.ofSeconds(180));
            List<InetSocketAddress> contacts = new ArrayList<>();
            for (CassandraNode n : nodes) contacts.add(InetSocketAddress.createUnresolved(n.address(), n.nativePort()));
            CassandraConfig config = CassandraConfig.local(contacts, "fleet")
                    .withReplication(CassandraConfig.parseReplication("SimpleStrategy:3"))
                    .withConsistency(DefaultConsistencyLevel.QUORUM);
            SyntheticSeconds gen = new SyntheticSeconds("fleet-host", 10, 20, 1_800_000_000L);
            SyntheticSeconds ref = new SyntheticSeconds("fleet-host", 10, 20, 1_800_000_000L);
            int seconds = 60, killAt = 15, failures = 0;
            long t0 = 0, tKill = 0;
            Map<String, List<String>> expected, got;
            try (SqliteStore reference = SqliteStore.open(tmp.resolve("ref.db"));
                 CassandraStore store = CassandraStore.open(config)) {
                t0 = System.nanoTime();
                for (int s = 0; s < seconds; s++) {
                    if (s == killAt) {
                        nodes.get(2).kill(); // in the middle of the run, no warning
                        tKill = System.nanoTime();
                    }
                    MetricsBatch b = gen.second(s);
                    try {
                        store.write(b);
                    } catch (RuntimeException e) {
                        failures++;
                        System.out.println("CassandraClusterTest: second " + s + " failed: " + e.getMessage());
                    }
                    reference.write(ref.second(s));
                }
                store.write(gen.finish(seconds - 1));
                reference.write(ref.finish(seconds - 1));
                expected = StoreDump.of(reference, "fleet-host");
                got = StoreDump.of(store, "fleet-host");
            }
            assertEquals(0, failures, "writes that failed at QUORUM with one node of three down");
            assertTrue(StoreDump.rows(expected) > seconds * 200L, "rows " + StoreDump.rows(expected));
            assertEquals(expected.keySet(), got.keySet());
            for (String k : expected.keySet()) assertEquals(expected.get(k), got.get(k), k);
            System.out.printf("CassandraClusterTest: %d seconds (%d rows) at QUORUM, node 3 killed at second %d"
                            + " (%.1f s in), %.1f s in all, 0 failed writes, 0 rows lost%n", seconds,
                    StoreDump.rows(expected), killAt, (tKill - t0) / 1e9, (System.nanoTime() - t0) / 1e9);
        } finally {
            for (CassandraNode n : nodes) n.stop();
        }
    }
}
