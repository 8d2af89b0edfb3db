package dev.scapstream.aggregate;

import dev.scapstream.store.RowKind;
import dev.scapstream.capture.BatchDecoder;
import dev.scapstream.capture.EventTypes;
import dev.scapstream.capture.RecordLayout;
import dev.scapstream.capture.SyntheticBatch;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One rule for CPU sources: with switch events, CPU is their time alone and procinfo ticks only
 * split it into user and system time; without them, the ticks are the time. A second that holds
 * more CPU than the machine's CPUs is counted.
 */
class CpuSourcesTest {
    private static final long NS = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * NS;

    private static final class Run {
        final List<MetricsBatch> closed = new ArrayList<>();
        final SecondAggregator agg = new SecondAggregator("h", 0, closed::add, null, 2);
        final SyntheticBatch b = new SyntheticBatch(1 << 16);

        void procinfo(long ts, long tid, long userTicks, long sysTicks) {
            b.event(EventTypes.PROCINFO_E, EventTypes.PROCINFO_E, ts, tid, userTicks, sysTicks, 0, RecordLayout.F_EXIT, 0xff, 0, 0, -1);
        }

        void sw(long ts, int cpu, long prev, long next) {
            b.event(EventTypes.SCHEDSWITCH_6_E, EventTypes.SCHEDSWITCH_6_E, ts, prev, next, 0, cpu, RecordLayout.F_EXIT, 0xff, 0, 0, -1);
        }

        List<Rows.ProcessRow> run() {
            new BatchDecoder(agg.dictionaries()).decode(b.buffer(), b.used(), agg);
            agg.finish();
            List<Rows.ProcessRow> rows = new ArrayList<>();
            for (MetricsBatch m : closed) for (Rows.ProcessRow r : m.rows(RowKind.PROCESS)) if (r.res() == 1 && r.pid() == 100) rows.add(r);
            return rows;
        }
    }

    @Test
    void switchTimeIsNotAddedToProcinfoTicksWhichOnlySplitIt() {
        Run r = new Run();
        r.b.thread(100, 100, T0 - NS, 0, "spin", "");
        r.procinfo(T0 + 1_000, 100, 500, 100);        // first sample: a baseline, no time
        r.sw(T0 + 100_000_000, 0, 0, 100);             // 100 in on CPU 0 at 0.1 s
        r.procinfo(T0 + 900_000_000, 100, 530, 110);  // +30 user, +10 system ticks: 0.4 s by ticks
        r.sw(T0 + 700_000_000, 0, 100, 0);             // out at 0.7 s: 0.6 s on CPU
        r.sw(T0 + NS + 500_000_000, 1, 0, 0);          // a later event closes the second
        List<Rows.ProcessRow> rows = r.run();
        Rows.ProcessRow first = rows.get(0);
        assertEquals(600_000_000L, first.cpuNs(), "switch time alone: " + first);
        assertEquals(Rows.CpuSource.SWITCH_SPLIT_BY_PROCINFO, first.cpuSource());
        assertEquals(450_000_000L, first.cpuUserNs(), "3/4 of the exact time is user time (30 of 40 ticks)");
        assertEquals(150_000_000L, first.cpuSysNs());
        assertEquals(0, r.agg.cpuOverCapacitySeconds());
    }

    @Test
    void withoutSwitchEventsTheTicksAreTheTimeAndASecondAboveTheCpuCountIsCounted() {
        Run r = new Run();
        for (long tid = 100; tid < 103; tid++) {
            r.b.thread(tid, 100, T0 - NS, 0, "spin", "");
            r.procinfo(T0 + 1_000, tid, 0, 0);
            r.procinfo(T0 + 900_000_000, tid, 100, 0);  // a whole core each: 3 cores on a 2-CPU machine
        }
        r.procinfo(T0 + NS + 500_000_000, 200, 0, 0);
        List<Rows.ProcessRow> rows = r.run();
        assertEquals(3 * NS, rows.get(0).cpuNs(), "the ticks, as sysdig sums them");
        assertEquals(Rows.CpuSource.PROCINFO, rows.get(0).cpuSource());
        assertEquals(1, r.agg.cpuOverCapacitySeconds(), "the impossible second is counted");
    }
}
