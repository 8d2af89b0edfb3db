package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import java.time.Duration;

/**
 * Opens the store's session: the driver configured from a {@link CassandraConfig}, the keyspace and
 * tables made or migrated by {@link CassandraSchema}, and the one way statements are prepared. The
 * writer and the reader prepare their own statements through {@link #prepare}, next to the code
 * that binds them, so a statement's markers and its bind indexes are read together. Called on the
 * thread that opens the store, before any other thread sees it.
 */
final class SessionFactory {
    private SessionFactory() {}

    /** A session to the keyspace with the current schema; closed again if the schema step fails. */
    static CqlSession create(CassandraConfig config) {
        CqlSession session = connect(config);
        try {
            CassandraSchema.apply(session, config.keyspace(), config.replication());
            return session;
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** Prepares a statement, waiting out a schema change other nodes have not seen yet. */
    static PreparedStatement prepare(CqlSession session, String cql) {
        return CassandraSchema.retryWhileUnknown(
                () -> session.prepare(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(30))));
    }

    static void closeQuietly(CqlSession s) {
        if (s == null) return;
        try {
            s.close();
        } catch (RuntimeException ignored) {
            // closing after a failure: the first error is the one to report
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
}
