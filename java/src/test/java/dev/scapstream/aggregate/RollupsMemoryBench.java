package dev.scapstream.aggregate;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.List;

/**
 * Heap held by the rollups of a host with process churn: P processes a second, each with K
 * syscall keys, each exiting in the second it started, for S seconds (default 100 x 25 x 600, one
 * 1 h and one 1 d bucket), with the shipped bound on exited processes' keys and without it.
 * Run: ./scapstream bench-rollups [P K S]
 */
public final class RollupsMemoryBench {
    public static void main(String[] args) {
        int procs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        System.out.printf("%d processes/s x %d syscall keys, each exiting in its second, %d s%n", procs, keys, seconds);
        for (int bound : new int[] {Rollups.DEFAULT_EXITED_KEYS, Integer.MAX_VALUE}) {
            String name = bound == Integer.MAX_VALUE ? "without a bound" : "bound " + bound + " keys";
            long before = used();
            Rollups r = new Rollups(bound);
            long rows = churn(r, procs, keys, seconds);
            long after = used();
            System.out.printf("%-22s heap held %,6d MB   keys held %,9d   forgotten %,9d   rows written %,d%n", name,
                    (after - before) >> 20, r.keysHeld(), r.keysForgotten(), rows);
        }
    }

    private static long churn(Rollups r, int procs, int keys, int seconds) {
        String[] names = new String[keys];
        for (int i = 0; i < keys; i++) names[i] = "syscall" + i;
        long t0 = 1_700_000_000L - Math.floorMod(1_700_000_000L, 86400) + 3600;
        long pid = 1000, rows = 0;
        for (int s = 0; s < seconds; s++) {
            MetricsBatch b = new MetricsBatch();
            List<Long> exited = new ArrayList<>();
            for (int p = 0; p < procs; p++, pid++) {
                for (String n : names) b.rows(RowKind.SYSCALL).add(new Rows.SyscallRow("h", "host", pid, n, t0 + s, 1, 3, 0, 100, 50));
                b.rows(RowKind.PROCESS).add(new Rows.ProcessRow("h", "host", pid, t0 * 1_000_000_000L, t0 + s, 1, 10, -1, -1,
                        Rows.CpuSource.SWITCH, 100, 50, 50, 0, 0, 0, 0, 0, 0, 0, keys, 0));
                exited.add(pid);
            }
            r.add(b, t0 + s, exited);
            rows += b.rowCount();
        }
        return rows;
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
