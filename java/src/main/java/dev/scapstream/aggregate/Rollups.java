package dev.scapstream.aggregate;

import dev.scapstream.capture.LongMap;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;
import dev.scapstream.store.Rows.CpuSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * 10 s, 1 h and 1 d rollups computed by the agent from its closed seconds, so a store never
 * aggregates on read. Counters are summed; gauges keep the average over the seconds seen and the
 * maximum. A 10 s bucket is written once complete; 1 h and 1 d buckets are written with their
 * running totals every minute (overwriting, rows are keyed) and once complete.
 *
 * <p>A row is also written as soon as it can no longer change: the rollups of a process's keys
 * (its process, file, connection, syscall and errno rows) are written in the second the process
 * exits, so that churn reaches the store while capture goes on instead of in one burst at a
 * bucket's end (or, for a replay, after the last event). They stay in memory until their bucket
 * completes: should the key get more data (a pid reused within the bucket), the row is written
 * again with the whole sum. Memory for them is bounded: beyond {@code exitedKeys} keys of exited
 * processes, the oldest are forgotten (their rows are final unless their pid comes back within
 * the bucket). Every key of an exited process holds its 1 h and 1 d accumulators until their
 * buckets end, so under churn an unbounded set grows by every exit of the day (see
 * {@link #DEFAULT_EXITED_KEYS}). A new key whose
 * pid was forgotten earlier the same day is counted ({@link #keysRestarted}): its 1 h / 1 d rows
 * may then hold the later process's totals only.
 *
 * <p>Runs on the aggregator thread, once per closed second: nothing here is on the per-event path.
 * A raw row's key is looked up once for all three resolutions.
 */
public final class Rollups {
    static final int[] RES = {10, 3600, 86400};

    /** A rollup key: the kind of row, its host and the values of its key fields (ts and res aside). */
    private static final class Key {
        final RowKind<?> kind;
        final String host;
        final Object[] values;
        final int hash;

        Key(RowKind<?> kind, String host, Object[] values) {
            this.kind = kind;
            this.host = host;
            this.values = values;
            this.hash = (kind.id * 31 + host.hashCode()) * 31 + Arrays.hashCode(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.kind == kind && k.hash == hash && k.host.equals(host)
                    && Arrays.equals(k.values, values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** What a kind's rows fold into: where each field's running value lives in an accumulator. */
    private static final class Shape {
        final RowKind<?> kind;
        final RowKind.Field[] keys, sums, avgs, maxima, firsts;
        final RowKind.Field source, pid, host;

        Shape(RowKind<?> kind) {
            this.kind = kind;
            keys = of(kind, RowKind.Fold.KEY);
            sums = of(kind, RowKind.Fold.SUM);
            avgs = of(kind, RowKind.Fold.AVG);
            maxima = of(kind, RowKind.Fold.MAX);
            firsts = of(kind, RowKind.Fold.FIRST);
            RowKind.Field[] src = of(kind, RowKind.Fold.SOURCE);
            source = src.length == 0 ? null : src[0];
            RowKind.Field p = null;
            for (RowKind.Field f : keys) if (f.name.equals("pid")) p = f;
            pid = p;
            host = kind.field("host");
        }

        private static RowKind.Field[] of(RowKind<?> kind, RowKind.Fold fold) {
            return kind.fields().stream().filter(f -> f.fold == fold).toArray(RowKind.Field[]::new);
        }
    }

    private static final Shape[] SHAPES = RowKind.series().stream().map(Shape::new).toArray(Shape[]::new);

    /** One key: its accumulators per resolution, and its process. */
    private static final class Entry {
        final Key key;
        final Shape shape;
        final long pid; // -1: not the row of one process
        final Acc[] accs = new Acc[RES.length];
        int live; // accs not null
        boolean indexed; // listed in byPid
        long exitSeq; // > 0 while its process has exited and it waits in the exited queue under this number

        Entry(Key key, Shape shape, long pid) {
            this.key = key;
            this.shape = shape;
            this.pid = pid;
        }
    }

    /**
     * One rollup bucket of one key: the values of its first raw row in the bucket that are not
     * part of the key (a process can move into a container at its execve), running sums (counters,
     * then gauges for their average), maxima, seconds. Holds no raw row, so those die young.
     */
    private static final class Acc {
        final Entry entry;
        final Object[] firsts;
        final long bucket;
        final long[] sum;
        final long[] max;
        long seconds;
        long known; // bit i: sum[i] has a known value (see add)
        CpuSource source;
        boolean dirty;
        boolean forgotten; // dropped with its key before its bucket ended

        Acc(Entry entry, Object[] firsts, long bucket) {
            this.entry = entry;
            this.firsts = firsts;
            this.bucket = bucket;
            Shape sh = entry.shape;
            sum = new long[sh.sums.length + sh.avgs.length];
            max = sh.maxima.length == 0 ? null : new long[sh.maxima.length];
        }
    }

    /** The accumulators of one bucket, in the order their keys first appeared. */
    private static final class Bucket {
        final List<Acc> accs = new ArrayList<>();
        int forgotten;
    }

    private record Exited(Entry entry, long seq) {}

    /**
     * Default bound on the keys of exited processes kept. A key with its 10 s, 1 h and 1 d
     * accumulators holds ~600 bytes, so 25 000 keep ~15 MB: half a minute of a hundred exits a
     * second, ten keys each.
     */
    public static final int DEFAULT_EXITED_KEYS = 25_000;

    private final int exitedKeys;
    private final Map<Key, Entry> entries = new HashMap<>();
    private final List<TreeMap<Long, Bucket>> buckets = List.of(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    // process keys by pid, for writing them when the process exits
    private final LongMap<List<Entry>> byPid = new LongMap<>(256);
    // keys whose process exited, oldest first; forgotten beyond exitedKeys
    private final ArrayDeque<Exited> exited = new ArrayDeque<>();
    private long exitSeq;
    private int exitedHeld; // entries with exitSeq > 0
    // pids whose keys were forgotten, and the day it happened (bounded by the kernel's pid_max)
    private LongMap<Boolean> forgottenPids = new LongMap<>(256);
    private long forgottenDay = Long.MIN_VALUE;
    private final Acc[] current = new Acc[RES.length];
    private boolean pruneByPid;
    // written by the aggregator thread only, read by telemetry
    private volatile long keysForgotten;
    private volatile long keysRestarted;

    public Rollups() {
        this(DEFAULT_EXITED_KEYS);
    }

    /** @param exitedKeys how many keys of exited processes to keep for pids reused within a bucket */
    public Rollups(int exitedKeys) {
        if (exitedKeys < 0) throw new IllegalArgumentException("exitedKeys < 0");
        this.exitedKeys = exitedKeys;
    }

    /** Keys of exited processes forgotten before their buckets ended (memory bound). */
    public long keysForgotten() {
        return keysForgotten;
    }

    /** New keys of a pid whose earlier process's keys were forgotten the same day. */
    public long keysRestarted() {
        return keysRestarted;
    }

    /** Keys held in memory (every resolution's open buckets). */
    int keysHeld() {
        return entries.size();
    }

    /** Adds the raw rows of a closed second and appends the rollup rows due now to the batch. */
    public void add(MetricsBatch raw, long sec) {
        add(raw, sec, List.of());
    }

    /**
     * Adds the raw rows of a closed second, then appends the rollup rows due now to the batch:
     * complete buckets, running totals on a minute's edge, and every key of the processes that
     * exited in this second ({@code exitedPids}).
     */
    public void add(MetricsBatch raw, long sec, List<Long> exitedPids) {
        for (Shape sh : SHAPES) {
            for (Record x : sh.kind.of(raw)) add(sh, x, sec);
        }
        // 10 s buckets when complete; 1 h / 1 d running totals once a minute (and when complete,
        // which is always on a minute's edge): each rewrite is a row more for the store to take, so
        // a minute keeps them current for the UI at a small share of the raw rows
        if ((sec + 1) % 10 == 0) emit(raw, 0, sec, false);
        if ((sec + 1) % 60 == 0) {
            for (int r = 1; r < RES.length; r++) emit(raw, r, sec, false);
        }
        for (long pid : exitedPids) {
            List<Entry> es = byPid.remove(pid);
            if (es == null) continue;
            for (Entry e : es) {
                e.indexed = false;
                for (int r = 0; r < RES.length; r++) {
                    Acc a = e.accs[r];
                    if (a != null && a.dirty) {
                        emitRow(raw, a, a.bucket, RES[r]);
                        a.dirty = false;
                    }
                }
                if (e.live > 0 && e.exitSeq == 0) {
                    e.exitSeq = ++exitSeq;
                    exited.add(new Exited(e, e.exitSeq));
                    exitedHeld++;
                }
            }
        }
        while (exitedHeld > exitedKeys) {
            Exited x = exited.poll();
            if (x.entry.exitSeq == x.seq) forget(x.entry, sec);
        }
        // records of keys that got data again or whose buckets ended are stale
        while (!exited.isEmpty() && exited.peek().entry.exitSeq != exited.peek().seq) exited.poll();
        prune();
    }

    /** The key is no longer only an exited process's (data again, or its buckets ended). */
    private void unexit(Entry e) {
        if (e.exitSeq == 0) return;
        e.exitSeq = 0;
        exitedHeld--;
    }

    /** Drops a key of an exited process whose rows are all written, before its buckets end. */
    private void forget(Entry e, long sec) {
        for (int r = 0; r < RES.length; r++) {
            Acc a = e.accs[r];
            if (a == null) continue;
            a.forgotten = true;
            e.accs[r] = null;
            Bucket b = buckets.get(r).get(a.bucket);
            if (++b.forgotten > b.accs.size() / 2) {
                b.accs.removeIf(x -> x.forgotten);
                b.forgotten = 0;
            }
        }
        e.live = 0;
        unexit(e);
        entries.remove(e.key);
        long day = Math.floorDiv(sec, RES[RES.length - 1]);
        if (day != forgottenDay) {
            forgottenPids = new LongMap<>(256);
            forgottenDay = day;
        }
        forgottenPids.put(e.pid, Boolean.TRUE);
        keysForgotten++;
    }

    /** At the end of a capture: every bucket with data is written, complete or not. */
    public void flush(MetricsBatch out, long lastSec) {
        for (int r = 0; r < RES.length; r++) emit(out, r, lastSec, true);
        prune();
    }

    /** The key's accumulators of this second's buckets, marked dirty (one shared array: use at once). */
    /** Folds one raw row into its key's accumulators of every resolution. */
    private void add(Shape sh, Record x, long sec) {
        Object[] kv = new Object[sh.keys.length];
        for (int i = 0; i < kv.length; i++) kv[i] = sh.keys[i].get(x);
        long pid = sh.pid == null ? -1 : (Long) sh.pid.get(x);
        Acc[] a = accs(new Key(sh.kind, (String) sh.host.get(x), kv), sh, x, pid, sec);
        int ns = sh.sums.length;
        for (Acc c : a) {
            for (int i = 0; i < ns; i++) add(c, i, sh.sums[i].getLong(x));
            for (int i = 0; i < sh.avgs.length; i++) c.sum[ns + i] += sh.avgs[i].getLong(x);
            for (int i = 0; i < sh.maxima.length; i++) {
                RowKind.Field m = sh.maxima[i];
                long v = m.getLong(x);
                if (m.peakOf >= 0) v = Math.max(v, sh.kind.fields().get(m.peakOf).getLong(x));
                c.max[i] = Math.max(c.max[i], v);
            }
            if (sh.source != null) c.source = CpuSource.merge(c.source, (CpuSource) sh.source.get(x));
            c.seconds++;
        }
    }

    private Acc[] accs(Key key, Shape sh, Record row, long pid, long sec) {
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry(key, sh, pid);
            entries.put(key, e);
            if (pid >= 0 && key.kind != RowKind.PROCESS && Math.floorDiv(sec, RES[RES.length - 1]) == forgottenDay
                    && forgottenPids.get(pid) != null) {
                keysRestarted++;
            }
        }
        unexit(e); // data again (a reused pid, or a late event)
        if (pid >= 0 && !e.indexed) {
            List<Entry> es = byPid.get(pid);
            if (es == null) {
                es = new ArrayList<>();
                byPid.put(pid, es);
            }
            es.add(e);
            e.indexed = true;
        }
        for (int r = 0; r < RES.length; r++) {
            long bucket = Math.floorDiv(sec, RES[r]) * RES[r];
            Acc a = e.accs[r];
            if (a == null) {
                // a key's bucket at this resolution is emitted and dropped before a later one opens
                Object[] firsts = new Object[sh.firsts.length];
                for (int i = 0; i < firsts.length; i++) firsts[i] = sh.firsts[i].get(row);
                a = new Acc(e, firsts, bucket);
                e.accs[r] = a;
                e.live++;
                buckets.get(r).computeIfAbsent(bucket, b -> new Bucket()).accs.add(a);
            }
            a.dirty = true;
            current[r] = a;
        }
        return current;
    }

    private void emit(MetricsBatch out, int r, long sec, boolean all) {
        int res = RES[r];
        Iterator<Map.Entry<Long, Bucket>> it = buckets.get(r).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Bucket> b = it.next();
            long bucket = b.getKey();
            boolean complete = sec + 1 >= bucket + res;
            if (res == 10 && !complete && !all) continue;
            for (Acc a : b.getValue().accs) {
                if (a.forgotten) continue;
                if (a.dirty) {
                    emitRow(out, a, bucket, res);
                    a.dirty = false;
                }
                if (complete || all) drop(a, r);
            }
            if (complete || all) it.remove();
        }
    }

    /** Forgets a finished bucket of a key, and the key once it has none. */
    private void drop(Acc a, int r) {
        Entry e = a.entry;
        e.accs[r] = null;
        if (--e.live > 0) return;
        unexit(e);
        entries.remove(e.key);
        if (e.indexed) pruneByPid = true;
    }

    /** Drops forgotten keys from the per-pid lists (keys are forgotten when their 1 d bucket ends). */
    private void prune() {
        if (!pruneByPid) return;
        pruneByPid = false;
        List<Long> empty = new ArrayList<>();
        byPid.forEachValue(es -> {
            long pid = es.get(0).pid; // lists in the map are never empty
            es.removeIf(e -> {
                if (e.live > 0) return false;
                e.indexed = false;
                return true;
            });
            if (es.isEmpty()) empty.add(pid);
        });
        for (long pid : empty) byPid.remove(pid);
    }

    /** A counter: the sum of the known values (negative = unknown); unknown (-1) while none is known. */
    private static void add(Acc a, int i, long v) {
        long bit = 1L << i;
        if (v < 0) {
            if ((a.known & bit) == 0) a.sum[i] = -1;
            return;
        }
        a.sum[i] = (a.known & bit) == 0 ? v : a.sum[i] + v;
        a.known |= bit;
    }

    private static void emitRow(MetricsBatch out, Acc a, long ts, int res) {
        emitRow(out, a.entry.shape.kind, a, ts, res);
    }

    private static <R extends Record> void emitRow(MetricsBatch out, RowKind<R> kind, Acc a, long ts, int res) {
        long n = Math.max(1, a.seconds);
        Entry e = a.entry;
        Shape sh = e.shape;
        List<RowKind.Field> fs = kind.fields();
        Object[] v = new Object[fs.size()];
        int key = 0, sum = 0, avg = 0, max = 0, first = 0;
        for (RowKind.Field f : fs) {
            v[f.index] = switch (f.fold) {
                case HOST -> e.key.host;
                case TS -> ts;
                case RES -> res;
                case KEY -> e.key.values[key++];
                case SUM -> a.sum[sum++];
                case AVG -> {
                    long s = a.sum[sh.sums.length + avg++];
                    yield f.type == int.class ? (Object) (int) Math.round((double) s / n) : (Object) (s / n);
                }
                case MAX -> a.max[max++];
                case SOURCE -> a.source;
                case FIRST -> a.firsts[first++];
                case ATTR -> throw new IllegalStateException(kind + "." + f.name + ": an entity field in a series");
            };
        }
        kind.of(out).add(kind.make(v));
    }
}
