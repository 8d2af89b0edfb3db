package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.scapstream.store.RecordColumns;
import dev.scapstream.store.RowKind;

import java.lang.reflect.Constructor;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A series table pair of schema/cassandra/tables.cql ({@code <kind>_rows} for raw seconds,
 * {@code <kind>_rollups} for 10 s / 1 h / 1 d): the record's key components are columns (host,
 * [container_id,] res, ts and the rest of the natural key), plus {@code bucket}; all other
 * components are the fields of one frozen UDT cell {@code m} ({@code <kind>_metrics}), in record
 * order. Bound and read by record component, so the mapping cannot drift from
 * {@link dev.scapstream.store.Rows} (a test compares the live schema with the records).
 *
 * <p>The UDT value is encoded here (CQL's format: per field a 4-byte length, -1 for null, then the
 * bytes) rather than through the driver's UdtValue: a write is one buffer per row.
 */
final class CqlTable<R extends Record> {
    /** Time steps per partition: bucket = floor(ts / (res * STEPS)) * res * STEPS. */
    static final long STEPS = 3600;

    final String kind;
    final Class<R> type;
    final boolean perContainer;
    /** Key columns, then bucket, then m: the insert's bind order. */
    private final int[] keyIndexes;
    private final int[] metricIndexes;
    final String keyColumns;
    private final MethodHandle[] accessors;
    private final Class<?>[] types;
    private final Constructor<R> constructor;
    private final int hostIndex;
    private final int containerIndex;
    private final int tsIndex;
    private final int resIndex;

    final RowKind<R> rowKind;

    /** The kind's tables: its natural key after the container are the clustering columns after ts. */
    CqlTable(RowKind<R> rowKind) {
        this.rowKind = rowKind;
        this.kind = rowKind.name;
        this.type = rowKind.type;
        List<String> clustering = rowKind.keyAfterScope();
        RecordComponent[] components = type.getRecordComponents();
        accessors = RecordColumns.getters(type);
        types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
        hostIndex = names.indexOf("host");
        containerIndex = names.indexOf("containerId");
        tsIndex = names.indexOf("ts");
        resIndex = names.indexOf("res");
        perContainer = containerIndex >= 0;
        if (hostIndex < 0 || tsIndex < 0 || resIndex < 0) throw new IllegalStateException(type + ": not a series row");
        List<Integer> keys = new ArrayList<>(List.of(hostIndex));
        if (perContainer) keys.add(containerIndex);
        keys.add(resIndex);
        keys.add(tsIndex);
        for (String c : clustering) {
            int i = names.indexOf(c);
            if (i < 0) throw new IllegalStateException(type + " has no " + c);
            keys.add(i);
        }
        keyIndexes = keys.stream().mapToInt(Integer::intValue).toArray();
        List<Integer> metrics = new ArrayList<>();
        for (int i = 0; i < components.length; i++) if (!keys.contains(i)) metrics.add(i);
        metricIndexes = metrics.stream().mapToInt(Integer::intValue).toArray();
        constructor = RecordColumns.canonicalConstructor(type, types);
        keyColumns = Arrays.stream(keyIndexes).mapToObj(i -> column(components[i].getName()))
                .collect(Collectors.joining(", "));
    }

    /** The raw table for res 1, the rollup table otherwise. */
    String table(int res) {
        return kind + (res == 1 ? "_rows" : "_rollups");
    }

    String insertCql(String keyspace, int res) {
        return "INSERT INTO " + keyspace + "." + table(res) + " (" + keyColumns + ", bucket, m) VALUES ("
                + "?, ".repeat(keyIndexes.length) + "?, ?) USING TTL ?";
    }

