package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;
import dev.scapstream.store.StoreException;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The fleet store: Apache Cassandra through the Java driver 4.x, in Zipkin's shape. The
 * {@link SessionFactory} connects and applies the schema; {@link ProcessDays} turns a closed second
 * into a {@link Prepared} one; the {@link CassandraWriter} writes it; with a spool configured, the
 * {@link SpoolingWriter} around it keeps seconds on disk through an outage; the
 * {@link CassandraReader} answers the reads; {@link DriverErrors} words every failure.
 *
 * <p>Threads: {@link #write} is called by the store writer thread only; reads by the web server's
 * and the CLI's threads; the spool's drainer thread is the {@link SpoolingWriter}'s own. Telemetry
 * getters are read by the /metrics thread.
 *
 * <p>Expiry is Cassandra's: every row is written with the TTL of its resolution, so
 * {@link #expire} has nothing to do and returns -1.
 */
public final class CassandraStore implements MetricsStore {
    private final String where;
    private final CqlSession session;
    private final ProcessDays processDays = new ProcessDays();
    private final CassandraWriter writer;
    private final CassandraReader reader;
    private final SpoolingWriter spooling; // null without a spool
    private volatile boolean closed;

    private CassandraStore(CassandraConfig config, CqlSession session, Consumer<String> log) {
        this.where = config.toString();
        this.session = session;
        this.writer = new CassandraWriter(config, session);
        this.reader = new CassandraReader(config, session);
        this.spooling = config.spoolDir() == null ? null
                : new SpoolingWriter(new Spool(config.spoolDir(), config.spoolMaxBytes()), writer::write, where, log);
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
        CqlSession session = null;
        try {
            session = SessionFactory.create(config);
            return new CassandraStore(config, session, log);
        } catch (RuntimeException e) {
            SessionFactory.closeQuietly(session);
            throw DriverErrors.openFailed(config.toString(), e);
        }
    }

    @Override
    public void write(MetricsBatch batch) {
        checkOpen();
        if (batch.isEmpty()) return;
        Prepared p = processDays.prepare(batch);
        if (spooling == null) writer.write(p);
        else spooling.write(p);
    }

    @Override
    public List<Rows.ContainerInfo> containers(String host, long fromTs, long toTs) {
        checkOpen();
        return reader.containers(host, fromTs, toTs);
    }

    @Override
    public List<Rows.ProcessInfo> processes(String host, String containerId, long fromTs, long toTs) {
        checkOpen();
        return reader.processes(host, containerId, fromTs, toTs);
    }

    @Override
    public List<Rows.Recording> recordings(String host, long fromTs, long toTs) {
        checkOpen();
        return reader.recordings(host, fromTs, toTs);
    }

    @Override
    public <R extends Record> List<R> series(RowKind<R> kind, String host, String containerId, long fromTs, long toTs,
                                             int res) {
        checkOpen();
        return reader.series(kind, host, containerId, fromTs, toTs, res);
    }

    @Override
    public long[] span() {
        checkOpen();
        return reader.span();
    }

    @Override
    public List<String> hostsOf(String containerId) {
        checkOpen();
        return reader.hostsOf(containerId);
    }

    @Override
    public List<String> hosts() {
        checkOpen();
        return reader.hosts();
    }

    /** Rows expire by their TTL (the resolution's retention, set on every write). */
    @Override
    public long expire(int res, long cutoffTs) {
        return -1;
    }

    // ------------------------------------------------------------------ telemetry

    /** Waits up to the timeout for the spool to be written; true when it is empty. */
    public boolean awaitSpoolDrained(Duration timeout) throws InterruptedException {
        return spooling == null || spooling.awaitDrained(timeout);
    }

    /** Seconds waiting in the spool (0 without one). */
    public int spooledSeconds() {
        return spooling == null ? 0 : spooling.seconds();
    }

    public long spoolBytes() {
        return spooling == null ? 0 : spooling.bytes();
    }

    public long spoolDroppedSeconds() {
        return spooling == null ? 0 : spooling.droppedSeconds();
    }

    public long spoolDroppedRows() {
        return spooling == null ? 0 : spooling.droppedRows();
    }

    /** Seconds that went through the spool since open. */
    public long spoolTotalSeconds() {
        return spooling == null ? 0 : spooling.spooledSeconds();
    }

    public long writesFailed() {
        return writer.writesFailed();
    }

    /**
     * Closes the session. With seconds still spooled, first waits a little for Cassandra (a short
     * replay that ends during an outage), then leaves them on disk for the next run, saying so.
     */
    @Override
    public void close() {
        if (closed) return;
        if (spooling != null && !spooling.isEmpty()) {
            try {
                spooling.awaitDrained(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        if (spooling != null) spooling.close();
        SessionFactory.closeQuietly(session);
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
}
