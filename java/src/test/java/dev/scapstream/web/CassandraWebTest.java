package dev.scapstream.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.cli.Main;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.cassandra.CassandraConfig;
import dev.scapstream.store.cassandra.CassandraStore;
import dev.scapstream.store.cassandra.SharedNode;
import dev.scapstream.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web UI's API over a Cassandra store answers exactly what it answers over SQLite. */
class CassandraWebTest {
    private static final String KEYSPACE = "web_" + ProcessHandle.current().pid();

    @TempDir
    Path tmp;

    @AfterAll
    static void drop() {
        SharedNode.drop(KEYSPACE);
    }

    @Test
    void everyApiAnswerIsTheSameOverCassandraAsOverSqlite() throws Exception {
        String node = SharedNode.contactPointOrSkip();
        Path db = tmp.resolve("ref.db");
        String fixture = ReplayedFixture.fixture().toString();
        replay("--db", db.toString(), fixture);
        replay("--cassandra", node, "--keyspace", KEYSPACE, "--spool", tmp.resolve("spool").toString(), fixture);
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        try (MetricsStore sqlite = SqliteStore.open(db);
             MetricsStore cassandra = CassandraStore.open(CassandraConfig.local(
                     CassandraConfig.parseContactPoints(node), KEYSPACE));
             WebServer a = WebServer.start(new InetSocketAddress("127.0.0.1", 0), sqlite, RunState.stored());
             WebServer b = WebServer.start(new InetSocketAddress("127.0.0.1", 0), cassandra, RunState.stored())) {
            List<String> paths = new ArrayList<>(List.of("api/status", "api/overview", "api/overview?res=10"));
            JsonNode overview = json.readTree(get(http, a.url() + "api/overview"));
            for (JsonNode c : overview.path("containers")) {
                String id = c.path("id").asText();
                for (String r : List.of("container", "processes", "files", "connections", "ports", "syscalls", "errnos")) {
                    paths.add("api/" + r + "?id=" + id);
                }
                paths.add("api/container?id=" + id + "&res=10");
            }
            assertTrue(paths.size() > 20, paths.toString());
            for (String p : paths) {
                long before = java.time.Instant.now().getEpochSecond();
                JsonNode fromSqlite = json.readTree(get(http, a.url() + p)), fromCassandra = json.readTree(get(http, b.url() + p));
                long after = java.time.Instant.now().getEpochSecond();
                // "now" is each server's clock when it answered: the present, not the store's data
                for (JsonNode answer : List.of(fromSqlite, fromCassandra)) {
                    if (answer.has("now")) {
                        long now = answer.path("now").asLong();
                        assertTrue(now >= before && now <= after, p + ": now " + now + " not in [" + before + ", " + after + "]");
                        ((com.fasterxml.jackson.databind.node.ObjectNode) answer).remove("now");
                    }
                }
                assertEquals(fromSqlite, fromCassandra, p);
            }
            System.out.println("CassandraWebTest: " + paths.size() + " API answers equal over SQLite and Cassandra");
        }
    }

    private static void replay(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "replay";
        full[1] = "--host";
        full[2] = ReplayedFixture.HOST;
        System.arraycopy(args, 0, full, 3, args.length);
        StringWriter err = new StringWriter();
        int rc = Main.run(full, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, rc, err.toString());
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + " -> " + r.body());
        return r.body();
    }
}
