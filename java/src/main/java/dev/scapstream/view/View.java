package dev.scapstream.view;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One view (processes, containers, files, ...), defined once: the per-second rows it reads, its
 * columns (key, folded values, names), its default sort and where Enter drills down. A chisel's
 * table, `top`'s screen and `top --json` all come from {@link #evaluate}, over any store: the
 * agent's, a replay's, or the in-memory one a file or live run fills.
 */
public final class View<R> {
    /** Reads a row kind of one container from a store. */
    @FunctionalInterface
    public interface Fetch<R> {
        List<R> rows(MetricsStore store, String host, String containerId, long fromTs, long toTs, int res);
    }

    /** Enter on a row: the view to open, and the scope narrowed by the row's values (by header). */
    public record Drill(String viewId, java.util.function.BiFunction<Scope, java.util.function.Function<String, Object>, Scope> narrow) {}

    private final String id;
    private final String title;
    private final String description;
    private final Fetch<R> fetch;
    private final ToLongFunction<R> pid;
    private final ToLongFunction<R> ts;
    private final List<Column<R>> columns;
    private final int sortColumn;
    private final List<Drill> drills;

    /**
     * @param pid the row's pid, or null for rows of no process (a process scope then shows nothing)
     * @param ts  the row's second, or null for rows that are not a series (one row per key, no LAST column)
     * @param sortBy header of the default sort column (descending for numbers)
     */
    private View(String id, String title, String description, Fetch<R> fetch, ToLongFunction<R> pid,
                ToLongFunction<R> ts, List<Column<R>> columns, String sortBy, List<Drill> drills) {
        this.id = id;
        this.title = title;
        this.description = description;
        this.fetch = fetch;
        this.pid = pid;
        this.ts = ts;
        this.columns = List.copyOf(columns);
        this.sortColumn = indexOf(sortBy);
        if (sortColumn < 0) throw new IllegalArgumentException(id + ": no column " + sortBy);
        if (ts == null && columns.stream().anyMatch(c -> c.agg() == Agg.LAST)) {
            throw new IllegalArgumentException(id + ": a LAST column needs the rows' ts");
        }
        this.drills = List.copyOf(drills);
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    public List<Column<R>> columns() {
        return columns;
    }

    public int sortColumn() {
        return sortColumn;
    }

    public List<Drill> drills() {
        return drills;
    }

    /** Drilling into one row of this view's table: the target view's scope. */
    public Scope narrow(Drill d, Scope scope, Object[] row) {
        return d.narrow().apply(scope, header -> {
            int i = indexOf(header);
            if (i < 0) throw new IllegalArgumentException(id + ": no column " + header);
            return row[i];
        });
    }

    public int indexOf(String header) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).header().equalsIgnoreCase(header)) return i;
        return -1;
    }

    /** The view's rows over a scope, sorted by its default column. */
    public Table evaluate(MetricsStore store, Scope scope) {
        return evaluate(store, scope, sortColumn);
    }

    /** The view's rows over a scope, sorted by column {@code sortBy} (numbers descending, text ascending). */
    public Table evaluate(MetricsStore store, Scope scope, int sortBy) {
        Names names = new Names();
        List<Rows.ContainerInfo> containers = store.containers(scope.host(), scope.fromTs(), scope.toTs());
        names.addContainers(containers);
        List<String> ids = new ArrayList<>();
        if (scope.containerId() != null) ids.add(scope.containerId());
        else for (Rows.ContainerInfo c : containers) ids.add(c.id());
        Map<List<Object>, Fold> folds = new LinkedHashMap<>();
        for (String cid : ids) {
            names.addProcesses(store.processes(scope.host(), cid, scope.fromTs(), scope.toTs()));
            for (R row : fetch.rows(store, scope.host(), cid, scope.fromTs(), scope.toTs(), scope.res())) {
                if (scope.pid() >= 0 && (pid == null || pid.applyAsLong(row) != scope.pid())) continue;
                List<Object> key = new ArrayList<>();
                for (Column<R> c : columns) if (c.agg() == Agg.KEY) key.add(c.value().apply(row, names));
                folds.computeIfAbsent(key, k -> new Fold(row)).add(row, names);
            }
        }
        List<Object[]> rows = new ArrayList<>(folds.size());
        for (Fold f : folds.values()) rows.add(f.values(names));
        rows.sort(order(sortBy));
        return new Table(this, scope, sortBy, rows);
    }

    private Comparator<Object[]> order(int by) {
        Comparator<Object[]> main = (a, b) -> columns.get(by).numeric()
                ? Long.compare(num(b[by]), num(a[by])) : String.valueOf(a[by]).compareTo(String.valueOf(b[by]));
        // then by the key, so equal values keep one order from run to run
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).agg() != Agg.KEY) continue;
            int k = i;
            main = main.thenComparing((a, b) -> a[k] instanceof Long x && b[k] instanceof Long y
                    ? Long.compare(x, y) : String.valueOf(a[k]).compareTo(String.valueOf(b[k])));
        }
        return main;
    }

    static long num(Object v) {
        return v instanceof Long l ? l : 0;
    }

    /** The folded values of one key. */
    private final class Fold {
        private final R first;
        private final long[] acc = new long[columns.size()];
        private long lastTs = Long.MIN_VALUE;

        Fold(R first) {
            this.first = first;
        }

        void add(R row, Names names) {
            long t = ts == null ? 0 : ts.applyAsLong(row);
            for (int i = 0; i < acc.length; i++) {
                Column<R> c = columns.get(i);
                switch (c.agg()) {
                    case SUM -> acc[i] += num(c.value().apply(row, names));
                    case MAX -> acc[i] = Math.max(acc[i], num(c.value().apply(row, names)));
                    case LAST -> {
                        if (t >= lastTs) acc[i] = num(c.value().apply(row, names));
                    }
                    default -> { }
                }
            }
            lastTs = Math.max(lastTs, t);
        }

        Object[] values(Names names) {
            Object[] v = new Object[acc.length];
            for (int i = 0; i < acc.length; i++) {
                Column<R> c = columns.get(i);
                v[i] = switch (c.agg()) {
                    case KEY, INFO -> c.value().apply(first, names);
                    default -> acc[i];
                };
            }
            return v;
        }
    }

    /** Starts a view over one row kind; the builder's columns read that kind. */
    public static <R> Builder<R> of(String id, String title, String description, Fetch<R> fetch,
                                    ToLongFunction<R> pid, ToLongFunction<R> ts) {
        return new Builder<>(id, title, description, fetch, pid, ts);
    }

    /** Columns in order, then the default sort and the drill-downs. */
    public static final class Builder<R> {
        private final String id, title, description;
        private final Fetch<R> fetch;
        private final ToLongFunction<R> pid, ts;
        private final List<Column<R>> columns = new ArrayList<>();
        private final List<Drill> drills = new ArrayList<>();

        private Builder(String id, String title, String description, Fetch<R> fetch, ToLongFunction<R> pid,
                        ToLongFunction<R> ts) {
            this.id = id;
            this.title = title;
            this.description = description;
            this.fetch = fetch;
            this.pid = pid;
            this.ts = ts;
        }

        private Builder<R> add(String header, Unit unit, Agg agg, boolean hidden, java.util.function.BiFunction<R, Names, Object> f) {
            columns.add(new Column<>(header, unit, agg, hidden, f));
            return this;
        }

        public Builder<R> key(String header, Unit unit, java.util.function.BiFunction<R, Names, Object> f) {
            return add(header, unit, Agg.KEY, false, f);
        }

        /** A key column not shown: it tells rows apart (a process's start, its container's id). */
        public Builder<R> hiddenKey(String header, Unit unit, java.util.function.BiFunction<R, Names, Object> f) {
            return add(header, unit, Agg.KEY, true, f);
        }

        public Builder<R> sum(String header, Unit unit, java.util.function.BiFunction<R, Names, Object> f) {
            return add(header, unit, Agg.SUM, false, f);
        }

        public Builder<R> max(String header, Unit unit, java.util.function.BiFunction<R, Names, Object> f) {
            return add(header, unit, Agg.MAX, false, f);
        }

        public Builder<R> last(String header, Unit unit, java.util.function.BiFunction<R, Names, Object> f) {
            return add(header, unit, Agg.LAST, false, f);
        }

        public Builder<R> info(String header, Unit unit, java.util.function.BiFunction<R, Names, Object> f) {
            return add(header, unit, Agg.INFO, false, f);
        }

        /** A name not shown in top's table, for renderings that need it apart (a chisel's process name). */
        public Builder<R> hiddenInfo(String header, Unit unit, java.util.function.BiFunction<R, Names, Object> f) {
            return add(header, unit, Agg.INFO, true, f);
        }

        /** Enter opens {@code viewId} over the scope narrowed by the selected row. */
        public Builder<R> drill(String viewId,
                                java.util.function.BiFunction<Scope, java.util.function.Function<String, Object>, Scope> narrow) {
            drills.add(new Drill(viewId, narrow));
            return this;
        }

        public View<R> sortBy(String header) {
            return new View<>(id, title, description, fetch, pid, ts, columns, header, drills);
        }
    }

    /**
     * This view keyed by some of its key columns only; the other keys become names read from each
     * key's first row. The columns and their folds stay this view's (sysdig's topconns keys a
     * connection by protocol and tuple, where the connections view also keys it by process).
     */
    public View<R> keyedBy(String newId, String... keyHeaders) {
        java.util.Set<String> keep = new java.util.HashSet<>(List.of(keyHeaders));
        for (String h : keyHeaders) {
            int i = indexOf(h);
            if (i < 0 || columns.get(i).agg() != Agg.KEY) throw new IllegalArgumentException(id + ": no key column " + h);
        }
        List<Column<R>> cols = new ArrayList<>(columns.size());
        for (Column<R> c : columns) {
            cols.add(c.agg() == Agg.KEY && !keep.contains(c.header())
                    ? new Column<>(c.header(), c.unit(), Agg.INFO, c.hidden(), c.value()) : c);
        }
        return new View<>(newId, title, description, fetch, pid, ts, cols, columns.get(sortColumn).header(), List.of());
    }

    /** Columns by header, for front ends that name them (top's sort key, --json). */
    public Map<String, Integer> headers() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) m.put(columns.get(i).header(), i);
        return m;
    }
}
