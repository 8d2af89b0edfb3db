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
 * The views over a replay of the bundled fixture: against the workloads' own truth (bytes, which
 * container ran what), and against the store's rows summed here by key without the view code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogTest {
    private static final String HOST = "catalog";
    private Path dir;
    private SqliteStore store;
    private JsonNode truth;
    private Scope all;

    @BeforeAll
    void replay() throws Exception {
        Path trace = TestData.fixtures().resolve("basic.scap.gz");
        truth = TestData.readTruth(trace);
        dir = Files.createTempDirectory("scapstream-catalog");
        Path db = dir.resolve("v.db");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"replay", "--db", db.toString(), "--host", HOST, trace.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        store = SqliteStore.open(db);
        long[] span = store.span();
        all = Scope.host(HOST, span[0], span[1]);
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) store.close();
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

    @Test
    void aProcessesFilesHoldItsExactBytes() {
        JsonNode dd = workload(truth, "dd-write-2MiB");
        Table procs = Catalog.PROCESSES.evaluate(store, all);
        Object[] row = procs.rows().stream().filter(r -> (Long) cell(procs, r, "PID") == dd.path("pid").asLong())
                .findFirst().orElseThrow(() -> new AssertionError("dd not among " + procs.rows().size() + " processes"));
        assertEquals(dd.path("container_id").asText(), cell(procs, row, "CONTAINER_ID"));
        assertTrue(((String) cell(procs, row, "Command")).startsWith("dd "), String.valueOf(cell(procs, row, "Command")));
        View.Drill toFiles = Catalog.PROCESSES.drills().stream().filter(d -> d.viewId().equals("files")).findFirst().orElseThrow();
        Table files = Catalog.FILES.evaluate(store, Catalog.PROCESSES.narrow(toFiles, all, row));
        Object[] f = files.rows().stream().filter(r -> dd.path("file").asText().equals(cell(files, r, "FILENAME")))
                .findFirst().orElseThrow(() -> new AssertionError("dd's file missing"));
        assertEquals(dd.path("file_bytes_written").asLong(), cell(files, f, "BYTES OUT"));
        // the process's FILE column is the sum of its files' bytes, folded from other rows; over every
        // container, since a file row is filed where the process was at the I/O (dd wrote its own
        // cgroup.procs from the host, before it was in its container)
        Table everywhere = Catalog.FILES.evaluate(store, all.process(null, dd.path("pid").asLong()));
        long filesTotal = everywhere.rows().stream().mapToLong(r -> (Long) cell(everywhere, r, "BYTES")).sum();
        assertEquals(filesTotal, cell(procs, row, "FILE"));
    }

    @Test
    void containersDrillToTheirOwnProcessesOnly() {
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

    @Test
    void foldsEqualTheStoresRowsSummedByKey() {
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

    @Test
    void errorsPerErrnoAddUpToTheSyscallsViewsErrors() {
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
