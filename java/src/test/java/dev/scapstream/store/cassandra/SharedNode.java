package dev.scapstream.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import org.junit.jupiter.api.Assumptions;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The node the test launcher started (SCAPSTREAM_TEST_CASSANDRA=host:port); tests skip without one. */
public final class SharedNode {
    private SharedNode() {}

    public static String contactPointOrSkip() {
        String cp = System.getenv("SCAPSTREAM_TEST_CASSANDRA");
        Assumptions.assumeTrue(cp != null && !cp.isBlank(),
                "no Cassandra node: SCAPSTREAM_TEST_CASSANDRA is not set (./scapstream test starts one)");
        return cp;
    }

    /** Empties every table of a keyspace (faster on a node's heap than a keyspace per test). */
    static void truncateAll(CqlSession s, String keyspace) {
        List<String> tables = new ArrayList<>();
        for (Row r : s.execute(SimpleStatement.newInstance(
                "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace))) {
            String t = r.getString(0);
            if (!t.equals("schema_version")) tables.add(t);
        }
        for (String t : tables) {
            s.execute(SimpleStatement.newInstance("TRUNCATE " + keyspace + "." + t).setTimeout(Duration.ofSeconds(60)));
        }
    }

    /** Drops a test's keyspace, when there is a node. */
    public static void drop(String keyspace) {
        String cp = System.getenv("SCAPSTREAM_TEST_CASSANDRA");
        if (cp == null || cp.isBlank()) return;
        InetSocketAddress a = CassandraConfig.parseContactPoints(cp).get(0);
        try (CqlSession s = CqlSession.builder().addContactPoint(new InetSocketAddress(a.getHostString(), a.getPort()))
                .withLocalDatacenter("datacenter1").build()) {
            s.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(Duration.ofSeconds(60)));
        }
    }
}
