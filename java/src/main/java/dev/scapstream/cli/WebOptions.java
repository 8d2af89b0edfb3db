package dev.scapstream.cli;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.telemetry.RunTelemetry;
import dev.scapstream.web.RunState;
import dev.scapstream.web.WebServer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** `--ui` and `--listen` of replay and live (a picocli mixin); `ui` has its own --listen. */
final class WebOptions {
    static final String DEFAULT_LISTEN = "127.0.0.1:5000";

    @Option(names = "--ui", description = "serve the web UI while running (replay: and afterwards, until Ctrl-C)")
    boolean ui;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = ListenConverter.class,
            description = "web UI address (default ${DEFAULT-VALUE}; another interface only when asked)",
            defaultValue = DEFAULT_LISTEN)
    InetSocketAddress listen;

    /**
     * Starts the server when --ui was given (null otherwise) and says its URL on stderr; the run's
     * own metrics are served at /metrics.
     */
    WebServer start(MetricsStore store, RunState state, RunTelemetry telemetry, PrintWriter err) {
        if (!ui) return null;
        return serve(listen, store, state, telemetry, err);
    }

    static WebServer serve(InetSocketAddress listen, MetricsStore store, RunState state, RunTelemetry telemetry,
                           PrintWriter err) {
        try {
            WebServer s = WebServer.start(listen, store, state);
            s.registerMetrics(telemetry::render);
            err.println("scapstream: web UI at " + s.url());
            err.flush();
            return s;
        } catch (IOException e) {
            throw new Main.UserError("cannot listen on " + listen.getHostString() + ":" + listen.getPort() + ": " + e.getMessage());
        }
    }

    /** Says the URL again, then blocks until Ctrl-C / SIGTERM; the caller closes the server and store. */
    static void awaitStop(WebServer server, PrintWriter err) {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(5, TimeUnit.SECONDS); // let the caller close the store cleanly
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "scapstream-web-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("scapstream: serving the web UI at " + server.url() + " until Ctrl-C");
        err.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done.countDown();
        }
    }

    /** HOST:PORT, [IPv6]:PORT or :PORT (loopback); a bad value is a usage error (exit 2). */
    static final class ListenConverter implements CommandLine.ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String v) {
            int colon = v.lastIndexOf(':');
            if (colon < 0) throw new CommandLine.TypeConversionException("'" + v + "' is not HOST:PORT");
            String host = v.substring(0, colon);
            String port = v.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) host = "127.0.0.1";
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + v + "': port is not a number");
            }
            if (p < 0 || p > 65535) throw new CommandLine.TypeConversionException("'" + v + "': port must be 0..65535");
            try {
                return new InetSocketAddress(InetAddress.getByName(host), p);
            } catch (UnknownHostException e) {
                throw new CommandLine.TypeConversionException("'" + v + "': unknown host '" + host + "'");
            }
        }
    }
}
