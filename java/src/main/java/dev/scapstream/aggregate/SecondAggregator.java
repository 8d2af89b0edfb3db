package dev.scapstream.aggregate;

import dev.scapstream.store.RowKind;
import dev.scapstream.capture.CapturePipeline;
import dev.scapstream.capture.ContainerInfo;
import dev.scapstream.capture.Dictionaries;
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
import dev.scapstream.aggregate.ContainerTable.Cont;
import dev.scapstream.aggregate.FlowTable.Flow;
import dev.scapstream.aggregate.ProcessTable.Proc;

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

    // one table per kind of row, each owning its keys, its rows and when a key may go
    private final ProcessTable processes = new ProcessTable(dictionaries);
    private final ContainerTable containers = new ContainerTable();
    private final ThreadCpuTable threads = new ThreadCpuTable();
    private final FlowTable files = new FlowTable(true, 1024);
    private final FlowTable conns = new FlowTable(false, 256);
    private final SyscallTable syscalls = new SyscallTable();
    private final SecondContext ctx;
    private final LongMap<long[]> procinfoTicks = new LongMap<>(256);
    private final List<long[]> exitedThreads = new ArrayList<>(); // {tid, exit ts}
    private long lastTs; // consumer thread only
    private volatile long aggregatedTs; // published once per batch for telemetry
    private long[][] cpuBusy = new long[2][4];
    private final long[] events = new long[2];

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
        this.ctx = new SecondContext(host, dictionaries, processes);
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
        return containers.get(key);
    }

    private Proc proc(long pid) {
        return processes.proc(pid, openSec);
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
        syscalls.count(pid, ev.nameId(), ck, openSec, s, ev.latencyNs(), failed, res);
        p.calls[s]++;
        c.calls[s]++;
        if ((flags & RecordLayout.F_OPEN) != 0) countOpen(pid, ck, ev.fdKey(), failed, s);
        if (failed) {
            p.errors[s]++;
            c.errors[s]++;
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
            Flow f = files.flow(pid, fdKey, ck, openSec);
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
            Flow f = conns.flow(pid, fdKey, ck, openSec);
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
        Flow f = files.flow(pid, fdKey, ck, openSec);
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
        threads.credit(tid, pid, containerKey, s, sec, ns);
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
        Proc p = processes.get(t.pid);
        if (p != null && isNew && p.startTs != t.cloneTs) {
            // pid reused: the old process is gone; forget it after its last row
            processes.remove(t.pid);
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
        long capacityNs = (long) Math.max(machineCpus, cpu.cpus()) * NS;
        List<Long> gone = new ArrayList<>();
        ProcessTable.Closed closed = processes.emit(ctx, b, s, sec, source, sawPageFaults, capacityNs, gone);
        boolean over = closed.overCapacity();
        threads.emit(ctx, b, s, sec, processes);
        for (long pid : gone) processes.remove(pid);
        // exited threads leave the table once their last second is written (a late switch-out of
        // such a thread still counts for its container and CPU, see creditCpu)
        // (not those that exited in the second still open: its rows still need their container)
        exitedThreads.removeIf(x -> {
            if (x[1] >= end) return false;
            dictionaries.removeThread(x[0]);
            return true;
        });
        over |= containers.emit(ctx, b, s, sec, source, closed.memory(), capacityNs);

        Map<FlowTable.PortKey, long[]> ports = new HashMap<>();
        files.emit(ctx, b, s, sec, ports);
        conns.emit(ctx, b, s, sec, ports);
        ports.forEach((k, v) -> b.rows(RowKind.PORT).add(new Rows.PortRow(host, k.containerId(), k.l4(), k.port(), sec, 1,
                v[0], v[1])));
        syscalls.emit(ctx, b, s, sec);

        long totalBusy = 0;
        for (int i = 0; i < Math.max(cpu.cpus(), cpuBusy[s].length); i++) {
            long busy = i < cpuBusy[s].length ? cpuBusy[s][i] : 0;
            totalBusy += busy;
            if (busy > NS) over = true;
            if (i < cpu.cpus() || busy > 0) b.rows(RowKind.CPU).add(new Rows.CpuRow(host, i, sec, 1, busy));
            if (i < cpuBusy[s].length) cpuBusy[s][i] = 0;
        }
        if ((capacityNs > 0 && totalBusy > capacityNs) || over) cpuOverCapacity++;
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
}
