package dev.scapstream.web;

import dev.scapstream.store.RowKind;
import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;
import dev.scapstream.store.cassandra.CassandraConfig;
import dev.scapstream.store.cassandra.CassandraStore;
import dev.scapstream.store.sqlite.SqliteStore;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * `./scapstream bench-status`: how long the UI's status poll takes over a store of 30 days of 200
 * containers on 3 hosts (every container seen every day), on SQLite and, given a Cassandra contact
 * point, on Cassandra. The page asks for /api/status every second, so it must not grow with the
 * store's history.
 */
public final class StatusBench {
    private static final int DAYS = 30, CONTAINERS = 200, HOSTS = 3, ROUNDS = 200;

    private StatusBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("scapstream-bench-status-");
        try (SqliteStore s = SqliteStore.open(dir.resolve("status.db"))) {
            run("sqlite", s);
        }
        if (args.length > 0) {
            try (CassandraStore c = CassandraStore.open(CassandraConfig.local(CassandraConfig.parseContactPoints(args[0]), "bench_status"))) {
                run("cassandra", c);
            }
        }
    }

    static void fill(MetricsStore store) {
        long day0 = 1_790_000_000L / 86400 * 86400;
        for (int d = 0; d < DAYS; d++) {
            MetricsBatch b = new MetricsBatch();
            for (int h = 0; h < HOSTS; h++) {
                for (int c = 0; c < CONTAINERS; c++) {
                    String id = String.format("%06x%06x", h, c);
                    long first = day0 + 60L * c, last = day0 + d * 86400L + 86000;
                    b.rows(RowKind.CONTAINER_INFO).add(new Rows.ContainerInfo("host-" + h, id, "app-" + c, "example/app:" + c, "docker", first, last));
                    b.rows(RowKind.CONTAINER).add(new Rows.ContainerRow("host-" + h, id, last, 1, 1_000_000, Rows.CpuSource.SWITCH, 100, 100,
                            400, 0, 0, 0, 0, 0, 0, 10, 0, 1));
                }
            }
            store.write(b);
        }
    }

    private static void run(String backend, MetricsStore store) throws Exception {
        long t0 = System.nanoTime();
        fill(store);
        System.out.printf("%s: %d days x %d containers x %d hosts written in %.1f s%n", backend, DAYS, CONTAINERS, HOSTS,
                (System.nanoTime() - t0) / 1e9);
        HttpClient http = HttpClient.newHttpClient();
        try (WebServer server = WebServer.start(new InetSocketAddress("127.0.0.1", 0), store, RunState.stored())) {
            HttpRequest status = HttpRequest.newBuilder(URI.create(server.url() + "api/status")).build();
            HttpRequest container = HttpRequest.newBuilder(URI.create(server.url() + "api/container?id=000001000007")).build();
            for (String[] what : new String[][] {{"/api/status", "s"}, {"/api/container without host", "c"}}) {
                HttpRequest req = what[1].equals("s") ? status : container;
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < ROUNDS + 20; i++) {
                    long a = System.nanoTime();
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) throw new IllegalStateException(what[0] + ": HTTP " + r.statusCode() + " " + r.body());
                    if (i >= 20) ms.add((System.nanoTime() - a) / 1e6); // after 20 warm-up requests
                }
                Collections.sort(ms);
                System.out.printf("%s %-30s median %7.2f ms   p95 %7.2f ms   (%d requests)%n", backend, what[0],
                        ms.get(ms.size() / 2), ms.get(ms.size() * 95 / 100), ROUNDS);
            }
        }
    }
}
