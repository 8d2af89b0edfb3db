package dev.scapstream.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.util.Set;

/**
 * The JSON API under /api/ (see README "Web UI"): what the pages use, and scripts can use.
 * Every route validates its parameters; a bad one is a 400 with {"error": "..."}.
 */
final class Api implements HttpHandler {
    private static final Set<String> RANGE = Set.of("host", "from", "to", "res");
    private static final Set<String> CONTAINER = Set.of("host", "id", "from", "to", "res");
    private static final Set<String> BY_PID = Set.of("host", "id", "pid", "from", "to", "res");
    private static final Set<String> PROCESS = Set.of("host", "id", "pid", "start", "from", "to", "res");

    private final Views views;

    Api(Views views) {
        this.views = views;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String route = ex.getRequestURI().getPath().substring("/api/".length());
        Object body;
        switch (route) {
            case "status": {
                Params.parse(ex.getRequestURI(), Set.of());
                body = views.status();
                break;
            }
            case "overview": {
                Params p = Params.parse(ex.getRequestURI(), RANGE);
                body = views.overview(p.text("host"), views.range(p));
                break;
            }
            case "container": {
                Params p = Params.parse(ex.getRequestURI(), CONTAINER);
                String id = p.requireText("id");
                TimeRange r = views.range(p);
                body = views.containerView(views.hostOf(p.text("host"), id), id, r);
                break;
            }
            case "processes": {
                Params p = Params.parse(ex.getRequestURI(), CONTAINER);
                String id = p.requireText("id");
                TimeRange r = views.range(p);
                body = views.processesView(views.hostOf(p.text("host"), id), id, r);
                break;
            }
            case "process": {
                Params p = Params.parse(ex.getRequestURI(), PROCESS);
                String id = p.requireText("id");
                long pid = p.requireNumber("pid");
                long start = p.requireNumber("start");
                TimeRange r = views.range(p);
                body = views.processView(views.hostOf(p.text("host"), id), id, pid, start, r);
                break;
            }
            case "files":
            case "connections":
            case "syscalls":
            case "errnos": {
                Params p = Params.parse(ex.getRequestURI(), BY_PID);
                String id = p.requireText("id");
                TimeRange r = views.range(p);
                Long pid = p.number("pid");
                String host = views.hostOf(p.text("host"), id);
                body = route.equals("files") ? views.files(host, id, pid, r)
                        : route.equals("connections") ? views.connections(host, id, pid, r)
                        : route.equals("syscalls") ? views.syscalls(host, id, pid, r)
                        : views.errnos(host, id, pid, r);
                break;
            }
            case "ports": {
                Params p = Params.parse(ex.getRequestURI(), CONTAINER);
                String id = p.requireText("id");
                TimeRange r = views.range(p);
                body = views.ports(views.hostOf(p.text("host"), id), id, r);
                break;
            }
            default:
                throw new NotFound("no API route '/api/" + route + "'");
        }
        Http.json(ex, 200, body);
    }

    /** The seed's URL, /static/index.html?container=ID, goes to the container page. */
    static HttpHandler seedRedirect() {
        return ex -> {
            Params p = Params.parse(ex.getRequestURI(), Set.of("container", "host"));
            String id = p.text("container");
            if (id == null) {
                Http.redirect(ex, "/");
                return;
            }
            String host = p.text("host");
            Http.redirect(ex, "/container.html?" + (host == null ? "" : "host=" + Http.utf8(host) + "&") + "id=" + Http.utf8(id));
        };
    }
}
