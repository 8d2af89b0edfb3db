package dev.scapstream.aggregate;

import java.util.Arrays;

/**
 * Exact on-CPU time from scheduler switch events. On each CPU, the thread that switches out ran
 * from the previous switch on that CPU until now; that interval is credited to it, split at second
 * boundaries (a thread on CPU from 0.8 s to 1.3 s gives 0.2 s to second 0 and 0.3 s to second 1).
 * Intervals on one CPU never overlap, so a CPU is never more than 100 % busy and the total never
 * exceeds the number of CPUs.
 *
 * <p>The interval before the first switch seen on a CPU has no known start and is not credited
 * (the only under-count: at most one time slice per CPU at capture start). Owned by one thread.
 */
public final class CpuSplitter {
    /** Receives credited time. */
    public interface Sink {
        /** ns of on-CPU time of thread tid (container key as of the slice) within second sec. */
        void credit(long tid, int containerKey, int cpu, long sec, long ns);
    }

    private static final long NS = 1_000_000_000L;
    private long[] running = new long[0];     // tid on each CPU, -1 unknown
    private int[] runningContainer = new int[0];
    private long[] since = new long[0];       // start of the running interval, -1 unknown
    private final Sink sink;

    public CpuSplitter(Sink sink) {
        this.sink = sink;
    }

    private void ensureCpu(int cpu) {
        if (cpu < running.length) return;
        int n = Math.max(cpu + 1, running.length * 2);
        int old = running.length;
        running = Arrays.copyOf(running, n);
        runningContainer = Arrays.copyOf(runningContainer, n);
        since = Arrays.copyOf(since, n);
        Arrays.fill(running, old, n, -1);
        Arrays.fill(since, old, n, -1);
    }

    /**
     * A switch on cpu at ts: prevTid (in container prevContainer) leaves, nextTid comes in. nextTid 0
     * is the idle task, which is never credited.
     */
    public void onSwitch(int cpu, long ts, long prevTid, int prevContainer, long nextTid, int nextContainer) {
        ensureCpu(cpu);
        long start = since[cpu];
        // the event names who was running; it wins over what we thought (a missed event)
        if (start >= 0 && ts > start && prevTid > 0) split(prevTid, prevContainer, cpu, start, ts);
        running[cpu] = nextTid;
        runningContainer[cpu] = nextContainer;
        since[cpu] = ts;
    }

    /** The container a thread is in now. */
    public interface ContainerOf {
        int containerOf(long tid, int whenSwitchedIn);
    }

    /**
     * Credits every CPU's running thread up to {@code boundary} (the end of a second being closed)
     * and moves the interval start there, so long-running threads show in every second they ran.
     * The slice goes to the thread's container as of now: a process launched into a container
     * runs briefly in its parent's cgroup and moves at its execve, possibly without any switch.
     */
    public void flushUntil(long boundary, ContainerOf containers) {
        for (int cpu = 0; cpu < running.length; cpu++) {
            long start = since[cpu];
            if (start < 0 || boundary <= start) continue;
            long tid = running[cpu];
            if (tid > 0) split(tid, containers.containerOf(tid, runningContainer[cpu]), cpu, start, boundary);
            since[cpu] = boundary;
        }
    }

    public int cpus() {
        return running.length;
    }

    private void split(long tid, int container, int cpu, long from, long to) {
        long sec = Math.floorDiv(from, NS);
        long t = from;
        while (t < to) {
            long end = Math.min(to, (sec + 1) * NS);
            sink.credit(tid, container, cpu, sec, end - t);
            t = end;
            sec++;
        }
    }
}
