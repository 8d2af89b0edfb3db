package dev.scapstream.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything to write for one closed second: its raw rows, the rollup rows it completed or updated
 * (10 s, 1 h, 1 d buckets carry their running totals and are overwritten as they grow), upserts of
 * processes and containers, and notices of recorded files for the index, each in the order they
 * were added, one list per {@link RowKind}. Writing the same batch twice must leave the same rows.
 */
public final class MetricsBatch {
    private final List<?>[] rows = new List<?>[RowKind.all().size()];

    public MetricsBatch() {
        for (int i = 0; i < rows.length; i++) rows[i] = new ArrayList<>();
    }

    @SuppressWarnings("unchecked")
    public <R extends Record> List<R> rows(RowKind<R> kind) {
        return (List<R>) rows[kind.id];
    }

    public boolean isEmpty() {
        for (List<?> l : rows) if (!l.isEmpty()) return false;
        return true;
    }

    public int rowCount() {
        int n = 0;
        for (List<?> l : rows) n += l.size();
        return n;
    }

    /** Appends every row of another batch, kind by kind. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void addAll(MetricsBatch other) {
        for (int i = 0; i < rows.length; i++) ((List) rows[i]).addAll(other.rows[i]);
    }
}
