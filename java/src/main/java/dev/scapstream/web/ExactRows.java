package dev.scapstream.web;

import dev.scapstream.store.MetricsStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows whose counters add up to exactly the range [from, to), read with as few rows as the rollups
 * allow: whole 1 d / 1 h / 10 s buckets inside the range, raw seconds at its edges. Rollup
 * counters are sums of the raw seconds, so the totals are the raw totals; an hour of per-second
 * rows of 50 processes (180,000) becomes a few hundred. Buckets past `complete` (the newest 10 s
 * edge the agent has written rollups for) are read raw, since their rollups are still growing.
 */
final class ExactRows {
    interface Reader<T> {
        List<T> read(long from, long to, int res);
    }

    private ExactRows() {}

    static <T> List<T> read(Reader<T> reader, long from, long to, long complete) {
        List<T> out = new ArrayList<>();
        long mid = Math.max(from, Math.min(to, complete));
        split(reader, from, mid, MetricsStore.RESOLUTIONS.length - 1, out);
        if (mid < to) out.addAll(reader.read(mid, to, 1));
        return out;
    }

    private static <T> void split(Reader<T> reader, long from, long to, int level, List<T> out) {
        if (from >= to) return;
        int res = MetricsStore.RESOLUTIONS[level];
        if (res == 1) {
            out.addAll(reader.read(from, to, 1));
            return;
        }
        long a = -Math.floorDiv(-from, res) * res;
        long b = Math.floorDiv(to, res) * res;
        if (a < b) {
            out.addAll(reader.read(a, b, res));
            split(reader, from, a, level - 1, out);
            split(reader, b, to, level - 1, out);
        } else {
            split(reader, from, to, level - 1, out);
        }
    }
}
