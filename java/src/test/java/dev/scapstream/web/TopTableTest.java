package dev.scapstream.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The tables' JSON: columns in definition order, sums over the range, largest first, at most LIMIT rows. */
class TopTableTest {
    static final long START = 1_790_000_000L;
    static final String H = SyntheticStore.HOST, C = SyntheticStore.CONTAINER;

    @TempDir
    static Path tmp;
    static SqliteStore store;
    static Reads reads;
    static TimeRange range;

    @BeforeAll
    static void fill() {
        store = SqliteStore.open(tmp.resolve("tables.db"));
        // 2,100 processes: more files than a table shows
        SyntheticStore.fill(store, START, 3, 2100);
        reads = new Reads(store);
        range = TimeRange.of(START, START + 3, 1);
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
    }

    static JsonNode json(Object o) throws Exception {
        return Http.JSON.readTree(Http.JSON.writeValueAsString(o));
    }

    static List<String> names(JsonNode o) {
        List<String> n = new ArrayList<>();
        for (Iterator<String> i = o.fieldNames(); i.hasNext(); ) n.add(i.next());
        return n;
    }

    @Test
    void columnsComeInTheirDefinitionsOrder() throws Exception {
        JsonNode files = json(Tables.FILES.read(reads, H, C, null, range));
        assertEquals(List.of("from", "to", "res", "rows", "omitted"), names(files));
        assertEquals(List.of("file", "pid", "comm", "bytesIn", "bytesOut", "opsIn", "opsOut", "opens", "openErrors"), names(files.path("rows").get(0)));
        JsonNode sys = json(Tables.SYSCALLS.read(reads, H, C, null, range));
        assertEquals(List.of("syscall", "calls", "errors", "totalLatencyNs", "avgLatencyNs", "maxLatencyNs"),
                names(sys.path("rows").get(0)));
        JsonNode err = json(Tables.ERRNOS.read(reads, H, C, 1000L, range)).path("rows");
        assertEquals(1, err.size());
        assertEquals("{\"syscall\":\"read\",\"errno\":11,\"name\":\"EAGAIN\",\"count\":3}", err.get(0).toString());
    }

    @Test
    void sumsMaxesAndMeansAreOverTheRange() throws Exception {
        JsonNode sys = json(Tables.SYSCALLS.read(reads, H, C, 1007L, range)).path("rows");
        assertEquals(1, sys.size());
        List<Rows.SyscallRow> raw = store.syscalls(H, C, range.from(), range.to(), 1).stream().filter(s -> s.pid() == 1007).toList();
        long calls = raw.stream().mapToLong(Rows.SyscallRow::calls).sum();
        long total = raw.stream().mapToLong(Rows.SyscallRow::totalLatencyNs).sum();
        JsonNode row = sys.get(0);
        assertEquals(calls, row.path("calls").asLong());
        assertEquals(total, row.path("totalLatencyNs").asLong());
        assertEquals(total / calls, row.path("avgLatencyNs").asLong());
        assertEquals(raw.stream().mapToLong(Rows.SyscallRow::maxLatencyNs).max().orElseThrow(), row.path("maxLatencyNs").asLong());
        assertEquals("worker-3", json(Tables.FILES.read(reads, H, C, 1003L, range)).path("rows").get(0).path("comm").asText());
    }

    @Test
    void theLargestComeFirstAndTheRestAreCounted() throws Exception {
        JsonNode files = json(Tables.FILES.read(reads, H, C, null, range));
        long groups = store.files(H, C, range.from(), range.to(), 1).stream().map(f -> f.pid() + " " + f.file()).distinct().count();
        assertTrue(groups > TopTable.LIMIT, "fixture has " + groups + " files");
        assertEquals(TopTable.LIMIT, files.path("rows").size());
        assertEquals(groups - TopTable.LIMIT, files.path("omitted").asLong());
        long last = Long.MAX_VALUE;
        for (JsonNode r : files.path("rows")) {
            long v = r.path("bytesIn").asLong() + r.path("bytesOut").asLong();
            assertTrue(v <= last, r.toString());
            last = v;
        }
    }

    @Test
    void aDefinitionNamesOnlyItsOwnCounters() {
        TopTable<Rows.PortRow> t = TopTable.of(MetricsStore::ports, Rows.PortRow::port).sum("bytesIn", Rows.PortRow::bytesIn);
        assertThrows(IllegalArgumentException.class, () -> t.sortBy("bytesOut"));
        assertThrows(IllegalArgumentException.class, () -> t.sum("bytesIn", Rows.PortRow::bytesOut));
        assertThrows(IllegalArgumentException.class, () -> t.mean("avg", "bytesIn", "calls"));
    }
}
