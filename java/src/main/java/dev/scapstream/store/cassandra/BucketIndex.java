package dev.scapstream.store.cassandra;

/**
 * The layout of the {@code buckets} index the writer fills and the reader walks: per host, scope
 * and res, the buckets that hold rows. Series use their resolution (res > 0, scope = container id
 * or ""), and the day partitions of the info tables use the negative and zero codes here.
 */
final class BucketIndex {
    static final long DAY = 86_400;
    /** The res of process days (scope = container id). */
    static final int PROCESS_DAYS = 0;
    /** The res of container days (scope ""). */
    static final int CONTAINER_DAYS = -1;
    /** The res of the days of recorded files (scope ""). */
    static final int RECORDING_DAYS = -2;
    /** The one partition of the {@code hosts} table. */
    static final int HOST_SHARD = 0;

    private BucketIndex() {}

    /**
     * A row of the index. It is also the partition key of the rows it points to, so the writer
     * groups a second's statements by it.
     */
    record Key(String host, String scope, int res, long bucket) {}

    /** The start of the day (epoch seconds) that holds a second. */
    static long day(long second) {
        return Math.floorDiv(second, DAY) * DAY;
    }
}
