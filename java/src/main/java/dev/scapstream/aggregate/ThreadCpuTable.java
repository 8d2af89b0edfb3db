package dev.scapstream.aggregate;

import dev.scapstream.capture.LongMap;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.List;

/** Each thread's switch time in the two open seconds (its process's is the sum over its threads). */
final class ThreadCpuTable {
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

    private final LongMap<Thr> threads = new LongMap<>(1024);
    private final List<Long> idle = new ArrayList<>();

    void credit(long tid, long pid, int containerKey, int s, long sec, long ns) {
        Thr th = threads.get(tid);
        if (th == null) { // once per thread, not per switch
            th = new Thr(tid);
            threads.put(tid, th);
        }
        th.pid = pid;
        th.containerKey = containerKey;
        th.cpuNs[s] += ns;
        th.lastActive = sec;
    }

    /** Writes the threads that ran in slot s, filed in their process's container as its row is; forgets idle ones. */
    void emit(SecondContext ctx, MetricsBatch b, int s, long sec, ProcessTable processes) {
        idle.clear();
        threads.forEachValue(x -> {
            if (x.cpuNs[s] > 0) {
                ProcessTable.Proc p = processes.get(x.pid);
                int ck = p != null ? p.containerKey : x.containerKey;
                b.rows(RowKind.THREAD).add(new Rows.ThreadRow(ctx.host, ctx.containerId(ck), x.pid, x.tid, sec, 1, x.cpuNs[s]));
                x.cpuNs[s] = 0;
            } else if (sec - x.lastActive > SecondContext.IDLE_SECONDS_BEFORE_FORGET) {
                idle.add(x.tid);
            }
        });
        for (long tid : idle) threads.remove(tid);
    }
}
