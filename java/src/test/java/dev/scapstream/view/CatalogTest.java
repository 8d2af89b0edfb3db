package dev.scapstream.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scapstream.cli.Main;
import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The views over a replay of each bundled recording (the fixture, the demo): against the workloads' own truth (bytes, which
 * container ran what), and against the store's rows summed here by key without the view code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogTest {
    private static final String HOST = "catalog";
    private Path dir;
    /** One replay of each bundled recording (the fixture, the demo), made when a test first needs it. */
    private final Map<Path, Replayed> replays = new HashMap<>();

    private record Replayed(SqliteStore store, JsonNode truth, Scope all) {}

    static List<Path> fixtures() {
        return TestData.tracesWithTruth(TestData.fixtures());
    }

    @BeforeAll
    void dir() throws Exception {
        dir = Files.createTempDirectory("scapstream-catalog");
    }

    private Replayed replay(Path trace) throws Exception {
        Replayed r = replays.get(trace);
        if (r != null) return r;
        Path db = dir.resolve(trace.getFileName() + ".db");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"replay", "--db", db.toString(), "--host", HOST, trace.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        SqliteStore store = SqliteStore.open(db);
        long[] span = store.span();
        r = new Replayed(store, TestData.readTruth(trace), Scope.host(HOST, span[0], span[1]));
        replays.put(trace, r);
        return r;
    }

    @AfterAll
    void close() throws Exception {
        for (Replayed r : replays.values()) r.store().close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static JsonNode workload(JsonNode truth, String label) {
        for (JsonNode w : truth.path("workloads")) if (w.path("label").asText().equals(label)) return w;
        throw new AssertionError("no workload " + label);
    }

    private static Object cell(Table t, Object[] row, String header) {
        return row[t.view().indexOf(header)];
    }

    /** Every workload that wrote a known number of bytes to a file: its process row, drilled down to its files. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aProcessesFilesHoldItsExactBytes(Path trace) throws Exception {
        Replayed x = replay(trace);
        SqliteStore store = x.store();
        Scope all = x.all();
        Table procs = Catalog.PROCESSES.evaluate(store, all);
        int checked = 0;
        for (JsonNode dd : x.truth().path("workloads")) {
            if (!dd.has("file") || !dd.has("file_bytes_written")) continue;
            String label = dd.path("label").asText();
            Object[] row = procs.rows().stream().filter(r -> (Long) cell(procs, r, "PID") == dd.path("pid").asLong())
                    .findFirst().orElseThrow(() -> new AssertionError(label + " not among " + procs.rows().size() + " processes"));
            assertEquals(dd.path("container_id").asText("host").isEmpty() ? "host" : dd.path("container_id").asText(),
                    cell(procs, row, "CONTAINER_ID"), label);
            String exe = Path.of(dd.path("argv").get(0).asText()).getFileName().toString();
            assertTrue(((String) cell(procs, row, "Command")).startsWith(exe + " "), String.valueOf(cell(procs, row, "Command")));
            View.Drill toFiles = Catalog.PROCESSES.drills().stream().filter(d -> d.viewId().equals("files")).findFirst().orElseThrow();
            Table files = Catalog.FILES.evaluate(store, Catalog.PROCESSES.narrow(toFiles, all, row));
            Object[] f = files.rows().stream().filter(r -> dd.path("file").asText().equals(cell(files, r, "FILENAME")))
                    .findFirst().orElseThrow(() -> new AssertionError(label + "'s file missing"));
            assertEquals(dd.path("file_bytes_written").asLong(), cell(files, f, "BYTES OUT"), label);
            // the process's FILE column is the sum of its files' bytes, folded from other rows; over every
            // container, since a file row is filed where the process was at the I/O (dd wrote its own
            // cgroup.procs from the host, before it was in its container)
            Table everywhere = Catalog.FILES.evaluate(store, all.process(null, dd.path("pid").asLong()));
            long filesTotal = everywhere.rows().stream().mapToLong(r -> (Long) cell(everywhere, r, "BYTES")).sum();
            assertEquals(filesTotal, cell(procs, row, "FILE"), label);
            checked++;
        }
        assertTrue(checked > 0, "no workload wrote a known file");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void containersDrillToTheirOwnProcessesOnly(Path trace) throws Exception {
        Replayed x = replay(trace);
        SqliteStore store = x.store();
        Scope all = x.all();
        JsonNode truth = x.truth();
        Table containers = Catalog.CONTAINERS.evaluate(store, all);
        Map<String, Object[]> byId = new HashMap<>();
        for (Object[] r : containers.rows()) byId.put((String) cell(containers, r, "ID"), r);
        for (JsonNode c : truth.path("containers")) {
            Object[] r = byId.get(c.path("id").asText());
            assertNotNull(r, "container " + c.path("id").asText());
            assertEquals(c.path("name").asText(), cell(containers, r, "NAME"));
            assertEquals(c.path("image").asText(), cell(containers, r, "IMAGE"));
            Table procs = Catalog.PROCESSES.evaluate(store, Catalog.CONTAINERS.narrow(Catalog.CONTAINERS.drills().get(0), all, r));
            List<Long> pids = new ArrayList<>();
            for (Object[] p : procs.rows()) pids.add((Long) cell(procs, p, "PID"));
            for (JsonNode w : truth.path("workloads")) {
                boolean here = w.path("container_id").asText().equals(c.path("id").asText());
                assertEquals(here, pids.contains(w.path("pid").asLong()),
                        w.path("label").asText() + " in " + c.path("name").asText() + "'s processes " + pids);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void foldsEqualTheStoresRowsSummedByKey(Path trace) throws Exception {
        Replayed x = replay(trace);
        SqliteStore store = x.store();
        Scope all = x.all();
        JsonNode truth = x.truth();
        Table containers = Catalog.CONTAINERS.evaluate(store, all);
        for (Object[] r : containers.rows()) {
            String id = (String) cell(containers, r, "ID");
            long cpu = 0, file = 0, maxProcs = 0, lastRss = 0, lastTs = -1;
            for (Rows.ContainerRow c : store.containerSeries(HOST, id, all.fromTs(), all.toTs(), 1)) {
                cpu += c.cpuNs();
                file += c.fileInBytes() + c.fileOutBytes();
                maxProcs = Math.max(maxProcs, c.processes());
                if (c.ts() >= lastTs) { lastTs = c.ts(); lastRss = c.memRssKb(); }
            }
            assertEquals(cpu, cell(containers, r, "CPU"), id + " CPU");
            assertEquals(file, cell(containers, r, "FILE"), id + " FILE");
            assertEquals(maxProcs, cell(containers, r, "PROCS"), id + " PROCS");
            assertEquals(lastRss, cell(containers, r, "RES"), id + " RES");
        }
        // sorted by CPU, descending
        for (int i = 1; i < containers.rows().size(); i++) {
            assertTrue((Long) cell(containers, containers.rows().get(i - 1), "CPU")
                    >= (Long) cell(containers, containers.rows().get(i), "CPU"));
        }
        assertTrue(containers.rows().size() >= truth.path("containers").size() + 1, "the host is a row too");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void errorsPerErrnoAddUpToTheSyscallsViewsErrors(Path trace) throws Exception {
        Replayed x = replay(trace);
        SqliteStore store = x.store();
        Scope all = x.all();
        Table errors = Catalog.ERRORS.evaluate(store, all);
        Table calls = Catalog.SYSCALLS.evaluate(store, all);
        Map<String, Long> byCall = new HashMap<>();
        for (Object[] r : errors.rows()) byCall.merge((String) cell(errors, r, "SYSCALL"), (Long) cell(errors, r, "COUNT"), Long::sum);
        for (Object[] r : calls.rows()) {
            long e = (Long) cell(calls, r, "ERRORS");
            assertEquals(e, byCall.getOrDefault((String) cell(calls, r, "SYSCALL"), 0L), cell(calls, r, "SYSCALL") + " errors");
        }
    }
}
