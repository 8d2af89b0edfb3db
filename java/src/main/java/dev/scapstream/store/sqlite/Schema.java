package dev.scapstream.store.sqlite;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.StoreException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/** schema/sqlite.sql, shipped in the jar as /schema/sqlite.sql, and the version check. */
final class Schema {
    private Schema() {}

    /** The version schema/sqlite.sql writes into schema_version. */
    static final int VERSION = 4;
    static final String RESOURCE = "/schema/sqlite.sql";

    static String script() {
        try (InputStream in = Schema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies the schema to a file that has none, in the caller's transaction, and brings an older
     * one up to date. Refuses a newer file and a database that belongs to something else.
     */
    static void ensure(Connection c, String where) throws SQLException {
        Integer found = version(c);
        if (found == null) {
            if (tableCount(c) > 0) {
                throw new StoreException(where + ": not a scapstream store (it has tables but no schema_version)");
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate(script()); // sqlite-jdbc runs a multi-statement script through sqlite3_exec
            }
            found = version(c);
            if (found == null) throw new IllegalStateException(RESOURCE + " does not create schema_version");
        }
        if (found > VERSION) {
            throw new StoreException(where + ": schema version " + found + " is newer than this build knows ("
                    + VERSION + "); use a newer scapstream");
        }
        if (found < VERSION) migrate(c);
    }

    /**
     * The script creates only what is missing (2: thread_rows; 3: recordings), so applying it again
     * adds new tables; a field a row kind gained later (4: file opens and open errors) is added to
     * its existing table as a column with a zero default.
     */
    private static void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(script());
        }
        for (RowKind<?> k : RowKind.series()) {
            String table = Tables.of(k).name;
            Set<String> columns = new HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
                while (rs.next()) columns.add(rs.getString("name"));
            }
            for (RowKind.Field f : k.fields()) {
                if (f.since <= 1 || columns.contains(f.column)) continue;
                String type = f.type == String.class ? "TEXT" : "INTEGER NOT NULL DEFAULT 0";
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("ALTER TABLE " + table + " ADD COLUMN " + f.column + " " + type);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE schema_version SET version = ? WHERE id = 1")) {
            ps.setInt(1, VERSION);
            ps.executeUpdate();
        }
    }

    /** The stored version, or null when the file has no schema_version table. */
    static Integer version(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM sqlite_master WHERE type = ? AND name = ?")) {
            ps.setString(1, "table");
            ps.setString(2, "schema_version");
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) == 0) return null;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT max(version) FROM schema_version");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static int tableCount(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM sqlite_master WHERE type = ? AND name NOT LIKE ?")) {
            ps.setString(1, "table");
            ps.setString(2, "sqlite%");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }
}
