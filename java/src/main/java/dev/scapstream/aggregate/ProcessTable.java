package dev.scapstream.aggregate;

import dev.scapstream.capture.Dictionaries;
import dev.scapstream.capture.LongMap;
import dev.scapstream.capture.ThreadInfo;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;
import dev.scapstream.store.Rows.CpuSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Per process (by pid): counters of the two open seconds, the kernel's last gauges, its life. */
final class ProcessTable {
    private static final long TICK_NS = 10_000_000L; // procinfo ticks are 1/100 s

    /**
     * CPU time from switch events and procinfo ticks are kept apart: one is chosen per second,
     * never both.
     */
    static final class Proc {
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

    /** What closing a second's processes leaves for the other tables. */
    record Closed(Map<Integer, long[]> memory, boolean overCapacity) {}

    private final LongMap<Proc> procs = new LongMap<>(1024);
    private final Dictionaries dictionaries;

    ProcessTable(Dictionaries dictionaries) {
        this.dictionaries = dictionaries;
    }

    boolean has(long pid) {
        return procs.get(pid) != null;
    }

    Proc get(long pid) {
        return procs.get(pid);
    }

    void remove(long pid) {
        procs.remove(pid);
    }

    /** The process of a pid, made on first sight with what libsinsp knows of it. */
    Proc proc(long pid, long openSec) {
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

    /**
     * Writes a row for every live process, idle or not (like csysdig), and the infos that changed;
     * adds the processes that ended to {@code gone}. Returns the per-container memory sums
     * (key -> {rss, rss max, vm, swap, processes}).
     */
    Closed emit(SecondContext ctx, MetricsBatch b, int s, long sec, CpuSource source, boolean pageFaultEvents,
                long capacityNs, List<Long> gone) {
        long startNs = sec * 1_000_000_000L, end = startNs + 1_000_000_000L;
        Map<Integer, long[]> memory = new HashMap<>();
        boolean[] over = {false};
        procs.forEachValue(p -> {
            boolean alive = (p.startTs == 0 || p.startTs < end) && (p.exitTs == 0 || p.exitTs >= startNs);
            ThreadInfo t = dictionaries.thread(p.pid);
            if ((t == null || t.pid <= 0) && p.startTs == 0 && p.exitTs == 0) {
                // never known to libsinsp: no start or exit will come, so it shows while active
                // and is forgotten once idle
                boolean active = p.cpuNs[s] > 0 || p.calls[s] > 0 || p.userTicks[s] + p.sysTicks[s] > 0;
                if (active) p.lastActive = sec;
                else if (sec - p.lastActive > SecondContext.IDLE_SECONDS_BEFORE_FORGET) gone.add(p.pid);
                alive = active;
            }
            if (t != null) p.containerKey = t.containerKey; // kept: the thread may be gone by the last row
            int ck = p.containerKey;
            String cid = ctx.containerId(ck);
            if (alive) {
                long rssMax = Math.max(p.rssMax[s], p.vmRss);
                Rows.ProcessRow row = row(ctx.host, cid, p, s, sec, source, pageFaultEvents, rssMax);
                if (capacityNs > 0 && row.cpuNs() > capacityNs) over[0] = true;
                b.rows(RowKind.PROCESS).add(row);
                long[] m = memory.computeIfAbsent(ck, k -> new long[5]);
                m[0] += p.vmRss;
                m[1] += rssMax;
                m[2] += p.vmSize;
                m[3] += p.vmSwap;
                m[4]++;
            }
            if (p.infoDirty && t != null) {
                b.rows(RowKind.PROCESS_INFO).add(new Rows.ProcessInfo(ctx.host, cid, p.pid, t.ptid, p.startTs, p.exitTs,
                        t.comm, t.exe, t.args, t.user));
                p.infoDirty = false;
            } else if (p.infoDirty && p.exitTs != 0) {
                p.infoDirty = false;
            }
            p.clear(s);
            if (p.exitTs != 0 && p.exitTs < end) gone.add(p.pid);
        });
        return new Closed(memory, over[0]);
    }

    /** One process's row of slot s: CPU from its chosen source, page faults as deltas of the kernel's counters. */
    private static Rows.ProcessRow row(String host, String cid, Proc p, int s, long sec, CpuSource source,
                                       boolean pageFaultEvents, long rssMax) {
        // with page fault events, they are the count (minor and major alike: the tracepoint
        // fires before the kernel knows which); else the kernel's counters as libsinsp had them
        long minorDelta = pageFaultEvents ? p.faults[s] : p.lastMinor < 0 ? 0 : Math.max(0, p.minor - p.lastMinor);
        long majorDelta = p.lastMajor < 0 ? 0 : Math.max(0, p.major - p.lastMajor);
        p.lastMinor = p.minor;
        p.lastMajor = p.major;
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
        return new Rows.ProcessRow(host, cid, p.pid, p.startTs, sec, 1, cpuNs, user, sys, rowSource,
                p.vmSize, p.vmRss, rssMax, p.vmSwap, minorDelta, majorDelta, p.fileIn[s], p.fileOut[s],
                p.netIn[s], p.netOut[s], p.calls[s], p.errors[s]);
    }
}
