package dev.scapstream.store.sqlite;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.MetricsStoreContract;
import dev.scapstream.store.Rows;
import dev.scapstream.store.StoreException;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract, plus what only a file-backed store has: the file, its schema, its transactions. */
class SqliteStoreTest extends MetricsStoreContract {
    @TempDir
    Path dir;

    /** Nested directories that do not exist yet: open() creates them. */
    private Path file() {
        return dir.resolve("data/nested/scapstream.db");
    }

    @Override
    protected MetricsStore newStore() {
        return SqliteStore.open(file());
    }

    private static Connection raw(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private static void assertOneLineNaming(Path file, StoreException e) {
        String m = e.getMessage();
        assertTrue(m.contains(file.toAbsolutePath().toString()), m);
        assertFalse(m.contains("\n") || m.contains("\r"), m);
    }

    @Test
    void reopeningTheFileKeepsTheData() {
        MetricsBatch b = new MetricsBatch();
        Rows.ContainerRow c = CONTAINER.row(new At(H1, C1, 10, 1), 1);
        Rows.ProcessRow p = PROCESS.row(new At(H1, C1, 10, 1), 2);
        Rows.ContainerInfo info = ctr(H1, C1, 10, 10, "");
        b.rows(RowKind.CONTAINER).add(c);
        b.rows(RowKind.PROCESS).add(p);
        b.rows(RowKind.CONTAINER_INFO).add(info);
        store.write(b);
        store.close();
        store = SqliteStore.open(file());
        assertEquals(List.of(c), store.containerSeries(H1, C1, 0, 100, 1));
        assertEquals(List.of(p), store.processSeries(H1, C1, 0, 100, 1));
        assertEquals(List.of(info), store.containers(H1, 0, 100));
    }

    @Test
    void fileIsInWalModeWithTheScriptsSchemaVersion() throws Exception {
        store.close();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("INSERT OR IGNORE INTO schema_version \\(id, version\\) VALUES \\(1, (\\d+)\\)")
                .matcher(java.nio.file.Files.readString(dev.scapstream.testsupport.TestData.repo().resolve("schema/sqlite.sql")));
        assertTrue(m.find(), "schema/sqlite.sql sets its version");
        try (Connection c = raw(file()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertEquals("wal", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
                assertEquals(Integer.parseInt(m.group(1)), rs.getInt(1));
            }
        }
    }

    @Test
    void aVersionOneFileGainsThreadRowsAndKeepsItsRows() throws SQLException {
        Rows.CpuRow old = new Rows.CpuRow(H1, 0, 50, 1, 123_456);
        MetricsBatch b = new MetricsBatch();
        b.rows(RowKind.CPU).add(old);
        store.write(b);
        // what a version 1 file was: everything but thread_rows
        reopenAsVersion(1, "DROP TABLE thread_rows");
        assertEquals(List.of(old), store.cpus(H1, 0, 100, 1));
        MetricsBatch t = new MetricsBatch();
        Rows.ThreadRow thread = new Rows.ThreadRow(H1, C1, 7, 8, 50, 1, 999);
        t.rows(RowKind.THREAD).add(thread);
        store.write(t);
        assertEquals(List.of(thread), store.threads(H1, C1, 0, 100, 1));
        assertEquals(Schema.VERSION, versionOnDisk());
    }

    @Test
    void aVersionTwoFileGainsTheRecordingsIndexAndKeepsItsRows() throws SQLException {
        Rows.ThreadRow thread = new Rows.ThreadRow(H1, C1, 7, 8, 50, 1, 999);
        MetricsBatch b = new MetricsBatch();
        b.rows(RowKind.THREAD).add(thread);
        store.write(b);
        // what a version 2 file was: everything but the recordings table and its index
        reopenAsVersion(2, "DROP INDEX recordings_by_last", "DROP TABLE recordings");
        assertEquals(List.of(thread), store.threads(H1, C1, 0, 100, 1));
        Rows.Recording r = new Rows.Recording(H1, "/r/x.scap", 10_000_000_000L, 11_000_000_000L, 123, false);
        MetricsBatch w = new MetricsBatch();
        w.rows(RowKind.RECORDING).add(r);
        store.write(w);
        assertEquals(List.of(r), store.recordings(H1, 0, 100));
        assertEquals(Schema.VERSION, versionOnDisk());
        store.close();
        try (Connection c = raw(file()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'recordings_by_last'")) {
            assertEquals(1, rs.getInt(1), "the index is made too");
        }
        store = SqliteStore.open(file());
    }

    @Test
    void aVersionThreeFileGainsFileOpensAndKeepsItsRows() throws SQLException {
        MetricsBatch b = new MetricsBatch();
        b.rows(RowKind.FILE).add(new Rows.FileRow(H1, C1, 7, "/etc/hosts", 50, 1, 100, 0, 2, 0, 0, 0));
        store.write(b);
        // what a version 3 file was: file_rows without the open counts
        reopenAsVersion(3, "ALTER TABLE file_rows DROP COLUMN opens", "ALTER TABLE file_rows DROP COLUMN open_errors");
        assertEquals(List.of(new Rows.FileRow(H1, C1, 7, "/etc/hosts", 50, 1, 100, 0, 2, 0, 0, 0)),
                store.files(H1, C1, 0, 100, 1), "an older row reads with no opens");
        MetricsBatch w = new MetricsBatch();
        Rows.FileRow opened = new Rows.FileRow(H1, C1, 7, "/etc/shadow", 51, 1, 0, 0, 0, 0, 3, 5);
        w.rows(RowKind.FILE).add(opened);
        store.write(w);
        assertEquals(List.of(opened), store.files(H1, C1, 51, 52, 1));
        assertEquals(Schema.VERSION, versionOnDisk());
    }

    /** Closes the store, turns its file into an older version's (the statements undo what came later), reopens it. */
    private void reopenAsVersion(int version, String... undo) throws SQLException {
        store.close();
        try (Connection c = raw(file()); Statement s = c.createStatement()) {
            for (String sql : undo) s.executeUpdate(sql);
            s.executeUpdate("UPDATE schema_version SET version = " + version);
        }
        store = SqliteStore.open(file());
    }

    /** The schema version the store's file holds, read with the store closed; the store is reopened. */
    private int versionOnDisk() throws SQLException {
        store.close();
        try (Connection c = raw(file()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
            return rs.getInt(1);
        } finally {
            store = SqliteStore.open(file());
        }
    }

    @Test
    void aNewerSchemaVersionIsRefusedNamingTheFile() throws SQLException {
        store.close();
        try (Connection c = raw(file()); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE schema_version SET version = 99");
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file()));
        assertOneLineNaming(file(), e);
        assertTrue(e.getMessage().contains("99"), e.getMessage());
        store = null;
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedAndLeftAlone() throws IOException {
        store.close();
        store = null;
        Path junk = dir.resolve("notes.db");
        byte[] text = "this is a text file, not a database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(junk, text);
        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(junk));
        assertOneLineNaming(junk, e);
        assertArrayEquals(text, Files.readAllBytes(junk));
    }

    @Test
    void anotherApplicationsDatabaseIsRefused() throws SQLException {
        store.close();
        store = null;
        Path other = dir.resolve("other.db");
        try (Connection c = raw(other); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(other));
        assertOneLineNaming(other, e);
        assertTrue(e.getMessage().contains("not a scapstream store"), e.getMessage());
    }

    @Test
    void aDirectoryInPlaceOfTheFileIsRefused() throws IOException {
        store.close();
        store = null;
        Path d = Files.createDirectories(dir.resolve("store.db"));
        assertOneLineNaming(d, assertThrows(StoreException.class, () -> SqliteStore.open(d)));
    }

    @Test
    void theJarShipsSchemaSqliteSqlAsIs() throws IOException {
        byte[] repo = Files.readAllBytes(TestData.repo().resolve("schema/sqlite.sql"));
        byte[] shipped;
        try (InputStream in = SqliteStore.class.getResourceAsStream("/schema/sqlite.sql")) {
            assertTrue(in != null, "/schema/sqlite.sql on the classpath");
            shipped = in.readAllBytes();
        }
        assertArrayEquals(repo, shipped, "the classpath's /schema/sqlite.sql is stale");
    }

    /** Each row type's table: its columns are the record's fields, its key leads with the read path. */
    @Test
    void tablesMatchTheRowRecordsAndAreKeyedForTheReadPaths() throws SQLException {
        Map<String, Class<? extends Record>> tables = new LinkedHashMap<>();
        tables.put("container_rows", Rows.ContainerRow.class);
        tables.put("process_rows", Rows.ProcessRow.class);
        tables.put("file_rows", Rows.FileRow.class);
        tables.put("connection_rows", Rows.ConnectionRow.class);
        tables.put("port_rows", Rows.PortRow.class);
        tables.put("syscall_rows", Rows.SyscallRow.class);
        tables.put("errno_rows", Rows.ErrnoRow.class);
        tables.put("thread_rows", Rows.ThreadRow.class);
        tables.put("cpu_rows", Rows.CpuRow.class);
        tables.put("agent_rows", Rows.AgentRow.class);
        tables.put("processes", Rows.ProcessInfo.class);
        tables.put("containers", Rows.ContainerInfo.class);
        tables.put("recordings", Rows.Recording.class);
        store.close();
        try (Connection c = raw(file())) {
            for (Map.Entry<String, Class<? extends Record>> t : tables.entrySet()) {
                List<String> fields = Arrays.stream(t.getValue().getRecordComponents())
                        .map(rc -> rc.getName().replaceAll("([A-Z])", "_$1").toLowerCase()).toList();
                List<String> columns = new ArrayList<>();
                Map<Integer, String> key = new java.util.TreeMap<>();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("PRAGMA table_info(" + t.getKey() + ")")) {
                    while (rs.next()) {
                        columns.add(rs.getString("name"));
                        if (rs.getInt("pk") > 0) key.put(rs.getInt("pk"), rs.getString("name"));
                    }
                }
                assertEquals(fields, columns, t.getKey());
                String keyText = String.join(",", key.values());
                if (t.getKey().endsWith("_rows")) {
                    String lead = fields.contains("container_id") ? "host,container_id,res,ts" : "host,res,ts";
                    assertTrue(keyText.startsWith(lead), t.getKey() + " key " + keyText);
                }
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_master WHERE name = '" + t.getKey() + "'")) {
                    assertTrue(rs.getString(1).contains("WITHOUT ROWID"), t.getKey());
                }
            }
        }
    }

    @Test
    void aFailedBatchLeavesNothingAndTheStoreUsable() {
        MetricsBatch b = new MetricsBatch();
        Rows.ContainerRow good = CONTAINER.row(new At(H1, C1, 10, 1), 1);
        b.rows(RowKind.CONTAINER).add(good);
        b.rows(RowKind.PROCESS_INFO).add(proc(H1, C1, 5, 1, 0, ""));
        b.rows(RowKind.AGENT).add(new Rows.AgentRow(null, 10, 1, 1, 2, 3, 4, 5, 6, 7)); // written last, refused: no host
        StoreException e = assertThrows(StoreException.class, () -> store.write(b));
        assertOneLineNaming(file(), e);
        assertEquals(List.of(), store.containerSeries(H1, C1, 0, 100, 1));
        assertEquals(List.of(), store.processes(H1, C1, 0, 100));

        b.rows(RowKind.AGENT).clear();
        store.write(b);
        assertEquals(List.of(good), store.containerSeries(H1, C1, 0, 100, 1));
    }

    @Test
    void aClosedStoreSaysSo() {
        store.close();
        store.close(); // twice is fine
        assertOneLineNaming(file(), assertThrows(StoreException.class, () -> store.write(batchAt(1, 1))));
        assertOneLineNaming(file(), assertThrows(StoreException.class, () -> store.hosts()));
        store = null;
    }

    private static MetricsBatch batchAt(long ts, int processes) {
        MetricsBatch b = new MetricsBatch();
        for (int p = 0; p < processes; p++) b.rows(RowKind.PROCESS).add(PROCESS.row(new At(H1, C1, ts, 1).sub(p), ts * 1000 + p));
        b.rows(RowKind.CONTAINER).add(CONTAINER.row(new At(H1, C1, ts, 1), ts));
        return b;
    }

    /**
     * A reader sees a batch entirely or not at all, while the writer keeps writing. Each batch writes
     * its container row before its process rows, and more process rows than one driver chunk, so a
     * batch that was not one transaction would show a second with its container row and some or none
     * of its processes.
     */
    @Test
    void readersSeeWholeBatchesWhileTheWriterWrites() throws InterruptedException {
        int batches = 40, perBatch = 4500;
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Thread t = new Thread(() -> {
                try {
                    while (!done.get()) {
                        List<Rows.ContainerRow> seconds = store.containerSeries(H1, C1, 0, batches, 1);
                        if (seconds.isEmpty()) continue;
                        long last = seconds.get(seconds.size() - 1).ts();
                        // read after the container rows: a later snapshot, so the whole batch must be there
                        assertEquals(perBatch, store.processSeries(H1, C1, last, last + 1, 1).size(), "second " + last);
                        int next = store.processSeries(H1, C1, last + 1, last + 2, 1).size();
                        assertTrue(next == 0 || next == perBatch, "second being written: " + next + " rows");
                        reads.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            readers.add(t);
        }
        try {
            for (int ts = 0; ts < batches; ts++) store.write(batchAt(ts, perBatch));
        } finally {
            done.set(true);
            for (Thread t : readers) t.join();
        }
        if (!failures.isEmpty()) throw new AssertionError(failures.peek());
        assertEquals((long) batches * perBatch, store.processSeries(H1, C1, 0, batches, 1).size());
        assertTrue(reads.get() > 0);
        System.out.println("SqliteStore concurrent reads checked while writing: " + reads.get());
    }

    /** Prints the write rate; not asserted, since it depends on the machine. */
    @Test
    void writeThroughputIsPrinted() {
        int rows = 100_000;
        store.write(batchAt(1, 5_000)); // warm-up: JIT, driver, page cache
        MetricsBatch b = new MetricsBatch();
        for (int n = 0; n < rows; n++) {
            // 1,000 processes over 100 seconds, as a host's raw rows would come in
            b.rows(RowKind.PROCESS).add(PROCESS.row(new At(H2, C1, 1000 + n / 1000, 1).sub(n % 1000), n));
        }
        long t0 = System.nanoTime();
        store.write(b);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SqliteStore write: %,d process rows in one batch in %.3f s = %,.0f rows/s%n",
                rows, s, rows / s);

        List<MetricsBatch> seconds = new ArrayList<>();
        for (int ts = 0; ts < 100; ts++) seconds.add(batchAt(2000 + ts, 1000));
        t0 = System.nanoTime();
        for (MetricsBatch sec : seconds) store.write(sec);
        s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SqliteStore write: %,d rows in 100 batches (one per second of 1,000 processes) in %.3f s"
                + " = %,.0f rows/s%n", 100 * 1001, s, 100 * 1001 / s);

        assertEquals(1000, store.processSeries(H2, C1, 1000, 1001, 1).size());
        assertEquals(rows, store.processSeries(H2, C1, 0, 10_000, 1).size());
    }
}
