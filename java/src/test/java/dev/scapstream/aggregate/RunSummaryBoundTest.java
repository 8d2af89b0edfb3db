package dev.scapstream.aggregate;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;
import dev.scapstream.store.Rows.CpuSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A bounded (live) summary keeps the most recently active processes and their names. */
class RunSummaryBoundTest {
    private static MetricsBatch second(long ts, long... pids) {
        MetricsBatch b = new MetricsBatch();
        for (long pid : pids) {
            b.rows(RowKind.PROCESS).add(new Rows.ProcessRow("h", "host", pid, 1, ts, 1, 1_000_000L * pid, 0, 0, CpuSource.SWITCH,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0));
            if (ts == pid) b.rows(RowKind.PROCESS_INFO).add(new Rows.ProcessInfo("h", "host", pid, 1, 1, 0, "p" + pid, "", "", ""));
        }
        return b;
    }

    @Test
    void leastRecentlyActiveGoWithTheirInfo() {
        RunSummary s = new RunSummary(3);
        s.add(second(1, 1)); // a long-lived process, active every second
        for (long t = 2; t <= 6; t++) s.add(second(t, 1, t)); // short ones, one a second
        List<RunSummary.Process> ps = s.summary().processes();
        assertEquals(java.util.Set.of(1L, 5L, 6L), ps.stream().map(RunSummary.Process::pid).collect(java.util.stream.Collectors.toSet()));
        assertEquals("p1", ps.stream().filter(p -> p.pid() == 1).findFirst().orElseThrow().name());
        assertEquals(3, s.keysDropped());
    }

    @Test
    void unboundedKeepsEveryKey() {
        RunSummary s = new RunSummary();
        for (long t = 1; t <= 6; t++) s.add(second(t, t));
        assertEquals(6, s.summary().processes().size());
        assertEquals(0, s.keysDropped());
    }
}
