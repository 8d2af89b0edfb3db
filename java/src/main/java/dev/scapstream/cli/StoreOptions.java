package dev.scapstream.cli;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.cassandra.CassandraConfig;
import dev.scapstream.store.cassandra.CassandraStore;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.telemetry.RunTelemetry;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Where metrics go, and how long they stay (a picocli mixin shared by replay, live and ui).
 * Not final: a test's command factory may hand picocli one that wraps the store it opens.
 */
class StoreOptions {
    static final Path DEFAULT_DB = Path.of("scapstream-data", "scapstream.db");

    @Option(names = "--db", paramLabel = "PATH", description = "SQLite file (default scapstream-data/scapstream.db)")
    Path db;

    @Option(names = "--cassandra", paramLabel = "HOST:PORT[,...]",
            description = "store in Apache Cassandra instead of SQLite: contact points (port 9042 by default)")
    String cassandra;

    @Option(names = "--keyspace", defaultValue = "scapstream", description = "Cassandra keyspace (default ${DEFAULT-VALUE})")
    String keyspace;

    @Option(names = "--replication", defaultValue = "SimpleStrategy:1", paramLabel = "SimpleStrategy:N|DC:N[,DC:N...]",
            description = "replication when the keyspace is created (default ${DEFAULT-VALUE}; production: dc1:3)")
    String replication;

    @Option(names = "--consistency", defaultValue = "LOCAL_QUORUM",
            description = "Cassandra consistency for writes and reads (default ${DEFAULT-VALUE})")
    String consistency;

    @Option(names = "--local-dc", defaultValue = "datacenter1", description = "Cassandra datacenter of this agent (default ${DEFAULT-VALUE})")
    String localDc;

    @Option(names = "--cassandra-user", description = "Cassandra user (the password from $SCAPSTREAM_CASSANDRA_PASSWORD)")
    String user;

    @Option(names = "--spool", paramLabel = "DIR", defaultValue = "scapstream-data/spool",
            description = "Cassandra: where closed seconds wait while it is unreachable (default ${DEFAULT-VALUE})")
    Path spool;

    @Option(names = "--spool-max", paramLabel = "SIZE", defaultValue = "1g",
            description = "Cassandra: the spool's bound, like 512m or 2g (default ${DEFAULT-VALUE})")
    String spoolMax;

    @Option(names = "--keep-raw", description = "keep per-second rows this long (default ${DEFAULT-VALUE})", defaultValue = "2d")
    String keepRaw;

    @Option(names = "--keep-10s", description = "keep 10 s rollups (default ${DEFAULT-VALUE})", defaultValue = "14d")
    String keep10s;

    @Option(names = "--keep-1h", description = "keep 1 h rollups (default ${DEFAULT-VALUE})", defaultValue = "90d")
    String keep1h;

    @Option(names = "--keep-1d", description = "keep 1 d rollups (default ${DEFAULT-VALUE})", defaultValue = "never")
    String keep1d;

    /** Opens the store to read it only (the ui command): a Cassandra store without a spool. */
    MetricsStore openForReading() {
        if (cassandra == null) return SqliteStore.open(dbPath());
        return CassandraStore.open(cassandraConfig().withSpool(null, 0));
    }

    /**
     * Opens the store; a Cassandra store's spool is published on the run's /metrics and its lines
     * about outages go to err.
     */
    MetricsStore open(RunTelemetry telemetry, PrintWriter err) {
        if (cassandra == null) return SqliteStore.open(dbPath());
        CassandraStore s = CassandraStore.open(cassandraConfig(), line -> {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        });
        if (telemetry != null) {
            telemetry.register("scapstream_store_spool_seconds", "Closed seconds waiting in the Cassandra spool.", "gauge",
                    s::spooledSeconds);
            telemetry.register("scapstream_store_spool_bytes", "Bytes in the Cassandra spool.", "gauge", s::spoolBytes);
            telemetry.register("scapstream_store_spool_dropped_seconds_total",
                    "Closed seconds dropped because the spool was full.", "counter", s::spoolDroppedSeconds);
            telemetry.register("scapstream_store_spool_dropped_rows_total",
                    "Rows dropped because the spool was full.", "counter", s::spoolDroppedRows);
            telemetry.register("scapstream_store_write_failures_total",
                    "Writes of a second Cassandra did not take (then spooled or reported).", "counter", s::writesFailed);
        }
        return s;
    }

    /** The host given, or the store's only one (none: it holds no data; several: one must be picked). */
    String hostOf(MetricsStore s, String given) {
        if (given != null) return given;
        java.util.List<String> hosts = s.hosts();
        if (hosts.isEmpty()) throw new Main.UserError(where() + " holds no data");
        if (hosts.size() != 1) throw new Main.UserError("the store holds hosts " + hosts + ": pick one with --host");
        return hosts.get(0);
    }

    Path dbPath() {
        requireOneStore();
        return db != null ? db : DEFAULT_DB;
    }

    private void requireOneStore() {
        if (db != null && cassandra != null) throw new Main.UserError("--db and --cassandra: give one store, not both");
    }

    CassandraConfig cassandraConfig() {
        requireOneStore();
        CassandraConfig c;
        try {
            c = CassandraConfig.local(CassandraConfig.parseContactPoints(cassandra), keyspace)
                    .withReplication(CassandraConfig.parseReplication(replication))
                    .withLocalDc(localDc)
                    .withConsistency(consistencyLevel())
                    .withTtls(retention().ttlSeconds())
                    .withSpool(spool, Sizes.parse(spoolMax));
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        if (user != null) c = c.withCredentials(user, System.getenv("SCAPSTREAM_CASSANDRA_PASSWORD"));
        String timeout = System.getenv("SCAPSTREAM_CASSANDRA_TIMEOUT_MS");
        if (timeout != null) c = c.withRequestTimeout(Duration.ofMillis(Long.parseLong(timeout)));
        return c;
    }

    private DefaultConsistencyLevel consistencyLevel() {
        try {
            return DefaultConsistencyLevel.valueOf(consistency.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("bad --consistency '" + consistency + "' (ONE, LOCAL_ONE, QUORUM, LOCAL_QUORUM, ALL...)");
        }
    }

    String where() {
        if (cassandra != null) return "Cassandra " + cassandra + " keyspace " + keyspace;
        return "SQLite " + dbPath();
    }

    Retention retention() {
        return new Retention(Retention.parse(keepRaw), Retention.parse(keep10s), Retention.parse(keep1h),
                Retention.parse(keep1d));
    }

    /** Sizes like 512m, 2g, 4096k or plain bytes. */
    static final class Sizes {
        private Sizes() {}

        static long parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            long mult = 1;
            if (t.endsWith("k")) mult = 1L << 10;
            else if (t.endsWith("m")) mult = 1L << 20;
            else if (t.endsWith("g")) mult = 1L << 30;
            if (mult > 1) t = t.substring(0, t.length() - 1);
            try {
                long n = Long.parseLong(t);
                if (n <= 0) throw new NumberFormatException();
                return Math.multiplyExact(n, mult);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("bad size '" + s + "' (like 512m or 2g)");
            }
        }
    }
}
