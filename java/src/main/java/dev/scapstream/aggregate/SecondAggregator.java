package dev.scapstream.aggregate;

import dev.scapstream.store.RowKind;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.ContainerInfo;
import dev.scapstream.capture.Dictionaries;
import dev.scapstream.capture.EventNames;
import dev.scapstream.capture.EventTypes;
import dev.scapstream.capture.EventView;
import dev.scapstream.capture.FdInfo;
import dev.scapstream.capture.LongMap;
import dev.scapstream.capture.ProcessMemory;
import dev.scapstream.capture.RecordLayout;
import dev.scapstream.capture.ThreadInfo;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;
import dev.scapstream.store.Rows.CpuSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns events into per-second rows per container, process, file, connection, server port,
 * syscall, errno and CPU, in event time: seconds follow the trace's (or the kernel's) clock, so a
 * replay gives the same rows however fast it runs. A second closes once an event at least
 * {@code graceNs} past its end arrives (events of different CPUs can be slightly out of order);
 * later stragglers are counted in the oldest open second.
 *
 * <p>Runs on one consumer thread of the {@link CapturePipeline}. Per event it allocates nothing:
 * accumulators are created once per key and reused second after second (two slots, because two
 * seconds can be open at once).
 */
public final class SecondAggregator implements CapturePipeline.Consumer, Dictionaries.DictionaryListener {
    private static final long NS = 1_000_000_000L;
    private static final long TICK_NS = 10_000_000L; // procinfo ticks are 1/100 s
    private static final int IDLE_SECONDS_BEFORE_FORGET = 60;

    private final String host;
    private final long graceNs;
    private final Consumer<MetricsBatch> sink;
    private final Dictionaries dictionaries = new Dictionaries(this);
    private final CpuSplitter cpu = new CpuSplitter(this::creditCpu);
    private final Rollups rollups = new Rollups();
    private final LongSupplier[] dropCounters;
    private final long[] lastDrops;
    private final int machineCpus;
    private volatile long cpuOverCapacity; // seconds whose CPU exceeded the CPU count (a bug if ever > 0)

    private long openSec = Long.MIN_VALUE;
    private boolean sawSwitch;
    private boolean sawProcinfo;
    private boolean sawPageFaults;

    private final LongMap<Proc> procs = new LongMap<>(1024);
    private final LongMap<Flow> files = new LongMap<>(1024);
    private final LongMap<Flow> conns = new LongMap<>(256);
    private final LongMap<Sys> syscalls = new LongMap<>(1024);
    private final LongMap<Counter> errnos = new LongMap<>(256);
    private final LongMap<long[]> procinfoTicks = new LongMap<>(256);
    private final LongMap<Thr> threadCpu = new LongMap<>(1024);
    private final List<Long> idleThreads = new ArrayList<>();
    private final List<Cont> containers = new ArrayList<>();
    private final List<long[]> exitedThreads = new ArrayList<>(); // {tid, exit ts}
    private long lastTs; // consumer thread only
    private volatile long aggregatedTs; // published once per batch for telemetry
    private long[][] cpuBusy = new long[2][4];
    private final long[] events = new long[2];

    /**
     * Per process (by pid): two slots of counters, gauges from the kernel's last report. CPU time
     * from switch events and procinfo ticks are kept apart: one is chosen per second, never both.
     */
    private static final class Proc {
        final long pid;
        final long[] cpuNs = new long[2], userTicks = new long[2], sysTicks = new long[2];
        long allUserTicks, allSysTicks; // since the first sample: the split when a second has none
        final long[] fileIn = new long[2], fileOut = new long[2], netIn = new long[2], netOut = new long[2];
        final long[] calls = new long[2], errors = new long[2];
        final long[] rssMax = new long[2], faults = new long[2];
        long vmSize, vmRss, vmSwap, minor, major, lastMinor = -1, lastMajor = -1;
        long startTs, exitTs, execTs;
        long lastActive; // second of the last activity, for processes libsinsp never knew
        int containerKey; // 0 = host until the process's thread is known
        boolean infoDirty = true;

