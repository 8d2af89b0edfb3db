package dev.scapstream.store.cassandra;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.MetricsStoreContract;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract against a real Cassandra node: one keyspace for the class, every table truncated
 * before each test (a keyspace per test would cost the node ~20 tables' heap each time).
 */
class CassandraStoreTest extends MetricsStoreContract {
    private static final String KEYSPACE = "contract_" + ProcessHandle.current().pid();

    static String contactPoint() {
        return SharedNode.contactPointOrSkip();
    }

    static CassandraConfig config() {
        return CassandraConfig.local(CassandraConfig.parseContactPoints(contactPoint()), KEYSPACE);
    }

    @Override
    protected MetricsStore newStore() {
        CassandraStore s = CassandraStore.open(config());
        SharedNode.truncateAll(s.session(), KEYSPACE);
        return s;
    }

    @AfterAll
    static void dropKeyspace() {
        SharedNode.drop(KEYSPACE);
    }

    @Test
    void theJarShipsTheCqlFilesAsTheyAre() throws IOException {
        for (String f : List.of("keyspace.cql", "tables.cql")) {
            byte[] repo = java.nio.file.Files.readAllBytes(TestData.repo().resolve("schema/cassandra/" + f));
            try (var in = CassandraStore.class.getResourceAsStream("/schema/cassandra/" + f)) {
                assertEquals(new String(repo), new String(in.readAllBytes()), f + " on the classpath is stale");
            }
        }
    }
}
