package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.Row;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A series table pair of schema/cassandra/tables.cql ({@code <kind>_rows} for raw seconds,
 * {@code <kind>_rollups} for 10 s / 1 h / 1 d) whose columns are a record's components in
 * snake_case plus {@code bucket}, bound and read by component, so the mapping cannot drift from
 * {@link dev.scapstream.store.Rows} (a test compares the live schema with the records).
 */
final class CqlTable<R extends Record> {
    /** Time steps per partition: bucket = floor(ts / (res * STEPS)) * res * STEPS. */
    static final long STEPS = 3600;

    final String kind;
    final Class<R> type;
    final boolean perContainer;
    final String columns;
    private final Method[] accessors;
    private final Class<?>[] types;
    private final Constructor<R> constructor;
    private final int hostIndex;
    private final int containerIndex;
    private final int tsIndex;
    private final int resIndex;

    CqlTable(String kind, Class<R> type) {
        this.kind = kind;
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        accessors = Arrays.stream(components).map(RecordComponent::getAccessor).toArray(Method[]::new);
        types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
        hostIndex = names.indexOf("host");
        containerIndex = names.indexOf("containerId");
        tsIndex = names.indexOf("ts");
        resIndex = names.indexOf("res");
        perContainer = containerIndex >= 0;
        if (hostIndex < 0 || tsIndex < 0 || resIndex < 0) throw new IllegalStateException(type + ": not a series row");
        for (Class<?> t : types) {
            if (t != String.class && t != long.class && t != int.class && !t.isEnum()) {
                throw new IllegalStateException(type.getSimpleName() + ": no column mapping for " + t);
            }
        }
        try {
            constructor = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
        columns = Arrays.stream(components).map(c -> column(c.getName())).collect(Collectors.joining(", "));
    }

    /** The raw table for res 1, the rollup table otherwise. */
    String table(int res) {
        return kind + (res == 1 ? "_rows" : "_rollups");
    }

    List<String> tables() {
        return List.of(kind + "_rows", kind + "_rollups");
    }

    String insertCql(String keyspace, int res) {
        int n = accessors.length;
        return "INSERT INTO " + keyspace + "." + table(res) + " (" + columns + ", bucket) VALUES ("
                + "?, ".repeat(n) + "?) USING TTL ?";
    }

    String selectCql(String keyspace, int res) {
        return "SELECT " + columns + " FROM " + keyspace + "." + table(res) + " WHERE host = ?"
                + (perContainer ? " AND container_id = ?" : "") + " AND res = ? AND bucket = ? AND ts >= ? AND ts < ?";
    }

    String host(R row) {
        return (String) get(hostIndex, row);
    }

    /** The container id, or "" for host-level rows (cpus, agent): the scope of the bucket index. */
    String scope(R row) {
        return perContainer ? (String) get(containerIndex, row) : "";
    }

    long ts(R row) {
        return (Long) get(tsIndex, row);
    }

    int res(R row) {
        return (Integer) get(resIndex, row);
    }

    static long bucket(long ts, int res) {
        long span = res * STEPS;
        return Math.floorDiv(ts, span) * span;
    }

    /** Binds a row's fields in component order, then its bucket and TTL. */
    void bind(BoundStatementBuilder b, R row, int ttlSeconds) {
        int n = accessors.length;
        for (int i = 0; i < n; i++) {
            Object v = get(i, row);
            Class<?> t = types[i];
            if (v == null) {
                b.setToNull(i);
            } else if (t == long.class) {
                b.setLong(i, (Long) v);
            } else if (t == int.class) {
                b.setInt(i, (Integer) v);
            } else if (t.isEnum()) {
                b.setString(i, ((Enum<?>) v).name()); // by name: reordering the enum cannot corrupt data
            } else {
                b.setString(i, (String) v);
            }
        }
        b.setLong(n, bucket(ts(row), res(row)));
        b.setInt(n + 1, ttlSeconds);
    }

    /** A row selected with {@link #columns}. */
    R read(Row r) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == long.class) {
                args[i] = r.getLong(i);
            } else if (t == int.class) {
                args[i] = r.getInt(i);
            } else if (t.isEnum()) {
                String s = r.getString(i);
                args[i] = s == null ? null : enumValue(t, s);
            } else {
                args[i] = r.getString(i);
            }
        }
        try {
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** The values a select binds before its bucket: host, [container id,] res. */
    List<Object> scopeValues(String host, String containerId, int res) {
        List<Object> v = new ArrayList<>(3);
        v.add(host);
        if (perContainer) v.add(containerId);
        v.add(res);
        return v;
    }

    private Object enumValue(Class<?> t, String s) {
        for (Object c : t.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(s)) return c;
        }
        throw new IllegalStateException(table(1) + ": unknown " + t.getSimpleName() + " '" + s + "'");
    }

    private Object get(int i, Object row) {
        try {
            return accessors[i].invoke(row);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** cpuUserNs -> cpu_user_ns */
    static String column(String component) {
        StringBuilder b = new StringBuilder();
        for (char c : component.toCharArray()) {
            if (Character.isUpperCase(c)) b.append('_').append(Character.toLowerCase(c));
            else b.append(c);
        }
        return b.toString();
    }
}
