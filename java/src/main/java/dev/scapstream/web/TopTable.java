package dev.scapstream.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import dev.scapstream.store.MetricsStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongBinaryOperator;
import java.util.function.ToLongFunction;

/**
 * A top-N table (lsof, netstat, strace -c) over one kind of stored row: rows grouped by a key,
 * counters summed (or maxed) per group over exactly the range, the largest groups first by the
 * sum of the sort columns, at most {@link #LIMIT}. A definition lists its columns in the order the
 * JSON has them, one call each; an instance is immutable.
 */
final class TopTable<R> {
    /** Rows per table (largest first); the answer says how many were left out. */
    static final int LIMIT = 1000;

    /** How the rows are read from the store, e.g. {@code MetricsStore::files}. */
    interface Source<R> {
        List<R> read(MetricsStore store, String host, String containerId, long from, long to, int res);
    }

    record Answer(long from, long to, int res, List<Row> rows, int omitted) {}

    /** One group's columns, written as a JSON object in the definition's order. */
    record Row(List<String> names, Object[] values) implements JsonSerializable {
        @Override
        public void serialize(JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            for (int i = 0; i < values.length; i++) p.defaultSerializeField(names.get(i), values[i], g);
            g.writeEndObject();
        }

        @Override
        public void serializeWithType(JsonGenerator g, SerializerProvider p, TypeSerializer t) throws IOException {
            serialize(g, p);
        }
    }

    private sealed interface Column<R> permits Label, Comm, Counter, Mean {
        String name();
    }

    /** Taken from the group's first row (so a function of the key). */
    private record Label<R>(String name, Function<R, ?> value) implements Column<R> {}

    /** The command name of a pid alive in the range, "" if none. */
    private record Comm<R>(String name, ToLongFunction<R> pid) implements Column<R> {}

    private record Counter<R>(String name, ToLongFunction<R> value, LongBinaryOperator merge, int slot) implements Column<R> {}

    /** total / count of two counters, 0 when count is 0. */
    private record Mean<R>(String name, int total, int count) implements Column<R> {}

    /** The rows of one key: the first (for the labels) and the counters. */
    private record Group<R>(R first, long[] sums) {}

    private final Source<R> source;
    private final Function<R, ?> key;
    private final ToLongFunction<R> pid;
    private final List<Column<R>> columns;
    private final int[] sortBy;

    private TopTable(Source<R> source, Function<R, ?> key, ToLongFunction<R> pid, List<Column<R>> columns, int[] sortBy) {
        this.source = source;
        this.key = key;
        this.pid = pid;
        this.columns = List.copyOf(columns);
        this.sortBy = sortBy;
    }

    /** A table of the rows `source` reads, grouped by `key` (its parts' equality). */
    static <R> TopTable<R> of(Source<R> source, Function<R, ?> key) {
        return new TopTable<>(source, key, null, List.of(), new int[0]);
    }

    /** A key of several parts. */
    static List<Object> key(Object... parts) {
        return Arrays.asList(parts);
    }

    /** Rows carry a pid, so the table can be asked for one process. */
    TopTable<R> perProcess(ToLongFunction<R> pidOf) {
        return new TopTable<>(source, key, pidOf, columns, sortBy);
    }

    TopTable<R> label(String name, Function<R, ?> value) {
        return with(new Label<>(name, value));
    }

    TopTable<R> comm(ToLongFunction<R> pidOf) {
        return with(new Comm<>("comm", pidOf));
    }

    TopTable<R> sum(String name, ToLongFunction<R> value) {
        return with(new Counter<>(name, value, Long::sum, counters()));
    }

    TopTable<R> max(String name, ToLongFunction<R> value) {
        return with(new Counter<>(name, value, Math::max, counters()));
    }

    TopTable<R> mean(String name, String total, String count) {
        return with(new Mean<>(name, slot(total), slot(count)));
    }

    /** Largest first by the sum of these counters. */
    TopTable<R> sortBy(String... counters) {
        int[] s = new int[counters.length];
        for (int i = 0; i < s.length; i++) s[i] = slot(counters[i]);
        return new TopTable<>(source, key, pid, columns, s);
    }

    /** The table over exactly the range, for one process when `onlyPid` is given (and the rows carry a pid). */
    Answer read(Reads reads, String host, String cid, Long onlyPid, TimeRange r) {
        MetricsStore store = reads.store();
        List<R> rows = reads.exact(host, r, (f, t, res) -> source.read(store, host, cid, f, t, res));
        Map<Object, Group<R>> groups = new LinkedHashMap<>();
        int n = counters();
        for (R row : rows) {
            if (onlyPid != null && pid != null && pid.applyAsLong(row) != onlyPid) continue;
            Group<R> g = groups.computeIfAbsent(key.apply(row), k -> new Group<>(row, new long[n]));
            for (Column<R> c : columns) {
                if (c instanceof Counter<R> k) g.sums()[k.slot()] = k.merge().applyAsLong(g.sums()[k.slot()], k.value().applyAsLong(row));
            }
        }
        List<Group<R>> sorted = new ArrayList<>(groups.values());
        sorted.sort(Comparator.comparingLong((Group<R> g) -> {
            long s = 0;
            for (int k : sortBy) s += g.sums()[k];
            return s;
        }).reversed());
        Map<Long, String> comms = columns.stream().anyMatch(c -> c instanceof Comm) ? reads.comms(host, cid, r) : Map.of();
        List<String> names = columns.stream().map(Column::name).toList();
        List<Row> out = new ArrayList<>();
        for (Group<R> g : sorted.subList(0, Math.min(LIMIT, sorted.size()))) out.add(new Row(names, values(g, comms)));
        return new Answer(r.from(), r.to(), r.res(), out, Math.max(0, sorted.size() - LIMIT));
    }

    private Object[] values(Group<R> g, Map<Long, String> comms) {
        Object[] v = new Object[columns.size()];
        for (int i = 0; i < v.length; i++) {
            Column<R> c = columns.get(i);
            if (c instanceof Label<R> l) v[i] = l.value().apply(g.first());
            else if (c instanceof Comm<R> m) v[i] = comms.getOrDefault(m.pid().applyAsLong(g.first()), "");
            else if (c instanceof Counter<R> k) v[i] = g.sums()[k.slot()];
            else if (c instanceof Mean<R> m) v[i] = g.sums()[m.count()] == 0 ? 0 : g.sums()[m.total()] / g.sums()[m.count()];
        }
        return v;
    }

    private TopTable<R> with(Column<R> c) {
        if (columns.stream().anyMatch(x -> x.name().equals(c.name()))) throw new IllegalArgumentException("column '" + c.name() + "' twice");
        List<Column<R>> cs = new ArrayList<>(columns);
        cs.add(c);
        return new TopTable<>(source, key, pid, cs, sortBy);
    }

    private int counters() {
        return (int) columns.stream().filter(c -> c instanceof Counter).count();
    }

    private int slot(String counter) {
        for (Column<R> c : columns) {
            if (c instanceof Counter<R> k && k.name().equals(counter)) return k.slot();
        }
        throw new IllegalArgumentException("no counter column '" + counter + "'");
    }
}