        Proc(long pid) {
            this.pid = pid;
        }

        /** Empties a slot for the next second (a method, not varargs: nothing allocated per second). */
        void clear(int s) {
            cpuNs[s] = 0; userTicks[s] = 0; sysTicks[s] = 0; fileIn[s] = 0; fileOut[s] = 0; netIn[s] = 0; netOut[s] = 0;
            calls[s] = 0; errors[s] = 0; rssMax[s] = 0; faults[s] = 0;
        }
    }

    private static final class Flow {
        final long pid;
        final int fdKey;
        int containerKey;
        final long[] in = new long[2], out = new long[2], opsIn = new long[2], opsOut = new long[2];
        final long[] opens = new long[2], openErrors = new long[2]; // files only
        long lastActive;

        Flow(long pid, int fdKey) {
            this.pid = pid;
            this.fdKey = fdKey;
        }

        boolean active(int s) {
            return opsIn[s] > 0 || opsOut[s] > 0 || opens[s] > 0 || openErrors[s] > 0;
        }

        void clear(int s) {
            in[s] = 0; out[s] = 0; opsIn[s] = 0; opsOut[s] = 0; opens[s] = 0; openErrors[s] = 0;
        }
    }

    private static final class Sys {
        final long pid;
        final int nameId;
        int containerKey;
        final long[] calls = new long[2], errors = new long[2], latency = new long[2], maxLatency = new long[2];
        long lastActive;

        Sys(long pid, int nameId) {
            this.pid = pid;
            this.nameId = nameId;
        }

        void clear(int s) {
            calls[s] = 0; errors[s] = 0; latency[s] = 0; maxLatency[s] = 0;
        }
    }

    private static final class Counter {
        final long pid;
        final int nameId, errno;
        int containerKey;
        final long[] count = new long[2];
        long lastActive;

        Counter(long pid, int nameId, int errno) {
            this.pid = pid;
            this.nameId = nameId;
            this.errno = errno;
        }
    }

    /** One thread's switch time in the two open seconds (its process's is the sum over threads). */
    private static final class Thr {
        final long tid;
        long pid;
        int containerKey;
        long lastActive;
        final long[] cpuNs = new long[2];

        Thr(long tid) {
            this.tid = tid;
        }
    }

    private static final class Cont {
        final long[] cpuNs = new long[2], procinfoNs = new long[2], fileIn = new long[2], fileOut = new long[2], fileOps = new long[2];
        final long[] netIn = new long[2], netOut = new long[2], calls = new long[2], errors = new long[2];
        long firstSeen = Long.MAX_VALUE, lastSeen = Long.MIN_VALUE;
        boolean active;
        boolean infoDirty; // a new description (name, image) to write even when not active

        void clear(int s) {
            cpuNs[s] = 0; procinfoNs[s] = 0; fileIn[s] = 0; fileOut[s] = 0; fileOps[s] = 0; netIn[s] = 0; netOut[s] = 0; calls[s] = 0;
            errors[s] = 0;
        }
    }

    /**
     * @param host         the host name every row carries
     * @param graceNs      how long past a second's end to wait for out-of-order events
     * @param sink         receives each closed second's batch (on this consumer's thread)
     * @param dropCounters cumulative drop counters (total, buffer, scratch map, page faults, bug,
     *                     preemptions) sampled once per closed second; null for a file
     */
    public SecondAggregator(String host, long graceNs, Consumer<MetricsBatch> sink, LongSupplier[] dropCounters) {
        this(host, graceNs, sink, dropCounters, 0);
    }

    /**
     * As above; {@code machineCpus} is the traced machine's CPU count (0 when unknown: then the
     * CPUs that switch events name), the bound no second's CPU time may exceed.
     */
    public SecondAggregator(String host, long graceNs, Consumer<MetricsBatch> sink, LongSupplier[] dropCounters,
                            int machineCpus) {
        this.machineCpus = machineCpus;
        this.host = host;
        this.graceNs = graceNs;
        this.sink = sink;
        this.dropCounters = dropCounters;
        this.lastDrops = new long[dropCounters == null ? 0 : dropCounters.length];
    }

