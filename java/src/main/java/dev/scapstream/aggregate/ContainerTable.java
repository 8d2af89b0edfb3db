package dev.scapstream.aggregate;

import dev.scapstream.capture.ContainerInfo;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;
import dev.scapstream.store.Rows.CpuSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Per container key (0 = the host): counters of the two open seconds, the seen range, and its description. */
final class ContainerTable {
    static final class Cont {
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

    private final List<Cont> containers = new ArrayList<>();

    Cont get(int key) {
        while (containers.size() <= key) containers.add(null);
        Cont c = containers.get(key);
        if (c == null) {
            c = new Cont();
            containers.set(key, c);
        }
        return c;
    }

    /**
     * Writes slot s's rows of the containers active in it or holding processes ({@code memory}: key
     * -> {rss, rss max, vm, swap, processes}); a new description of an idle one is written alone.
     * Returns whether a container held more CPU than the machine has.
     */
    boolean emit(SecondContext ctx, MetricsBatch b, int s, long sec, CpuSource source, Map<Integer, long[]> memory,
                 long capacityNs) {
        boolean over = false;
        for (int key = 0; key < containers.size(); key++) {
            Cont c = containers.get(key);
            long[] m = memory.get(key);
            if (c == null) continue;
            String cid = ctx.containerId(key);
            if (!c.active && m == null) {
                if (c.infoDirty && c.firstSeen != Long.MAX_VALUE) b.rows(RowKind.CONTAINER_INFO).add(info(ctx, key, cid, c));
                c.infoDirty = false;
                continue;
            }
            c.firstSeen = Math.min(c.firstSeen, sec);
            c.lastSeen = Math.max(c.lastSeen, sec);
            c.infoDirty = false;
            long cpuNs = source == CpuSource.SWITCH ? c.cpuNs[s] : source == CpuSource.PROCINFO ? c.procinfoNs[s] : -1;
            if (capacityNs > 0 && cpuNs > capacityNs) over = true;
            b.rows(RowKind.CONTAINER).add(new Rows.ContainerRow(ctx.host, cid, sec, 1, cpuNs, source,
                    m == null ? 0 : m[0], m == null ? 0 : m[1], m == null ? 0 : m[2], m == null ? 0 : m[3],
                    c.fileIn[s], c.fileOut[s], c.fileOps[s], c.netIn[s], c.netOut[s], c.calls[s], c.errors[s],
                    m == null ? 0 : (int) m[4]));
            b.rows(RowKind.CONTAINER_INFO).add(info(ctx, key, cid, c));
            c.clear(s);
            c.active = m != null;
        }
        return over;
    }

    private static Rows.ContainerInfo info(SecondContext ctx, int key, String cid, Cont c) {
        ContainerInfo info = ctx.dictionaries.container(key);
        return new Rows.ContainerInfo(ctx.host, cid, info == null ? "" : info.name, info == null ? "" : info.image,
                info == null ? "" : info.runtime, c.firstSeen, c.lastSeen);
    }
}
