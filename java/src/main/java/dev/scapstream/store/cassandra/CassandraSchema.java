package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies schema/cassandra/keyspace.cql and tables.cql (shipped in the jar as they are in the
 * repository) when the keyspace or a table is missing, then checks the schema version: a keyspace
 * written by a newer scapstream is refused, not written into.
 */
final class CassandraSchema {
    static final int VERSION = 4;
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern KEYSPACE_DDL = Pattern.compile(
            "CREATE KEYSPACE IF NOT EXISTS\\s+(\\w+)\\s+WITH replication\\s*=\\s*(\\{[^}]*\\})", Pattern.CASE_INSENSITIVE);
    private static final Pattern TABLE_DDL = Pattern.compile("CREATE (TABLE|TYPE) IF NOT EXISTS\\s+(\\w+)",
            Pattern.CASE_INSENSITIVE);

    private CassandraSchema() {}

    static void apply(CqlSession s, String keyspace, String replication) {
        boolean keyspaceExists = s.execute(SimpleStatement.newInstance(
                "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace)).one() != null;
        if (!keyspaceExists) {
            String ddl = statements("keyspace.cql").get(0);
            Matcher m = KEYSPACE_DDL.matcher(ddl);
            if (!m.find()) throw new IllegalStateException("schema/cassandra/keyspace.cql: no CREATE KEYSPACE");
            ddl = ddl.substring(0, m.start(1)) + keyspace + ddl.substring(m.end(1), m.start(2)) + replication
                    + ddl.substring(m.end(2));
            ddl(s, ddl);
        }
        Set<String> existing = new HashSet<>();
        for (Row r : s.execute(SimpleStatement.newInstance(
                "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace))) {
            existing.add("TABLE " + r.getString(0));
        }
        for (Row r : s.execute(SimpleStatement.newInstance(
                "SELECT type_name FROM system_schema.types WHERE keyspace_name = ?", keyspace))) {
            existing.add("TYPE " + r.getString(0));
        }
        for (String ddl : statements("tables.cql")) {
            Matcher m = TABLE_DDL.matcher(ddl);
            if (!m.find()) throw new IllegalStateException("schema/cassandra/tables.cql: not a CREATE TABLE or TYPE: " + ddl);
            if (existing.contains(m.group(1).toUpperCase(java.util.Locale.ROOT) + " " + m.group(2))) continue;
            String qualified = ddl.substring(0, m.start(2)) + keyspace + "." + ddl.substring(m.start(2));
            ddl(s, qualified); // frozen<type> resolves in the table's own keyspace
        }
        awaitAgreement(s);
        Row v = retryWhileUnknown(() -> s.execute(SimpleStatement.newInstance(
                "SELECT version FROM " + keyspace + ".schema_version WHERE id = 1")).one());
        if (v == null) {
            s.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".schema_version (id, version) VALUES (1, ?)",
                    VERSION));
        } else if (v.getInt(0) > VERSION) {
            throw new StoreException("keyspace " + keyspace + " has schema version " + v.getInt(0) + ", this scapstream "
                    + "reads and writes version " + VERSION);
        } else if (v.getInt(0) < VERSION) {
            // new tables and types (2: thread_*; 3: recordings) were created above where missing; fields
            // a row kind gained later (4: file opens and open errors) are added to its metrics type
            addFields(s, keyspace);
            s.execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".schema_version SET version = ? WHERE id = 1",
                    VERSION));
        }
    }

    private static void addFields(CqlSession s, String keyspace) {
        for (RowKind<?> k : RowKind.series()) {
            String type = k.name + "_metrics";
            Row r = s.execute(SimpleStatement.newInstance("SELECT field_names FROM system_schema.types"
                    + " WHERE keyspace_name = ? AND type_name = ?", keyspace, type)).one();
            if (r == null) continue;
            List<String> fields = r.getList(0, String.class);
            for (RowKind.Field f : k.fields()) {
                if (f.since <= 1 || fields.contains(f.column)) continue;
                String cql = f.type == long.class ? "bigint" : f.type == int.class ? "int"
                        : f.type == boolean.class ? "boolean" : "text";
                ddl(s, "ALTER TYPE " + keyspace + "." + type + " ADD " + f.column + " " + cql);
            }
        }
        awaitAgreement(s);
    }

    /** Schema changes reach every node through gossip: wait until all report the same version. */
    static void awaitAgreement(CqlSession s) {
        long end = System.nanoTime() + DDL_TIMEOUT.toNanos();
        while (!s.checkSchemaAgreement()) {
            if (System.nanoTime() > end) throw new IllegalStateException("the nodes do not agree on the schema after "
                    + DDL_TIMEOUT.toSeconds() + " s");
            sleep(200);
        }
    }

    /**
     * Runs a statement that names new tables, retrying while a coordinator does not know them yet
     * (agreement is reported a moment before every node has applied the change).
     */
    static <T> T retryWhileUnknown(java.util.function.Supplier<T> work) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return work.get();
            } catch (com.datastax.oss.driver.api.core.servererrors.InvalidQueryException e) {
                String m = String.valueOf(e.getMessage());
                boolean unknown = m.contains("does not exist") || m.contains("unconfigured table")
                        || m.contains("Undefined column") || m.contains("Unknown");
                if (!unknown || System.nanoTime() > end) throw e;
                sleep(250);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the schema");
        }
    }

    private static void ddl(CqlSession s, String cql) {
        s.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
    }

    /** The statements of a schema file: comments dropped, split at semicolons. */
    static List<String> statements(String file) {
        String text;
        try (InputStream in = CassandraSchema.class.getResourceAsStream("/schema/cassandra/" + file)) {
            if (in == null) throw new IllegalStateException("schema/cassandra/" + file + " is not in the jar");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema/cassandra/" + file, e);
        }
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n")) {
            int c = line.indexOf("--");
            b.append(c >= 0 ? line.substring(0, c) : line).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (String st : b.toString().split(";")) {
            String t = st.trim();
            if (!t.isEmpty()) out.add(t);
        }
        return out;
    }
}
