package dev.scapstream.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/** The pages and their assets, served from the jar (classpath folder web/). */
final class StaticFiles implements HttpHandler {
    private static final Pattern SAFE = Pattern.compile("/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json",
            "txt", "text/plain; charset=utf-8");

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/")) path = "/index.html";
        String ext = path.substring(path.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        // no "..", no empty segments, known types only: nothing outside web/ can be named
        if (!SAFE.matcher(path).matches() || path.contains("..") || type == null) {
            Http.error(ex, 404, "not found");
            return;
        }
        byte[] body;
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("web" + path)) {
            if (in == null) {
                Http.error(ex, 404, "not found");
                return;
            }
            body = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        Http.send(ex, 200, body);
    }
}