    @Override
    public Dictionaries dictionaries() {
        return dictionaries;
    }

    private int slot(long ts) {
        long sec = Math.floorDiv(ts, NS);
        if (sec < openSec) sec = openSec;
        else if (sec > openSec + 1) sec = openSec + 1;
        return (int) (sec & 1);
    }

    private Cont cont(int key) {
        while (containers.size() <= key) containers.add(null);
        Cont c = containers.get(key);
        if (c == null) {
            c = new Cont();
            containers.set(key, c);
        }
        return c;
    }

    private Proc proc(long pid) {
        Proc p = procs.get(pid);
        if (p == null) {
            p = new Proc(pid);
            p.lastActive = openSec; // a new key is not idle in the second that is closing next
            ThreadInfo t = dictionaries.thread(pid);
            if (t != null) {
                p.startTs = t.cloneTs;
                p.containerKey = t.containerKey;
            }
            procs.put(pid, p);
        }
        return p;
    }

    @Override
    public void onEvent(EventView ev, Dictionaries d) {
        long ts = ev.ts();
        lastTs = ts;
        if (openSec == Long.MIN_VALUE) openSec = Math.floorDiv(ts, NS);
        while (ts >= (openSec + 1) * NS + graceNs) closeOldest();
        int s = slot(ts);
        events[s]++;
        int type = ev.type();
        if (type == EventTypes.SCHEDSWITCH_6_E) {
            sawSwitch = true;
            long next = ev.res();
            ThreadInfo nt = next > 0 ? d.thread(next) : null;
            cpu.onSwitch(ev.cpu(), ts, ev.tid(), ev.containerKey(), next, nt == null ? 0 : nt.containerKey);
            return;
        }
        if (type == EventTypes.PROCINFO_E) {
            onProcinfo(ev, d, s);
            return;
        }
        long tid = ev.tid();
        ThreadInfo t = d.thread(tid);
        long pid = pidOf(tid, t);
        if (type == EventTypes.PAGE_FAULT_E) {
            sawPageFaults = true;
            proc(pid).faults[s]++;
            return;
        }
        int ck = ev.containerKey();
        if (type == EventTypes.PROCEXIT_1_E) {
            if (t != null) exitedThreads.add(new long[] {tid, ts}); // forgotten once its second closes
            if (t != null && t.isMainThread()) {
                Proc p = proc(pid);
                p.exitTs = ts;
                p.infoDirty = true;
            }
            return;
        }
        int flags = ev.flags();
        if ((flags & (RecordLayout.F_SYSCALL | RecordLayout.F_EXIT)) != (RecordLayout.F_SYSCALL | RecordLayout.F_EXIT)) {
            return;
        }
        Proc p = proc(pid);
        Cont c = cont(ck);
        c.active = true;
        long res = ev.res();
        boolean failed = (flags & RecordLayout.F_FAILED) != 0;
        int nameId = ev.nameId();
        long sysKey = (pid << 16) | (nameId & 0xffff);
        Sys sys = syscalls.get(sysKey);
        if (sys == null) {
            sys = new Sys(pid, nameId);
            syscalls.put(sysKey, sys);
        }
        sys.containerKey = ck;
        sys.lastActive = openSec;
        sys.calls[s]++;
        long lat = ev.latencyNs();
        sys.latency[s] += lat;
        if (lat > sys.maxLatency[s]) sys.maxLatency[s] = lat;
        p.calls[s]++;
        c.calls[s]++;
        if ((flags & RecordLayout.F_OPEN) != 0) countOpen(pid, ck, ev.fdKey(), failed, s);
        if (failed) {
            sys.errors[s]++;
            p.errors[s]++;
            c.errors[s]++;
            int errno = (int) Math.min(4095, -res);
            long ek = (pid << 28) | ((long) (nameId & 0xffff) << 12) | errno;
            Counter e = errnos.get(ek);
            if (e == null) {
                e = new Counter(pid, nameId, errno);
                errnos.put(ek, e);
            }
            e.containerKey = ck;
            e.lastActive = openSec;
            e.count[s]++;
            return;
        }
        boolean read = (flags & RecordLayout.F_IO_READ) != 0;
        boolean write = (flags & RecordLayout.F_IO_WRITE) != 0;
        if (!read && !write) return;
        int fdKey = ev.fdKey();
        FdInfo fd = d.fd(fdKey);
        if (fd == null) return;
        // sysdig's rule: bytes are positive return values of I/O events; every completed call is an op
        long bytes = res > 0 ? res : 0;
        if (fd.isFile()) {
            Flow f = flow(files, pid, fdKey, ck);
            if (read) {
                f.in[s] += bytes;
                f.opsIn[s]++;
                p.fileIn[s] += bytes;
                c.fileIn[s] += bytes;
            } else {
                f.out[s] += bytes;
                f.opsOut[s]++;
                p.fileOut[s] += bytes;
                c.fileOut[s] += bytes;
            }
            c.fileOps[s]++;
        } else if (fd.isNetwork()) {
            Flow f = flow(conns, pid, fdKey, ck);
            if (read) {
                f.in[s] += bytes;
                f.opsIn[s]++;
                p.netIn[s] += bytes;
                c.netIn[s] += bytes;
            } else {
                f.out[s] += bytes;
                f.opsOut[s]++;
                p.netOut[s] += bytes;
                c.netOut[s] += bytes;
            }
        }
    }

