package dev.scapstream.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.store.Rows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The JSON API over a replayed fixture: values equal the store's, bad parameters are refused, headers. */
class WebApiTest {
    @TempDir
    static Path tmp;
    static ReplayedFixture fx;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        fx = new ReplayedFixture(tmp);
    }

    @AfterAll
    static void tearDown() {
        if (fx != null) fx.close();
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return get(pathAndQuery, "GET");
    }

    static HttpResponse<String> get(String pathAndQuery, String method) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(fx.base + pathAndQuery.substring(1)))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertEquals(200, r.statusCode(), pathAndQuery + " -> " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void defaultRangeIsTheDataSpanNotNow() throws Exception {
        JsonNode s = json("/api/status");
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (Rows.ContainerInfo c : fx.store.containers(ReplayedFixture.HOST, 0, Long.MAX_VALUE)) {
            first = Math.min(first, c.firstSeen());
            last = Math.max(last, c.lastSeen());
        }
        assertEquals(first, s.path("span").path("from").asLong());
        assertEquals(last + 1, s.path("span").path("to").asLong());
        assertFalse(s.path("running").asBoolean(), "an old replay is not running");
        JsonNode o = json("/api/overview");
        assertEquals(first, o.path("from").asLong());
        assertEquals(last + 1, o.path("to").asLong());
        assertEquals(1, o.path("res").asInt(), "a few seconds are shown per second");
    }

    @Test
    void overviewTotalsEqualTheStoresRows() throws Exception {
        JsonNode o = json("/api/overview");
        long from = o.path("from").asLong(), to = o.path("to").asLong();
        List<Rows.ContainerInfo> cs = fx.store.containers(ReplayedFixture.HOST, from, to);
        assertEquals(cs.size(), o.path("containers").size());
        assertTrue(cs.stream().anyMatch(c -> c.id().equals("host")), "the host is listed");
        for (JsonNode c : o.path("containers")) {
            List<Rows.ContainerRow> rows = fx.store.containerSeries(ReplayedFixture.HOST, c.path("id").asText(), from, to, 1);
            JsonNode t = c.path("totals");
            assertEquals(rows.stream().mapToLong(Rows.ContainerRow::fileOutBytes).sum(), t.path("fileOutBytes").asLong());
            assertEquals(rows.stream().mapToLong(Rows.ContainerRow::netInBytes).sum(), t.path("netInBytes").asLong());
            assertEquals(rows.stream().mapToLong(Rows.ContainerRow::cpuNs).sum(), t.path("cpuNs").asLong());
            assertEquals(rows.stream().mapToLong(Rows.ContainerRow::memRssMaxKb).max().orElse(0), t.path("memPeakKb").asLong());
        }
        long events = fx.store.agent(ReplayedFixture.HOST, from, to, 1).stream().mapToLong(Rows.AgentRow::events).sum();
        assertEquals(events, o.path("agents").get(0).path("events").asLong());
    }

    @Test
    void rollupResolutionReadsTheRollupRows() throws Exception {
        JsonNode o = json("/api/overview?res=10");
        assertEquals(10, o.path("res").asInt());
        long from = o.path("from").asLong();
        assertEquals(0, from % 10, "aligned to the bucket");
        for (JsonNode c : o.path("containers")) {
            long want = fx.store.containerSeries(ReplayedFixture.HOST, c.path("id").asText(), from, o.path("to").asLong(), 10)
                    .stream().mapToLong(Rows.ContainerRow::fileInBytes).sum();
            assertEquals(want, c.path("totals").path("fileInBytes").asLong());
        }
    }

    @Test
    void processStartTimesSurviveJavaScriptNumbers() throws Exception {
        JsonNode v = json("/api/processes?id=45d645eb9c2b");
        JsonNode dd = null;
        for (JsonNode p : v.path("processes")) if (p.path("pid").asLong() == 9950) dd = p;
        assertNotNull(dd, "dd 9950 in the web container");
        assertTrue(dd.path("startTs").isTextual(), "ns since the epoch exceed 2^53: sent as a string");
        long start = Long.parseLong(dd.path("startTs").asText());
        assertTrue(fx.store.processes(ReplayedFixture.HOST, "45d645eb9c2b", 0, Long.MAX_VALUE).stream()
                .anyMatch(p -> p.pid() == 9950 && p.startTs() == start));
        JsonNode p = json("/api/process?id=45d645eb9c2b&pid=9950&start=" + start);
        assertEquals(9950, p.path("process").path("pid").asLong());
    }

    @Test
    void tableTotalsOverAnUnalignedRangeEqualTheRawSeconds() throws Exception {
        // rollups inside the range, raw seconds at its edges: the sums must be the raw sums
        long start = 1_790_000_000L - 1_790_000_000L % 3600;
        try (var store = dev.scapstream.store.sqlite.SqliteStore.open(tmp.resolve("synthetic.db"));
             WebServer srv = WebServer.start(new java.net.InetSocketAddress("127.0.0.1", 0), store, RunState.stored())) {
            SyntheticStore.fill(store, start - 1800, 6700, 6);
            String h = SyntheticStore.HOST, c = SyntheticStore.CONTAINER;
            // a whole hour inside, 10 s buckets and raw seconds on both sides of it
            long from = start - 1795, to = start + 4803;
            String q = "?id=" + c + "&from=" + from + "&to=" + to;
            JsonNode sys = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(srv.url() + "api/syscalls" + q)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode r : sys.path("rows")) {
                long calls = store.syscalls(h, c, from, to, 1).stream().filter(x -> x.syscall().equals(r.path("syscall").asText()))
                        .mapToLong(Rows.SyscallRow::calls).sum();
                assertEquals(calls, r.path("calls").asLong(), r.toString());
            }
            assertEquals(2, sys.path("rows").size());
            JsonNode procs = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(srv.url() + "api/processes" + q)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(6, procs.path("processes").size());
            for (JsonNode p : procs.path("processes")) {
                List<Rows.ProcessRow> raw = store.processSeries(h, c, from, to, 1).stream()
                        .filter(x -> x.pid() == p.path("pid").asLong()).toList();
                assertEquals(raw.stream().mapToLong(Rows.ProcessRow::cpuNs).sum(), p.path("cpuNs").asLong());
                assertEquals(raw.stream().mapToLong(Rows.ProcessRow::fileOutBytes).sum(), p.path("fileOutBytes").asLong());
                assertEquals(raw.stream().mapToLong(Rows.ProcessRow::vmRssMaxKb).max().orElse(0), p.path("peakRssKb").asLong());
            }
            JsonNode files = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(srv.url() + "api/files" + q)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            long rawIn = store.files(h, c, from, to, 1).stream().mapToLong(Rows.FileRow::bytesIn).sum();
            long shownIn = 0;
            for (JsonNode f : files.path("rows")) shownIn += f.path("bytesIn").asLong();
            assertTrue(rawIn > 0);
            assertEquals(rawIn, shownIn);
        }
    }

    @Test
    void badParametersAreA400WithAOneLineJsonError() throws Exception {
        String[] bad = {
            "/api/overview?from=abc&to=5", "/api/overview?from=10&to=5", "/api/overview?from=1", "/api/overview?res=7",
            "/api/overview?nope=1", "/api/overview?res=1&res=10", "/api/container", "/api/container?id=",
            "/api/container?id=x%0Ay", "/api/process?id=45d645eb9c2b&pid=-1&start=0", "/api/files?id=web&pid=1e3",
            "/api/overview?from=0&to=4000000000&res=1", "/api/overview?host=" + "x".repeat(600),
            "/api/overview?from=%E2%82%AC",
        };
        for (String u : bad) {
            HttpResponse<String> r = get(u);
            assertEquals(400, r.statusCode(), u + " -> " + r.body());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            JsonNode e = JSON.readTree(r.body());
            assertEquals(1, e.size(), r.body());
            assertFalse(e.path("error").asText().isBlank(), u);
            assertFalse(r.body().contains("\n"), "one line: " + r.body());
        }
        assertEquals(404, get("/api/container?id=nosuch").statusCode());
        assertEquals(404, get("/api/nosuch").statusCode());
        assertEquals(405, get("/api/status", "POST").statusCode());
    }

    @Test
    void everyResponseCarriesCspAndNosniff() throws Exception {
        for (String u : new String[] {"/", "/container.html", "/js/page.js", "/api/status", "/api/nosuch", "/nosuch.html"}) {
            HttpResponse<String> r = get(u);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), u + ": " + csp);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), u);
        }
        assertEquals("text/javascript; charset=utf-8", get("/js/page.js").headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void staticFilesStayInsideTheWebFolder() throws Exception {
        for (String u : new String[] {"/../schema/sqlite.sql", "/%2e%2e/schema/sqlite.sql", "/js/../../schema/sqlite.sql",
                "/dev/scapstream/web/Api.class", "/web/index.html", "/.hidden.js"}) {
            assertEquals(404, get(u).statusCode(), u);
        }
        assertEquals(200, get("/vendor/uplot/uPlot.esm.js").statusCode());
    }

    @Test
    void theSeedsUrlRedirectsToTheContainerPage() throws Exception {
        HttpResponse<String> r = get("/static/index.html?container=45d645eb9c2b");
        assertEquals(302, r.statusCode());
        assertEquals("/container.html?id=45d645eb9c2b", r.headers().firstValue("Location").orElse(""));
        HttpResponse<String> evil = get("/static/index.html?container=%3Cscript%3E%22");
        assertEquals("/container.html?id=%3Cscript%3E%22", evil.headers().firstValue("Location").orElse(""));
    }
}
