package dev.scapstream.store.sqlite;

import dev.scapstream.store.RecordColumns;

import java.lang.reflect.Constructor;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.RecordComponent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table whose columns are a record's components in snake_case, bound and read in component order,
 * so the mapping cannot drift from {@link dev.scapstream.store.Rows}. Also holds the table's SQL:
 * the schema file and these strings must agree on names, which the tests check.
 */
final class RowTable<R extends Record> {
    final String name;
    /** Series tables: the key columns before res (host, and container_id for per-container tables). */
    final List<String> scope;
    final String insertSql;
    // Series tables only (null for processes and containers, which have no res and ts):
    /** Rows of one scope and resolution in [from, to), in primary-key order. */
    final String seriesSql;
    /** Deletes one scope's rows of a resolution older than a cutoff. */
    final String expireSql;
    /** The first scope value, then the next one after a given one: a skip-scan over the primary key. */
    final String firstScopeSql;
    final String nextScopeSql;
    final String selectColumns;

    private final Class<R> type;
    private final MethodHandle[] accessors;
    private final Class<?>[] types;
    private final Constructor<R> constructor;

    private RowTable(String name, Class<R> type, List<String> scope, String orderAfterTs, String conflictClause) {
        this.name = name;
        this.type = type;
        this.scope = scope;
        RecordComponent[] components = type.getRecordComponents();
        accessors = RecordColumns.getters(type);
        types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        constructor = RecordColumns.canonicalConstructor(type, types);
        selectColumns = Arrays.stream(components).map(c -> column(c.getName())).collect(Collectors.joining(", "));
        String marks = String.join(", ", Collections.nCopies(components.length, "?"));
        String verb = conflictClause == null ? "INSERT OR REPLACE" : "INSERT";
        insertSql = verb + " INTO " + name + " (" + selectColumns + ") VALUES (" + marks + ")"
                + (conflictClause == null ? "" : " " + conflictClause);
        if (orderAfterTs == null) {
            seriesSql = expireSql = firstScopeSql = nextScopeSql = null;
            return;
        }
        String scopeEq = scope.stream().map(c -> c + " = ?").collect(Collectors.joining(" AND "));
        String scopeList = String.join(", ", scope);
        seriesSql = "SELECT " + selectColumns + " FROM " + name + " WHERE " + scopeEq
                + " AND res = ? AND ts >= ? AND ts < ? ORDER BY ts" + (orderAfterTs.isEmpty() ? "" : ", " + orderAfterTs);
        expireSql = "DELETE FROM " + name + " WHERE " + scopeEq + " AND res = ? AND ts < ?";
        firstScopeSql = "SELECT " + scopeList + " FROM " + name + " ORDER BY " + scopeList + " LIMIT 1";
        nextScopeSql = "SELECT " + scopeList + " FROM " + name + " WHERE (" + scopeList + ") > ("
                + String.join(", ", Collections.nCopies(scope.size(), "?")) + ") ORDER BY " + scopeList + " LIMIT 1";
    }

    /** A metrics table: key (scope..., res, ts, orderAfterTs...), rows replaced on rewrite. */
    static <R extends Record> RowTable<R> series(String name, Class<R> type, boolean perContainer, String orderAfterTs) {
        List<String> scope = perContainer ? List.of("host", "container_id") : List.of("host");
        return new RowTable<>(name, type, scope, orderAfterTs, null);
    }

    /** An info table merged on rewrite by the given ON CONFLICT clause. */
    static <R extends Record> RowTable<R> merged(String name, Class<R> type, String conflictClause) {
        return new RowTable<>(name, type, List.of(), null, conflictClause);
    }

    /** Binds a row's fields to parameters 1..n in component order. */
    void bind(PreparedStatement ps, R row) throws SQLException {
        for (int i = 0; i < accessors.length; i++) {
            Object v = get(accessors[i], row);
            Class<?> t = types[i];
            if (v == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else if (t == long.class || t == int.class) {
                ps.setObject(i + 1, v); // the driver keeps the boxed value as it is (setLong boxes again)
            } else if (t == boolean.class) {
                ps.setInt(i + 1, (Boolean) v ? 1 : 0); // SQLite has no boolean: INTEGER 0/1
            } else if (t.isEnum()) {
                ps.setString(i + 1, ((Enum<?>) v).name()); // by name: reordering the enum cannot corrupt data
            } else {
                ps.setString(i + 1, (String) v);
            }
        }
    }

    /** Reads the current row of a result set selected with {@link #selectColumns}. */
    R read(ResultSet rs) throws SQLException {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == long.class) {
                args[i] = rs.getLong(i + 1);
            } else if (t == int.class) {
                args[i] = rs.getInt(i + 1);
            } else if (t == boolean.class) {
                args[i] = rs.getInt(i + 1) != 0;
            } else if (t.isEnum()) {
                String s = rs.getString(i + 1);
                args[i] = s == null ? null : enumValue(t, s);
            } else {
                args[i] = rs.getString(i + 1);
            }
        }
        try {
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private Object enumValue(Class<?> t, String s) throws SQLException {
        Object v = RecordColumns.enumByName(t, s);
        if (v == null) throw new SQLException(name + ": unknown " + t.getSimpleName() + " '" + s + "'");
        return v;
    }

    private static Object get(MethodHandle accessor, Object row) {
        return RecordColumns.get(accessor, row);
    }

    /** cpuUserNs -> cpu_user_ns */
    static String column(String component) {
        return RecordColumns.column(component);
    }
}
