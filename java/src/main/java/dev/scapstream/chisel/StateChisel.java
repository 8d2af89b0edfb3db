package dev.scapstream.chisel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.scapstream.chisel.SysdigTable.extend;

/**
 * ps, lsof, netstat, lscontainers: libsinsp's thread table, fds and containers at the capture's
 * first event (as sysdig) or at --at, rendered as sysdig's state chisels print them.
 */
public record StateChisel(String name, String category, String description) implements Chisel {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public List<Arg> args() {
        return List.of();
    }

    /** Prints the table from the JSON lines of {@link dev.scapstream.capture.ThreadTable}. */
    public void print(String jsonLines, PrintWriter out) {
        List<JsonNode> threads = new ArrayList<>();
        List<JsonNode> fds = new ArrayList<>();
        List<JsonNode> containers = new ArrayList<>();
        for (String line : jsonLines.split("\n")) {
            if (line.isEmpty()) continue;
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException("the thread table's line does not parse", e);
            }
            switch (n.path("kind").asText()) {
                case "thread" -> threads.add(n);
                case "fd" -> fds.add(n);
                case "container" -> containers.add(n);
                default -> { }
            }
        }
        Comparator<JsonNode> byTid = Comparator.comparingLong(n -> n.path("tid").asLong());
        threads.sort(byTid);
        fds.sort(byTid.thenComparingLong(n -> n.path("fd").asLong()));
        switch (name) {
            case "ps" -> ps(threads, out);
            case "lsof" -> lsof(fds, out);
            case "netstat" -> netstat(fds, out);
            default -> lscontainers(containers, out);
        }
    }

    private static String text(JsonNode n, String field) {
        String s = n.path(field).asText("");
        return s.isEmpty() ? "<NA>" : Printable.of(s);
    }

    private static void ps(List<JsonNode> threads, PrintWriter out) {
        out.println(extend("TID", 8) + extend("PID", 8) + extend("USER", 12) + extend("VIRT", 11) + extend("RES", 11)
                + extend("FDLIMIT", 10) + extend("CMD", 20));
        for (JsonNode t : threads) {
            out.println(extend(t.path("tid").asText(), 8) + extend(t.path("pid").asText(), 8) + extend(text(t, "user"), 12)
                    + extend(SysdigTable.bytes(t.path("vmsize_kb").asLong() * 1024), 11)
                    + extend(SysdigTable.bytes(t.path("vmrss_kb").asLong() * 1024), 11)
                    + extend(t.path("fdlimit").asText(), 10) + text(t, "comm"));
        }
    }

    private static void lsof(List<JsonNode> fds, PrintWriter out) {
        out.println(extend("COMMAND", 20) + extend("PID", 8) + extend("TID", 8) + extend("USER", 8) + extend("FD", 8)
                + extend("TYPE", 12) + "NAME");
        for (JsonNode f : fds) {
            String name = f.path("name").asText("");
            out.println(extend(text(f, "comm"), 20) + extend(f.path("pid").asText(), 8) + extend(f.path("tid").asText(), 8)
                    + extend(text(f, "user"), 8) + extend(f.path("fd").asText(), 8) + extend(f.path("type").asText(), 12)
                    + (name.isEmpty() ? "" : Printable.of(name)));
        }
    }

    private static void netstat(List<JsonNode> fds, PrintWriter out) {
        out.println(extend("Proto", 6) + extend("Server Address", 25) + extend("Client Address", 25) + extend("State", 15)
                + "TID/PID/Program Name");
        for (JsonNode f : fds) {
            String type = f.path("type").asText();
            if (!type.equals("ipv4") && !type.equals("ipv6")) continue;
            String name = Printable.of(f.path("name").asText(""));
            int arrow = name.indexOf("->");
            String server = arrow < 0 ? name : name.substring(arrow + 2);
            String client = arrow < 0 ? "0.0.0.0:*" : name.substring(0, arrow);
            String state = arrow < 0 ? "LISTEN" : "ESTABLISHED";
            out.println(extend(f.path("l4").asText(), 6) + extend(server, 25) + extend(client, 25) + extend(state, 15)
                    + f.path("tid").asText() + "/" + f.path("pid").asText() + "/" + text(f, "comm"));
        }
    }

    private static void lscontainers(List<JsonNode> containers, PrintWriter out) {
        out.println("container.type container.image container.name      container.id ");
        out.println("-------------- --------------- ------------------- ------------ ");
        for (JsonNode c : containers) {
            if (c.path("id").asText().equals("host")) continue;
            out.println(String.format("%-14.14s %-15.15s %-19.19s %-12.12s", text(c, "type"), text(c, "image"),
                    text(c, "name"), text(c, "id")));
        }
    }
}
