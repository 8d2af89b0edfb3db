package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;
import dev.scapstream.store.cassandra.CassandraConfig;
import dev.scapstream.store.cassandra.CassandraStore;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `scapstream top` in a real terminal (tmux): keys sent, the pane read back, its numbers checked
 * against the store's own rows; and `top --json` against sums of those rows made here.
 */
class TopTerminalTest {
    @TempDir
    Path tmp;
    private final String session = "sstop" + ProcessHandle.current().pid();
    private boolean started;

    @AfterEach
    void killSession() throws Exception {
        if (started) tmux("kill-session", "-t", session);
    }

    private static String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    private static void requireTmux() {
        boolean ok;
        try {
            ok = new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
        } catch (Exception e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "tmux is not installed (./scapstream test installs it)");
    }

    /** Starts top in a 160x40 pane; the shell prints its status once it exits. */
    private void start(String... topArgs) throws Exception {
        StringBuilder cmd = new StringBuilder();
        cmd.append(ProcessHandle.current().info().command().orElseThrow()).append(" -cp '")
                .append(System.getProperty("java.class.path")).append("' ").append(Main.class.getName()).append(" top");
        for (String a : topArgs) cmd.append(" '").append(a).append("'");
        cmd.append("; echo EXITED $?; sleep 60");
        tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "40", cmd.toString());
        started = true;
        await("F1/? Help");
    }

    private String pane() throws Exception {
        return tmux("capture-pane", "-p", "-t", session);
    }

    private String await(String text) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        String p = "";
        while (System.nanoTime() < end) {
            p = pane();
            if (p.contains(text)) return p;
            Thread.sleep(100);
        }
        fail("the pane never showed '" + text + "':\n" + p);
        return p;
    }

    private String keys(String expect, String... keys) throws Exception {
        for (String k : keys) {
            tmux("send-keys", "-t", session, k);
            Thread.sleep(150);
        }
        return await(expect);
    }

    private static JsonNode json(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("top", "--json"));
        a.addAll(List.of(args));
        CliTest.Result r = CliTest.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    private Path replayed() {
        Path db = tmp.resolve("top.db");
        CliTest.Result r = CliTest.run("replay", "--db", db.toString(), "--host", "h", "--json",
                TestData.fixtures().resolve("basic.scap.gz").toString());
        assertEquals(0, r.code(), r.err());
        return db;
    }

    /** A right-aligned number under its header: the word that ends where the header ends. */
    private static String cell(String pane, String line, String header) {
        String head = pane.lines().skip(2).findFirst().orElseThrow();
        int e = head.indexOf(header) + header.length();
        int b = e;
        while (b > 0 && line.charAt(b - 1) != ' ') b--;
        return line.substring(b, e);
    }

    /** The pane's first line holding text. */
    private static String lineWith(String pane, String text) {
        // past the title, the source line and the column headers: a table row
        for (String l : pane.lines().skip(3).toList()) if (l.contains(text)) return l;
        fail("no line with '" + text + "' in\n" + pane);
        return null;
    }

    @Test
    void jsonEqualsTheStoresRowsForEachView() throws Exception {
        Path db = replayed();
        long[] span;
        Map<String, long[]> containers = new HashMap<>(); // id -> cpu, syscalls
        Map<Long, Long> processSyscalls = new HashMap<>();
        Map<String, Long> fileBytes = new HashMap<>();
        try (SqliteStore s = SqliteStore.open(db)) {
            span = s.span();
            for (Rows.ContainerInfo c : s.containers("h", span[0], span[1])) {
                long cpu = 0, calls = 0;
                for (Rows.ContainerRow r : s.containerSeries("h", c.id(), span[0], span[1], 1)) {
                    cpu += r.cpuNs();
                    calls += r.syscalls();
                }
                containers.put(c.id(), new long[] {cpu, calls});
                for (Rows.ProcessRow r : s.processSeries("h", c.id(), span[0], span[1], 1)) processSyscalls.merge((long) r.pid(), r.syscalls(), Long::sum);
                for (Rows.FileRow r : s.files("h", c.id(), span[0], span[1], 1)) fileBytes.merge(r.file(), r.bytesIn() + r.bytesOut(), Long::sum);
            }
        }
        JsonNode c = json("--db", db.toString(), "-v", "containers");
        assertEquals(span[0], c.path("from").asLong());
        assertEquals(span[1], c.path("to").asLong());
        assertEquals(containers.size(), c.path("rows").size());
        for (JsonNode r : c.path("rows")) {
            long[] want = containers.get(r.path("ID").asText());
            assertNotNull(want, r.toString());
            assertEquals(want[0], r.path("CPU").asLong(), r.toString());
            assertEquals(want[1], r.path("SYSCALLS").asLong(), r.toString());
        }
        JsonNode p = json("--db", db.toString(), "-v", "processes");
        Map<Long, Long> got = new HashMap<>();
        for (JsonNode r : p.path("rows")) got.merge(r.path("PID").asLong(), r.path("SYSCALLS").asLong(), Long::sum);
        assertEquals(processSyscalls, got);
        JsonNode f = json("--db", db.toString(), "-v", "files");
        Map<String, Long> gotFiles = new HashMap<>();
        for (JsonNode r : f.path("rows")) gotFiles.put(r.path("FILENAME").asText(), r.path("BYTES").asLong());
        assertEquals(fileBytes, gotFiles);
        // every view: its totals equal the sums of the store's rows of its kind
        Map<String, Long> want = new HashMap<>();
        java.util.Set<String> dirs = new java.util.TreeSet<>();
        try (SqliteStore s = SqliteStore.open(db)) {
            for (Rows.ContainerInfo ci : s.containers("h", span[0], span[1])) {
                String id = ci.id();
                for (Rows.ThreadRow r : s.threads("h", id, span[0], span[1], 1)) want.merge("threads CPU", r.cpuNs(), Long::sum);
                for (Rows.FileRow r : s.files("h", id, span[0], span[1], 1)) {
                    want.merge("directories BYTES", r.bytesIn() + r.bytesOut(), Long::sum);
                    want.merge("files OPS IN", r.opsIn(), Long::sum);
                    Path parent = Path.of(r.file()).getParent();
                    dirs.add(parent == null ? "." : parent.toString());
                }
                for (Rows.ConnectionRow r : s.connections("h", id, span[0], span[1], 1)) want.merge("connections BYTES", r.bytesIn() + r.bytesOut(), Long::sum);
                for (Rows.PortRow r : s.ports("h", id, span[0], span[1], 1)) want.merge("ports BYTES", r.bytesIn() + r.bytesOut(), Long::sum);
                for (Rows.SyscallRow r : s.syscalls("h", id, span[0], span[1], 1)) {
                    want.merge("syscalls CALLS", r.calls(), Long::sum);
                    want.merge("syscalls ERRORS", r.errors(), Long::sum);
                }
                for (Rows.ErrnoRow r : s.errnos("h", id, span[0], span[1], 1)) want.merge("errors COUNT", r.count(), Long::sum);
                for (Rows.ProcessRow r : s.processSeries("h", id, span[0], span[1], 1)) {
                    want.merge("page_faults TOTAL", r.minorFaults() + r.majorFaults(), Long::sum);
                    want.merge("processes FILE", r.fileInBytes() + r.fileOutBytes(), Long::sum);
                }
            }
        }
        assertTrue(want.get("syscalls CALLS") > 1000 && want.get("connections BYTES") > 0 && want.get("page_faults TOTAL") > 0, want.toString());
        for (Map.Entry<String, Long> e : want.entrySet()) {
            String[] vc = e.getKey().split(" ", 2);
            long total = 0;
            for (JsonNode r : json("--db", db.toString(), "-v", vc[0]).path("rows")) total += r.path(vc[1]).asLong();
            assertEquals(e.getValue(), total, e.getKey());
        }
        java.util.Set<String> gotDirs = new java.util.TreeSet<>();
        for (JsonNode r : json("--db", db.toString(), "-v", "directories").path("rows")) gotDirs.add(r.path("DIRECTORY").asText());
        assertEquals(dirs, gotDirs);
        for (dev.scapstream.view.View<?> v : dev.scapstream.view.Catalog.ALL) {
            assertTrue(json("--db", db.toString(), "-v", v.id()).path("rows").size() > 0, v.id() + " has rows on the fixture");
        }
        // files give what their replay into a store gives
        JsonNode byFile = json("-r", TestData.fixtures().resolve("basic.scap.gz").toString(), "-v", "containers");
        assertEquals(c.path("rows"), byFile.path("rows"));
    }

    /** top reads Cassandra as it reads SQLite: the same rows for every view. */
    @Test
    void jsonOverCassandraEqualsSqlite() throws Exception {
        String node = CassandraCliTest.node();
        String ks = "top_" + ProcessHandle.current().pid();
        try {
            Path db = replayed();
            CliTest.Result r = CliTest.run("replay", "--cassandra", node, "--keyspace", ks, "--host", "h", "--json",
                    "--spool", tmp.resolve("spool").toString(), TestData.fixtures().resolve("basic.scap.gz").toString());
            assertEquals(0, r.code(), r.err());
            for (dev.scapstream.view.View<?> v : dev.scapstream.view.Catalog.ALL) {
                JsonNode a = json("--db", db.toString(), "-v", v.id());
                JsonNode b = json("--cassandra", node, "--keyspace", ks, "-v", v.id());
                assertEquals(a, b, v.id());
            }
        } finally {
            dev.scapstream.store.cassandra.SharedNode.drop(ks);
        }
    }

    /**
     * spy_users as made here from a store's processes, without the view code: those started in
     * [from, to), newest first, each with its parent (the process of its ppid, in any container,
     * last started before it) and its container's name.
     */
    private static List<Map<String, String>> started(MetricsStore s, String host, long from, long to) {
        List<Rows.ProcessInfo> alive = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (Rows.ContainerInfo c : s.containers(host, from, to)) {
            names.put(c.id(), c.name() == null || c.name().isEmpty() ? c.id() : c.name());
            alive.addAll(s.processes(host, c.id(), from, to));
        }
        List<Rows.ProcessInfo> in = new ArrayList<>();
        for (Rows.ProcessInfo p : alive) if (p.startTs() >= from * 1_000_000_000L && p.startTs() < to * 1_000_000_000L) in.add(p);
        in.sort(java.util.Comparator.comparingLong(Rows.ProcessInfo::startTs).reversed().thenComparingLong(Rows.ProcessInfo::pid));
        List<Map<String, String>> rows = new ArrayList<>();
        for (Rows.ProcessInfo p : in) {
            Rows.ProcessInfo parent = null;
            for (Rows.ProcessInfo q : alive) {
                if (q.pid() == p.ppid() && q.startTs() <= p.startTs() && (parent == null || q.startTs() > parent.startTs())) parent = q;
            }
            String exe = p.exe() == null || p.exe().isEmpty() ? p.comm() : p.exe();
            Map<String, String> r = new java.util.TreeMap<>();
            r.put("TIME", Long.toString(p.startTs()));
            r.put("USER", p.user() == null ? "" : p.user());
            r.put("PID", Long.toString(p.pid()));
            r.put("SHELL", Long.toString(p.ppid()));
            r.put("PARENT", parent == null ? "" : parent.comm());
            r.put("CONTAINER", names.get(p.containerId()));
            r.put("CONTAINER_ID", p.containerId());
            r.put("Command", p.args() == null || p.args().isEmpty() ? exe : exe + " " + p.args());
            rows.add(r);
        }
        return rows;
    }

    private static List<Map<String, String>> rows(JsonNode top) {
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode r : top.path("rows")) {
            Map<String, String> m = new java.util.TreeMap<>();
            r.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
            out.add(m);
        }
        return out;
    }

    /**
     * The window for spy_users: from the second after the fixture's first process start, so that
     * processes alive in it but started before are there to be left out.
     */
    private static long[] spyWindow(MetricsStore s, String host) {
        long[] span = s.span();
        long first = Long.MAX_VALUE;
        for (Rows.ContainerInfo c : s.containers(host, span[0], span[1])) {
            for (Rows.ProcessInfo p : s.processes(host, c.id(), span[0], span[1])) if (p.startTs() > 0) first = Math.min(first, p.startTs());
        }
        return new long[] {first / 1_000_000_000L + 1, span[1]};
    }

    private static void assertSpyUsers(MetricsStore s, String host, long[] w, JsonNode got) {
        List<Map<String, String>> want = started(s, host, w[0], w[1]);
        int aliveBefore = 0;
        java.util.Set<String> containers = new java.util.HashSet<>();
        for (Rows.ContainerInfo c : s.containers(host, w[0], w[1])) {
            for (Rows.ProcessInfo p : s.processes(host, c.id(), w[0], w[1])) if (p.startTs() < w[0] * 1_000_000_000L) aliveBefore++;
        }
        for (Map<String, String> r : want) containers.add(r.get("CONTAINER_ID"));
        // the window leaves some out, and its commands ran in containers and on the host
        assertTrue(want.size() > 10 && aliveBefore > 0 && containers.size() > 1, want.size() + " " + aliveBefore + " " + containers);
        assertEquals(w[0], got.path("from").asLong());
        assertEquals(w[1], got.path("to").asLong());
        assertEquals(want, rows(got));
    }

    @Test
    void spyUsersJsonIsTheProcessesStartedInTheWindow() throws Exception {
        Path db = replayed();
        try (SqliteStore s = SqliteStore.open(db)) {
            long[] w = spyWindow(s, "h");
            assertSpyUsers(s, "h", w, json("--db", db.toString(), "-v", "spy_users", "--from", Long.toString(w[0]), "--to", Long.toString(w[1])));
        }
    }

    @Test
    void spyUsersJsonOverCassandraIsTheProcessesStartedInTheWindow() throws Exception {
        String node = CassandraCliTest.node();
        String ks = "topspy_" + ProcessHandle.current().pid();
        try {
            CliTest.Result r = CliTest.run("replay", "--cassandra", node, "--keyspace", ks, "--host", "h", "--json",
                    "--spool", tmp.resolve("spool").toString(), TestData.fixtures().resolve("basic.scap.gz").toString());
            assertEquals(0, r.code(), r.err());
            try (MetricsStore s = CassandraStore.open(CassandraConfig.local(CassandraConfig.parseContactPoints(node), ks))) {
                long[] w = spyWindow(s, "h");
                assertSpyUsers(s, "h", w, json("--cassandra", node, "--keyspace", ks, "-v", "spy_users",
                        "--from", Long.toString(w[0]), "--to", Long.toString(w[1])));
            }
        } finally {
            dev.scapstream.store.cassandra.SharedNode.drop(ks);
        }
    }

    @Test
    void spyUsersPickedInTmuxShowsTheCommandsInert() throws Exception {
        requireTmux();
        Path db = replayed();
        JsonNode su = json("--db", db.toString(), "-v", "spy_users");
        String from = su.path("from").asText(), to = su.path("to").asText();
        start("--db", db.toString(), "-v", "processes", "--from", from, "--to", to);
        await("scapstream top - Processes");
        keys("Views (Enter picks", "v");
        List<String> presses = new ArrayList<>();
        int steps = dev.scapstream.view.Catalog.ALL.indexOf(dev.scapstream.view.Catalog.SPY_USERS)
                - dev.scapstream.view.Catalog.ALL.indexOf(dev.scapstream.view.Catalog.PROCESSES);
        for (int i = 0; i < steps; i++) presses.add("Down");
        presses.add("Enter");
        String p = keys("scapstream top - Spy Users", presses.toArray(String[]::new));
        String head = p.lines().skip(2).findFirst().orElseThrow();
        assertTrue(head.matches(" *TIMEv +USER +PID +SHELL +PARENT +CONTAINER +Command *"), head);
        // newest first, as --json has them: each row's start, pid and parent pid
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
        List<String> lines = p.lines().skip(3).toList();
        int shown = Math.min(30, su.path("rows").size());
        assertTrue(shown >= 30, "a screen of rows: " + su.path("rows").size());
        for (int i = 0; i < shown; i++) {
            JsonNode r = su.path("rows").get(i);
            String line = lines.get(i);
            assertTrue(line.startsWith(clock.format(Instant.ofEpochSecond(0, r.path("TIME").asLong())) + " "), i + ": " + line);
            assertEquals(r.path("PID").asText(), cell(p, line, "PID"), i + ": " + line);
            assertEquals(r.path("SHELL").asText(), cell(p, line, "SHELL"), i + ": " + line);
        }
        // sorted by container (text, ascending: '<' first): the hostile container's command on top, as text
        String byContainer = keys("CONTAINER^", ">", ">", ">", ">", ">");
        JsonNode hostile = null, multiline = null;
        for (JsonNode r : su.path("rows")) {
            if (r.path("CONTAINER").asText().startsWith("<img")) hostile = r;
            if (r.path("Command").asText().contains("\n") && r.path("CONTAINER").asText().equals("cache")) multiline = r;
        }
        assertNotNull(hostile, "the fixture's hostile container ran a command");
        String top = byContainer.lines().skip(3).findFirst().orElseThrow();
        assertEquals(hostile.path("PID").asText(), cell(byContainer, top, "PID"), byContainer);
        String name = hostile.path("CONTAINER").asText(), command = hostile.path("Command").asText().substring(0, 60);
        assertTrue(command.contains("<img") && top.contains(name.substring(0, 15) + "~") && top.contains(command), top);
        // a command line's line ends are shown as \x0a, not sent: the row stays one line
        assertNotNull(multiline, "a cache command with a line end");
        String first = multiline.path("Command").asText().split("\n", 2)[0];
        String ml = lineWith(byContainer, " " + multiline.path("PID").asText() + " ");
        assertTrue(ml.contains(first + "\\x0a"), ml);
        assertFalse(tmux("capture-pane", "-p", "-e", "-t", session).contains("\u001b]"), "no OSC sequence from a trace string");
        String after = keys("EXITED 0", "q");
        assertFalse(after.contains("PARENT"), "the alternate screen is gone:\n" + after);
    }

    @Test
    void keysDrillSortSwitchAndQuitOnAStoreInTmux() throws Exception {
        requireTmux();
        Path db = replayed();
        JsonNode c = json("--db", db.toString(), "-v", "containers");
        long from = c.path("from").asLong(), to = c.path("to").asLong();
        start("--db", db.toString(), "-v", "containers", "--from", Long.toString(from), "--to", Long.toString(to));
        String p = await("Containers");
        // every container's CPU (percent of one CPU over the window) and system calls, as stored
        int webAt = -1, i = 0;
        for (JsonNode r : c.path("rows")) {
            String id = r.path("ID").asText();
            String[] w = lineWith(p, id).trim().split(" +");
            assertEquals(String.format(Locale.ROOT, "%.1f", r.path("CPU").asLong() * 100.0 / ((to - from) * 1e9)), w[0], id);
            assertEquals(r.path("SYSCALLS").asText(), w[6], id);
            if (r.path("NAME").asText().equals("web")) webAt = i;
            i++;
        }
        assertTrue(webAt >= 0, "the fixture's web container");
        // hostile names are shown inert: no escape reached the terminal, HTML is text
        assertTrue(p.contains("<img src=x onerror=alert(1)>"), p);
        assertFalse(tmux("capture-pane", "-p", "-e", "-t", session).contains("\u001b]"), "no OSC sequence from a trace string");

        // Enter on web: its processes, those the store holds for that container
        String[] down = new String[webAt + 1];
        java.util.Arrays.fill(down, "Down");
        down[webAt] = "Enter";
        String procs = webAt == 0 ? keys("Processes of container web", "Enter") : keys("Processes of container web", down);
        JsonNode all = json("--db", db.toString(), "-v", "processes", "--from", Long.toString(from), "--to", Long.toString(to));
        int shown = 0;
        for (JsonNode r : all.path("rows")) {
            boolean inWeb = r.path("CONTAINER").asText().equals("web");
            boolean onScreen = procs.lines().anyMatch(l -> l.trim().startsWith(r.path("PID").asText() + " "));
            assertEquals(inWeb, onScreen, "pid " + r.path("PID") + " in web: " + inWeb + "\n" + procs);
            if (inWeb) {
                shown++;
                String line = procs.lines().filter(l -> l.trim().startsWith(r.path("PID").asText() + " ")).findFirst().orElseThrow();
                assertEquals(r.path("SYSCALLS").asText(), cell(procs, line, "SYSCALLS"), "pid " + r.path("PID"));
                assertEquals(r.path("ERRORS").asText(), cell(procs, line, "ERRORS"), "pid " + r.path("PID"));
            }
        }
        assertTrue(shown > 0);
        // sort by the next column, then back up, pick a view, a filter a store cannot take, help, quit
        String sorted = keys("USER^", ">");
        assertTrue(sorted.contains("CPU USER^"), sorted);
        assertTrue(keys("PPIDv", "<", "<").contains("PPIDv"), "< goes back past CPU to PPID");
        keys("scapstream top - Containers |", "BSpace");
        keys("Views (Enter picks", "v");
        String files = keys("scapstream top - Files", "Down", "Down", "Down", "Enter");
        assertTrue(files.contains("FILENAME"), files);
        keys("a sysdig filter needs events", "/", "x", "Enter");
        keys("Keys (any key closes this help)", "?");
        keys("F1/? Help", "Escape");
        String after = keys("EXITED 0", "q");
        assertFalse(after.contains("FILENAME"), "the alternate screen is gone:\n" + after);
    }

    @Test
    void filesPlayAndFilterInTmux() throws Exception {
        requireTmux();
        Path fixture = TestData.fixtures().resolve("basic.scap.gz");
        JsonNode p = json("-r", fixture.toString(), "-v", "processes");
        start("-r", fixture.toString(), "-v", "processes", "-d", "60000");
        String screen = await("PID");
        JsonNode top = p.path("rows").get(0);
        String[] w = lineWith(screen, " " + top.path("PID").asText() + " ").trim().split(" +");
        assertEquals(top.path("PID").asText(), w[0]);
        assertEquals(top.path("PPID").asText(), w[1]);
        long window = (p.path("to").asLong() - p.path("from").asLong());
        assertEquals(String.format(Locale.ROOT, "%.1f", top.path("CPU").asLong() * 100.0 / (window * 1e9)), w[2]);
        // dig: the selected (first) process's events, by libsinsp's formatter
        String dig = keys("Dig (events) of process " + top.path("PID").asText(), "d");
        assertTrue(dig.lines().skip(1).anyMatch(l -> l.matches("\\d+ \\d\\d:\\d\\d:\\d\\d\\.\\d{9} .*")), dig);
        keys("F1/? Help", "Escape");
        // F9: sort by FILE; echo on the first row, the process with the most file bytes
        keys("Sort by (Enter picks", "F9");
        keys("FILEv", "Down", "Down", "Down", "Down", "Enter");
        JsonNode most = null;
        for (JsonNode r : p.path("rows")) if (most == null || r.path("FILE").asLong() > most.path("FILE").asLong()) most = r;
        String echo = keys("Echo (I/O payloads) of process " + most.path("PID").asText(), "e");
        assertTrue(echo.lines().skip(1).anyMatch(l -> l.matches("\\d+ \\d\\d:\\d\\d:\\d\\d\\.\\d{9} .* < (read|write|pread|pwrite)\\S* .*")), echo);
        keys("F1/? Help", "BSpace");
        // p pauses; the window of the whole capture has nothing before it
        assertTrue(keys("| PAUSED", "p").lines().findFirst().orElseThrow().endsWith("| PAUSED"));
        keys("the start of the data", "Left");
        // a sysdig filter reads the files again through it: dd's processes only
        String dd = keys("filter: proc.name=dd", "/", "proc.name=dd", "Enter");
        JsonNode f = json("-r", fixture.toString(), "-v", "processes", "proc.name=dd");
        for (JsonNode r : f.path("rows")) {
            if (r.path("Command").asText().startsWith("dd ")) assertTrue(dd.contains(" " + r.path("PID").asText() + " "), dd);
        }
        assertTrue(dd.contains(" dd if="), dd);
        keys("EXITED 0", "q");
    }
}
