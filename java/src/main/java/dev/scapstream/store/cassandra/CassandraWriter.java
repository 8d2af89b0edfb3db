package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import static dev.scapstream.store.cassandra.BucketIndex.DAY;
import static dev.scapstream.store.cassandra.BucketIndex.day;

/**
 * Writes one {@link Prepared} second and returns once all of it is acknowledged: every row a bound
 * prepared statement, idempotent, with the second's one write timestamp (a retried or late write
 * can never double a counter or overwrite newer data); rows of one partition grouped in unlogged
 * batches (one replica set, one round trip), routed by token from the bound partition keys; at most
 * {@code maxInFlight} requests outstanding; the bucket index rows last, so a reader that finds a
 * bucket finds its rows. A failure that passes is a {@link DriverErrors.Unavailable}.
 *
 * <p>Called by the store writer thread and, with a spool, by the drainer thread; the two never
 * write a second at once (see {@link SpoolingWriter}), and the written-through caches are
 * concurrent sets all the same.
 */
final class CassandraWriter {
    private static final int BATCH_ROWS = 50;
    /** A file longer than this is listed in its latest days only: every notice writes each of its days. */
    private static final long RECORDING_MAX_DAYS = 366;

    /** A series kind's inserts: raw rows, rollups. */
    private record SeriesInsert<R extends Record>(CqlTable<R> table, PreparedStatement raw, PreparedStatement rollup) {}

    private final CassandraConfig config;
    private final CqlSession session;
    private final String where;
    private final List<SeriesInsert<?>> series = new ArrayList<>();
    private final PreparedStatement insertProcess, insertContainer, insertRecording;
    private final PreparedStatement insertBucket, insertHost, insertContainerHost;
    private final Semaphore inFlight;
    private final AtomicLong writesFailed = new AtomicLong();

    // Written-through caches: a host or bucket row is written once per store (after its batch made it).
    private final Set<String> knownHosts = ConcurrentHashMap.newKeySet();
    private final Set<List<String>> knownContainerHosts = ConcurrentHashMap.newKeySet(); // (host, id)
    private final Set<BucketIndex.Key> knownBuckets = ConcurrentHashMap.newKeySet();

