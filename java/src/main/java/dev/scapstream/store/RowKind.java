package dev.scapstream.store;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kind of stored row, defined once: its record, its key, and how each of its fields folds when
 * rows of one key are combined (a rollup bucket, a run's totals, a view's sum). Batches, the
 * writer's merge, both stores' tables and migrations, the spool and the rollups derive from these
 * definitions, so a new metric is a component of its record in {@link Rows} and one word here.
 */
public final class RowKind<R extends Record> {
    /** How a field folds over rows of one key. */
    public enum Fold {
        HOST, TS, RES,
        /** part of the natural key (after host and, where there is one, the container) */
        KEY,
        /** a counter: the sum of the known values; negative means unknown, and stays so until one is known */
        SUM,
        /** a gauge: the average over the seconds seen (ints rounded) */
        AVG,
        /** the maximum of this field (and of the gauge it is the peak of) */
        MAX,
        /** where the CPU time came from: {@link Rows.CpuSource#merge} */
        SOURCE,
        /** not part of the key: the bucket's first row's value (a process's container, a connection's server port) */
        FIRST,
        /** a field of an entity (process, container, recording), merged by the store's upsert rule */
        ATTR
    }

    /** One component of the record and its rule. */
    public static final class Field {
        public final String name;
        public final String column;
        public final Fold fold;
        public final Class<?> type;
        public final int index;
        /** the schema version that added this field (older stores and spool files lack it) */
        public final int since;
        /** for MAX: the index of the gauge whose values also count for the maximum, else -1 */
        public final int peakOf;
        final MethodHandle getter;

        Field(String name, Fold fold, Class<?> type, int index, int since, int peakOf, MethodHandle getter) {
            this.name = name;
            this.column = RecordColumns.column(name);
            this.fold = fold;
            this.type = type;
            this.index = index;
            this.since = since;
            this.peakOf = peakOf;
            this.getter = getter;
        }

        public Object get(Object row) {
            return RecordColumns.get(getter, row);
        }

        public long getLong(Object row) {
            Object v = get(row);
            return v instanceof Integer i ? i : (Long) v;
        }
    }

    private static final List<RowKind<?>> ALL = new ArrayList<>();

    public static final RowKind<Rows.ContainerRow> CONTAINER = series("container", Rows.ContainerRow.class)
            .key("containerId")
            .sum("cpuNs", "fileInBytes", "fileOutBytes", "fileOps", "netInBytes", "netOutBytes", "syscalls", "syscallErrors")
            .source("cpuSource").avg("memRssKb", "memVmKb", "memSwapKb", "processes").peak("memRssMaxKb", "memRssKb")
            .done();
    public static final RowKind<Rows.ProcessRow> PROCESS = series("process", Rows.ProcessRow.class)
            .first("containerId").key("pid", "startTs")
            .sum("cpuNs", "cpuUserNs", "cpuSysNs", "minorFaults", "majorFaults", "fileInBytes", "fileOutBytes",
                    "netInBytes", "netOutBytes", "syscalls", "syscallErrors")
            .source("cpuSource").avg("vmSizeKb", "vmRssKb", "vmSwapKb").peak("vmRssMaxKb", "vmRssKb")
            .done();
    public static final RowKind<Rows.FileRow> FILE = series("file", Rows.FileRow.class)
            .key("containerId", "pid", "file").sum("bytesIn", "bytesOut", "opsIn", "opsOut")
            .since(4).sum("opens", "openErrors")
            .done();
    public static final RowKind<Rows.ConnectionRow> CONNECTION = series("connection", Rows.ConnectionRow.class)
            .key("containerId", "pid", "l4", "tuple").first("serverPort").sum("bytesIn", "bytesOut")
            .done();
    public static final RowKind<Rows.PortRow> PORT = series("port", Rows.PortRow.class)
            .key("containerId", "l4", "port").sum("bytesIn", "bytesOut")
            .done();
    public static final RowKind<Rows.SyscallRow> SYSCALL = series("syscall", Rows.SyscallRow.class)
            .key("containerId", "pid", "syscall").sum("calls", "errors", "totalLatencyNs").peak("maxLatencyNs", null)
            .done();
    public static final RowKind<Rows.ErrnoRow> ERRNO = series("errno", Rows.ErrnoRow.class)
            .key("containerId", "pid", "syscall", "errno").sum("count")
            .done();
    public static final RowKind<Rows.ThreadRow> THREAD = series("thread", Rows.ThreadRow.class)
            .key("containerId", "pid", "tid").sum("cpuNs")
            .done();
    public static final RowKind<Rows.CpuRow> CPU = series("cpu", Rows.CpuRow.class)
            .key("cpu").sum("busyNs")
            .done();
    public static final RowKind<Rows.AgentRow> AGENT = series("agent", Rows.AgentRow.class)
            .sum("events", "drops", "dropsBuffer", "dropsScratchMap", "dropsPf", "dropsBug", "preemptions")
            .done();
    public static final RowKind<Rows.ProcessInfo> PROCESS_INFO = entity("processes", Rows.ProcessInfo.class)
            .key("containerId", "pid", "startTs").attr("ppid", "exitTs", "comm", "exe", "args", "user")
            .done();
    public static final RowKind<Rows.ContainerInfo> CONTAINER_INFO = entity("containers", Rows.ContainerInfo.class)
            .key("id").attr("name", "image", "runtime", "firstSeen", "lastSeen")
            .done();
    public static final RowKind<Rows.Recording> RECORDING = entity("recordings", Rows.Recording.class).added(3)
            .key("path").attr("firstNs", "lastNs", "bytes", "gone")
            .done();