    /** An open of a file by a process: a failed one names the path it tried (see SS_F_OPEN). */
    private void countOpen(long pid, int ck, int fdKey, boolean failed, int s) {
        FdInfo fd = dictionaries.fd(fdKey);
        if (fd == null || !fd.isFile()) return;
        Flow f = flow(files, pid, fdKey, ck);
        if (failed) f.openErrors[s]++;
        else f.opens[s]++;
    }

    /**
     * The pid of a thread. One libsinsp does not know, or knows without its process (the capture
     * started mid-flight, or the clone was filtered out), is filed under its tid with the name
     * unknown, as sysdig does.
     */
    private static long pidOf(long tid, ThreadInfo t) {
        return t != null && t.pid > 0 ? t.pid : tid;
    }

    private Flow flow(LongMap<Flow> map, long pid, int fdKey, int ck) {
        long key = (pid << 32) | (fdKey & 0xffffffffL);
        Flow f = map.get(key);
        if (f == null) {
            f = new Flow(pid, fdKey);
            map.put(key, f);
        }
        f.containerKey = ck;
        f.lastActive = openSec;
        return f;
    }

    /**
     * sysdig's formula: Δ(user+system ticks) since the thread's last sample, capped at one core.
     * Kept beside the switch time, not added to it: it is the CPU time only of a capture without
     * switch events, and otherwise gives only the user/system split.
     */
    private void onProcinfo(EventView ev, Dictionaries d, int s) {
        sawProcinfo = true;
        long tid = ev.tid();
        long user = ev.res(), sys = ev.aux();
        long[] last = procinfoTicks.get(tid);
        if (last == null) {
            procinfoTicks.put(tid, new long[] {user, sys});
            return;
        }
        long du = Math.max(0, user - last[0]), ds = Math.max(0, sys - last[1]);
        last[0] = user;
        last[1] = sys;
        long total = Math.min(100, du + ds);
        if (du + ds > 100) {
            du = du * 100 / (du + ds);
            ds = total - du;
        }
        Proc p = proc(pidOf(tid, d.thread(tid)));
        p.userTicks[s] += du;
        p.sysTicks[s] += ds;
        p.allUserTicks += du;
        p.allSysTicks += ds;
        cont(ev.containerKey()).procinfoNs[s] += total * TICK_NS;
    }

