package dev.scapstream.chisel;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * spy_users: every command run under a shell (and every cd in one), indented by its depth below
 * that shell, as sysdig's spy_users.lua prints them: the shell's pid, the time, the user, the
 * command. The process tree is walked from libsinsp's ancestor fields of each event.
 */
public record SpyUsersChisel(String name, String category, String description) implements Chisel {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    static final int MAX_ANCESTORS = 16; // sysdig's MAX_ANCESTOR_NAVIGATION
    public static final String FILTER = "((evt.type=execve and evt.dir=<) or (evt.type=chdir and evt.dir=< and proc.name contains sh "
            + "and not proc.name contains sshd)) and evt.failed=false";

    @Override
    public List<Arg> args() {
        return List.of();
    }

    public static List<String> fields() {
        List<String> f = new ArrayList<>(List.of("evt.type", "proc.pid", "proc.ppid", "user.name", "evt.rawtime", "proc.exe",
                "proc.args", "evt.arg.path", "container.name"));
        for (int j = 1; j <= MAX_ANCESTORS; j++) {
            f.add("proc.aname[" + j + "]");
            f.add("proc.apid[" + j + "]");
        }
        return f;
    }

    /** The tree of shells and their descendants, and the lines as events come. */
    public static final class Fold {
        /** pid -> {depth below its shell, the shell's pid}; depth -1: no shell above. */
        private final Map<Long, long[]> tree = new HashMap<>();
        private final PrintWriter out;

        public Fold(PrintWriter out) {
            this.out = out;
        }

        private static String text(JsonNode e, String f) {
            JsonNode v = e.get(f);
            return v == null || v.isNull() ? null : v.asText();
        }

        public void add(JsonNode e) {
            boolean chdir = "chdir".equals(text(e, "evt.type"));
            long pid = e.path("proc.pid").asLong();
            long ppid = chdir ? pid : e.path("proc.ppid").asLong();
            String user = text(e, "user.name");
            if (user == null || user.isEmpty()) user = "<NA>";
            // a cd is the shell's own: its ancestors start one level up
            int shift = chdir ? 1 : 0;
            if (!tree.containsKey(ppid)) {
                long[] node = {-1, 0};
                for (int j = 1; j <= MAX_ANCESTORS; j++) {
                    int a = j - shift;
                    String aname = a == 0 ? null : text(e, "proc.aname[" + a + "]");
                    if (aname == null) {
                        if (a == 0) continue;
                        if (text(e, "proc.apid[" + a + "]") == null) break;
                    } else if (aname.length() >= 2 && aname.endsWith("sh")) {
                        long apid = e.path("proc.apid[" + a + "]").asLong();
                        node = tree.containsKey(apid) ? new long[] {j - 1, apid} : new long[] {0, apid};
                    }
                }
                tree.put(ppid, node);
            }
            long[] parent = tree.get(ppid);
            if (parent[0] == -1) return;
            tree.putIfAbsent(pid, new long[] {1 + parent[0], parent[1]});
            long[] me = tree.get(pid);
            int depth = (int) (me[0] - (chdir ? 0 : 1));
            String head = " ".repeat(4 * Math.max(0, depth)) + me[1] + " " + CLOCK.format(Instant.ofEpochSecond(0, e.path("evt.rawtime").asLong())) + " " + Printable.of(user) + ") ";
            if (chdir) out.println(head + "cd " + Printable.of(text(e, "evt.arg.path")));
            else out.println(head + Printable.of(text(e, "proc.exe")) + " " + Printable.of(text(e, "proc.args")).replace("<NA>", ""));
        }
    }
}
