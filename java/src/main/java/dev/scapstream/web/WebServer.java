package dev.scapstream.web;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.scapstream.store.MetricsStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The web UI's HTTP server (the JDK's own): pages and assets from the jar, the JSON API under
 * /api/, the seed's /static/index.html?container=ID as a redirect. Other handlers (a Prometheus
 * /metrics, say) are added with {@link #register}; they get the same security headers.
 */
public final class WebServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService pool;

    private WebServer(HttpServer http, ExecutorService pool) {
        this.http = http;
        this.pool = pool;
    }

    /** Starts serving a store; reads go through {@link MetricsStore} only, so any backend works. */
    public static WebServer start(InetSocketAddress address, MetricsStore store, RunState state) throws IOException {
        HttpServer http = HttpServer.create(address, 64);
        AtomicInteger n = new AtomicInteger();
        // a few threads: a page fetches its tables in parallel; the store has a small read pool
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "scapstream-web-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        WebServer s = new WebServer(http, pool);
        s.register("/", new StaticFiles());
        s.register("/api/", new Api(store, state));
        s.register("/static/", Api.seedRedirect());
        http.start();
        return s;
    }

    /** Serves {@code /metrics} in Prometheus' text format, rendered by the supplier on each scrape. */
    public void registerMetrics(java.util.function.Supplier<String> render) {
        register("/metrics", ex -> {
            if (!ex.getRequestURI().getPath().equals("/metrics")) throw new NotFound("no such page");
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            Http.send(ex, 200, render.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
    }

    /** Adds a handler for a path prefix (HttpServer semantics: the longest matching prefix wins). */
    public void register(String pathPrefix, HttpHandler handler) {
        http.createContext(pathPrefix, Http.secured(handler));
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The home page's URL, e.g. http://127.0.0.1:5000/ (IPv6 literals in brackets). */
    public URI url() {
        InetSocketAddress a = http.getAddress();
        String h = a.getAddress().getHostAddress();
        if (h.contains(":")) h = "[" + h.replaceAll("%.*$", "") + "]";
        return URI.create("http://" + h + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        http.stop(0);
        pool.shutdownNow();
    }
}
