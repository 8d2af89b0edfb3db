package dev.scapstream.store.sqlite;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;
import dev.scapstream.store.StoreException;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The embedded default store: one SQLite file in WAL mode. One connection writes (write, expire),
 * under its own lock; reads go through a small pool of read connections, which WAL lets read a
 * consistent snapshot while a write is in progress. A batch is one transaction, so a reader sees
 * all of it or none of it.
 *
 * <p>Durability: synchronous=NORMAL in WAL mode survives a crash of the process; a power loss may
 * lose the last transactions (never corrupt the file). That is the usual trade for per-second writes.
 *
 * <p>Orders where the interface leaves it open: series by ts then the rest of the key
 * (see {@link Tables}), processes by pid, start_ts, containers by host, id.
 */
public final class SqliteStore implements MetricsStore {
    private static final int READERS = 4;
    private static final int BUSY_TIMEOUT_MS = 10_000;
    /** Rows per executeBatch: bounds the driver's buffered parameters on a huge batch. */
    private static final int CHUNK = 4096;

    private final Path file;
    private final String where;
    private final Connection writer; // guarded by itself
    // the writer's insert statements, prepared once: a fresh statement per write would grow the
    // driver's parameter array again every time, a large share of a replay's allocation; guarded by writer
    private final Map<RowTable<?>, PreparedStatement> inserts = new HashMap<>();
    private final ReadPool readers;
    private volatile boolean closed;

    private SqliteStore(Path file, Connection writer) {
        this.file = file;
        this.where = describe(file);
        this.writer = writer;
        this.readers = new ReadPool(() -> connect(file, true), READERS);
    }

