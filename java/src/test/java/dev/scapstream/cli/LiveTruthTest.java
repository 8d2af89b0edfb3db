package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.FakeContainers;
import dev.scapstream.testsupport.FakeContainers.Container;
import dev.scapstream.testsupport.FakeContainers.Shape;
import dev.scapstream.testsupport.Loadgen;
import dev.scapstream.testsupport.Steal;
import dev.scapstream.testsupport.LiveProbe;
import dev.scapstream.testsupport.StoreDump;
import dev.scapstream.testsupport.WatchedWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `scapstream live` against the workloads' own truth, as the replay tests check the shared traces:
 * workloads started during one live capture, in fake containers of four runtimes' shapes, each
 * reporting what it did (thread CPU clocks, /proc, bytes and calls), and the container's cpuacct.
 * The same capture is written with -w; its replay must give the same rows as live did.
 */
@Tag("live")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveTruthTest {
    private static final String HOST = "live-truth";
    // the workloads' events, and every process's lifecycle and scheduling (so a replay of the
    // recording knows every thread the live capture knew)
    private static final String FILTER = "proc.name in (loadgen, true) or evt.type in "
            + "(clone, clone3, fork, vfork, execve, execveat, procexit, switch, procinfo, container)";
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private Path dir;
    private FakeContainers fakes;
    private dev.scapstream.testsupport.FakeRuntimeApi podman;
    private Container spinBox, memBox, fileBox, netBox, churnBox;
    private final Map<String, JsonNode> truth = new HashMap<>();
    private final Map<String, Long> cpuacct = new HashMap<>();
    private long stolenNs; // hypervisor steal while the workloads ran (testsupport.Steal)
    private SqliteStore live;
    private String liveErr;

    @BeforeAll
    void captureLive() throws Exception {
        LiveProbe.requireModernBpf();
        String why = FakeContainers.unavailableReason();
        if (why != null) {
            System.out.println("SKIP live truth: " + why);
            Assumptions.abort(why);
        }
        dir = Files.createTempDirectory("scapstream-live-truth");
        fakes = new FakeContainers();
        spinBox = fakes.create(Shape.DOCKER_CGROUPFS);
        memBox = fakes.create(Shape.PODMAN);
        fileBox = fakes.create(Shape.DOCKER_SYSTEMD);
        netBox = fakes.create(Shape.CRIO);
        churnBox = fakes.create(Shape.DOCKER_CGROUPFS);
        // a podman host has its API socket: libsinsp's podman engine looks for one
        podman = dev.scapstream.testsupport.FakeRuntimeApi.start(Path.of("/run/podman/podman.sock"), dir,
                List.of(new dev.scapstream.testsupport.FakeRuntimeApi.Named(memBox.fullId(), "mem-grower", "redis:7.2")));
        Loadgen.binary();
        Path db = dir.resolve("live.db");
        WatchedWriter err = new WatchedWriter("capturing");
        Thread workloads = new Thread(() -> {
            try {
                if (!err.seen.await(60, TimeUnit.SECONDS)) return;
                int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
                List<Loadgen.Run> runs = new ArrayList<>();
                long steal0 = Steal.ns();
                // more busy threads than CPUs, and a second spin beside the memory growth
                runs.add(Loadgen.start("spin", spinBox.cgroup(), "spin", CPUS + 1, 3));
                runs.add(Loadgen.start("spin2", memBox.cgroup(), "spin", 1, 1.5));
                runs.add(Loadgen.start("mem", memBox.cgroup(), "mem", 8, 16, 150));
                runs.add(Loadgen.start("fileio", fileBox.cgroup(), "fileio", dir.resolve("fileio.bin"), 64, 4096));
                runs.add(Loadgen.start("tcp", netBox.cgroup(), "tcp", port, 3_000_000, 700_000));
                runs.add(Loadgen.start("udp", netBox.cgroup(), "udp", port + 1, 200, 256));
                runs.add(Loadgen.start("churn", churnBox.cgroup(), "churn", 300));
                runs.add(Loadgen.start("errors", null, "errors", 50, 20));
                for (Loadgen.Run r : runs) truth.put(r.label, r.truth());
                for (Container c : List.of(spinBox, memBox)) cpuacct.put(c.id(), c.cpuacctUsageNs());
                stolenNs = Steal.ns() - steal0;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "live-truth-workloads");
        workloads.start();
        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"live", "--duration", "9", "--db", db.toString(), "--host", HOST,
                "-w", dir.resolve("live.scap").toString(), "--json", FILTER}, new PrintWriter(out), new PrintWriter(err));
        workloads.join(60_000);
        liveErr = err.toString();
        assertEquals(0, code, liveErr);
        assertEquals(List.of("churn", "errors", "fileio", "mem", "spin", "spin2", "tcp", "udp"),
                truth.keySet().stream().sorted().toList(), "every workload ran and reported: " + liveErr);
        live = SqliteStore.open(db);
        System.out.println("live truth: " + dir + " containers " + List.of(spinBox, memBox, fileBox, netBox, churnBox));
    }

    @AfterAll
    void cleanUp() throws Exception {
        if (live != null) live.close();
        if (podman != null) podman.close();
        if (fakes != null) fakes.close();
        if (dir != null && System.getenv("SCAPSTREAM_KEEP_TEST_DIR") == null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long sum(List<? extends Record> rows, ToLongFunction<Object> f) {
        long s = 0;
        for (Object r : rows) s += f.applyAsLong(r);
        return s;
    }

    private List<Rows.ProcessRow> processRows(Container c, long pid) {
        return live.processSeries(HOST, c == null ? "host" : c.id(), 0, Long.MAX_VALUE, 1).stream()
                .filter(r -> r.pid() == pid).toList();
    }

    private static void within(double tolerance, long expected, long actual, String what) {
        double off = Math.abs(actual - expected) / (double) Math.max(1, expected);
        assertTrue(off <= tolerance, String.format("%s: %,d vs truth %,d (%.2f %% off, %.1f %% allowed)", what, actual,
                expected, 100 * off, 100 * tolerance));
    }

    /** A switch-derived CPU figure against a kernel clock: 2 %, and over by no more than the steal. */
    private void cpuWithin(long expected, long actual, String what) {
        long off = actual - expected;
        double percent = 100.0 * off / Math.max(1, expected);
        System.out.printf("live truth: %s %,d vs %,d (%+.3f %%)%n", what, actual, expected, percent);
        assertTrue(off <= 0.02 * expected + stolenNs && -off <= 0.02 * expected,
                String.format("%s: %,d vs truth %,d (%.2f %% off; 2 %% allowed, and %,d ns of steal above it)", what,
                        actual, expected, percent, stolenNs));
    }

    @Test
    void cpuOfMoreBusyThreadsThanCpusIsTheThreadsClocksAndTheCgroupsUsage() {
        JsonNode spin = truth.get("spin");
        long pid = spin.get("pid").asLong();
        long processCpu = sum(processRows(spinBox, pid), r -> ((Rows.ProcessRow) r).cpuNs());
        // each thread against its own clock
        List<Rows.ThreadRow> threadRows = live.threads(HOST, spinBox.id(), 0, Long.MAX_VALUE, 1);
        for (JsonNode t : spin.get("threads")) {
            long tid = t.get("tid").asLong();
            long got = threadRows.stream().filter(r -> r.tid() == tid && r.pid() == pid).mapToLong(Rows.ThreadRow::cpuNs).sum();
            cpuWithin(t.get("cpu_ns").asLong(), got, "thread " + tid + " of spin");
        }
        cpuWithin(spin.get("process_cpu_ns").asLong(), processCpu, "process CPU of spin " + (CPUS + 1) + " threads");
        long containerCpu = sum(live.containerSeries(HOST, spinBox.id(), 0, Long.MAX_VALUE, 1),
                r -> ((Rows.ContainerRow) r).cpuNs());
        cpuWithin(cpuacct.get(spinBox.id()), containerCpu, "container CPU vs cpuacct.usage (" + spinBox.shape() + ")");
        long memBoxCpu = sum(live.containerSeries(HOST, memBox.id(), 0, Long.MAX_VALUE, 1),
                r -> ((Rows.ContainerRow) r).cpuNs());
        cpuWithin(cpuacct.get(memBox.id()), memBoxCpu, "container CPU vs cpuacct.usage (" + memBox.shape() + ")");
        JsonNode spin2 = truth.get("spin2");
        cpuWithin(spin2.get("process_cpu_ns").asLong(),
                sum(processRows(memBox, spin2.get("pid").asLong()), r -> ((Rows.ProcessRow) r).cpuNs()), "spin2 CPU");
        for (Rows.ProcessRow r : processRows(spinBox, pid)) {
            if (r.cpuUserNs() >= 0) {
                assertEquals(r.cpuNs(), r.cpuUserNs() + r.cpuSysNs(), "the split adds up to the exact time: " + r);
                assertEquals(Rows.CpuSource.SWITCH_SPLIT_BY_PROCINFO, r.cpuSource(), r.toString());
            } else {
                assertEquals(Rows.CpuSource.SWITCH, r.cpuSource(), r.toString());
            }
        }
    }

    @Test
    void containersOfEveryRuntimeShapeAreTaggedAndNamedByTheirApi() {
        Map<String, Rows.ContainerInfo> seen = new HashMap<>();
        for (Rows.ContainerInfo c : live.containers(HOST, 0, Long.MAX_VALUE)) seen.put(c.id(), c);
        for (Container c : List.of(spinBox, memBox, fileBox, netBox, churnBox)) {
            Rows.ContainerInfo info = seen.get(c.id());
            assertNotNull(info, c.shape() + " container " + c.id() + " among " + seen.keySet());
            assertEquals(c.shape().runtime, info.runtime(), info.toString());
        }
        if (podman.serving()) {
            Rows.ContainerInfo m = seen.get(memBox.id());
            assertEquals("mem-grower", m.name(), "named by the podman API: " + m);
            assertEquals("redis:7.2", m.image(), m.toString());
        }
    }

    @Test
    void noSecondHoldsMoreCpuThanTheMachineHas() {
        long cap = CPUS * 1_000_000_000L;
        for (Rows.ContainerInfo c : live.containers(HOST, 0, Long.MAX_VALUE)) {
            for (Rows.ProcessRow r : live.processSeries(HOST, c.id(), 0, Long.MAX_VALUE, 1)) {
                assertTrue(r.cpuNs() <= cap, "a process second above " + CPUS + " CPUs: " + r);
            }
            for (Rows.ContainerRow r : live.containerSeries(HOST, c.id(), 0, Long.MAX_VALUE, 1)) {
                assertTrue(r.cpuNs() <= cap, "a container second above " + CPUS + " CPUs: " + r);
            }
        }
        Map<Long, Long> perSecond = new HashMap<>();
        for (Rows.CpuRow r : live.cpus(HOST, 0, Long.MAX_VALUE, 1)) {
            assertTrue(r.busyNs() <= 1_000_000_000L, "a CPU busier than a second in a second: " + r);
            perSecond.merge(r.ts(), r.busyNs(), Long::sum);
        }
        assertFalse(perSecond.isEmpty(), "per-CPU rows were written");
        perSecond.forEach((ts, ns) -> assertTrue(ns <= cap, "second " + ts + " holds " + ns + " ns of CPU"));
    }

    @Test
    void peakMemoryIsVmHwmAndTheLastGaugesAreProcs() {
        JsonNode mem = truth.get("mem");
        List<Rows.ProcessRow> rows = processRows(memBox, mem.get("pid").asLong());
        assertFalse(rows.isEmpty(), "rows of the memory grower");
        long peak = rows.stream().mapToLong(Rows.ProcessRow::vmRssMaxKb).max().orElse(0);
        within(0.005, mem.get("vm_hwm_kb").asLong(), peak, "peak RSS vs VmHWM");
        Rows.ProcessRow last = rows.stream().max(java.util.Comparator.comparingLong(Rows.ProcessRow::ts)).orElseThrow();
        assertEquals(mem.get("vm_size_kb").asLong(), last.vmSizeKb(), "last VmSize gauge: " + last);
        // the probe reads the kernel's RSS counter without its per-CPU deltas (batches of up to
        // 64 pages per CPU), /proc sums them: equal up to those batches
        within(0.005, mem.get("vm_rss_kb").asLong(), last.vmRssKb(), "last VmRSS gauge");
    }

    @Test
    void fileBytesAndCallsThroughWritePwriteWritevReadPreadReadv() {
        JsonNode io = truth.get("fileio");
        long pid = io.get("pid").asLong();
        List<Rows.FileRow> rows = live.files(HOST, fileBox.id(), 0, Long.MAX_VALUE, 1).stream()
                .filter(r -> r.pid() == pid && r.file().equals(io.get("file").asText())).toList();
        assertEquals(io.get("bytes_written").asLong(), sum(rows, r -> ((Rows.FileRow) r).bytesOut()), "bytes written");
        assertEquals(io.get("bytes_read").asLong(), sum(rows, r -> ((Rows.FileRow) r).bytesIn()), "bytes read");
        assertEquals(io.get("write_calls").asLong(), sum(rows, r -> ((Rows.FileRow) r).opsOut()), "write calls");
        assertEquals(io.get("read_calls").asLong(), sum(rows, r -> ((Rows.FileRow) r).opsIn()), "read calls");
        // the workload opens its file once (loadgen.c), and every failed open names the path it tried
        assertEquals(1, sum(rows, r -> ((Rows.FileRow) r).opens()), "opens of " + io.get("file").asText());
        assertEquals(0, sum(rows, r -> ((Rows.FileRow) r).openErrors()), "failed opens of it");
    }

    @Test
    void everyFailedOpenIsCountedAgainstThePathItTried() {
        JsonNode e = truth.get("errors");
        long pid = e.get("pid").asLong();
        Map<String, Long> failed = new HashMap<>();
        for (Rows.FileRow r : live.files(HOST, "host", 0, Long.MAX_VALUE, 1)) {
            if (r.pid() == pid && r.openErrors() > 0) failed.merge(r.file(), r.openErrors(), Long::sum);
        }
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < e.get("enoent").asInt(); i++) expected.put("/nonexistent/loadgen-" + pid + "-" + i, 1L);
        assertEquals(expected, failed, "failed opens per file");
    }

    @Test
    void tcpAndUdpBytesPerConnectionBothDirectionsAndPerServerPort() {
        JsonNode tcp = truth.get("tcp");
        assertTrue(tcp.get("server_ok").asBoolean(), tcp.toString());
        long up = tcp.get("up").asLong(), down = tcp.get("down").asLong();
        int port = tcp.get("server_port").asInt();
        List<Rows.ConnectionRow> conns = live.connections(HOST, netBox.id(), 0, Long.MAX_VALUE, 1);
        String tuple = "127.0.0.1:" + tcp.get("client_port").asInt() + "->127.0.0.1:" + port;
        for (String side : List.of("client_pid", "server_pid")) {
            long pid = tcp.get(side).asLong();
            List<Rows.ConnectionRow> mine = conns.stream().filter(c -> c.pid() == pid && c.tuple().equals(tuple)).toList();
            long in = sum(mine, r -> ((Rows.ConnectionRow) r).bytesIn()), out = sum(mine, r -> ((Rows.ConnectionRow) r).bytesOut());
            boolean client = side.equals("client_pid");
            assertEquals(client ? down : up, in, side + " bytes in on " + tuple + ": " + conns);
            assertEquals(client ? up : down, out, side + " bytes out on " + tuple);
        }
        List<Rows.PortRow> ports = live.ports(HOST, netBox.id(), 0, Long.MAX_VALUE, 1).stream()
                .filter(p -> p.port() == port && p.l4().equals("tcp")).toList();
        assertEquals(up + down, sum(ports, r -> ((Rows.PortRow) r).bytesIn()), "server port " + port + " in, both ends");
        assertEquals(up + down, sum(ports, r -> ((Rows.PortRow) r).bytesOut()), "server port " + port + " out, both ends");

        JsonNode udp = truth.get("udp");
        assertTrue(udp.get("server_ok").asBoolean(), udp.toString());
        long sent = udp.get("sent").asLong();
        long clientOut = sum(processRows(netBox, udp.get("client_pid").asLong()), r -> ((Rows.ProcessRow) r).netOutBytes());
        long serverIn = sum(processRows(netBox, udp.get("server_pid").asLong()), r -> ((Rows.ProcessRow) r).netInBytes());
        assertEquals(sent, clientOut, "UDP bytes sent by the client process");
        assertEquals(sent, serverIn, "UDP bytes received by the server process");
        long udpPort = sum(live.ports(HOST, netBox.id(), 0, Long.MAX_VALUE, 1).stream()
                .filter(p -> p.port() == udp.get("server_port").asInt() && p.l4().equals("udp")).toList(),
                r -> ((Rows.PortRow) r).bytesIn());
        assertEquals(sent, udpPort, "UDP bytes in on the server port");
    }

    @Test
    void everyShortProcessStartsAndExitsInItsSecondWithItsArgs() {
        JsonNode churn = truth.get("churn");
        Map<Long, Rows.ProcessInfo> seen = new HashMap<>();
        for (Rows.ProcessInfo p : live.processes(HOST, churnBox.id(), 0, Long.MAX_VALUE)) seen.put(p.pid(), p);
        int n = 0;
        for (JsonNode c : churn.get("children")) {
            long pid = c.get("pid").asLong();
            Rows.ProcessInfo p = seen.get(pid);
            assertNotNull(p, "child " + pid + " (" + c + ") is a process of " + churnBox.id());
            assertEquals("true", p.comm(), p.toString());
            assertEquals(c.get("arg").asText(), p.args(), p.toString());
            long launch = c.get("launch_ns").asLong(), reaped = c.get("reaped_ns").asLong();
            assertTrue(p.startTs() >= launch - 1_000_000 && p.startTs() <= reaped, "start within launch..reap: " + p + " " + c);
            assertTrue(p.exitTs() >= p.startTs() && p.exitTs() <= reaped, "exit within start..reap: " + p + " " + c);
            n++;
        }
        assertEquals(300, n);
    }

    @Test
    void failingOpensAndConnectsAreCountedPerErrno() {
        JsonNode e = truth.get("errors");
        long pid = e.get("pid").asLong();
        Map<String, Long> counts = new HashMap<>();
        for (Rows.ErrnoRow r : live.errnos(HOST, "host", 0, Long.MAX_VALUE, 1)) {
            if (r.pid() == pid) counts.merge(r.syscall() + "/" + r.errno(), r.count(), Long::sum);
        }
        assertEquals(e.get("enoent").asLong(), counts.getOrDefault("openat/2", 0L), "ENOENT opens: " + counts);
        assertEquals(e.get("econnrefused").asLong(), counts.getOrDefault("connect/111", 0L), "ECONNREFUSED: " + counts);
    }

    @Test
    void replayOfTheLiveRecordingGivesTheSameRows() throws Exception {
        Path db = dir.resolve("replay.db");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new String[] {"replay", "--db", db.toString(), "--host", HOST, "--json",
                dir.resolve("live.scap").toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        try (SqliteStore replayed = SqliteStore.open(db)) {
            Map<String, List<String>> a = StoreDump.of(live, HOST), b = StoreDump.of(replayed, HOST);
            // the agent's own rows (drops, events read) are live-only
            a.keySet().removeIf(k -> k.startsWith("agent@"));
            b.keySet().removeIf(k -> k.startsWith("agent@"));
            assertEquals(new java.util.TreeSet<>(a.keySet()).toString(), new java.util.TreeSet<>(b.keySet()).toString(),
                    "the same tables and containers");
            for (String k : a.keySet()) {
                List<String> onlyLive = new ArrayList<>(a.get(k)), onlyReplay = new ArrayList<>(b.get(k));
                onlyLive.removeAll(b.get(k));
                onlyReplay.removeAll(a.get(k));
                assertTrue(onlyLive.isEmpty() && onlyReplay.isEmpty(), k + ": live only " + head(onlyLive)
                        + "; replay only " + head(onlyReplay));
            }
            assertTrue(StoreDump.rows(a) > 1000, "a real comparison: " + StoreDump.rows(a) + " rows");
        }
    }

    private static List<String> head(List<String> l) {
        return l.subList(0, Math.min(5, l.size()));
    }
}
