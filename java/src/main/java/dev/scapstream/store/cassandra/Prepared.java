package dev.scapstream.store.cassandra;

import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.Rows;

import java.util.List;

/**
 * One closed second made ready for Cassandra: the batch, the day buckets its process rows go to
 * (decided once, from the store's view of which processes are alive, so a spooled second is
 * written later exactly as it would have been now) and the write timestamp every cell of it gets.
 * The timestamp makes a retry, or a spooled second written after newer ones, harmless: the newer
 * write of a cell always wins, whatever order they arrive in.
 */
record Prepared(long timestampMicros, MetricsBatch batch, List<ProcessDay> processDays) {
    /** A process's row in one day bucket (epoch seconds of the day's start). */
    record ProcessDay(Rows.ProcessInfo info, long day) {}
}