    /** Opens (creating it and its directories when missing) the store in a file. */
    public static SqliteStore open(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String where = describe(abs);
        try {
            Path parent = abs.getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            // an IOException's message is often just the path: its class says what went wrong
            throw new StoreException(where + ": cannot create its directory: " + e.getClass().getSimpleName() + " "
                    + oneLine(e), e);
        }
        Connection c = null;
        try {
            c = connect(abs, false);
            Connection conn = c;
            inTransaction(conn, () -> Schema.ensure(conn, where));
            return new SqliteStore(abs, c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StoreException(where + ": cannot open: " + oneLine(e), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            if (e instanceof StoreException) throw e;
            throw new StoreException(where + ": cannot open: " + oneLine(e), e); // e.g. a jar without the schema
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void write(MetricsBatch batch) {
        if (batch.isEmpty()) return;
        synchronized (writer) {
            checkOpen();
            try {
                inTransaction(writer, () -> {
                    for (RowKind<?> k : RowKind.all()) insert(k, batch);
                });
            } catch (SQLException e) {
                throw new StoreException(where + ": write of " + batch.rowCount() + " rows failed: " + oneLine(e), e);
            }
        }
    }

    private <R extends Record> void insert(RowKind<R> kind, MetricsBatch batch) throws SQLException {
        List<R> rows = kind.of(batch);
        if (rows.isEmpty()) return;
        RowTable<R> table = Tables.of(kind);
        PreparedStatement ps = inserts.get(table);
        if (ps == null) {
            ps = writer.prepareStatement(table.insertSql);
            inserts.put(table, ps);
        }
        try {
            int pending = 0;
            for (R row : rows) {
                table.bind(ps, row);
                ps.addBatch();
                if (++pending == CHUNK) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) ps.executeBatch();
        } catch (SQLException | RuntimeException e) {
            ps.clearBatch(); // the statement is kept: nothing of a failed write may reach the next one
            throw e;
        }
    }

    @Override
    public List<Rows.ContainerInfo> containers(String host, long fromTs, long toTs) {
        RowTable<Rows.ContainerInfo> t = Tables.of(RowKind.CONTAINER_INFO);
        String select = "SELECT " + t.selectColumns + " FROM " + t.name + " WHERE ";
        String seen = "first_seen < ? AND last_seen >= ?";
        return host == null
                ? query(t, select + seen + " ORDER BY host, id", toTs, fromTs)
                : query(t, select + "host = ? AND " + seen + " ORDER BY id", host, toTs, fromTs);
    }

    @Override
    public List<Rows.ProcessInfo> processes(String host, String containerId, long fromTs, long toTs) {
        RowTable<Rows.ProcessInfo> t = Tables.of(RowKind.PROCESS_INFO);
        return query(t, "SELECT " + t.selectColumns + " FROM " + t.name
                        + " WHERE host = ? AND container_id = ? AND start_ts < ? AND (exit_ts = 0 OR exit_ts >= ?)"
                        + " ORDER BY pid, start_ts",
                host, containerId, MetricsStore.secondsToNs(toTs), MetricsStore.secondsToNs(fromTs));
    }

    @Override
    public <R extends Record> List<R> series(RowKind<R> kind, String host, String containerId, long fromTs, long toTs,
                                             int res) {
        RowTable<R> t = Tables.of(kind);
        return kind.perContainer ? query(t, t.seriesSql, host, containerId, res, fromTs, toTs)
                : query(t, t.seriesSql, host, res, fromTs, toTs);
    }

    @Override
    public List<Rows.Recording> recordings(String host, long fromTs, long toTs) {
        RowTable<Rows.Recording> t = Tables.of(RowKind.RECORDING);
        return query(t, "SELECT " + t.selectColumns + " FROM " + t.name
                        + " WHERE host = ? AND last_ns >= ? AND first_ns < ? ORDER BY first_ns, path",
                host, MetricsStore.secondsToNs(fromTs), MetricsStore.secondsToNs(toTs));
    }

    @Override
    public long[] span() {
        checkOpen();
        try {
            return readers.with(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT min(first_seen), max(last_seen) FROM containers")) {
                rs.next();
                long first = rs.getLong(1);
                return rs.wasNull() ? null : new long[] {first, rs.getLong(2) + 1};
            }
            });
        } catch (SQLException e) {
            throw new StoreException(where + ": reading the span failed: " + oneLine(e), e);
        }
    }

    @Override
    public List<String> hostsOf(String containerId) {
        checkOpen();
        try {
            return readers.with(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT host FROM containers WHERE id = ? ORDER BY host")) {
                ps.setString(1, containerId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
            return out;
            });
        } catch (SQLException e) {
            throw new StoreException(where + ": reading the hosts of a container failed: " + oneLine(e), e);
        }
    }

    @Override
    public List<String> hosts() {
        checkOpen();
        try {
            return readers.with(c -> {
                TreeSet<String> hosts = new TreeSet<>();
                for (RowTable<?> t : Tables.ALL) {
                    // Skip-scan: one index seek per distinct host instead of reading every row.
                    try (PreparedStatement first = c.prepareStatement(
                                 "SELECT host FROM " + t.name + " ORDER BY host LIMIT 1");
                         PreparedStatement next = c.prepareStatement(
                                 "SELECT host FROM " + t.name + " WHERE host > ? ORDER BY host LIMIT 1")) {
                        for (String h = firstString(first); h != null; h = firstString(next)) {
                            hosts.add(h);
                            next.setString(1, h);
                        }
                    }
                }
                return new ArrayList<>(hosts);
            });
        } catch (SQLException e) {
            throw new StoreException(where + ": reading hosts failed: " + oneLine(e), e);
        }
    }

    @Override
    public long expire(int res, long cutoffTs) {
        synchronized (writer) {
            checkOpen();
            long[] deleted = {0};
            try {
                inTransaction(writer, () -> {
                    for (RowTable<?> t : Tables.SERIES) deleted[0] += expire(t, res, cutoffTs);
                });
            } catch (SQLException e) {
                throw new StoreException(where + ": expire of res " + res + " failed: " + oneLine(e), e);
            }
            return deleted[0];
        }
    }

    /**
     * Deletes scope by scope ((host, container) or host): res is not a leading key column, so a
     * plain "DELETE ... WHERE res = ? AND ts < ?" would read the whole table every time.
     */
    private long expire(RowTable<?> t, int res, long cutoffTs) throws SQLException {
        int n = t.scope.size();
        long deleted = 0;
        try (PreparedStatement first = writer.prepareStatement(t.firstScopeSql);
             PreparedStatement next = writer.prepareStatement(t.nextScopeSql);
             PreparedStatement delete = writer.prepareStatement(t.expireSql)) {
            Object[] scope = firstRow(first, n);
            while (scope != null) {
                for (int i = 0; i < n; i++) {
                    delete.setObject(i + 1, scope[i]);
                    next.setObject(i + 1, scope[i]);
                }
                delete.setInt(n + 1, res);
                delete.setLong(n + 2, cutoffTs);
                deleted += delete.executeUpdate();
                scope = firstRow(next, n);
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        synchronized (writer) {
            if (closed) return;
            closed = true;
            readers.close();
            for (PreparedStatement ps : inserts.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing the connection below releases it anyway
                }
            }
            inserts.clear();
            closeQuietly(writer);
        }
    }

    @Override
    public String toString() {
        return "SqliteStore[" + file + "]";
    }

    private <R extends Record> List<R> query(RowTable<R> table, String sql, Object... params) {
        checkOpen();
        try {
            return readers.with(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
                    List<R> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.add(table.read(rs));
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw new StoreException(where + ": reading " + table.name + " failed: " + oneLine(e), e);
        }
    }

    private void checkOpen() {
        if (closed) throw new StoreException(where + ": store is closed");
    }

    interface SqlWork {
        void run() throws SQLException;
    }

    /**
     * BEGIN IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so a transaction
     * never fails half-way on a lock upgrade. The connection stays in JDBC auto-commit mode: in
     * manual mode sqlite-jdbc re-opens a transaction right after each commit.
     */
    private static void inTransaction(Connection c, SqlWork work) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                work.run();
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                try {
                    s.execute("ROLLBACK");
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed);
                }
                throw e;
            }
        }
    }

    private static Connection connect(Path file, boolean reader) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        if (!reader) {
            // journal_mode is stored in the file: set once by the writer, readers inherit it
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        }
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        if (reader) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = 1");
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
        }
        return c;
    }

    private static String firstString(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Object[] firstRow(PreparedStatement ps, int columns) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return null;
            Object[] row = new Object[columns];
            for (int i = 0; i < columns; i++) row[i] = rs.getObject(i + 1);
            return row;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing or closing: the first error is the one to report
        }
    }

    private static String describe(Path file) {
        return "sqlite store " + file;
    }

    /** Messages go on one line: a driver message can carry newlines. */
    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
