package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.store.Rows;
import dev.scapstream.store.cassandra.CassandraConfig;
import dev.scapstream.store.cassandra.CassandraStore;
import dev.scapstream.testsupport.CassandraNode;
import dev.scapstream.testsupport.WatchedWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `live --cassandra` while the node is stopped for 60 s: capture goes on, closed seconds wait in
 * the spool, and once the node is back every second is in Cassandra. Ground truth: a workload that
 * writes a known number of bytes to one file every second, before, during and after the outage.
 */
@Tag("live")
@Tag("slow")
class LiveCassandraOutageTest {
    @TempDir
    Path tmp;

    private static final String ADDRESS = "127.0.0.22";
    private static final int ROUNDS = 85;
    private static final int BYTES_PER_ROUND = 25 * 4096;

    @Test
    void sixtySecondsWithoutCassandraLoseNoRow() throws Exception {
        dev.scapstream.testsupport.LiveProbe.requireModernBpf();
        CassandraNode node = CassandraNode.start(tmp.resolve("node"), ADDRESS, 9042, 7000, ADDRESS, "live-outage");
        Path out = tmp.resolve("outage-written.bin");
        WatchedWriter err = new WatchedWriter("capturing");
        CountDownLatch capturing = err.seen;
        WatchedWriter errText = err;
        long[] outage = new long[2];
        Thread workload = new Thread(() -> {
            try {
                if (!capturing.await(60, TimeUnit.SECONDS)) return;
                Thread stopper = new Thread(() -> {
                    try {
                        Thread.sleep(8_000);
                        node.stop();
                        outage[0] = System.nanoTime();
                        Thread.sleep(60_000);
                        outage[1] = System.nanoTime();
                        node.restart();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "outage");
                stopper.start();
                for (int i = 0; i < ROUNDS; i++) {
                    new ProcessBuilder("dd", "if=/dev/zero", "of=" + out, "bs=4096", "count=25", "oflag=append",
                            "conv=notrunc", "status=none").inheritIO().start().waitFor();
                    Thread.sleep(1000);
                }
                stopper.join();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "workload");
        workload.start();
        StringWriter stdout = new StringWriter();
        int code;
        try {
            code = Main.run(new String[] {"live", "--duration", String.valueOf(ROUNDS + 12), "--json", "--host", "lo-host",
                    "--cassandra", ADDRESS + ":9042", "--keyspace", "live_outage", "--spool", tmp.resolve("spool").toString(),
                    "proc.name=dd or evt.type=switch"}, new PrintWriter(stdout), new PrintWriter(err));
            workload.join();
            String e = errText.toString();
            assertEquals(0, code, e);
            assertEquals((long) ROUNDS * BYTES_PER_ROUND, Files.size(out));
            assertTrue(e.contains("unavailable") && e.contains("spooling closed seconds"), e);
            assertTrue(e.contains("answers again"), e);
            JsonNode summary = new ObjectMapper().readTree(stdout.toString());
            try (CassandraStore store = CassandraStore.open(CassandraConfig.local(
                    CassandraConfig.parseContactPoints(ADDRESS + ":9042"), "live_outage"))) {
                long written = store.files("lo-host", "host", 0, Long.MAX_VALUE, 1).stream()
                        .filter(f -> f.file().equals(out.toString())).mapToLong(Rows.FileRow::bytesOut).sum();
                assertEquals((long) ROUNDS * BYTES_PER_ROUND, written, "every dd's bytes, outage included, per second");
                List<Rows.AgentRow> seconds = store.agent("lo-host", 0, Long.MAX_VALUE, 1);
                long first = seconds.get(0).ts(), last = seconds.get(seconds.size() - 1).ts();
                assertEquals(last - first + 1, seconds.size(), "one agent row for every second, none missing");
                assertEquals(summary.path("events").asLong(), seconds.stream().mapToLong(Rows.AgentRow::events).sum(),
                        "events of all stored seconds = events the run counted");
                assertTrue(seconds.size() >= ROUNDS, "seconds stored: " + seconds.size());
                System.out.printf("LiveCassandraOutageTest: %d seconds stored, Cassandra down %.1f s, %d bytes of"
                        + " the workload all stored%n", seconds.size(), (outage[1] - outage[0]) / 1e9, written);
            }
        } finally {
            node.stop();
        }
    }
}
