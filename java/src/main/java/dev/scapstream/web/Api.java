package dev.scapstream.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.scapstream.store.MetricsStore;

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

    private final Reads reads;
    private final HomeView home;
    private final ContainerView containers;
    private final ProcessView processes;
    private final Tables tables;

    Api(MetricsStore store, RunState state) {
        reads = new Reads(store);
        home = new HomeView(reads, state);
        containers = new ContainerView(reads);
        processes = new ProcessView(reads);
        tables = new Tables(reads);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String route = ex.getRequestURI().getPath().substring("/api/".length());
        Object body;
        switch (route) {
            case "status": {
                Params.parse(ex.getRequestURI(), Set.of());
                body = home.status();
                break;
            }
            case "overview": {
                Params p = Params.parse(ex.getRequestURI(), RANGE);
                body = home.overview(p.text("host"), reads.range(p));
                break;
            }
            case "container": {
                Params p = Params.parse(ex.getRequestURI(), CONTAINER);
                String id = p.requireText("id");
                TimeRange r = reads.range(p);
                body = containers.container(reads.hostOf(p.text("host"), id), id, r);
                break;
            }
            case "processes": {
                Params p = Params.parse(ex.getRequestURI(), CONTAINER);
                String id = p.requireText("id");
                TimeRange r = reads.range(p);
                body = containers.processes(reads.hostOf(p.text("host"), id), id, r);
                break;
            }
            case "process": {
                Params p = Params.parse(ex.getRequestURI(), PROCESS);
                String id = p.requireText("id");
                long pid = p.requireNumber("pid");
                long start = p.requireNumber("start");
                TimeRange r = reads.range(p);
                body = processes.process(reads.hostOf(p.text("host"), id), id, pid, start, r);
                break;
            }
            case "files":
            case "connections":
            case "syscalls":
            case "errnos": {
                Params p = Params.parse(ex.getRequestURI(), BY_PID);
                String id = p.requireText("id");
                TimeRange r = reads.range(p);
                Long pid = p.number("pid");
                String host = reads.hostOf(p.text("host"), id);
                body = route.equals("files") ? tables.files(host, id, pid, r)
                        : route.equals("connections") ? tables.connections(host, id, pid, r)
                        : route.equals("syscalls") ? tables.syscalls(host, id, pid, r)
                        : tables.errnos(host, id, pid, r);
                break;
            }
            case "ports": {
                Params p = Params.parse(ex.getRequestURI(), CONTAINER);
                String id = p.requireText("id");
                TimeRange r = reads.range(p);
                body = tables.ports(reads.hostOf(p.text("host"), id), id, r);
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