    private void creditCpu(long tid, int containerKey, int cpuId, long sec, long ns) {
        int s = (int) ((sec < openSec ? openSec : Math.min(sec, openSec + 1)) & 1);
        if (cpuId >= cpuBusy[0].length) {
            cpuBusy = new long[][] {java.util.Arrays.copyOf(cpuBusy[0], cpuId + 1), java.util.Arrays.copyOf(cpuBusy[1], cpuId + 1)};
        }
        cpuBusy[s][cpuId] += ns;
        long pid = pidOf(tid, dictionaries.thread(tid));
        proc(pid).cpuNs[s] += ns;
        Thr th = threadCpu.get(tid);
        if (th == null) { // once per thread, not per switch
            th = new Thr(tid);
            threadCpu.put(tid, th);
        }
        th.pid = pid;
        th.containerKey = containerKey;
        th.cpuNs[s] += ns;
        th.lastActive = sec;
        Cont c = cont(containerKey);
        c.cpuNs[s] += ns;
        c.active = true;
    }

    @Override
    public void onSkippedEnters(long ts, long count) {
        if (openSec == Long.MIN_VALUE) openSec = Math.floorDiv(ts, NS);
        events[slot(ts)] += count; // the agent's events/s counts every event read
    }

    @Override
    public void onThread(ThreadInfo t, boolean isNew) {
        if (!t.isMainThread()) return;
        Proc p = procs.get(t.pid);
        if (p != null && isNew && p.startTs != t.cloneTs) {
            // pid reused: the old process is gone; forget it after its last row
            procs.remove(t.pid);
        }
        p = proc(t.pid);
        // a process from before the capture keeps start 0 ("before"): a live libsinsp may later
        // learn its start from /proc, a replay of the same events cannot
        if (isNew || p.startTs != 0) p.startTs = t.cloneTs;
        if (t.execTs != p.execTs) {
            // an execve gives the process a new address space, and the kernel a new VmHWM: the
            // peak does not carry what the pre-exec image (e.g. a vfork child of a big parent) held
            p.execTs = t.execTs;
            p.rssMax[0] = 0;
            p.rssMax[1] = 0;
        }
        p.infoDirty = true;
    }

    @Override
    public void onMemory(ProcessMemory m) {
        Proc p = proc(m.pid);
        p.vmSize = m.vmSizeKb;
        p.vmRss = m.vmRssKb;
        p.vmSwap = m.vmSwapKb;
        p.minor = m.minorFaults;
        p.major = m.majorFaults;
        if (openSec != Long.MIN_VALUE) {
            int s = slot(m.ts);
            if (m.vmRssKb > p.rssMax[s]) p.rssMax[s] = m.vmRssKb;
        }
    }

    @Override
    public void onContainer(ContainerInfo c) {
        // a description is no activity: when a runtime's lookup completes differs between live and
        // a replay of the same events, and a container shows only in seconds its processes or
        // events do
        cont(c.key).infoDirty = true;
    }

    @Override
    public void onBatchEnd(Dictionaries d) {
        aggregatedTs = lastTs;
    }

    /** Rollup keys of exited processes forgotten to bound memory (any thread; telemetry). */
    public long rollupKeysForgotten() {
        return rollups.keysForgotten();
    }

    /** New rollup keys of a pid whose earlier process's keys were forgotten the same day (any thread). */
    public long rollupKeysRestarted() {
        return rollups.keysRestarted();
    }

    /**
     * Closed seconds in which a process, a container, a CPU or the machine held more CPU time than
     * the CPUs could give (any thread; telemetry). Switch intervals never overlap on a CPU, so this
     * stays 0 unless the accounting is wrong.
     */
    public long cpuOverCapacitySeconds() {
        return cpuOverCapacity;
    }

    /** Event time (ns) of the last event of the last batch aggregated (any thread; telemetry). */
    public long aggregatedEventTs() {
        return aggregatedTs;
    }

    /** Closes every open second (end of a file, or a live stop). */
    public void finish() {
        if (openSec == Long.MIN_VALUE) return;
        long last = openSec + 1;
        closeOldest();
        closeOldest();
        MetricsBatch tail = new MetricsBatch();
        rollups.flush(tail, last);
        if (!tail.isEmpty()) sink.accept(tail);
    }

