package dev.scapstream.store.cassandra;

import dev.scapstream.store.RowKind;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;
import dev.scapstream.store.StoreException;
import dev.scapstream.store.MetricsStoreContract;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract against a real Cassandra node: one keyspace for the class, every table truncated
 * before each test (a keyspace per test would cost the node ~20 tables' heap each time).
 */
class CassandraStoreTest extends MetricsStoreContract {
    private static final String KEYSPACE = "contract_" + ProcessHandle.current().pid();

    static String contactPoint() {
        return SharedNode.contactPointOrSkip();
    }

    static CassandraConfig config() {
        return CassandraConfig.local(CassandraConfig.parseContactPoints(contactPoint()), KEYSPACE);
    }

    @Override
    protected MetricsStore newStore() {
        CassandraStore s = CassandraStore.open(config());
        SharedNode.truncateAll(s.session(), KEYSPACE);
        return s;
    }

    @AfterAll
    static void dropKeyspace() {
        SharedNode.drop(KEYSPACE);
    }

    @Test
    void theJarShipsTheCqlFilesAsTheyAre() throws IOException {
        for (String f : List.of("keyspace.cql", "tables.cql")) {
            byte[] repo = java.nio.file.Files.readAllBytes(TestData.repo().resolve("schema/cassandra/" + f));
            try (var in = CassandraStore.class.getResourceAsStream("/schema/cassandra/" + f)) {
                assertEquals(new String(repo), new String(in.readAllBytes()), f + " on the classpath is stale");
            }
        }
    }

    /**
     * Each table's key columns plus the fields of its frozen metrics UDT are its record's fields, in
     * record order; the partition key leads with the read path and ends with the time bucket.
     */
    @Test
    void tablesMatchTheRowRecordsAndArePartitionedByTimeBucket() {
        CqlSession s = ((CassandraStore) store).session();
        Map<String, Class<? extends Record>> kinds = new LinkedHashMap<>();
        kinds.put("container", Rows.ContainerRow.class);
        kinds.put("process", Rows.ProcessRow.class);
        kinds.put("file", Rows.FileRow.class);
        kinds.put("connection", Rows.ConnectionRow.class);
        kinds.put("port", Rows.PortRow.class);
        kinds.put("syscall", Rows.SyscallRow.class);
        kinds.put("errno", Rows.ErrnoRow.class);
        kinds.put("thread", Rows.ThreadRow.class);
        kinds.put("cpu", Rows.CpuRow.class);
        kinds.put("agent", Rows.AgentRow.class);
        for (Map.Entry<String, Class<? extends Record>> k : kinds.entrySet()) {
            List<String> fields = new ArrayList<>();
            for (var rc : k.getValue().getRecordComponents()) fields.add(CqlTable.column(rc.getName()));
            List<String> udt = s.execute(SimpleStatement.newInstance("SELECT field_names FROM system_schema.types"
                    + " WHERE keyspace_name = ? AND type_name = ?", KEYSPACE, k.getKey() + "_metrics")).one()
                    .getList(0, String.class);
            for (String table : List.of(k.getKey() + "_rows", k.getKey() + "_rollups")) {
                Set<String> columns = new TreeSet<>();
                List<String> partition = new ArrayList<>(List.of("", "", "", ""));
                for (Row r : s.execute(SimpleStatement.newInstance("SELECT column_name, kind, position FROM"
                        + " system_schema.columns WHERE keyspace_name = ? AND table_name = ?", KEYSPACE, table))) {
                    columns.add(r.getString(0));
                    if (r.getString(1).equals("partition_key")) partition.set(r.getInt(2), r.getString(0));
                }
                assertTrue(columns.remove("bucket") && columns.remove("m"), table + ": bucket and m");
                List<String> keysThenMetrics = new ArrayList<>();
                for (String f : fields) if (columns.contains(f)) keysThenMetrics.add(f);
                assertEquals(columns.size(), keysThenMetrics.size(), table + " has columns no field names: " + columns);
                List<String> rest = new ArrayList<>(fields);
                rest.removeAll(columns);
                assertEquals(rest, udt, table + ": the UDT holds the other fields, in record order");
                String expected = fields.contains("container_id") ? "host,container_id,res,bucket" : "host,res,bucket";
                assertEquals(expected, String.join(",", partition).replaceAll(",+$", ""), table + " partition key");
                Row opts = s.execute(SimpleStatement.newInstance("SELECT default_time_to_live, compaction FROM"
                        + " system_schema.tables WHERE keyspace_name = ? AND table_name = ?", KEYSPACE, table)).one();
                boolean raw = table.endsWith("_rows");
                assertEquals(raw ? 172_800 : 0, opts.getInt(0), table + " default TTL");
                assertTrue(opts.getMap(1, String.class, String.class).get("class")
                        .endsWith(raw ? "TimeWindowCompactionStrategy" : "LeveledCompactionStrategy"), table);
            }
        }
        // what cqlsh users read: one field of the metrics cell
        MetricsBatch b = new MetricsBatch();
        Rows.ProcessRow p = PROCESS.row(new At(H1, C1, 100, 1), 3);
        b.rows(RowKind.PROCESS).add(p);
        store.write(b);
        Row r = s.execute(SimpleStatement.newInstance("SELECT m.vm_rss_kb, m.cpu_source FROM " + KEYSPACE
                + ".process_rows WHERE host = ? AND container_id = ? AND res = 1 AND bucket = 0", H1, C1)).one();
        assertEquals(p.vmRssKb(), r.getLong(0));
        assertEquals(p.cpuSource().name(), r.getString(1));
    }

    /** Rows expire by the TTL of their resolution; process and container rows by the longest one. */
    @Test
    void rowsExpireByTheTtlOfTheirResolution() throws InterruptedException {
        store.close();
        store = CassandraStore.open(config().withTtls(new int[] {2, 3600, 3600, 3600}));
        MetricsBatch b = new MetricsBatch();
        Rows.ContainerRow raw = CONTAINER.row(new At(H1, C1, 100, 1), 1);
        Rows.ContainerRow tens = CONTAINER.row(new At(H1, C1, 100, 10), 2);
        Rows.ProcessRow proc = PROCESS.row(new At(H1, C1, 100, 1), 3);
        b.rows(RowKind.CONTAINER).add(raw);
        b.rows(RowKind.CONTAINER).add(tens);
        b.rows(RowKind.PROCESS).add(proc);
        b.rows(RowKind.PROCESS_INFO).add(proc(H1, C1, 4000, 1, 0, ""));
        b.rows(RowKind.CONTAINER_INFO).add(ctr(H1, C1, 100, 100, ""));
        store.write(b);
        assertEquals(List.of(raw), store.containerSeries(H1, C1, 0, 1000, 1));
        assertEquals(List.of(proc), store.processSeries(H1, C1, 0, 1000, 1));
        Thread.sleep(3_500);
        assertEquals(List.of(), store.containerSeries(H1, C1, 0, 1000, 1), "raw rows after their 2 s TTL");
        assertEquals(List.of(), store.processSeries(H1, C1, 0, 1000, 1), "raw rows after their 2 s TTL");
        assertEquals(List.of(tens), store.containerSeries(H1, C1, 0, 1000, 10), "10 s rows are kept longer");
        assertEquals(1, store.processes(H1, C1, 0, 1000).size());
        assertEquals(1, store.containers(H1, 0, 1000).size());
        Row ttl = ((CassandraStore) store).session().execute(SimpleStatement.newInstance(
                "SELECT ttl(m) FROM " + KEYSPACE + ".container_rollups WHERE host = ? AND container_id = ?"
                        + " AND res = 10 AND bucket = 0", H1, C1)).one();
        assertTrue(ttl.getInt(0) > 3000 && ttl.getInt(0) <= 3600, "10 s rollup TTL " + ttl.getInt(0));
    }

    @Test
    void aKeyspaceOfANewerSchemaIsRefused() {
        CqlSession s = ((CassandraStore) store).session();
        s.execute("UPDATE " + KEYSPACE + ".schema_version SET version = 7 WHERE id = 1");
        try {
            StoreException e = assertThrows(StoreException.class, () -> CassandraStore.open(config()));
            assertTrue(e.getMessage().contains("schema version 7"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        } finally {
            s.execute("UPDATE " + KEYSPACE + ".schema_version SET version = " + CassandraSchema.VERSION + " WHERE id = 1");
        }
    }

    @Test
    void aVersionOneKeyspaceGainsTheThreadTables() {
        String ks = KEYSPACE + "_v1";
        CassandraConfig c = CassandraConfig.local(config().contactPoints(), ks);
        try (CassandraStore s = CassandraStore.open(c)) {
            // what a version 1 keyspace was: everything but the thread tables
            s.session().execute("DROP TABLE " + ks + ".thread_rows");
            s.session().execute("DROP TABLE " + ks + ".thread_rollups");
            s.session().execute("DROP TYPE " + ks + ".thread_metrics");
            s.session().execute("UPDATE " + ks + ".schema_version SET version = 1 WHERE id = 1");
        }
        try (CassandraStore s = CassandraStore.open(c)) {
            MetricsBatch b = new MetricsBatch();
            Rows.ThreadRow t = new Rows.ThreadRow(H1, C1, 7, 8, 50, 1, 999);
            b.rows(RowKind.THREAD).add(t);
            s.write(b);
            assertEquals(List.of(t), s.threads(H1, C1, 0, 100, 1));
            assertEquals(CassandraSchema.VERSION, s.session().execute(
                    "SELECT version FROM " + ks + ".schema_version WHERE id = 1").one().getInt(0));
            s.session().execute("DROP KEYSPACE " + ks);
        }
    }

    @Test
    void aVersionTwoKeyspaceGainsTheRecordingsIndex() {
        String ks = KEYSPACE + "_v2";
        CassandraConfig c = CassandraConfig.local(config().contactPoints(), ks);
        Rows.ThreadRow t = new Rows.ThreadRow(H1, C1, 7, 8, 50, 1, 999);
        try (CassandraStore s = CassandraStore.open(c)) {
            MetricsBatch b = new MetricsBatch();
            b.rows(RowKind.THREAD).add(t);
            s.write(b);
            // what a version 2 keyspace was: everything but the recordings table
            s.session().execute("DROP TABLE " + ks + ".recordings");
            s.session().execute("UPDATE " + ks + ".schema_version SET version = 2 WHERE id = 1");
        }
        try (CassandraStore s = CassandraStore.open(c)) {
            assertEquals(List.of(t), s.threads(H1, C1, 0, 100, 1), "the rows of version 2 stay");
            Rows.Recording r = new Rows.Recording(H1, "/r/x.scap", 10_000_000_000L, 11_000_000_000L, 123, false);
            MetricsBatch b = new MetricsBatch();
            b.rows(RowKind.RECORDING).add(r);
            s.write(b);
            assertEquals(List.of(r), s.recordings(H1, 0, 100));
            assertEquals(CassandraSchema.VERSION, s.session().execute(
                    "SELECT version FROM " + ks + ".schema_version WHERE id = 1").one().getInt(0));
            s.session().execute("DROP KEYSPACE " + ks);
        }
    }

    @Test
    void aNewKeyspaceGetsTheReplicationAsked() {
        String ks = KEYSPACE + "_nts";
        try (CassandraStore s = CassandraStore.open(CassandraConfig.local(config().contactPoints(), ks)
                .withReplication(CassandraConfig.parseReplication("datacenter1:1")))) {
            Map<String, String> r = s.session().execute(SimpleStatement.newInstance(
                    "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", ks)).one()
                    .getMap(0, String.class, String.class);
            assertTrue(r.get("class").endsWith("NetworkTopologyStrategy"), r.toString());
            assertEquals("1", r.get("datacenter1"), r.toString());
        } finally {
            SharedNode.drop(ks);
        }
    }

    @Test
    void writesAreIdempotentWithOneTimestampPerSecond() {
        // the same second written twice (a retry, or a spooled copy written after a newer second)
        // never doubles anything: every cell of a second carries the second's own timestamp
        CqlSession s = ((CassandraStore) store).session();
        MetricsBatch b = new MetricsBatch();
        b.rows(RowKind.CONTAINER).add(CONTAINER.row(new At(H1, C1, 100, 1), 1));
        b.rows(RowKind.FILE).add(FILE.row(new At(H1, C1, 100, 1), 2));
        store.write(b);
        List<Long> stamps = new ArrayList<>();
        for (String t : List.of("container_rows.m", "file_rows.m")) {
            String[] tc = t.split("\\.");
            Row r = s.execute(SimpleStatement.newInstance("SELECT writetime(" + tc[1] + ") FROM " + KEYSPACE + "." + tc[0]
                    + " WHERE host = ? AND container_id = ? AND res = 1 AND bucket = 0", H1, C1)).one();
            stamps.add(r == null ? null : r.getLong(0));
        }
        assertEquals(stamps.get(0), stamps.get(1), "one timestamp for the whole second");
    }
}
