package dev.scapstream.aggregate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

class CpuSplitterTest {
    private static final long S = 1_000_000_000L;

    record Credit(long tid, int container, int cpu, long sec, long ns) {}

    private final List<Credit> credits = new ArrayList<>();
    private final CpuSplitter splitter = new CpuSplitter((tid, c, cpu, sec, ns) -> credits.add(new Credit(tid, c, cpu, sec, ns)));

    private Map<String, Long> byTidSec() {
        Map<String, Long> m = new TreeMap<>();
        for (Credit c : credits) m.merge(c.tid() + "@" + c.sec(), c.ns(), Long::sum);
        return m;
    }

    @Test
    void intervalIsSplitAtSecondBoundaries() {
        splitter.onSwitch(0, 800_000_000L, 0, 0, 42, 7);   // 42 switches in at 0.8 s
        splitter.onSwitch(0, 1_300_000_000L, 42, 7, 0, 0); // and out at 1.3 s
        assertEquals(Map.of("42@0", 200_000_000L, "42@1", 300_000_000L), byTidSec());
        assertTrue(credits.stream().allMatch(c -> c.container() == 7 && c.cpu() == 0));
    }

    @Test
    void idleTaskAndUnknownFirstIntervalAreNotCredited() {
        splitter.onSwitch(0, 5 * S, 99, 0, 0, 0);      // first switch: 99's start unknown
        splitter.onSwitch(0, 6 * S, 0, 0, 12, 0);      // idle ran 5..6 s
        splitter.onSwitch(0, 6 * S + 10, 12, 0, 0, 0);  // 12 ran 10 ns
        assertEquals(Map.of("12@6", 10L), byTidSec());
    }

    @Test
    void longRunningThreadIsCreditedEverySecondThroughFlush() {
        splitter.onSwitch(1, 2 * S + 500_000_000L, 0, 0, 5, 3);
        splitter.flushUntil(3 * S, (t, c) -> c);
        splitter.flushUntil(4 * S, (t, c) -> c);
        splitter.onSwitch(1, 4 * S + 250_000_000L, 5, 3, 0, 0);
        assertEquals(Map.of("5@2", 500_000_000L, "5@3", S, "5@4", 250_000_000L), byTidSec());
    }

    @Test
    void threadsMigratingBetweenCpusAreCreditedPerCpuAndNoCpuExceedsFull() {
        // {cpu, ms, next}: 1 runs on cpu0, leaves at 400 ms and comes back on cpu1 at 450 ms
        long[][] sw = {{0, 100, 1}, {1, 150, 2}, {1, 380, 0}, {0, 400, 3}, {1, 450, 1}, {0, 900, 0}};
        long[] running = {0, 0};
        for (long[] e : sw) {
            int cpu = (int) e[0];
            splitter.onSwitch(cpu, e[1] * 1_000_000L, running[cpu], 0, e[2], 0);
            running[cpu] = e[2];
        }
        splitter.flushUntil(S, (t, c) -> c); // 1 still runs on cpu1 at the end of the second
        long[] perCpu = new long[2];
        for (Credit c : credits) perCpu[c.cpu()] += c.ns();
        assertEquals(800_000_000L, perCpu[0]);
        assertEquals(780_000_000L, perCpu[1]);
        Map<String, Long> m = byTidSec();
        assertEquals(300_000_000L + 550_000_000L, m.get("1@0"));
        assertEquals(230_000_000L, m.get("2@0"));
        assertEquals(500_000_000L, m.get("3@0"));
        assertTrue(perCpu[0] <= S && perCpu[1] <= S);
    }

    @Test
    void aFlushedSliceGoesToTheContainerTheThreadIsInNow() {
        splitter.onSwitch(0, 0, 0, 0, 8, 0);              // 8 switched in while still in the host (0)
        splitter.flushUntil(S, (tid, atSwitchIn) -> 5);   // it exec'd into container 5 meanwhile
        assertEquals(1, credits.size());
        assertEquals(5, credits.get(0).container());
        assertEquals(S, credits.get(0).ns());
    }

    @Test
    void theEventNamesWhoRanEvenAfterAMissedSwitch() {
        splitter.onSwitch(0, S, 0, 0, 10, 0);            // 10 in
        // missed: 10 -> 11 at 1.2 s; the next event says 11 switches out at 1.5 s
        splitter.onSwitch(0, S + 500_000_000L, 11, 4, 0, 0);
        assertEquals(Map.of("11@1", 500_000_000L), byTidSec());
        assertEquals(4, credits.get(0).container());
    }
}