    private void closeOldest() {
        long sec = openSec;
        long end = (sec + 1) * NS;
        cpu.flushUntil(end, (tid, atSwitchIn) -> {
            ThreadInfo t = dictionaries.thread(tid);
            return t != null ? t.containerKey : atSwitchIn;
        });
        int s = (int) (sec & 1);
        MetricsBatch b = new MetricsBatch();
        CpuSource source = sawSwitch ? CpuSource.SWITCH : sawProcinfo ? CpuSource.PROCINFO : CpuSource.UNKNOWN;
        long startNs = sec * NS;

        // processes: every live one, idle or not (like csysdig); per container sums for memory
        Map<Integer, long[]> contMem = new HashMap<>(); // key -> {rss, rssMax, vm, swap, processes}
        List<Long> gone = new ArrayList<>();
        long capacityNs = (long) Math.max(machineCpus, cpu.cpus()) * NS;
        boolean[] over = {false};
        procs.forEachValue(p -> {
            boolean alive = (p.startTs == 0 || p.startTs < end) && (p.exitTs == 0 || p.exitTs >= startNs);
            ThreadInfo t = dictionaries.thread(p.pid);
            if ((t == null || t.pid <= 0) && p.startTs == 0 && p.exitTs == 0) {
                // never known to libsinsp: no start or exit will come, so it shows while active
                // and is forgotten once idle
                boolean active = p.cpuNs[s] > 0 || p.calls[s] > 0 || p.userTicks[s] + p.sysTicks[s] > 0;
                if (active) p.lastActive = sec;
                else if (sec - p.lastActive > IDLE_SECONDS_BEFORE_FORGET) gone.add(p.pid);
                alive = active;
            }
            if (t != null) p.containerKey = t.containerKey; // kept: the thread may be gone by the last row
            int ck = p.containerKey;
            String cid = containerId(ck);
            if (alive) {
                // with page fault events, they are the count (minor and major alike: the tracepoint
                // fires before the kernel knows which); else the kernel's counters as libsinsp had them
                long minorDelta = sawPageFaults ? p.faults[s] : p.lastMinor < 0 ? 0 : Math.max(0, p.minor - p.lastMinor);
                long majorDelta = p.lastMajor < 0 ? 0 : Math.max(0, p.major - p.lastMajor);
                p.lastMinor = p.minor;
                p.lastMajor = p.major;
                long rssMax = Math.max(p.rssMax[s], p.vmRss);
                long cpuNs, user = -1, sys = -1;
                CpuSource rowSource = source;
                long du = p.userTicks[s], ds = p.sysTicks[s];
                if (du + ds == 0) {
                    du = p.allUserTicks;
                    ds = p.allSysTicks;
                }
                if (source == CpuSource.SWITCH) {
                    cpuNs = p.cpuNs[s];
                    if (du + ds > 0) { // the exact time, split by the ticks' ratio
                        user = Math.round((double) cpuNs * du / (du + ds));
                        sys = cpuNs - user;
                        rowSource = CpuSource.SWITCH_SPLIT_BY_PROCINFO;
                    }
                } else if (source == CpuSource.PROCINFO) {
                    user = p.userTicks[s] * TICK_NS;
                    sys = p.sysTicks[s] * TICK_NS;
                    cpuNs = user + sys;
                } else {
                    cpuNs = -1;
                }
                if (capacityNs > 0 && cpuNs > capacityNs) over[0] = true;
                b.rows(RowKind.PROCESS).add(new Rows.ProcessRow(host, cid, p.pid, p.startTs, sec, 1, cpuNs, user, sys, rowSource,
                        p.vmSize, p.vmRss, rssMax, p.vmSwap, minorDelta, majorDelta, p.fileIn[s], p.fileOut[s],
                        p.netIn[s], p.netOut[s], p.calls[s], p.errors[s]));
                long[] m = contMem.computeIfAbsent(ck, k -> new long[5]);
                m[0] += p.vmRss;
                m[1] += rssMax;
                m[2] += p.vmSize;
                m[3] += p.vmSwap;
                m[4]++;
            }
            if (p.infoDirty && t != null) {
                b.rows(RowKind.PROCESS_INFO).add(new Rows.ProcessInfo(host, cid, p.pid, t.ptid, p.startTs, p.exitTs, t.comm, t.exe,
                        t.args, t.user));
                p.infoDirty = false;
            } else if (p.infoDirty && p.exitTs != 0) {
                p.infoDirty = false;
            }
            p.clear(s);
            if (p.exitTs != 0 && p.exitTs < end) gone.add(p.pid);
        });
        // threads that ran, filed in their process's container as the process's row is
        threadCpu.forEachValue(x -> {
            if (x.cpuNs[s] > 0) {
                Proc p = procs.get(x.pid);
                int ck = p != null ? p.containerKey : x.containerKey;
                b.rows(RowKind.THREAD).add(new Rows.ThreadRow(host, containerId(ck), x.pid, x.tid, sec, 1, x.cpuNs[s]));
                x.cpuNs[s] = 0;
            } else if (sec - x.lastActive > IDLE_SECONDS_BEFORE_FORGET) {
                idleThreads.add(x.tid);
            }
        });
        for (long tid : idleThreads) threadCpu.remove(tid);
        idleThreads.clear();
        for (long pid : gone) procs.remove(pid);
        // exited threads leave the table once their last second is written (a late switch-out of
        // such a thread still counts for its container and CPU, see creditCpu)
        // (not those that exited in the second still open: its rows still need their container)
        exitedThreads.removeIf(x -> {
            if (x[1] >= end) return false;
            dictionaries.removeThread(x[0]);
            return true;
        });

        for (int key = 0; key < containers.size(); key++) {
            Cont c = containers.get(key);
            long[] m = contMem.get(key);
            if (c == null) continue;
            String cid = containerId(key);
            if (!c.active && m == null) {
                if (c.infoDirty && c.firstSeen != Long.MAX_VALUE) b.rows(RowKind.CONTAINER_INFO).add(containerInfo(key, cid, c));
                c.infoDirty = false;
                continue;
            }
            c.firstSeen = Math.min(c.firstSeen, sec);
            c.lastSeen = Math.max(c.lastSeen, sec);
            c.infoDirty = false;
            long cpuNs = source == CpuSource.SWITCH ? c.cpuNs[s] : source == CpuSource.PROCINFO ? c.procinfoNs[s] : -1;
            if (capacityNs > 0 && cpuNs > capacityNs) over[0] = true;
            b.rows(RowKind.CONTAINER).add(new Rows.ContainerRow(host, cid, sec, 1, cpuNs, source,
                    m == null ? 0 : m[0], m == null ? 0 : m[1], m == null ? 0 : m[2], m == null ? 0 : m[3],
                    c.fileIn[s], c.fileOut[s], c.fileOps[s], c.netIn[s], c.netOut[s], c.calls[s], c.errors[s],
                    m == null ? 0 : (int) m[4]));
            b.rows(RowKind.CONTAINER_INFO).add(containerInfo(key, cid, c));
            c.clear(s);
            c.active = m != null;
        }

        Map<String, long[]> ports = new HashMap<>();
        List<Long> idle = new ArrayList<>();
        flows(b, files, s, sec, true, ports, idle);
        flows(b, conns, s, sec, false, ports, idle);
        for (Map.Entry<String, long[]> e : ports.entrySet()) {
            String[] k = e.getKey().split("\u0000", 3);
            b.rows(RowKind.PORT).add(new Rows.PortRow(host, k[0], k[1], Integer.parseInt(k[2]), sec, 1, e.getValue()[0], e.getValue()[1]));
        }
        idle.clear();
        syscalls.forEachValue(x -> {
            if (x.calls[s] > 0) {
                b.rows(RowKind.SYSCALL).add(new Rows.SyscallRow(host, containerId(x.containerKey), x.pid, EventNames.name(x.nameId),
                        sec, 1, x.calls[s], x.errors[s], x.latency[s], x.maxLatency[s]));
            } else if (forgettable(x.pid, x.lastActive, sec)) {
                idle.add((x.pid << 16) | (x.nameId & 0xffff));
            }
            x.clear(s);
        });
        for (long k : idle) syscalls.remove(k);
        idle.clear();
        errnos.forEachValue(x -> {
            if (x.count[s] > 0) {
                b.rows(RowKind.ERRNO).add(new Rows.ErrnoRow(host, containerId(x.containerKey), x.pid, EventNames.name(x.nameId),
                        x.errno, sec, 1, x.count[s]));
            } else if (forgettable(x.pid, x.lastActive, sec)) {
                idle.add((x.pid << 28) | ((long) (x.nameId & 0xffff) << 12) | x.errno);
            }
            x.count[s] = 0;
        });
        for (long k : idle) errnos.remove(k);

        long totalBusy = 0;
        for (int i = 0; i < Math.max(cpu.cpus(), cpuBusy[s].length); i++) {
            long busy = i < cpuBusy[s].length ? cpuBusy[s][i] : 0;
            totalBusy += busy;
            if (busy > NS) over[0] = true;
            if (i < cpu.cpus() || busy > 0) b.rows(RowKind.CPU).add(new Rows.CpuRow(host, i, sec, 1, busy));
            if (i < cpuBusy[s].length) cpuBusy[s][i] = 0;
        }
        if ((capacityNs > 0 && totalBusy > capacityNs) || over[0]) cpuOverCapacity++;
        long[] drops = new long[6];
        for (int i = 0; dropCounters != null && i < dropCounters.length && i < drops.length; i++) {
            long v = dropCounters[i].getAsLong();
            drops[i] = Math.max(0, v - lastDrops[i]);
            lastDrops[i] = v;
        }
        b.rows(RowKind.AGENT).add(new Rows.AgentRow(host, sec, 1, events[s], drops[0], drops[1], drops[2], drops[3], drops[4], drops[5]));
        events[s] = 0;

        rollups.add(b, sec, gone);
        openSec = sec + 1;
        sink.accept(b);
    }