    CassandraWriter(CassandraConfig config, CqlSession session) {
        this.config = config;
        this.session = session;
        this.where = config.toString();
        this.inFlight = new Semaphore(config.maxInFlight());
        String ks = config.keyspace();
        for (RowKind<?> k : RowKind.series()) series.add(seriesInsert(new CqlTable<>(k)));
        insertProcess = prepare("INSERT INTO " + ks + ".processes (host, container_id, day, pid, start_ts, ppid, exit_ts,"
                + " comm, exe, args, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        insertContainer = prepare("INSERT INTO " + ks + ".containers (host, day, id, first_seen, last_seen, name, image,"
                + " runtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        insertRecording = prepare("INSERT INTO " + ks + ".recordings (host, day, path, first_ns, last_ns, bytes, gone)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        insertHost = prepare("INSERT INTO " + ks + ".hosts (shard, host) VALUES (?, ?)");
        insertContainerHost = prepare("INSERT INTO " + ks + ".container_hosts (id, host) VALUES (?, ?) USING TTL ?");
        insertBucket = prepare("INSERT INTO " + ks + ".buckets (host, scope, res, bucket) VALUES (?, ?, ?, ?) USING TTL ?");
    }

    private <R extends Record> SeriesInsert<R> seriesInsert(CqlTable<R> t) {
        String ks = config.keyspace();
        return new SeriesInsert<>(t, prepare(t.insertCql(ks, 1)), prepare(t.insertCql(ks, 10)));
    }

    private PreparedStatement prepare(String cql) {
        return SessionFactory.prepare(session, cql);
    }

    /** Seconds whose write failed since open (then spooled or reported). */
    long writesFailed() {
        return writesFailed.get();
    }

    void write(Prepared p) {
        MetricsBatch b = p.batch();
        SecondWrites w = new SecondWrites(where, p.timestampMicros(), knownBuckets, knownHosts);
        for (SeriesInsert<?> s : series) addSeries(s, b, w);
        int infoTtl = config.infoTtl();
        addProcesses(p, w, infoTtl);
        addContainers(b, w, infoTtl);
        addRecordings(b, w, infoTtl);
        long ts = p.timestampMicros();
        Sender sender = newSender();
        for (List<BoundStatement> part : w.partitions.values()) {
            for (int i = 0; i < part.size(); i += BATCH_ROWS) {
                List<BoundStatement> chunk = part.subList(i, Math.min(part.size(), i + BATCH_ROWS));
                if (chunk.size() == 1) {
                    sender.send(chunk.get(0));
                } else {
                    BatchStatementBuilder bb = BatchStatement.builder(BatchType.UNLOGGED);
                    for (BoundStatement s : chunk) bb.addStatement(s);
                    sender.send(bb.setQueryTimestamp(ts).setIdempotence(true).build());
                }
            }
        }
        // index rows last: a reader that finds a bucket finds its rows
        await(sender);
        Sender index = newSender();
        for (BucketIndex.Key k : w.newBuckets) {
            int ttl = k.res() > 0 ? bucketTtl(k.res()) : infoTtl;
            index.send(insertBucket.boundStatementBuilder().setString(0, k.host()).setString(1, k.scope())
                    .setInt(2, k.res()).setLong(3, k.bucket()).setInt(4, ttl).setQueryTimestamp(ts).setIdempotence(true)
                    .build());
        }
        for (String h : w.newHosts) {
            index.send(insertHost.boundStatementBuilder().setInt(0, BucketIndex.HOST_SHARD).setString(1, h)
                    .setQueryTimestamp(ts).setIdempotence(true).build());
        }
        for (List<String> ch : w.newContainerHosts) {
            index.send(insertContainerHost.boundStatementBuilder().setString(0, ch.get(1)).setString(1, ch.get(0))
                    .setInt(2, infoTtl).setQueryTimestamp(ts).setIdempotence(true).build());
        }
        await(index);
        knownBuckets.addAll(w.newBuckets);
        knownHosts.addAll(w.newHosts);
        knownContainerHosts.addAll(w.newContainerHosts);
    }

    private Sender newSender() {
        return new Sender(session, inFlight, config.requestTimeout());
    }

    private void await(Sender s) {
        Throwable e = s.await();
        if (e == null) return;
        writesFailed.incrementAndGet();
        throw DriverErrors.writeFailed(where, e);
    }

    private <R extends Record> void addSeries(SeriesInsert<R> s, MetricsBatch b, SecondWrites w) {
        CqlTable<R> t = s.table;
        List<R> rows = b.rows(t.rowKind);
        // Every row of a batch gets one write timestamp, and Cassandra breaks a tie of timestamps by
        // value: of a rollup row written twice in one batch (coalesced seconds, a process's rows
        // written at its exit and again later) only the later version may be sent, so the rows are
        // walked from the last (their order within one timestamp does not matter). Raw rows are
        // written in their own second only.
        Set<List<Object>> rollupsSent = new HashSet<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            R row = rows.get(i);
            int res = t.res(row);
            if (res != 1 && !rollupsSent.add(t.key(row))) continue;
            long bucket = CqlTable.bucket(t.ts(row), res);
            BoundStatementBuilder bs = (res == 1 ? s.raw : s.rollup).boundStatementBuilder();
            t.bind(bs, row, bucket, config.ttl(res));
            w.add(t.kind, new BucketIndex.Key(t.host(row), t.scope(row), res, bucket), bs);
        }
    }

    private void addProcesses(Prepared p, SecondWrites w, int ttl) {
        for (Prepared.ProcessDay d : p.processDays()) {
            Rows.ProcessInfo i = d.info();
            BoundStatementBuilder s = insertProcess.boundStatementBuilder()
                    .setString(0, i.host()).setString(1, i.containerId()).setLong(2, d.day()).setLong(3, i.pid())
                    .setLong(4, i.startTs()).setLong(5, i.ppid());
            if (i.exitTs() != 0) s.setLong(6, i.exitTs()); // unset otherwise: an exit once known stays
            setIfKnown(s, 7, i.comm());
            setIfKnown(s, 8, i.exe());
            setIfKnown(s, 9, i.args());
            setIfKnown(s, 10, i.user());
            s.setInt(11, ttl);
            w.add("processes", new BucketIndex.Key(i.host(), i.containerId(), BucketIndex.PROCESS_DAYS, d.day()), s);
        }
    }

    /** One version per container and day, merged as two writes would be (they share one timestamp). */
    private void addContainers(MetricsBatch b, SecondWrites w, int ttl) {
        Map<List<Object>, Rows.ContainerInfo> ctrs = new LinkedHashMap<>();
        for (Rows.ContainerInfo c : b.rows(RowKind.CONTAINER_INFO)) {
            ctrs.merge(List.of(c.host(), c.id(), day(c.lastSeen())), c, CassandraWriter::merge);
        }
        for (Rows.ContainerInfo c : ctrs.values()) {
            long day = day(c.lastSeen());
            BoundStatementBuilder s = insertContainer.boundStatementBuilder()
                    .setString(0, c.host()).setLong(1, day).setString(2, c.id()).setLong(3, c.firstSeen())
                    .setLong(4, c.lastSeen());
            setIfKnown(s, 5, c.name());
            setIfKnown(s, 6, c.image());
            setIfKnown(s, 7, c.runtime());
            s.setInt(8, ttl);
            w.add("containers", new BucketIndex.Key(c.host(), "", BucketIndex.CONTAINER_DAYS, day), s);
            List<String> ch = List.of(c.host(), c.id());
            if (!knownContainerHosts.contains(ch)) w.newContainerHosts.add(ch);
        }
    }

    private static Rows.ContainerInfo merge(Rows.ContainerInfo old, Rows.ContainerInfo c) {
        return new Rows.ContainerInfo(c.host(), c.id(), ProcessDays.known(c.name(), old.name()),
                ProcessDays.known(c.image(), old.image()), ProcessDays.known(c.runtime(), old.runtime()),
                Math.min(old.firstSeen(), c.firstSeen()), Math.max(old.lastSeen(), c.lastSeen()));
    }

    /**
     * A file's notices of one write, folded in order: the times and size of the latest one that
     * has them (null when only "gone" came), whether the last one says gone, and the latest
     * notice's times, which place the file's rows in days.
     */
    private record FileNotice(Rows.Recording values, boolean gone, Rows.Recording latest) {
        static FileNotice of(Rows.Recording r) {
            return new FileNotice(r.gone() ? null : r, r.gone(), r);
        }

        FileNotice then(FileNotice n) {
            return new FileNotice(n.values != null ? n.values : values, n.gone, n.latest);
        }
    }

    /**
     * The index of recorded files: one statement per file and day it spans (the write's one
     * timestamp would otherwise let Cassandra pick between two versions by value). A gone alone
     * leaves the size unset, so the stored one stays.
     */
    private void addRecordings(MetricsBatch b, SecondWrites w, int ttl) {
        Map<List<String>, FileNotice> files = new LinkedHashMap<>();
        for (Rows.Recording r : b.rows(RowKind.RECORDING)) files.merge(List.of(r.host(), r.path()), FileNotice.of(r), FileNotice::then);
        for (FileNotice f : files.values()) {
            Rows.Recording at = f.values != null ? f.values : f.latest;
            long lastDay = day(Math.floorDiv(at.lastNs(), 1_000_000_000L));
            long firstDay = Math.max(day(Math.floorDiv(at.firstNs(), 1_000_000_000L)), lastDay - (RECORDING_MAX_DAYS - 1) * DAY);
            for (long d = firstDay; d <= lastDay; d += DAY) {
                BoundStatementBuilder s = insertRecording.boundStatementBuilder()
                        .setString(0, at.host()).setLong(1, d).setString(2, at.path());
                // a gone alone carries the file's times (the recorder reports them) but leaves its size
                s.setLong(3, at.firstNs()).setLong(4, at.lastNs());
                if (f.values != null) s.setLong(5, f.values.bytes());
                s.setBoolean(6, f.gone).setInt(7, ttl);
                w.add("recordings", new BucketIndex.Key(at.host(), "", BucketIndex.RECORDING_DAYS, d), s);
            }
        }
    }

    /** A bucket's index row outlives the rows it points to by the bucket's span. */
    private int bucketTtl(int res) {
        int t = config.ttl(res);
        return t == 0 ? 0 : (int) Math.min(630_720_000L, t + res * CqlTable.STEPS);
    }

    private static void setIfKnown(BoundStatementBuilder s, int i, String v) {
        if (v != null && !v.isEmpty()) s.setString(i, v); // unset: never erases a known value
    }
}
