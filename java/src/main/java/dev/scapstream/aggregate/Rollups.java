package dev.scapstream.aggregate;

import dev.scapstream.capture.LongMap;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;
import dev.scapstream.store.Rows.CpuSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * the bucket). Without the bound a host starting 100 processes a second grew the heap by about
 * 800 MB in ten minutes (one 1 h and one 1 d accumulator per key, ~510 bytes). A new key whose
 * pid was forgotten earlier the same day is counted ({@link #keysRestarted}): its 1 h / 1 d rows
 * may then hold the later process's totals only.
 *
 * <p>Runs on the aggregator thread, once per closed second: nothing here is on the per-event path.
 * A raw row's key is looked up once for all three resolutions.
 */
public final class Rollups {
    static final int[] RES = {10, 3600, 86400};

    /** A rollup key: the kind of row and the fields of its natural key (ts and res aside). */
    private record Key(char kind, String a, String b, String c, long x, long y) {}

    /** One key: its accumulators per resolution, and its process. */
    private static final class Entry {
        final Key key;
        final String host;
        final int fields;
        final boolean maxima; // rows with a maximum (containers, processes, syscalls)
        final long pid; // -1: not the row of one process
        int serverPort; // connections: not part of the key
        final Acc[] accs = new Acc[RES.length];
        int live; // accs not null
        boolean indexed; // listed in byPid
        long exitSeq; // > 0 while its process has exited and it waits in the exited queue under this number

        Entry(Key key, String host, int fields, boolean maxima, long pid) {
            this.key = key;
            this.host = host;
            this.maxima = maxima;
            this.fields = fields;
            this.pid = pid;
        }
    }

    /**
     * One rollup bucket of one key: the container of its first raw row in the bucket (a process
     * can move into a container at its execve), running sums (counters, and gauges for their
     * average), maxima, seconds. Holds no raw row, so those die young.
     */
    private static final class Acc {
        final Entry entry;
        final String containerId;
        final long bucket;
        final long[] sum;
        final long[] max;
        long seconds;
        long known; // bit i: sum[i] has a known value (see add)
        CpuSource source;
        boolean dirty;
        boolean forgotten; // dropped with its key before its bucket ended

        Acc(Entry entry, String containerId, long bucket) {
            this.entry = entry;
            this.containerId = containerId;
            this.bucket = bucket;
            sum = new long[entry.fields];
            max = entry.maxima ? new long[entry.fields] : null;
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
     * accumulators holds ~600 bytes in a live agent (heap histogram of bench-soak), so 100 000 were
     * 60 MB of its heap; 25 000 keep ~15 MB (half a minute of a hundred exits a second, ten keys each).
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
        for (Rows.ContainerRow x : raw.containers) {
            Acc[] a = accs(new Key('c', x.containerId(), null, null, 0, 0), x.host(), x.containerId(), 12, true, -1, sec);
            for (Acc c : a) {
                add(c, 0, x.cpuNs()); gauge(c, 1, x.memRssKb()); add(c, 2, x.fileInBytes()); add(c, 3, x.fileOutBytes());
                add(c, 4, x.fileOps()); add(c, 5, x.netInBytes()); add(c, 6, x.netOutBytes());
                c.max[1] = Math.max(c.max[1], x.memRssMaxKb());
                add(c, 7, x.syscalls());
                add(c, 8, x.syscallErrors());
                c.sum[9] += x.memVmKb();
                c.sum[10] += x.memSwapKb();
                c.sum[11] += x.processes();
                c.seconds++;
                c.source = merge(c.source, x.cpuSource());
            }
        }
        for (Rows.ProcessRow x : raw.processes) {
            Acc[] a = accs(new Key('p', null, null, null, x.pid(), x.startTs()), x.host(), x.containerId(), 14, true, x.pid(), sec);
            for (Acc c : a) {
                add(c, 0, x.cpuNs()); add(c, 1, x.cpuUserNs()); add(c, 2, x.cpuSysNs());
                gauge(c, 3, x.vmSizeKb()); gauge(c, 4, x.vmRssKb()); gauge(c, 5, x.vmSwapKb());
                c.max[4] = Math.max(c.max[4], x.vmRssMaxKb());
                add(c, 6, x.minorFaults()); add(c, 7, x.majorFaults());
                add(c, 8, x.fileInBytes()); add(c, 9, x.fileOutBytes()); add(c, 10, x.netInBytes()); add(c, 11, x.netOutBytes());
                add(c, 12, x.syscalls()); add(c, 13, x.syscallErrors());
                c.source = merge(c.source, x.cpuSource());
                c.seconds++;
            }
        }
        for (Rows.FileRow x : raw.files) {
            Acc[] a = accs(new Key('f', x.containerId(), x.file(), null, x.pid(), 0), x.host(), x.containerId(), 4, false, x.pid(), sec);
            for (Acc c : a) {
                add(c, 0, x.bytesIn()); add(c, 1, x.bytesOut()); add(c, 2, x.opsIn()); add(c, 3, x.opsOut());
            }
        }
        for (Rows.ConnectionRow x : raw.connections) {
            Acc[] a = accs(new Key('n', x.containerId(), x.l4(), x.tuple(), x.pid(), 0), x.host(), x.containerId(), 2, false, x.pid(), sec);
            a[0].entry.serverPort = x.serverPort();
            for (Acc c : a) {
                add(c, 0, x.bytesIn()); add(c, 1, x.bytesOut());
            }
        }
        for (Rows.PortRow x : raw.ports) {
            Acc[] a = accs(new Key('o', x.containerId(), x.l4(), null, x.port(), 0), x.host(), x.containerId(), 2, false, -1, sec);
            for (Acc c : a) {
                add(c, 0, x.bytesIn()); add(c, 1, x.bytesOut());
            }
        }
        for (Rows.SyscallRow x : raw.syscalls) {
            Acc[] a = accs(new Key('s', x.containerId(), x.syscall(), null, x.pid(), 0), x.host(), x.containerId(), 3, true, x.pid(), sec);
            for (Acc c : a) {
                add(c, 0, x.calls()); add(c, 1, x.errors()); add(c, 2, x.totalLatencyNs());
                c.max[0] = Math.max(c.max[0], x.maxLatencyNs());
            }
        }
        for (Rows.ErrnoRow x : raw.errnos) {
            Acc[] a = accs(new Key('e', x.containerId(), x.syscall(), null, x.pid(), x.errno()), x.host(), x.containerId(), 1, false, x.pid(), sec);
            for (Acc c : a) add(c, 0, x.count());
        }
        for (Rows.ThreadRow x : raw.threads) {
            Acc[] a = accs(new Key('t', x.containerId(), null, null, x.pid(), x.tid()), x.host(), x.containerId(), 1, false, x.pid(), sec);
            for (Acc c : a) add(c, 0, x.cpuNs());
        }
        for (Rows.CpuRow x : raw.cpus) {
            Acc[] a = accs(new Key('u', null, null, null, x.cpu(), 0), x.host(), null, 1, false, -1, sec);
            for (Acc c : a) add(c, 0, x.busyNs());
        }
        for (Rows.AgentRow x : raw.agent) {
            Acc[] a = accs(new Key('a', null, null, null, 0, 0), x.host(), null, 7, false, -1, sec);
            for (Acc c : a) {
                add(c, 0, x.events()); add(c, 1, x.drops()); add(c, 2, x.dropsBuffer()); add(c, 3, x.dropsScratchMap());
                add(c, 4, x.dropsPf()); add(c, 5, x.dropsBug()); add(c, 6, x.preemptions());
            }
        }
        // 10 s buckets when complete; 1 h / 1 d running totals once a minute (and when complete,
        // which is always on a minute's edge): rewriting them every 10 s cost a store 13 % more rows
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
    private Acc[] accs(Key key, String host, String containerId, int fields, boolean maxima, long pid, long sec) {
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry(key, host, fields, maxima, pid);
            entries.put(key, e);
            if (pid >= 0 && key.kind() != 'p' && Math.floorDiv(sec, RES[RES.length - 1]) == forgottenDay
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
                a = new Acc(e, containerId, bucket);
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

    private static void gauge(Acc a, int i, long v) { // containers and processes: they have maxima
        a.sum[i] += v;
        a.max[i] = Math.max(a.max[i], v);
    }

    private static CpuSource merge(CpuSource a, CpuSource b) {
        return CpuSource.merge(a, b);
    }

    private static void emitRow(MetricsBatch out, Acc a, long ts, int res) {
        long n = Math.max(1, a.seconds);
        long[] s = a.sum;
        Entry e = a.entry;
        Key k = e.key;
        String h = e.host;
        switch (k.kind()) {
            case 'c' -> out.containers.add(new Rows.ContainerRow(h, k.a(), ts, res, s[0], a.source,
                    s[1] / n, a.max[1], s[9] / n, s[10] / n, s[2], s[3], s[4], s[5], s[6], s[7], s[8],
                    (int) Math.round((double) s[11] / n)));
            case 'p' -> out.processes.add(new Rows.ProcessRow(h, a.containerId, k.x(), k.y(), ts, res,
                    s[0], s[1], s[2], a.source, s[3] / n, s[4] / n, a.max[4], s[5] / n, s[6], s[7],
                    s[8], s[9], s[10], s[11], s[12], s[13]));
            case 'f' -> out.files.add(new Rows.FileRow(h, k.a(), k.x(), k.b(), ts, res, s[0], s[1], s[2], s[3]));
            case 'n' -> out.connections.add(new Rows.ConnectionRow(h, k.a(), k.x(), k.b(), k.c(), e.serverPort, ts, res,
                    s[0], s[1]));
            case 'o' -> out.ports.add(new Rows.PortRow(h, k.a(), k.b(), (int) k.x(), ts, res, s[0], s[1]));
            case 's' -> out.syscalls.add(new Rows.SyscallRow(h, k.a(), k.x(), k.b(), ts, res, s[0], s[1], s[2], a.max[0]));
            case 'e' -> out.errnos.add(new Rows.ErrnoRow(h, k.a(), k.x(), k.b(), (int) k.y(), ts, res, s[0]));
            case 't' -> out.threads.add(new Rows.ThreadRow(h, k.a(), k.x(), k.y(), ts, res, s[0]));
            case 'u' -> out.cpus.add(new Rows.CpuRow(h, (int) k.x(), ts, res, s[0]));
            case 'a' -> out.agent.add(new Rows.AgentRow(h, ts, res, s[0], s[1], s[2], s[3], s[4], s[5], s[6]));
            default -> throw new IllegalStateException("rollup key of unknown kind " + k.kind());
        }
    }
}