    private void flows(MetricsBatch b, LongMap<Flow> map, int s, long sec, boolean isFile, Map<String, long[]> ports,
                       List<Long> idle) {
        idle.clear();
        map.forEachValue(f -> {
            if (f.active(s)) {
                FdInfo fd = dictionaries.fd(f.fdKey);
                String cid = containerId(f.containerKey);
                if (isFile) {
                    b.rows(RowKind.FILE).add(new Rows.FileRow(host, cid, f.pid, fd == null ? "?" : fd.name, sec, 1, f.in[s], f.out[s],
                            f.opsIn[s], f.opsOut[s], f.opens[s], f.openErrors[s]));
                } else {
                    int port = fd == null ? 0 : fd.dport;
                    String l4 = fd == null ? "unknown" : fd.l4Name();
                    b.rows(RowKind.CONNECTION).add(new Rows.ConnectionRow(host, cid, f.pid, l4, fd == null ? "?" : fd.name, port, sec, 1,
                            f.in[s], f.out[s]));
                    long[] pt = ports.computeIfAbsent(cid + "\u0000" + l4 + "\u0000" + port, k -> new long[2]);
                    pt[0] += f.in[s];
                    pt[1] += f.out[s];
                }
            } else if (forgettable(f.pid, f.lastActive, sec)) {
                idle.add((f.pid << 32) | (f.fdKey & 0xffffffffL));
            }
            f.clear(s);
        });
        for (long k : idle) map.remove(k);
    }

    private Rows.ContainerInfo containerInfo(int key, String cid, Cont c) {
        ContainerInfo info = dictionaries.container(key);
        return new Rows.ContainerInfo(host, cid, info == null ? "" : info.name, info == null ? "" : info.image,
                info == null ? "" : info.runtime, c.firstSeen, c.lastSeen);
    }

    /**
     * An idle key is dropped after a minute, or in its first idle second once its process has left
     * the table: under churn the keys of exited processes were most of the live heap.
     */
    private boolean forgettable(long pid, long lastActive, long sec) {
        return sec - lastActive > IDLE_SECONDS_BEFORE_FORGET || procs.get(pid) == null;
    }

    private String containerId(int key) {
        ContainerInfo c = dictionaries.container(key);
        return c == null ? ContainerInfo.HOST_ID : c.id;
    }
}
