package dev.scapstream.aggregate;

import dev.scapstream.capture.EventNames;
import dev.scapstream.capture.LongMap;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.List;

/** strace -c per (process, syscall) in the two open seconds: calls, errors, latency; and failures by errno. */
final class SyscallTable {
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

    private static final class Errno {
        final long pid;
        final int nameId, errno;
        int containerKey;
        final long[] count = new long[2];
        long lastActive;

        Errno(long pid, int nameId, int errno) {
            this.pid = pid;
            this.nameId = nameId;
            this.errno = errno;
        }
    }

    /** errnos above this are folded into it (the key keeps 12 bits of it) */
    private static final int MAX_ERRNO = 4095;

    private final LongMap<Sys> calls = new LongMap<>(1024);
    private final LongMap<Errno> errnos = new LongMap<>(256);
    private final List<Long> idle = new ArrayList<>();

    private static long callKey(long pid, int nameId) {
        return (pid << 16) | (nameId & 0xffff);
    }

    private static long errnoKey(long pid, int nameId, int errno) {
        return (pid << 28) | ((long) (nameId & 0xffff) << 12) | errno;
    }

    /** One completed call; a failed one ({@code res} = -errno) also counts under its errno. */
    void count(long pid, int nameId, int containerKey, long openSec, int s, long latencyNs, boolean failed, long res) {
        long k = callKey(pid, nameId);
        Sys x = calls.get(k);
        if (x == null) {
            x = new Sys(pid, nameId);
            calls.put(k, x);
        }
        x.containerKey = containerKey;
        x.lastActive = openSec;
        x.calls[s]++;
        x.latency[s] += latencyNs;
        if (latencyNs > x.maxLatency[s]) x.maxLatency[s] = latencyNs;
        if (!failed) return;
        x.errors[s]++;
        int errno = (int) Math.min(MAX_ERRNO, -res);
        long ek = errnoKey(pid, nameId, errno);
        Errno e = errnos.get(ek);
        if (e == null) {
            e = new Errno(pid, nameId, errno);
            errnos.put(ek, e);
        }
        e.containerKey = containerKey;
        e.lastActive = openSec;
        e.count[s]++;
    }

    /** Writes slot s's syscall and errno rows, then forgets idle keys. */
    void emit(SecondContext ctx, MetricsBatch b, int s, long sec) {
        idle.clear();
        calls.forEachValue(x -> {
            if (x.calls[s] > 0) {
                b.rows(RowKind.SYSCALL).add(new Rows.SyscallRow(ctx.host, ctx.containerId(x.containerKey), x.pid,
                        EventNames.name(x.nameId), sec, 1, x.calls[s], x.errors[s], x.latency[s], x.maxLatency[s]));
            } else if (ctx.forgettable(x.pid, x.lastActive, sec)) {
                idle.add(callKey(x.pid, x.nameId));
            }
            x.clear(s);
        });
        for (long k : idle) calls.remove(k);
        idle.clear();
        errnos.forEachValue(x -> {
            if (x.count[s] > 0) {
                b.rows(RowKind.ERRNO).add(new Rows.ErrnoRow(ctx.host, ctx.containerId(x.containerKey), x.pid,
                        EventNames.name(x.nameId), x.errno, sec, 1, x.count[s]));
            } else if (ctx.forgettable(x.pid, x.lastActive, sec)) {
                idle.add(errnoKey(x.pid, x.nameId, x.errno));
            }
            x.count[s] = 0;
        });
        for (long k : idle) errnos.remove(k);
    }
}
