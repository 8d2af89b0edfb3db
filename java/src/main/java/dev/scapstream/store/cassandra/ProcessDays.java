package dev.scapstream.store.cassandra;

import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.scapstream.store.cassandra.BucketIndex.DAY;
import static dev.scapstream.store.cassandra.BucketIndex.day;

/**
 * The writer's only stateful step: turns a closed second into a {@link Prepared} one, deciding the
 * day buckets of its process rows from the agent's view of which processes are alive, and its one
 * write timestamp. It runs before the spool, so a spooled second is written later exactly as it
 * would have been at once. Called by the store writer thread; synchronized all the same, since its
 * maps are not concurrent.
 */
final class ProcessDays {
    /** How far back an exit (or a new command line) is written into the days a process was seen in. */
    private static final long MAX_DAYS = 366;

    private record Life(Rows.ProcessInfo info, long firstDay) {}

    private long clockMicros;
    private final Map<String, Life> alive = new HashMap<>();
    private final Map<String, Long> hostDay = new HashMap<>();

    synchronized Prepared prepare(MetricsBatch b) {
        long micros = clockMicros = Math.max(clockMicros + 1, System.currentTimeMillis() * 1000);
        Map<String, Long> second = new HashMap<>();
        for (Rows.AgentRow r : b.rows(RowKind.AGENT)) second.merge(r.host(), r.ts(), Math::max);
        for (Rows.ContainerRow r : b.rows(RowKind.CONTAINER)) second.merge(r.host(), r.ts(), Math::max);
        for (Rows.ProcessRow r : b.rows(RowKind.PROCESS)) second.merge(r.host(), r.ts(), Math::max);
        List<Prepared.ProcessDay> days = new ArrayList<>();
        for (Map.Entry<String, Long> e : second.entrySet()) {
            long day = day(e.getValue());
            Long prev = hostDay.put(e.getKey(), day);
            if (prev != null && day > prev) { // a new day: live processes get a row in it too
                for (Life l : alive.values()) {
                    if (l.info.host().equals(e.getKey())) days.add(new Prepared.ProcessDay(l.info, day));
                }
            }
        }
        // one version per process: two in one write share its timestamp, which Cassandra would break by value
        Map<String, Rows.ProcessInfo> infos = new LinkedHashMap<>();
        for (Rows.ProcessInfo p : b.rows(RowKind.PROCESS_INFO)) infos.merge(key(p), p, ProcessDays::merge);
        for (Rows.ProcessInfo p : infos.values()) {
            Long sec = second.get(p.host());
            long day = day(sec != null ? sec : Math.max(p.startTs(), p.exitTs()) / 1_000_000_000L);
            String key = key(p);
            Life life = alive.get(key);
            long first = life == null ? day : Math.min(life.firstDay, day);
            for (long d = Math.max(first, day - MAX_DAYS * DAY); d <= day; d += DAY) days.add(new Prepared.ProcessDay(p, d));
            Rows.ProcessInfo merged = life == null ? p : merge(life.info, p);
            if (merged.exitTs() != 0) alive.remove(key);
            else alive.put(key, new Life(merged, first));
        }
        return new Prepared(micros, b, days);
    }

    private static String key(Rows.ProcessInfo p) {
        return p.host() + '\0' + p.containerId() + '\0' + p.pid() + '\0' + p.startTs();
    }

    /** Two versions of a process merged as the processes table merges two writes. */
    static Rows.ProcessInfo merge(Rows.ProcessInfo old, Rows.ProcessInfo p) {
        return new Rows.ProcessInfo(p.host(), p.containerId(), p.pid(), p.ppid(), p.startTs(),
                p.exitTs() != 0 ? p.exitTs() : old.exitTs(), known(p.comm(), old.comm()), known(p.exe(), old.exe()),
                known(p.args(), old.args()), known(p.user(), old.user()));
    }

    /** A value a newer write leaves unset when it does not know it, so the older one stays. */
    static String known(String s, String old) {
        return s == null || s.isEmpty() ? old : s;
    }
}
