package dev.scapstream.aggregate;

import dev.scapstream.capture.FdInfo;
import dev.scapstream.capture.LongMap;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** I/O per (process, fd key) in the two open seconds: the file rows, or the connection rows and their server ports. */
final class FlowTable {
    static final class Flow {
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

    /** The connection rows' traffic per server port: (container, l4, port). */
    record PortKey(String containerId, String l4, int port) {}

    private final boolean files;
    private final LongMap<Flow> map;
    private final List<Long> idle = new ArrayList<>();

    FlowTable(boolean files, int capacity) {
        this.files = files;
        this.map = new LongMap<>(capacity);
    }

    private static long key(long pid, int fdKey) {
        return (pid << 32) | (fdKey & 0xffffffffL);
    }

    /** The flow of a process's fd, marked active in the second that is open. */
    Flow flow(long pid, int fdKey, int containerKey, long openSec) {
        long k = key(pid, fdKey);
        Flow f = map.get(k);
        if (f == null) {
            f = new Flow(pid, fdKey);
            map.put(k, f);
        }
        f.containerKey = containerKey;
        f.lastActive = openSec;
        return f;
    }

    /** Writes slot s's rows (and, for connections, adds to ports), then forgets idle flows. */
    void emit(SecondContext ctx, MetricsBatch b, int s, long sec, Map<PortKey, long[]> ports) {
        idle.clear();
        map.forEachValue(f -> {
            if (f.active(s)) {
                FdInfo fd = ctx.dictionaries.fd(f.fdKey);
                String cid = ctx.containerId(f.containerKey);
                String name = fd == null ? "?" : fd.name;
                if (files) {
                    b.rows(RowKind.FILE).add(new Rows.FileRow(ctx.host, cid, f.pid, name, sec, 1, f.in[s], f.out[s],
                            f.opsIn[s], f.opsOut[s], f.opens[s], f.openErrors[s]));
                } else {
                    int port = fd == null ? 0 : fd.dport;
                    String l4 = fd == null ? "unknown" : fd.l4Name();
                    b.rows(RowKind.CONNECTION).add(new Rows.ConnectionRow(ctx.host, cid, f.pid, l4, name, port, sec, 1,
                            f.in[s], f.out[s]));
                    long[] pt = ports.computeIfAbsent(new PortKey(cid, l4, port), k -> new long[2]);
                    pt[0] += f.in[s];
                    pt[1] += f.out[s];
                }
            } else if (ctx.forgettable(f.pid, f.lastActive, sec)) {
                idle.add(key(f.pid, f.fdKey));
            }
            f.clear(s);
        });
        for (long k : idle) map.remove(k);
    }
}
