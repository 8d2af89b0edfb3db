package dev.scapstream.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * A few read connections, opened on first use and reused: WAL lets them read while the writer
 * writes, and each is used by one thread at a time. Reading through the writer's connection would
 * make every HTTP read wait for a write transaction.
 */
final class ReadPool implements AutoCloseable {
    interface Opener {
        Connection open() throws SQLException;
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Opener opener;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ReadPool(Opener opener, int size) {
        this.opener = opener;
        this.permits = new Semaphore(size);
    }

    <T> T with(Work<T> work) throws SQLException {
        permits.acquireUninterruptibly();
        try {
            if (closed) throw new SQLException("closed");
            Connection c = idle.poll();
            if (c == null) {
                c = opener.open();
                all.add(c);
            }
            try {
                return work.run(c);
            } finally {
                if (closed) closeQuietly(c); // the pool closed while this read ran
                else idle.add(c);
            }
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c : all) closeQuietly(c);
        all.clear();
        idle.clear();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing: nothing left to do with it
        }
    }
}
