package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import dev.scapstream.store.StoreException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements of one second, grouped by partition (rows of one table and bucket go in one
 * unlogged batch), each idempotent and stamped with the second's write timestamp, and the index
 * rows the second adds beyond those already written. Lives on the thread writing the second.
 */
final class SecondWrites {
    /** A partition: one table's rows of one bucket. */
    record Partition(String table, BucketIndex.Key bucket) {}

    final long timestampMicros;
    final Map<Partition, List<BoundStatement>> partitions = new LinkedHashMap<>();
    final Set<BucketIndex.Key> newBuckets = new LinkedHashSet<>();
    final Set<String> newHosts = new HashSet<>();
    final Set<List<String>> newContainerHosts = new LinkedHashSet<>(); // (host, id)
    private final String where;
    private final Set<BucketIndex.Key> knownBuckets;
    private final Set<String> knownHosts;

    SecondWrites(String where, long timestampMicros, Set<BucketIndex.Key> knownBuckets, Set<String> knownHosts) {
        this.where = where;
        this.timestampMicros = timestampMicros;
        this.knownBuckets = knownBuckets;
        this.knownHosts = knownHosts;
    }

    void add(String table, BucketIndex.Key bucket, BoundStatementBuilder s) {
        Partition key = new Partition(table, bucket);
        List<BoundStatement> l = partitions.get(key);
        if (l == null) { // a partition new in this second: its bucket and host may be new too
            partitions.put(key, l = new ArrayList<>());
            if (bucket.host() == null) throw new StoreException(where + ": a row without a host");
            if (!knownBuckets.contains(bucket)) newBuckets.add(bucket);
            if (!knownHosts.contains(bucket.host())) newHosts.add(bucket.host());
        }
        l.add(s.setQueryTimestamp(timestampMicros).setIdempotence(true).build());
    }
}
