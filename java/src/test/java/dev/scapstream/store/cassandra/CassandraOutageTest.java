package dev.scapstream.store.cassandra;

import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.StoreWriter;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.CassandraNode;
import dev.scapstream.testsupport.StoreDump;
import dev.scapstream.testsupport.SyntheticSeconds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Cassandra goes away while the agent writes: closed seconds go to the spool, the writer keeps up,
 * and once the node is back every second is written, in order, with nothing lost. The reference is
 * an SQLite store written the very same seconds.
 */
class CassandraOutageTest {
    @TempDir
    Path tmp;

    private static final String ADDRESS = "127.0.0.21";

    private CassandraConfig config(Path spool, long spoolMax) {
        return CassandraConfig.local(List.of(InetSocketAddress.createUnresolved(ADDRESS, 9042)), "outage")
                .withSpool(spool, spoolMax).withRequestTimeout(Duration.ofSeconds(2));
    }

    @Test
    void aNodeStoppedForAMinuteMidRunLosesNoRowAndTheSpoolIsWrittenInOrderOnRecovery() throws Exception {
        CassandraNode node = CassandraNode.start(tmp.resolve("node"), ADDRESS, 9042, 7000, ADDRESS, "outage");
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        SyntheticSeconds gen = new SyntheticSeconds("outage-host", 5, 20, 1_800_000_000L);
        SyntheticSeconds ref = new SyntheticSeconds("outage-host", 5, 20, 1_800_000_000L);
        AtomicInteger written = new AtomicInteger();
        int seconds;
        long spooled;
        Map<String, List<String>> expected, got;
        try (SqliteStore reference = SqliteStore.open(tmp.resolve("ref.db"));
             CassandraStore store = CassandraStore.open(config(tmp.resolve("spool"), 256L << 20), log::println)) {
            Thread outage = new Thread(() -> {
                try {
                    while (written.get() < 15) Thread.sleep(20);
                    node.stop();          // mid-run: the agent keeps handing over seconds
                    Thread.sleep(60_000); // down for a minute, as the fault suite asks
                    node.restart();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "outage");
            outage.start();
            int spooledDuringOutage = 0;
            try (StoreWriter writer = new StoreWriter(store, 64)) {
                int s = 0, after = -1;
                // keep writing, 5 seconds per wall second, until the node is back and 10 seconds after
                while (after < 0 || s < after + 10) {
                    if (after < 0 && !outage.isAlive()) after = s;
                    MetricsBatch b = gen.second(s);
                    writer.accept(b);
                    reference.write(ref.second(s));
                    written.set(++s);
                    spooledDuringOutage = Math.max(spooledDuringOutage, store.spooledSeconds());
                    Thread.sleep(200);
                    if (s > 1200) fail("the node did not come back");
                }
                seconds = s;
                writer.accept(gen.finish(s - 1));
                reference.write(ref.finish(s - 1));
            }
            assertTrue(store.awaitSpoolDrained(Duration.ofSeconds(120)), "spool written after recovery: "
                    + store.spooledSeconds() + " left\n" + logBytes);
            assertTrue(spooledDuringOutage > 0, "seconds waited in the spool during the outage");
            assertTrue(store.spoolTotalSeconds() >= 250, "a minute of seconds spooled: " + store.spoolTotalSeconds());
            assertEquals(0, store.spoolDroppedSeconds());
            spooled = store.spoolTotalSeconds();
            expected = StoreDump.of(reference, "outage-host");
            got = StoreDump.of(store, "outage-host");
        } finally {
            node.stop();
        }
        String text = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("unavailable") && text.contains("spooling"), text);
        assertTrue(text.contains("answers again"), text);
        assertTrue(StoreDump.rows(expected) > seconds * 100L, "rows " + StoreDump.rows(expected));
        assertEquals(expected.keySet(), got.keySet());
        for (String k : expected.keySet()) assertEquals(expected.get(k), got.get(k), k);
        System.out.printf("CassandraOutageTest: %d seconds, %d rows, %d seconds went through the spool, %s%n", seconds,
                StoreDump.rows(expected), spooled, text.lines().toList());
    }

    @Test
    void aFullSpoolDropsNewSecondsLoudlyAndCountsThem() throws Exception {
        // the node is stopped right after the store opens: every write then fails at once
        CassandraNode node = CassandraNode.start(tmp.resolve("node"), ADDRESS, 9042, 7000, ADDRESS, "outage");
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        SyntheticSeconds gen = new SyntheticSeconds("full-host", 2, 5, 1_800_000_000L);
        try (CassandraStore store = CassandraStore.open(config(tmp.resolve("spool"), 64 << 10), log::println)) {
            node.stop();
            int s = 0, total = 40;
            for (; s < total; s++) store.write(gen.second(s));
            int kept = store.spooledSeconds();
            assertTrue(kept > 0 && kept < total, "spooled " + kept);
            assertTrue(store.spoolBytes() <= 64 << 10, "bound kept: " + store.spoolBytes());
            assertEquals(total - kept, store.spoolDroppedSeconds());
            assertTrue(store.spoolDroppedRows() > 0);
            String text = logBytes.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("SPOOL FULL") && text.contains("dropped 1 closed seconds"), text);
        } finally {
            node.stop();
        }
    }
}