    /** Every kind, in the order batches, spool files and writes list them. */
    public static List<RowKind<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The kinds that have a resolution (ts, res): the per-second metrics and their rollups. */
    public static List<RowKind<?>> series() {
        return ALL.stream().filter(k -> k.series).toList();
    }

    public final int id;
    /** the Cassandra tables' stem and SQLite's table stem; entity kinds: the table */
    public final String name;
    public final Class<R> type;
    public final boolean series;
    /** the schema version that added this kind */
    public final int since;
    /** whether the key starts with the container (every kind but cpu and agent rows) */
    public final boolean perContainer;
    private final Field[] fields;
    private final List<Field> fieldList;
    private final Field[] keyAfterScope;
    private final Constructor<R> constructor;

    private RowKind(Builder<R> b) {
        this.id = ALL.size();
        this.name = b.name;
        this.type = b.type;
        this.series = b.series;
        this.since = b.kindSince;
        RecordComponent[] cs = b.type.getRecordComponents();
        MethodHandle[] getters = RecordColumns.getters(b.type);
        Class<?>[] types = Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new);
        fields = new Field[cs.length];
        List<String> names = Arrays.stream(cs).map(RecordComponent::getName).toList();
        for (int i = 0; i < cs.length; i++) {
            String n = cs[i].getName();
            Fold f = b.folds.get(n);
            if (f == null) throw new IllegalStateException(b.type.getSimpleName() + "." + n + " has no fold rule");
            String peak = b.peaks.get(n);
            fields[i] = new Field(n, f, types[i], i, b.since.getOrDefault(n, 1), peak == null ? -1 : names.indexOf(peak),
                    getters[i]);
        }
        b.folds.keySet().forEach(n -> {
            if (!names.contains(n)) throw new IllegalStateException(b.type.getSimpleName() + " has no " + n);
        });
        fieldList = List.of(fields);
        perContainer = names.contains("containerId");
        keyAfterScope = Arrays.stream(fields).filter(f -> f.fold == Fold.KEY && !f.name.equals("containerId"))
                .toArray(Field[]::new);
        constructor = RecordColumns.canonicalConstructor(b.type, types);
        ALL.add(this);
    }

    /** Every component, in record order. */
    public List<Field> fields() {
        return fieldList;
    }

    public Field field(String name) {
        for (Field f : fields) if (f.name.equals(name)) return f;
        throw new IllegalArgumentException(type.getSimpleName() + " has no " + name);
    }

    /** The natural key's components after the host and the container (record names), e.g. pid, startTs. */
    public List<String> keyAfterScope() {
        return Arrays.stream(keyAfterScope).map(f -> f.name).toList();
    }

    /** The highest schema version that added a field of this kind. */
    public int version() {
        return Math.max(since, Arrays.stream(fields).mapToInt(f -> f.since).max().orElse(1));
    }

    /** A row from its components in record order. */
    public R make(Object[] values) {
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(type.getSimpleName() + ": " + e, e);
        }
    }

    /** A row's key: its host and its key fields' values, in record order (no ts or res). */
    public List<Object> key(R row) {
        List<Object> k = new ArrayList<>(keyAfterScope.length + 2);
        for (Field f : fields) {
            if (f.fold == Fold.HOST || f.fold == Fold.KEY) k.add(f.get(row));
        }
        return k;
    }

    /**
     * Two rows of one key as one total (the one rule wherever rows are summed by key): counters
     * add up (an unknown one, negative, counts only while nothing is known), maxima take the
     * larger, gauges the later row's value, CPU sources merge, and the rest is the first row's.
     */
    public R combine(R a, R b) {
        Object[] v = new Object[fields.length];
        for (Field f : fields) {
            Object x = f.get(a);
            v[f.index] = switch (f.fold) {
                case SUM -> {
                    long p = f.getLong(a), q = f.getLong(b);
                    long t = p < 0 ? q : q < 0 ? p : p + q;
                    yield f.type == int.class ? (Object) (int) t : (Object) t;
                }
                case MAX -> f.type == int.class ? (Object) (int) Math.max(f.getLong(a), f.getLong(b))
                        : (Object) Math.max(f.getLong(a), f.getLong(b));
                case AVG -> f.get(b);
                case SOURCE -> Rows.CpuSource.merge((Rows.CpuSource) x, (Rows.CpuSource) f.get(b));
                default -> x;
            };
        }
        return make(v);
    }

    /** The rows of this kind in a batch. */
    public List<R> of(MetricsBatch b) {
        return b.rows(this);
    }

    @Override
    public String toString() {
        return name;
    }

    private static <R extends Record> Builder<R> series(String name, Class<R> type) {
        Builder<R> b = new Builder<>(name, type, true);
        b.set(Fold.HOST, "host").set(Fold.TS, "ts").set(Fold.RES, "res");
        return b;
    }

    private static <R extends Record> Builder<R> entity(String name, Class<R> type) {
        return new Builder<R>(name, type, false).set(Fold.HOST, "host");
    }

    private static final class Builder<R extends Record> {
        final String name;
        final Class<R> type;
        final boolean series;
        final Map<String, Fold> folds = new LinkedHashMap<>();
        final Map<String, String> peaks = new LinkedHashMap<>();
        final Map<String, Integer> since = new LinkedHashMap<>();
        int version = 1;
        int kindSince = 1;

        Builder(String name, Class<R> type, boolean series) {
            this.name = name;
            this.type = type;
            this.series = series;
        }

        Builder<R> set(Fold f, String... names) {
            for (String n : names) {
                if (folds.put(n, f) != null) throw new IllegalStateException(type.getSimpleName() + "." + n + " has two rules");
                if (version > 1) since.put(n, version);
            }
            return this;
        }

        /** Fields named after this call were added in schema version v. */
        Builder<R> since(int v) {
            version = v;
            return this;
        }

        /** The kind itself was added in schema version v. */
        Builder<R> added(int v) {
            kindSince = v;
            return this;
        }

        Builder<R> key(String... n) { return set(Fold.KEY, n); }
        Builder<R> sum(String... n) { return set(Fold.SUM, n); }
        Builder<R> avg(String... n) { return set(Fold.AVG, n); }
        Builder<R> source(String... n) { return set(Fold.SOURCE, n); }
        Builder<R> first(String... n) { return set(Fold.FIRST, n); }
        Builder<R> attr(String... n) { return set(Fold.ATTR, n); }

        /** A maximum, also over the values of the gauge it is the peak of (null: none). */
        Builder<R> peak(String n, String gauge) {
            set(Fold.MAX, n);
            if (gauge != null) peaks.put(n, gauge);
            return this;
        }

        RowKind<R> done() {
            return new RowKind<>(this);
        }
    }
}
