package dev.scapstream.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Response helpers and the headers every response carries. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Scripts and styles from this origin only, no inline script, no framing, no plugins. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private Http() {}

    /** Wraps a handler: security headers, GET/HEAD only, and no stack trace ever reaches the client. */
    static HttpHandler secured(HttpHandler h) {
        return ex -> {
            try (ex) {
                var hd = ex.getResponseHeaders();
                hd.set("Content-Security-Policy", CSP);
                hd.set("X-Content-Type-Options", "nosniff");
                hd.set("X-Frame-Options", "DENY");
                hd.set("Referrer-Policy", "no-referrer");
                hd.set("Cross-Origin-Opener-Policy", "same-origin");
                hd.set("Cross-Origin-Resource-Policy", "same-origin");
                String m = ex.getRequestMethod();
                if (!m.equals("GET") && !m.equals("HEAD")) {
                    hd.set("Allow", "GET, HEAD");
                    error(ex, 405, "method not allowed");
                    return;
                }
                try {
                    h.handle(ex);
                } catch (BadRequest e) {
                    error(ex, 400, e.getMessage());
                } catch (NotFound e) {
                    error(ex, 404, e.getMessage());
                } catch (RuntimeException e) {
                    error(ex, 500, "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            } catch (IOException ignored) {
                // the client went away
            }
        };
    }

    static void json(HttpExchange ex, int status, Object body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        byte[] b = JSON.writeValueAsBytes(body);
        String ae = ex.getRequestHeaders().getFirst("Accept-Encoding");
        if (b.length > 8192 && ae != null && ae.contains("gzip")) {
            // an hour of per-second series is ~1 MB of JSON: a few ms of gzip save more on the wire
            java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream(b.length / 4);
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(z)) {
                gz.write(b);
            }
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
            b = z.toByteArray();
        }
        ex.getResponseHeaders().set("Vary", "Accept-Encoding");
        send(ex, status, b);
    }

    /** A one-line JSON error: {"error": "..."}. */
    static void error(HttpExchange ex, int status, String message) throws IOException {
        String line = message == null ? "error" : message.replace('\r', ' ').replace('\n', ' ');
        json(ex, status, Map.of("error", line));
    }

    static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        send(ex, 302, new byte[0]);
    }

    static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        }
    }

    static String utf8(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
