package dev.scapstream.store.cassandra;

import dev.scapstream.store.RowKind;
import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.ConnectionInitException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.servererrors.QueryExecutionException;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;
import dev.scapstream.store.StoreException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The fleet store: Apache Cassandra through the Java driver 4.x. Prepared statements only, sent
 * async with a bounded number in flight, rows of one partition grouped in unlogged batches (one
 * replica set, one round trip), token-aware routing (the driver's default policy, fed by the bound
 * partition keys), every statement idempotent: each closed second carries one write timestamp, so
 * a retried or late write of it can never double a counter or overwrite newer data.
 *
 * <p>Outages: with a spool configured, a second that cannot be written (no node, timeouts,
 * overload) goes to the on-disk {@link Spool}, as does every second after it until the spool is
 * empty again; a drainer thread writes spooled seconds oldest first as soon as Cassandra answers.
 * The agent's writer thread is never blocked longer than one request timeout.
 *
 * <p>Expiry is Cassandra's: every row is written with the TTL of its resolution, so
 * {@link #expire} has nothing to do and returns -1.
 */
public final class CassandraStore implements MetricsStore {
    private static final int BATCH_ROWS = 50;
    private static final long DAY = 86_400;
    /** Ranges are clamped to this many seconds either side of the epoch (bucket arithmetic stays in range). */
    private static final long MAX_SECONDS = 1L << 52;
    private static final int HOST_SHARD = 0;
    /** The bucket index's res for the days of recorded files (series use res > 0, processes 0, containers -1). */
    private static final int RECORDING_DAYS = -2;
    /** A file longer than this is listed in its latest days only: every notice writes each of its days. */
    private static final long RECORDING_MAX_DAYS = 366;

    private record Series<R extends Record>(CqlTable<R> table, Function<MetricsBatch, List<R>> rows,
                                            PreparedStatement[] insert, PreparedStatement[] select) {}

    private final CassandraConfig config;
    private final CqlSession session;
    private final String where;
    private final List<Series<?>> series = new ArrayList<>();
    private final Map<Class<?>, Series<?>> seriesByType = new HashMap<>();
    private final PreparedStatement insertProcess, insertContainer, insertHost, insertBucket;
    private final PreparedStatement insertContainerHost, selectContainerHosts;
    private final PreparedStatement selectProcesses, selectContainers, selectHosts, selectBuckets;
    private final PreparedStatement insertRecording, selectRecordings;
    private final Spool spool;
    private final Thread drainer;
    private final Semaphore inFlight;
    private final AtomicLong clockMicros = new AtomicLong();
    private final AtomicLong writesFailed = new AtomicLong();
    private final AtomicReference<String> lastOutage = new AtomicReference<>();
    private final Consumer<String> log;
    private volatile boolean closed;

    // Written-through caches: a host or bucket row is written once per store (after its batch made it).
    private final Set<String> knownHosts = ConcurrentHashMap.newKeySet();
    private final Set<List<String>> knownContainerHosts = ConcurrentHashMap.newKeySet(); // (host, id)
    private final Set<BucketKey> knownBuckets = ConcurrentHashMap.newKeySet();

    // The agent's view of live processes, for the day buckets of process rows. Owned by write()'s caller.
    private record Life(Rows.ProcessInfo info, long firstDay) {}

    private final Map<String, Life> alive = new HashMap<>();
    private final Map<String, Long> hostDay = new HashMap<>();

    private CassandraStore(CassandraConfig config, CqlSession session, Consumer<String> log) {
        this.config = config;
        this.session = session;
        this.log = log;
        this.where = config.toString();
        this.inFlight = new Semaphore(config.maxInFlight());
        String ks = config.keyspace();
        for (RowKind<?> k : RowKind.series()) addSeries(new CqlTable<>(k));
        insertProcess = prepare("INSERT INTO " + ks + ".processes (host, container_id, day, pid, start_ts, ppid, exit_ts,"
                + " comm, exe, args, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        insertContainer = prepare("INSERT INTO " + ks + ".containers (host, day, id, first_seen, last_seen, name, image,"
                + " runtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        insertHost = prepare("INSERT INTO " + ks + ".hosts (shard, host) VALUES (?, ?)");
        insertContainerHost = prepare("INSERT INTO " + ks + ".container_hosts (id, host) VALUES (?, ?) USING TTL ?");
        selectContainerHosts = prepare("SELECT host FROM " + ks + ".container_hosts WHERE id = ?");
        insertBucket = prepare("INSERT INTO " + ks + ".buckets (host, scope, res, bucket) VALUES (?, ?, ?, ?) USING TTL ?");
        selectProcesses = prepare("SELECT pid, start_ts, ppid, exit_ts, comm, exe, args, user FROM " + ks
                + ".processes WHERE host = ? AND container_id = ? AND day = ?");
        selectContainers = prepare("SELECT id, first_seen, last_seen, name, writetime(name), image, writetime(image),"
                + " runtime, writetime(runtime) FROM " + ks + ".containers WHERE host = ? AND day = ?");
        selectHosts = prepare("SELECT host FROM " + ks + ".hosts WHERE shard = ?");
        selectBuckets = prepare("SELECT bucket FROM " + ks + ".buckets WHERE host = ? AND scope = ? AND res = ?"
                + " AND bucket >= ? AND bucket < ?");
        insertRecording = prepare("INSERT INTO " + ks + ".recordings (host, day, path, first_ns, last_ns, bytes, gone)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?");
        selectRecordings = prepare("SELECT path, first_ns, last_ns, bytes, gone FROM " + ks
                + ".recordings WHERE host = ? AND day = ?");
        if (config.spoolDir() != null) {
            spool = new Spool(config.spoolDir(), config.spoolMaxBytes());
            drainer = new Thread(this::drainLoop, "scapstream-cassandra-spool");
            drainer.setDaemon(true);
            drainer.start();
        } else {
            spool = null;
            drainer = null;
        }
    }

    private <R extends Record> void addSeries(CqlTable<R> t) {
        Function<MetricsBatch, List<R>> rows = t.rowKind::of;
        String ks = config.keyspace();
        PreparedStatement[] ins = {prepare(t.insertCql(ks, 1)), prepare(t.insertCql(ks, 10))};
        PreparedStatement[] sel = {prepare(t.selectCql(ks, 1)), prepare(t.selectCql(ks, 10))};
        Series<R> s = new Series<>(t, rows, ins, sel);
        series.add(s);
        seriesByType.put(t.type, s);
    }

    /** Connects, applies schema/cassandra/*.cql where missing, prepares every statement. */
    public static CassandraStore open(CassandraConfig config) {
        return open(config, line -> {
            System.err.println(line);
            System.err.flush();
        });
    }

    /** Opens the store; {@code log} takes its lines about outages and the spool (one line each). */
    public static CassandraStore open(CassandraConfig config, Consumer<String> log) {
        String where = config.toString();
        CqlSession session = null;
        try {
            session = connect(config);
            CassandraSchema.apply(session, config.keyspace(), config.replication());
            return new CassandraStore(config, session, log);
        } catch (AuthenticationException e) {
            closeQuietly(session);
            throw new StoreException(where + ": authentication refused: " + oneLine(e), e);
        } catch (AllNodesFailedException e) {
            closeQuietly(session);
            throw new StoreException(where + ": cannot reach any node: " + reasons(e), e);
        } catch (DriverException | IllegalStateException | IllegalArgumentException e) {
            closeQuietly(session);
            throw new StoreException(where + ": cannot open: " + oneLine(e), e);
        } catch (StoreException e) {
            closeQuietly(session);
            throw new StoreException(where + ": " + e.getMessage(), e);
        }
    }

    private static CqlSession connect(CassandraConfig c) {
        Duration timeout = c.requestTimeout();
        DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, c.consistency().name())
                .withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, true)
                // schema changes are ours, a few at start: no need to debounce their refreshes
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ZERO)
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                // after an outage, notice the node is back within seconds (the default backs off to 60 s)
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
                .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
                .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 2048)
                // v5 wraps frames in checksummed segments: CPU on both sides for nothing on loopback
                // or a datacenter network TCP already checks (SCAPSTREAM_CASSANDRA_PROTOCOL=V5 to compare)
                .withString(DefaultDriverOption.PROTOCOL_VERSION,
                        System.getenv().getOrDefault("SCAPSTREAM_CASSANDRA_PROTOCOL", "V4"))
                .build();
        CqlSessionBuilder b = CqlSession.builder().withConfigLoader(loader).withLocalDatacenter(c.localDc());
        for (var a : c.contactPoints()) b.addContactPoint(a);
        if (c.user() != null) b.withAuthCredentials(c.user(), c.password() == null ? "" : c.password());
        return b.build();
    }

    private PreparedStatement prepare(String cql) {
        return CassandraSchema.retryWhileUnknown(
                () -> session.prepare(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(30))));
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void write(MetricsBatch batch) {
        checkOpen();
        if (batch.isEmpty()) return;
        Prepared p;
        synchronized (alive) {
            p = prepare(batch);
        }
        if (spool == null) {
            writeNow(p);
            return;
        }
        synchronized (spool) {
            // while older seconds wait, newer ones queue behind them: recovery writes in order
            if (!spool.isEmpty()) {
                toSpool(p, null);
                return;
            }
        }
        try {
            writeNow(p);
        } catch (Unavailable e) {
            String m = e.getMessage();
            toSpool(p, m.startsWith(where + ": ") ? m.substring(where.length() + 2) : m);
        }
    }

    private void toSpool(Prepared p, String why) {
        if (why != null && lastOutage.getAndSet(why) == null) {
            log.accept("scapstream: " + where + " unavailable (" + why + "): spooling closed seconds to "
                    + spool.dir() + " until it answers");
        }
        synchronized (spool) {
            if (!spool.append(p)) {
                long d = spool.droppedSeconds();
                if (d == 1 || d % 60 == 0) { // loud, but not a line a second
                    log.accept("scapstream: SPOOL FULL (" + spool.bytes() + " of " + spool.maxBytes() + " bytes in "
                            + spool.dir() + "): dropped " + d + " closed seconds (" + spool.droppedRows()
                            + " rows) while " + where + " is unavailable");
                }
            }
            spool.notifyAll();
        }
    }

    /** Thrown by writeNow when Cassandra did not take the second for reasons that pass (outage, overload). */
    static final class Unavailable extends StoreException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Decides the day buckets of process rows and the write timestamp: the only stateful step. */
    private Prepared prepare(MetricsBatch b) {
        long micros = clockMicros.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis() * 1000));
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
        for (Rows.ProcessInfo p : b.rows(RowKind.PROCESS_INFO)) infos.merge(processKey(p), p, CassandraStore::merge);
        for (Rows.ProcessInfo p : infos.values()) {
            Long sec = second.get(p.host());
            long day = day(sec != null ? sec : Math.max(p.startTs(), p.exitTs()) / 1_000_000_000L);
            String key = processKey(p);
            Life life = alive.get(key);
            long first = life == null ? day : Math.min(life.firstDay, day);
            // an exit (or a new command line) is written into every day the process was seen in
            for (long d = Math.max(first, day - 366 * DAY); d <= day; d += DAY) days.add(new Prepared.ProcessDay(p, d));
            Rows.ProcessInfo merged = life == null ? p : merge(life.info, p);
            if (merged.exitTs() != 0) alive.remove(key);
            else alive.put(key, new Life(merged, first));
        }
        return new Prepared(micros, b, days);
    }

    private static String processKey(Rows.ProcessInfo p) {
        return p.host() + '\0' + p.containerId() + '\0' + p.pid() + '\0' + p.startTs();
    }

    /** Two versions of a process merged as the processes table merges two writes. */
    private static Rows.ProcessInfo merge(Rows.ProcessInfo old, Rows.ProcessInfo p) {
        return new Rows.ProcessInfo(p.host(), p.containerId(), p.pid(), p.ppid(), p.startTs(),
                p.exitTs() != 0 ? p.exitTs() : old.exitTs(), known(p.comm(), old.comm()), known(p.exe(), old.exe()),
                known(p.args(), old.args()), known(p.user(), old.user()));
    }

    /** Two versions of a container (of one day) merged as two writes would be. */
    private static Rows.ContainerInfo merge(Rows.ContainerInfo old, Rows.ContainerInfo c) {
        return new Rows.ContainerInfo(c.host(), c.id(), known(c.name(), old.name()), known(c.image(), old.image()),
                known(c.runtime(), old.runtime()), Math.min(old.firstSeen(), c.firstSeen()),
                Math.max(old.lastSeen(), c.lastSeen()));
    }

    private static String known(String s, String old) {
        return s == null || s.isEmpty() ? old : s;
    }

    private static long day(long second) {
        return Math.floorDiv(second, DAY) * DAY;
    }

    /** Writes one prepared second and waits until all of it is acknowledged. */
    private void writeNow(Prepared p) {
        MetricsBatch b = p.batch();
        SecondWrites w = new SecondWrites(p.timestampMicros());
        for (Series<?> s : series) addSeries(s, b, w);
        int infoTtl = config.infoTtl();
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
            s.setInt(11, infoTtl);
            w.add("processes", new BucketKey(i.host(), i.containerId(), 0, d.day()), s);
        }
        // likewise one version per container and day, merged as two writes would be
        Map<List<Object>, Rows.ContainerInfo> ctrs = new LinkedHashMap<>();
        for (Rows.ContainerInfo c : b.rows(RowKind.CONTAINER_INFO)) {
            ctrs.merge(List.of(c.host(), c.id(), day(c.lastSeen())), c, CassandraStore::merge);
        }
        for (Rows.ContainerInfo c : ctrs.values()) {
            long day = day(c.lastSeen());
            BoundStatementBuilder s = insertContainer.boundStatementBuilder()
                    .setString(0, c.host()).setLong(1, day).setString(2, c.id()).setLong(3, c.firstSeen())
                    .setLong(4, c.lastSeen());
            setIfKnown(s, 5, c.name());
            setIfKnown(s, 6, c.image());
            setIfKnown(s, 7, c.runtime());
            s.setInt(8, infoTtl);
            w.add("containers", new BucketKey(c.host(), "", -1, day), s);
            List<String> ch = List.of(c.host(), c.id());
            if (!knownContainerHosts.contains(ch)) w.newContainerHosts.add(ch);
        }
        addRecordings(b, w, infoTtl);
        long ts = p.timestampMicros();
        Sender sender = new Sender();
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
        sender.await();
        Sender index = new Sender();
        for (BucketKey k : w.newBuckets) {
            int ttl = k.res > 0 ? bucketTtl(k.res) : infoTtl;
            index.send(insertBucket.boundStatementBuilder().setString(0, k.host).setString(1, k.scope).setInt(2, k.res)
                    .setLong(3, k.bucket).setInt(4, ttl).setQueryTimestamp(ts).setIdempotence(true).build());
        }
        for (String h : w.newHosts) {
            index.send(insertHost.boundStatementBuilder().setInt(0, HOST_SHARD).setString(1, h).setQueryTimestamp(ts)
                    .setIdempotence(true).build());
        }
        for (List<String> ch : w.newContainerHosts) {
            index.send(insertContainerHost.boundStatementBuilder().setString(0, ch.get(1)).setString(1, ch.get(0))
                    .setInt(2, infoTtl).setQueryTimestamp(ts).setIdempotence(true).build());
        }
        index.await();
        knownBuckets.addAll(w.newBuckets);
        knownHosts.addAll(w.newHosts);
        knownContainerHosts.addAll(w.newContainerHosts);
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
                w.add("recordings", new BucketKey(at.host(), "", RECORDING_DAYS, d), s);
            }
        }
    }

    private int bucketTtl(int res) {
        int t = config.ttl(res);
        return t == 0 ? 0 : (int) Math.min(630_720_000L, t + res * CqlTable.STEPS);
    }

    /**
     * A row of the bucket index: series buckets (res 1, 10, 3600, 86400), process days (res 0),
     * container days (res -1, scope ""). It is also the partition key of the rows it points to.
     */
    private record BucketKey(String host, String scope, int res, long bucket) {}

    /** A partition: rows of one table and bucket go in one batch. */
    private record PartitionKey(String table, BucketKey bucket) {}

    /** The statements of one second, grouped by partition, and the index rows it adds. */
    private final class SecondWrites {
        final long timestampMicros;
        final Map<PartitionKey, List<BoundStatement>> partitions = new LinkedHashMap<>();
        final Set<BucketKey> newBuckets = new LinkedHashSet<>();
        final Set<String> newHosts = new HashSet<>();
        final Set<List<String>> newContainerHosts = new LinkedHashSet<>();

        SecondWrites(long timestampMicros) {
            this.timestampMicros = timestampMicros;
        }

        void add(String table, BucketKey bucket, BoundStatementBuilder s) {
            PartitionKey key = new PartitionKey(table, bucket);
            List<BoundStatement> l = partitions.get(key);
            if (l == null) { // a partition new in this second: its bucket and host may be new too
                partitions.put(key, l = new ArrayList<>());
                if (bucket.host == null) throw new StoreException(where + ": a row without a host");
                if (!knownBuckets.contains(bucket)) newBuckets.add(bucket);
                if (!knownHosts.contains(bucket.host)) newHosts.add(bucket.host);
            }
            l.add(s.setQueryTimestamp(timestampMicros).setIdempotence(true).build());
        }
    }

    private <R extends Record> void addSeries(Series<R> s, MetricsBatch b, SecondWrites w) {
        CqlTable<R> t = s.table;
        List<R> rows = s.rows.apply(b);
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
            BoundStatementBuilder bs = s.insert[res == 1 ? 0 : 1].boundStatementBuilder();
            t.bind(bs, row, bucket, config.ttl(res));
            w.add(t.kind, new BucketKey(t.host(row), t.scope(row), res, bucket), bs);
        }
    }

    private static void setIfKnown(BoundStatementBuilder s, int i, String v) {
        if (v != null && !v.isEmpty()) s.setString(i, v); // unset: never erases a known value
    }

    /** Async sends with at most maxInFlight outstanding; await() reports the first failure. */
    private final class Sender {
        private final List<CompletionStage<AsyncResultSet>> pending = new ArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        void send(Statement<?> s) {
            if (failure.get() != null) return; // the second is failing: it is retried whole
            try {
                if (!inFlight.tryAcquire(config.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
                    failure.compareAndSet(null, new DriverTimeoutException("no free request slot"));
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
                return;
            }
            CompletionStage<AsyncResultSet> f;
            try {
                f = session.executeAsync(s);
            } catch (RuntimeException e) {
                inFlight.release();
                failure.compareAndSet(null, e);
                return;
            }
            pending.add(f.whenComplete((r, e) -> {
                inFlight.release();
                if (e != null) failure.compareAndSet(null, e);
            }));
        }

        void await() {
            for (CompletionStage<AsyncResultSet> f : pending) {
                try {
                    f.toCompletableFuture().get(config.requestTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    failure.compareAndSet(null, e instanceof ExecutionException ? e.getCause() : e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                }
            }
            Throwable e = failure.get();
            if (e == null) return;
            writesFailed.incrementAndGet();
            String m = where + ": write failed: " + (e instanceof AllNodesFailedException a ? reasons(a) : oneLine(e));
            if (transient_(e)) throw new Unavailable(m, e);
            throw new StoreException(m, e);
        }
    }

    /** Failures that pass: no node, timeouts, overload, lost connections. Not: bad statements, auth. */
    static boolean transient_(Throwable e) {
        return e instanceof AllNodesFailedException || e instanceof DriverTimeoutException
                || e instanceof QueryExecutionException // timeouts, unavailable, overload, read/write failures
                || e instanceof ClosedConnectionException || e instanceof HeartbeatException
                || e instanceof BusyConnectionException || e instanceof ConnectionInitException
                || e instanceof TimeoutException;
    }

    private void drainLoop() {
        long backoffMs = 250;
        while (!closed) {
            Path file;
            synchronized (spool) {
                file = spool.oldest();
                if (file == null) {
                    try {
                        spool.wait(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            Prepared p;
            try {
                p = PreparedCodec.decode(Files.readAllBytes(file));
            } catch (IOException e) {
                log.accept("scapstream: spool file " + file + " cannot be read (" + oneLine(e) + "): set aside as .bad");
                removeQuietly(file, true);
                continue;
            }
            try {
                writeNow(p);
                removeQuietly(file, false);
                backoffMs = 250;
                if (spool.isEmpty() && lastOutage.getAndSet(null) != null) {
                    log.accept("scapstream: " + where + " answers again: every spooled second is written ("
                            + spool.droppedSeconds() + " dropped while the spool was full)");
                }
            } catch (Unavailable e) {
                lastOutage.compareAndSet(null, oneLine(e));
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(2000, backoffMs * 2);
            } catch (RuntimeException e) {
                log.accept("scapstream: spooled second " + file + " refused by " + where + " (" + oneLine(e)
                        + "): set aside as .bad");
                removeQuietly(file, true);
            }
        }
    }

    private void removeQuietly(Path file, boolean setAside) {
        try {
            spool.removeOldest(file, setAside);
        } catch (IOException e) {
            log.accept("scapstream: spool " + spool.dir() + ": cannot remove " + file.getFileName() + ": " + oneLine(e));
        }
    }

    /** Waits up to the timeout for the spool to be written; true when it is empty. */
    public boolean awaitSpoolDrained(Duration timeout) throws InterruptedException {
        if (spool == null) return true;
        long end = System.nanoTime() + timeout.toNanos();
        while (!spool.isEmpty()) {
            if (System.nanoTime() > end) return false;
            Thread.sleep(50);
        }
        return true;
    }

    // ------------------------------------------------------------------ telemetry

    /** Seconds waiting in the spool (0 without one). */
    public int spooledSeconds() {
        return spool == null ? 0 : spool.seconds();
    }

    public long spoolBytes() {
        return spool == null ? 0 : spool.bytes();
    }

    public long spoolDroppedSeconds() {
        return spool == null ? 0 : spool.droppedSeconds();
    }

    public long spoolDroppedRows() {
        return spool == null ? 0 : spool.droppedRows();
    }

    /** Seconds that went through the spool since open. */
    public long spoolTotalSeconds() {
        return spool == null ? 0 : spool.spooledSeconds();
    }

    public long writesFailed() {
        return writesFailed.get();
    }

    // ------------------------------------------------------------------ reads

    /** A container's rows of several agent runs and days, merged: seen range widened, newest names kept. */
    private static final class SeenContainer {
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        final String[] names = {"", "", ""}; // name, image, runtime
        final long[] written = {-1, -1, -1};  // their writetime

        void add(Row r) {
            first = Math.min(first, r.getLong(1));
            last = Math.max(last, r.getLong(2));
            for (int i = 0; i < 3; i++) {
                String v = r.getString(3 + 2 * i);
                long wt = r.isNull(4 + 2 * i) ? -1 : r.getLong(4 + 2 * i);
                if (v != null && wt > written[i]) {
                    names[i] = v;
                    written[i] = wt;
                }
            }
        }
    }

    @Override
    public List<Rows.ContainerInfo> containers(String host, long fromTs, long toTs) {
        checkOpen();
        long from = clamp(fromTs), to = clamp(toTs);
        List<Rows.ContainerInfo> out = new ArrayList<>();
        for (String h : host == null ? hosts() : List.of(host)) {
            Map<String, SeenContainer> merged = new TreeMap<>();
            for (long day : buckets(h, "", -1, day(from), to)) {
                for (Row r : session.execute(selectContainers.bind(h, day))) {
                    merged.computeIfAbsent(r.getString(0), id -> new SeenContainer()).add(r);
                }
            }
            merged.forEach((id, c) -> {
                if (c.first < toTs && c.last >= fromTs) {
                    out.add(new Rows.ContainerInfo(h, id, c.names[0], c.names[1], c.names[2], c.first, c.last));
                }
            });
        }
        return out;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public List<Rows.ProcessInfo> processes(String host, String containerId, long fromTs, long toTs) {
        checkOpen();
        long fromNs = MetricsStore.secondsToNs(fromTs), toNs = MetricsStore.secondsToNs(toTs);
        long from = clamp(fromTs), to = clamp(toTs);
        Map<String, Rows.ProcessInfo> merged = new LinkedHashMap<>();
        for (long day : buckets(host, containerId, 0, day(from), to)) {
            for (Row r : session.execute(selectProcesses.bind(host, containerId, day))) {
                Rows.ProcessInfo p = new Rows.ProcessInfo(host, containerId, r.getLong(0), r.getLong(2), r.getLong(1),
                        r.isNull(3) ? 0 : r.getLong(3), orEmpty(r.getString(4)), orEmpty(r.getString(5)),
                        orEmpty(r.getString(6)), orEmpty(r.getString(7)));
                merged.merge(p.pid() + "@" + p.startTs(), p, CassandraStore::merge);
            }
        }
        List<Rows.ProcessInfo> out = new ArrayList<>();
        for (Rows.ProcessInfo p : merged.values()) {
            if (p.startTs() < toNs && (p.exitTs() == 0 || p.exitTs() >= fromNs)) out.add(p);
        }
        out.sort(Comparator.comparingLong(Rows.ProcessInfo::pid).thenComparingLong(Rows.ProcessInfo::startTs));
        return out;
    }

    /**
     * A file's rows of the range's days merged: the one with the latest last event is the file as
     * last reported (a path written again by a later run shows that run's file).
     */
    @Override
    public List<Rows.Recording> recordings(String host, long fromTs, long toTs) {
        checkOpen();
        long fromNs = MetricsStore.secondsToNs(fromTs), toNs = MetricsStore.secondsToNs(toTs);
        long from = clamp(fromTs), to = clamp(toTs);
        Map<String, Rows.Recording> byPath = new TreeMap<>();
        try {
            for (long day : buckets(host, "", RECORDING_DAYS, day(from), to)) {
                for (Row r : session.execute(selectRecordings.bind(host, day))) {
                    if (r.isNull(1) || r.isNull(2)) continue; // no times: nothing to place it by
                    Rows.Recording f = new Rows.Recording(host, r.getString(0), r.getLong(1), r.getLong(2),
                            r.isNull(3) ? 0 : r.getLong(3), !r.isNull(4) && r.getBoolean(4));
                    byPath.merge(f.path(), f, (a, c) -> c.lastNs() > a.lastNs() ? c : a);
                }
            }
        } catch (DriverException e) {
            throw new StoreException(where + ": reading recordings failed: " + oneLine(e), e);
        }
        List<Rows.Recording> out = new ArrayList<>();
        for (Rows.Recording f : byPath.values()) if (f.firstNs() < toNs && f.lastNs() >= fromNs) out.add(f);
        out.sort(Comparator.comparingLong(Rows.Recording::firstNs).thenComparing(Rows.Recording::path));
        return out;
    }

    @Override
    public <R extends Record> List<R> series(RowKind<R> kind, String host, String containerId, long fromTs, long toTs,
                                             int res) {
        return read(kind.type, host, kind.perContainer ? containerId : "", fromTs, toTs, res);
    }

    @SuppressWarnings("unchecked")
    private <R extends Record> List<R> read(Class<R> type, String host, String containerId, long fromTs, long toTs, int res) {
        checkOpen();
        Series<R> s = (Series<R>) seriesByType.get(type);
        CqlTable<R> t = s.table;
        List<R> out = new ArrayList<>();
        if (fromTs >= toTs) return out;
        long from = clamp(fromTs), to = clamp(toTs);
        String scope = t.perContainer ? containerId : "";
        PreparedStatement select = s.select[res == 1 ? 0 : 1];
        try {
            for (long bucket : buckets(host, scope, res, CqlTable.bucket(from, res), to)) {
                List<Object> v = t.scopeValues(host, containerId, res);
                v.add(bucket);
                v.add(from);
                v.add(to);
                for (Row r : session.execute(select.bind(v.toArray()))) out.add(t.read(r));
            }
        } catch (DriverException e) {
            throw new StoreException(where + ": reading " + t.table(res) + " failed: " + oneLine(e), e);
        }
        return out;
    }

    /** The buckets of a scope and resolution that exist in [fromBucket, toTs), in order. */
    private List<Long> buckets(String host, String scope, int res, long fromBucket, long toTs) {
        List<Long> out = new ArrayList<>();
        try {
            for (Row r : session.execute(selectBuckets.bind(host, scope, res, fromBucket, toTs))) out.add(r.getLong(0));
        } catch (DriverException e) {
            throw new StoreException(where + ": reading buckets failed: " + oneLine(e), e);
        }
        return out;
    }

    private static long clamp(long ts) {
        return Math.max(-MAX_SECONDS, Math.min(MAX_SECONDS, ts));
    }

    /** Per host: the first and the last day of containers (the bucket index), and only those two days read. */
    @Override
    public long[] span() {
        checkOpen();
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (String h : hosts()) {
            List<Long> days = buckets(h, "", -1, day(-MAX_SECONDS), MAX_SECONDS);
            if (days.isEmpty()) continue;
            for (long day : days.size() == 1 ? List.of(days.get(0)) : List.of(days.get(0), days.get(days.size() - 1))) {
                try {
                    for (Row r : session.execute(selectContainers.bind(h, day))) {
                        first = Math.min(first, r.getLong(1));
                        last = Math.max(last, r.getLong(2));
                    }
                } catch (DriverException e) {
                    throw new StoreException(where + ": reading the span failed: " + oneLine(e), e);
                }
            }
        }
        return first == Long.MAX_VALUE ? null : new long[] {first, last + 1};
    }

    @Override
    public List<String> hostsOf(String containerId) {
        checkOpen();
        TreeSet<String> out = new TreeSet<>();
        try {
            for (Row r : session.execute(selectContainerHosts.bind(containerId))) out.add(r.getString(0));
        } catch (DriverException e) {
            throw new StoreException(where + ": reading the hosts of a container failed: " + oneLine(e), e);
        }
        if (out.isEmpty()) {
            // a keyspace written before container_hosts existed: the long way
            for (Rows.ContainerInfo c : containers(null, 0, Long.MAX_VALUE)) if (c.id().equals(containerId)) out.add(c.host());
        }
        return new ArrayList<>(out);
    }

    @Override
    public List<String> hosts() {
        checkOpen();
        TreeSet<String> hosts = new TreeSet<>();
        try {
            for (Row r : session.execute(selectHosts.bind(HOST_SHARD))) hosts.add(r.getString(0));
        } catch (DriverException e) {
            throw new StoreException(where + ": reading hosts failed: " + oneLine(e), e);
        }
        return new ArrayList<>(hosts);
    }

    /** Rows expire by their TTL (the resolution's retention, set on every write). */
    @Override
    public long expire(int res, long cutoffTs) {
        return -1;
    }

    /**
     * Closes the session. With seconds still spooled, first waits a little for Cassandra (a short
     * replay that ends during an outage), then leaves them on disk for the next run, saying so.
     */
    @Override
    public void close() {
        if (closed) return;
        if (spool != null && !spool.isEmpty()) {
            try {
                awaitSpoolDrained(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        if (drainer != null) {
            drainer.interrupt();
            try {
                drainer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (spool != null && !spool.isEmpty()) {
            log.accept("scapstream: " + spool.seconds() + " closed seconds stay spooled in " + spool.dir()
                    + " (" + where + " unavailable): the next run with this spool writes them");
        }
        closeQuietly(session);
    }

    @Override
    public String toString() {
        return "CassandraStore[" + where + "]";
    }

    CqlSession session() {
        return session;
    }

    private void checkOpen() {
        if (closed) throw new StoreException(where + ": store is closed");
    }

    private static void closeQuietly(CqlSession s) {
        if (s == null) return;
        try {
            s.close();
        } catch (RuntimeException ignored) {
            // closing after a failure: the first error is the one to report
        }
    }

    /** Per node, what went wrong (the driver's own message lists them over several lines). */
    static String reasons(AllNodesFailedException e) {
        StringBuilder b = new StringBuilder();
        e.getAllErrors().forEach((node, errors) -> {
            if (b.length() > 0) b.append("; ");
            java.net.SocketAddress a = node.getEndPoint().resolve();
            b.append(a instanceof java.net.InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : a.toString());
            b.append(": ");
            b.append(errors.isEmpty() ? "failed" : cause(errors.get(errors.size() - 1)));
        });
        if (b.length() == 0) b.append(oneLine(e));
        return b.toString();
    }

    /** The informative part of a connection failure: the socket's own error, else the driver's text. */
    private static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return oneLine(t).replaceAll("^.*: ", "").toLowerCase(java.util.Locale.ROOT);
            }
        }
        String m = oneLine(e).replaceAll("\\[s\\d+\\|[^\\]]*\\]\\s*", "");
        if (m.contains("failed to send request") || m.contains("ClosedChannel")) {
            return "connection refused or closed"; // netty's stackless exception says no more
        }
        return m;
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
