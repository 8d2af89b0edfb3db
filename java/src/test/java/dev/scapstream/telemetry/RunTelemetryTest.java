package dev.scapstream.telemetry;

import dev.scapstream.aggregate.SecondAggregator;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.NativeBench;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.StoreWriter;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** /metrics after a replay: well-formed exposition text whose counters equal what the run did. */
class RunTelemetryTest {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    /** name{labels} -> value; fails on any line that is not HELP, TYPE or a sample. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> out = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) continue;
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                assertTrue(List.of("counter", "gauge", "summary", "histogram", "info", "unknown").contains(f[3]), line);
                assertNull(types.put(f[2], f[3]), "one TYPE per family: " + line);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: '" + line + "'");
            String family = m.group(1);
            // a summary's, a counter's or an info's samples carry a suffix to their family's name
            for (String suffix : List.of("_total", "_count", "_sum", "_bucket", "_created", "_info")) {
                if (!types.containsKey(family) && family.endsWith(suffix)) {
                    family = family.substring(0, family.length() - suffix.length());
                }
            }
            assertTrue(types.containsKey(family) || types.containsKey(m.group(1)), "sample before its TYPE: " + line);
            out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return out;
    }

    @Test
    void countersOfAReplayEqualWhatItReadAndWrote(@TempDir Path tmp) {
        Path trace = TestData.fixtures().resolve("basic.scap.gz");
        RunTelemetry telemetry = new RunTelemetry();
        long rows;
        long read;
        try (MetricsStore store = SqliteStore.open(tmp.resolve("t.db"));
             CaptureSource source = CaptureSource.openFile(trace, "", null, false)) {
            StoreWriter writer = new StoreWriter(store, 64);
            SecondAggregator agg = new SecondAggregator("t", 200_000_000L, writer::accept, null);
            CapturePipeline pipeline = new CapturePipeline(source, List.of(agg));
            telemetry.attach(source, pipeline, agg, writer);
            read = pipeline.run(100);
            agg.finish();
            writer.close();
            rows = writer.rowsWritten();
        }
        Map<String, Double> m = parse(telemetry.render());
        assertEquals(NativeBench.rawLoop(trace)[0], read, "events the pipeline read");
        assertEquals(read, m.get("scapstream_events_read_total"));
        assertTrue(rows > 1000, "rows: " + rows);
        assertEquals(rows, m.get("scapstream_store_rows_written_total"));
        assertEquals(0, m.get("scapstream_store_queue_seconds"));
        assertEquals(0, m.get("scapstream_ring_fill_ratio"));
        assertTrue(m.get("scapstream_store_writes_total") >= 1);
        assertFalse(m.containsKey("falcosecurity_scap_n_evts_total"), "libscap's kernel counters only when live");
        // the process's own figures, against /proc read here
        double rss = m.get("process_resident_memory_bytes");
        assertTrue(rss > 20e6 && rss <= m.get("process_resident_memory_max_bytes"), "rss " + rss);
        assertTrue(m.get("jvm_memory_used_bytes{area=\"heap\"}") <= m.get("jvm_memory_committed_bytes{area=\"heap\"}"));
        // the client's process collector, against the JDK's own view of this process
        double started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() / 1e3;
        assertEquals(started, m.get("process_start_time_seconds"), 1.0, "process start");
        assertEquals(Thread.getAllStackTraces().size(), m.get("jvm_threads_current"), 8, "JVM threads");
    }
}