    String selectCql(String keyspace, int res) {
        return "SELECT " + keyColumns + ", m FROM " + keyspace + "." + table(res) + " WHERE host = ?"
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

    /** The row's primary key values (host, [container,] res, ts, clustering columns after ts). */
    List<Object> key(R row) {
        Object[] k = new Object[keyIndexes.length];
        for (int i = 0; i < k.length; i++) k[i] = get(keyIndexes[i], row);
        return Arrays.asList(k);
    }

    static long bucket(long ts, int res) {
        long span = res * STEPS;
        return Math.floorDiv(ts, span) * span;
    }

    /** Binds a row: its key columns, its bucket (see {@link #bucket}), its metrics as one UDT value, its TTL. */
    void bind(BoundStatementBuilder b, R row, long bucket, int ttlSeconds) {
        int n = keyIndexes.length;
        for (int k = 0; k < n; k++) {
            int i = keyIndexes[k];
            Object v = get(i, row);
            if (v == null) throw new IllegalArgumentException(table(1) + ": key " + column(i) + " is null");
            b.setBytesUnsafe(k, encode(types[i], v));
        }
        b.setBytesUnsafe(n, Codecs.bigint(bucket));
        b.setBytesUnsafe(n + 1, metrics(row));
        b.setBytesUnsafe(n + 2, Codecs.integer(ttlSeconds));
    }

    private ByteBuffer metrics(R row) {
        Object[] values = new Object[metricIndexes.length];
        byte[][] text = new byte[metricIndexes.length][];
        int size = 0;
        for (int f = 0; f < metricIndexes.length; f++) {
            int i = metricIndexes[f];
            Object v = get(i, row);
            values[f] = v;
            size += 4;
            if (v == null) continue;
            Class<?> t = types[i];
            if (t == long.class) size += 8;
            else if (t == int.class) size += 4;
            else size += (text[f] = (t.isEnum() ? ((Enum<?>) v).name() : (String) v).getBytes(StandardCharsets.UTF_8)).length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (int f = 0; f < metricIndexes.length; f++) {
            Object v = values[f];
            Class<?> t = types[metricIndexes[f]];
            if (v == null) {
                buf.putInt(-1);
            } else if (t == long.class) {
                buf.putInt(8).putLong((Long) v);
            } else if (t == int.class) {
                buf.putInt(4).putInt((Integer) v);
            } else {
                buf.putInt(text[f].length).put(text[f]);
            }
        }
        return buf.flip();
    }

    /** A row selected with {@link #selectCql}. */
    R read(Row r) {
        Object[] args = new Object[types.length];
        int n = keyIndexes.length;
        for (int k = 0; k < n; k++) {
            int i = keyIndexes[k];
            args[i] = decode(types[i], r.getBytesUnsafe(k));
        }
        ByteBuffer m = r.getBytesUnsafe(n);
        for (int f = 0; f < metricIndexes.length; f++) {
            int i = metricIndexes[f];
            ByteBuffer field = null;
            if (m != null && m.remaining() >= 4) { // fields added to the type later read as absent
                int len = m.getInt();
                if (len >= 0) {
                    field = m.slice();
                    field.limit(len);
                    m.position(m.position() + len);
                }
            }
            args[i] = decode(types[i], field);
        }
        try {
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private Object decode(Class<?> t, ByteBuffer b) {
        if (t == long.class) return b == null ? 0L : b.getLong(b.position());
        if (t == int.class) return b == null ? 0 : b.getInt(b.position());
        if (b == null) return null;
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        String s = new String(bytes, StandardCharsets.UTF_8);
        return t.isEnum() ? enumValue(t, s) : s;
    }

    private static ByteBuffer encode(Class<?> t, Object v) {
        if (t == long.class) return Codecs.bigint((Long) v);
        if (t == int.class) return Codecs.integer((Integer) v);
        return Codecs.text(t.isEnum() ? ((Enum<?>) v).name() : (String) v); // enums by name: reordering is safe
    }

    /** The values a select binds before its bucket: host, [container id,] res. */
    List<Object> scopeValues(String host, String containerId, int res) {
        List<Object> v = new ArrayList<>(3);
        v.add(host);
        if (perContainer) v.add(containerId);
        v.add(res);
        return v;
    }

    private String column(int component) {
        return column(type.getRecordComponents()[component].getName());
    }

    private Object enumValue(Class<?> t, String s) {
        Object v = RecordColumns.enumByName(t, s);
        if (v == null) throw new IllegalStateException(table(1) + ": unknown " + t.getSimpleName() + " '" + s + "'");
        return v;
    }

    private Object get(int i, Object row) {
        return RecordColumns.get(accessors[i], row);
    }

    /** cpuUserNs -> cpu_user_ns */
    static String column(String component) {
        return RecordColumns.column(component);
    }
}
