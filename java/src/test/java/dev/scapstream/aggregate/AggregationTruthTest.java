package dev.scapstream.aggregate;

import dev.scapstream.store.RowKind;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scapstream.testsupport.Aggregation;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Per-second aggregation against ground truth: exact file and network bytes per process, file and
 * connection; process starts and exits; CPU within 2 % of the kernel's own accounting; memory.
 */
class AggregationTruthTest {

    private static Path shared(String name) {
        return TestData.requireSharedTraces().resolve(name + ".scap.gz");
    }

    private static JsonNode workload(JsonNode truth, String label) {
        for (JsonNode w : truth.path("workloads")) if (w.path("label").asText().equals(label)) return w;
        throw new AssertionError("no workload " + label);
    }

    private static void assertWithin(double expected, double actual, double fraction, String what) {
        assertTrue(Math.abs(actual - expected) <= expected * fraction,
                what + ": " + actual + " vs truth " + expected + " (allowed " + (fraction * 100) + " %)");
    }

    /** The project's own recordings (the fixture, the demo): each checked against its sidecar. */
    static List<Path> fixtures() {
        List<Path> traces = TestData.tracesWithTruth(TestData.fixtures());
        assertFalse(traces.isEmpty(), "no fixtures in " + TestData.fixtures());
        return traces;
    }

    /**
     * Whatever a workload of the sidecar says it did: exact bytes and write calls per file, exact
     * network bytes per process and per server port (and its connections), its start and exit, every
     * row under its container, peak RSS against its VmHWM, container CPU against cpuacct.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureFileNetworkProcessesAndCpuMatchTheSidecar(Path trace) {
        JsonNode truth = TestData.readTruth(trace);
        Aggregation a = Aggregation.of(trace);
        // the agent's per-second event counts add up to every event libsinsp read, enters included
        assertEquals(dev.scapstream.capture.NativeBench.rawLoop(trace)[0], a.summary.events());
        int checked = 0;
        for (JsonNode w : truth.path("workloads")) {
            String label = w.path("label").asText();
            long pid = w.path("pid").asLong();
            if (w.has("file")) {
                RunSummary.File f = a.file(pid, w.path("file").asText());
                assertEquals(w.path("file_bytes_written").asLong(0), f.bytesOut(), label + " file out");
                assertEquals(w.path("file_bytes_read").asLong(0), f.bytesIn(), label + " file in");
                if (w.has("file_write_calls")) assertEquals(w.path("file_write_calls").asLong(), f.opsOut(), label + " writes");
                checked++;
            }
            if (w.has("net_bytes_in") || w.has("net_bytes_out")) {
                RunSummary.Process p = a.process(pid);
                assertEquals(w.path("net_bytes_in").asLong(), p.netInBytes(), label + " net in");
                assertEquals(w.path("net_bytes_out").asLong(), p.netOutBytes(), label + " net out");
                // its connections on the server port, from either end: exact bytes, and how many
                int port = w.path("tcp_port").asInt();
                List<RunSummary.Connection> conns = a.summary.connections().stream()
                        .filter(c -> c.pid() == pid && c.serverPort() == port).toList();
                assertTrue(conns.stream().allMatch(c -> c.l4().equals("tcp")), label + ": " + conns);
                assertEquals(w.path("net_bytes_in").asLong(), conns.stream().mapToLong(RunSummary.Connection::bytesIn).sum(),
                        label + " bytes in on port " + port);
                assertEquals(w.path("net_bytes_out").asLong(), conns.stream().mapToLong(RunSummary.Connection::bytesOut).sum(),
                        label + " bytes out on port " + port);
                // a client port reused within the run (the server closed first) folds two connections
                // into one tuple: at most as many as were made, and one when one was made
                long made = w.path("tcp_connections").asLong(1);
                assertTrue(!conns.isEmpty() && conns.size() <= made, label + ": " + conns.size() + " tuples on port " + port
                        + " for " + made + " connections");
                if (made == 1) assertEquals(1, conns.size(), label + ": one connection");
                checked++;
            }
            if (w.has("peak_rss_kb")) {
                // the kernel's VmHWM, read by the process itself, vs the largest vm_rss the probe reported
                assertWithin(w.path("peak_rss_kb").asLong(), a.process(pid).peakRssKb(), 0.002, label + " peak RSS");
                checked++;
            }
        }
        assertTrue(checked >= 3, "workloads with measured bytes or memory: " + checked);
        // every workload process started and exited inside its launch..reap window
        for (JsonNode w : truth.path("workloads")) {
            RunSummary.Process p = a.process(w.path("pid").asLong());
            assertTrue(p.startTs() >= w.path("launch_ns").asLong() && p.startTs() <= w.path("reaped_ns").asLong(), w + " start");
            assertTrue(p.exitTs() >= p.startTs() && p.exitTs() <= w.path("reaped_ns").asLong(), w + " exit");
        }
        // every per-second row of a workload process is filed under its container, its last second
        // (after its threads have exited) included
        java.util.Map<Long, java.util.Set<String>> filed = new java.util.HashMap<>();
        for (var b : a.batches) {
            for (var r : b.rows(RowKind.PROCESS)) if (r.res() == 1) filed.computeIfAbsent(r.pid(), k -> new java.util.TreeSet<>()).add(r.containerId());
        }
        for (JsonNode w : truth.path("workloads")) {
            String container = w.path("container_id").asText("host");
            if (container.isEmpty()) container = "host";
            assertEquals(java.util.Set.of(container), filed.get(w.path("pid").asLong()), w.path("label").asText() + " rows' container");
        }
        // container CPU against the kernel's cpuacct of the container's cgroup
        for (JsonNode c : truth.path("containers")) {
            long ns = c.path("cpuacct_usage_ns_at_end").asLong();
            if (ns < 500_000_000L) continue; // too small for a 2 % bound to be meaningful
            assertWithin(ns / 1e9, a.container(c.path("id").asText()).cpuSeconds(), 0.02, "container " + c.path("name").asText() + " CPU");
        }
    }

    @Test
    void fileioTraceBytesAndCallsExact() {
        Path trace = shared("fileio");
        JsonNode truth = TestData.readTruth(trace);
        Aggregation a = Aggregation.of(trace);
        long ddw = workload(truth, "dd-write-64MiB").path("pid").asLong();
        assertEquals(64L << 20, a.file(ddw, "/var/tmp/loadgen/dd_test.bin").bytesOut());
        long ddr = workload(truth, "dd-read-64MiB").path("pid").asLong();
        assertEquals(64L << 20, a.file(ddr, "/var/tmp/loadgen/dd_test.bin").bytesIn());
        JsonNode py = workload(truth, "fileio-py-4MiB").path("report");
        RunSummary.File f = a.file(py.path("pid").asLong(), py.path("path").asText());
        assertEquals(py.path("bytes_written").asLong(), f.bytesOut());
        assertEquals(py.path("bytes_read").asLong(), f.bytesIn());
        assertEquals(py.path("write_calls").asLong(), f.opsOut());
        assertEquals(py.path("read_calls_incl_eof").asLong(), f.opsIn());
    }

    @Test
    void netTraceBytesPerProcessAndConnectionExact() {
        Path trace = shared("net");
        JsonNode r = workload(TestData.readTruth(trace), "tcp-xfer").path("report");
        Aggregation a = Aggregation.of(trace);
        long udp = r.path("udp_bytes").asLong();
        RunSummary.Process server = a.process(r.path("server_pid").asLong());
        RunSummary.Process client = a.process(r.path("client_pid").asLong());
        assertEquals(r.path("server_recv").asLong() + udp, server.netInBytes());
        assertEquals(r.path("server_sent").asLong(), server.netOutBytes());
        assertEquals(r.path("client_sent").asLong() + udp, client.netOutBytes());
        assertEquals(r.path("client_recv").asLong(), client.netInBytes());
        RunSummary.Connection tcp = a.summary.connections().stream()
                .filter(c -> c.pid() == server.pid() && c.l4().equals("tcp") && c.serverPort() == r.path("server_port").asInt())
                .findFirst().orElseThrow();
        assertEquals(r.path("server_recv").asLong(), tcp.bytesIn());
        assertEquals(r.path("server_sent").asLong(), tcp.bytesOut());
        assertTrue(tcp.tuple().contains(":" + r.path("client_port").asInt() + "->"), tcp.tuple());
    }

    @Test
    void churnTraceCountsEveryProcessStartAndExit() {
        Path trace = shared("churn");
        JsonNode truth = TestData.readTruth(trace);
        Aggregation a = Aggregation.of(trace);
        String churner = workload(truth, "churn-500-true").path("container_id").asText();
        long trues = a.summary.processes().stream().filter(p -> p.name().equals("true") && p.container().equals(churner)
                && p.exitTs() > p.startTs()).count();
        assertEquals(workload(truth, "churn-500-true").path("report").path("execs_of_true").asLong(), trues);
        long shs = a.summary.processes().stream().filter(p -> p.name().equals("sh") && p.args().equals("-c exit 3")
                && p.exitTs() > p.startTs()).count();
        assertEquals(workload(truth, "host-200-sh-exit3").path("report").path("execs_of_sh").asLong(), shs);
    }

    /**
     * The recordings' own independent check (shared/traces/CHECK_RESULTS.txt, written by the
     * recorder's checker from the same sched_switch events): "label -> {trace ms, truth ms}".
     */
    private static java.util.Map<String, double[]> checkedCpu(String traceName) throws java.io.IOException {
        java.util.Map<String, double[]> out = new java.util.HashMap<>();
        String section = null;
        for (String line : java.nio.file.Files.readAllLines(TestData.requireSharedTraces().resolve("CHECK_RESULTS.txt"))) {
            if (line.startsWith("== ")) section = line.substring(3, line.indexOf(".scap"));
            var m = java.util.regex.Pattern.compile("^\\s+\\w+\\s+(\\S+) (?:pid \\d+ process cpu_ms|\\(?.*slice_cpu_ms).*trace=([\\d.]+)\\s+truth=([\\d.]+)")
                    .matcher(line);
            if (traceName.equals(section) && m.find()) {
                String key = line.contains("slice_cpu_ms") ? "container " + line.trim().split("\\s+")[2] : m.group(1);
                out.put(key, new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
            }
        }
        return out;
    }

    /**
     * Within 2 % of the kernel's truth. Where the recording itself is further off (its sched_switch
     * timestamps include hypervisor steal time; CHECK_RESULTS.txt shows it), the figure must
     * instead match the independent sched_switch computation of that file within 0.5 %.
     */
    private static void assertCpu(double truthS, double gotS, double[] checked, String what) {
        if (checked != null && Math.abs(checked[0] - checked[1]) > checked[1] * 0.02) {
            System.out.printf("%s: recording differs from truth by %.1f %%: checked against its own sched_switch figure%n",
                    what, (checked[0] - checked[1]) * 100 / checked[1]);
            assertWithin(checked[0] / 1000, gotS, 0.005, what + " vs the recording's own sched_switch CPU");
        } else {
            assertWithin(truthS, gotS, 0.02, what);
        }
    }

    @Test
    void cpuOfBusyProcessesWithinTwoPercentOfTheKernel() throws Exception {
        for (String name : List.of("cpu", "containers", "mixed")) {
            Path trace = shared(name);
            java.util.Map<String, double[]> checked = checkedCpu(name);
            JsonNode truth = TestData.readTruth(trace);
            Aggregation a = Aggregation.of(trace);
            for (JsonNode w : truth.path("workloads")) {
                long ns = w.path("rusage").path("cpu_ns_incl_waited_children").asLong();
                if (ns < 1_000_000_000L) continue; // busy processes only
                // shared/traces/README.md: in `mixed` one apisrv spin thread is under-counted ~10 % by
                // sched_switch itself (a property of the recording, not of the reader)
                if (name.equals("mixed") && w.path("label").asText().startsWith("api-spin")) continue;
                assertCpu(ns / 1e9, a.process(w.path("pid").asLong()).cpuSeconds(), checked.get(w.path("label").asText()),
                        name + " " + w.path("label").asText() + " CPU");
            }
            for (JsonNode c : truth.path("containers")) {
                long ns = c.path("cpuacct_usage_ns_at_end").asLong();
                if (ns < 1_000_000_000L || name.equals("mixed") && c.path("name").asText().equals("api")) continue;
                assertCpu(ns / 1e9, a.container(c.path("id").asText()).cpuSeconds(),
                        checked.get("container " + c.path("id").asText()), name + " container " + c.path("id").asText() + " CPU");
            }
        }
    }

    @Test
    void memoryGaugesAreTheLastValuesInTheTraceAndPeaksMatch() {
        Path trace = shared("mem");
        JsonNode truth = TestData.readTruth(trace);
        Aggregation a = Aggregation.of(trace);
        JsonNode hog = workload(truth, "memhog-200MiB");
        RunSummary.Process p = a.process(hog.path("pid").asLong());
        // the kernel's VmHWM (truth) vs the largest vm_rss the probe reported
        assertWithin(hog.path("report").path("peak_rss_kb").asLong(), p.peakRssKb(), 0.002, "memhog peak RSS");
        // last reported values: an independent pass over the trace's memory records
        dev.scapstream.capture.ProcessMemory[] last = new dev.scapstream.capture.ProcessMemory[1];
        long[] lastRss = {-1};
        try (var source = dev.scapstream.capture.CaptureSource.openFile(trace, "", null)) {
            var dict = new dev.scapstream.capture.Dictionaries(new dev.scapstream.capture.Dictionaries.DictionaryListener() {
                @Override
                public void onMemory(dev.scapstream.capture.ProcessMemory m) {
                    if (m.pid == p.pid()) lastRss[0] = m.vmRssKb;
                }
            });
            var dec = new dev.scapstream.capture.BatchDecoder(dict);
            var batch = new dev.scapstream.capture.Batch();
            boolean more;
            do {
                more = source.next(batch, 100);
                dec.decode(batch.buffer(), batch.used(), (e, d) -> { });
            } while (more);
        }
        assertTrue(lastRss[0] > 0);
        long lastRow = -1;
        for (var b : a.batches) for (var r : b.rows(RowKind.PROCESS)) if (r.res() == 1 && r.pid() == p.pid()) lastRow = r.vmRssKb();
        assertEquals(lastRss[0], lastRow, "last per-second RSS row equals the last value in the trace");
    }

    @Test
    void replayingTwiceGivesIdenticalRows() {
        Path trace = TestData.fixtures().resolve("basic.scap.gz");
        Aggregation first = Aggregation.of(trace);
        Aggregation second = Aggregation.of(trace);
        assertEquals(first.batches.size(), second.batches.size());
        for (int i = 0; i < first.batches.size(); i++) {
            var x = first.batches.get(i);
            var y = second.batches.get(i);
            assertEquals(x.rows(RowKind.CONTAINER), y.rows(RowKind.CONTAINER));
            assertEquals(x.rows(RowKind.PROCESS), y.rows(RowKind.PROCESS));
            assertEquals(x.rows(RowKind.FILE), y.rows(RowKind.FILE));
            assertEquals(x.rows(RowKind.CONNECTION), y.rows(RowKind.CONNECTION));
            assertEquals(x.rows(RowKind.PORT), y.rows(RowKind.PORT));
            assertEquals(x.rows(RowKind.SYSCALL), y.rows(RowKind.SYSCALL));
            assertEquals(x.rows(RowKind.ERRNO), y.rows(RowKind.ERRNO));
            assertEquals(x.rows(RowKind.THREAD), y.rows(RowKind.THREAD));
            assertEquals(x.rows(RowKind.CPU), y.rows(RowKind.CPU));
            assertEquals(x.rows(RowKind.PROCESS_INFO), y.rows(RowKind.PROCESS_INFO));
        }
        assertEquals(first.summary, second.summary);
    }

    @Test
    void aProcessesCpuIsTheSumOfItsThreadsInEverySecond() {
        Aggregation a = Aggregation.of(TestData.fixtures().resolve("basic.scap.gz"));
        int checked = 0;
        for (var b : a.batches) {
            java.util.Map<String, Long> threads = new java.util.HashMap<>();
            for (var t : b.rows(RowKind.THREAD)) {
                if (t.res() == 1) threads.merge(t.containerId() + "/" + t.pid() + "@" + t.ts(), t.cpuNs(), Long::sum);
            }
            for (var p : b.rows(RowKind.PROCESS)) {
                if (p.res() != 1) continue;
                long sum = threads.getOrDefault(p.containerId() + "/" + p.pid() + "@" + p.ts(), 0L);
                assertEquals(p.cpuNs(), sum, "pid " + p.pid() + " at " + p.ts() + ": process vs its threads");
                if (sum > 0) checked++;
            }
        }
        assertTrue(checked > 10, "seconds of processes that ran: " + checked);
    }

    @Test
    void noSecondHasMoreCpuThanCpusAndNoCpuIsOverFull() {
        Aggregation a = Aggregation.of(TestData.fixtures().resolve("basic.scap.gz"));
        for (var b : a.batches) {
            long total = 0;
            int cpus = 0;
            for (var c : b.rows(RowKind.CPU)) {
                if (c.res() != 1) continue;
                assertTrue(c.busyNs() <= 1_000_000_000L, "cpu " + c.cpu() + " at " + c.ts() + ": " + c.busyNs());
                total += c.busyNs();
                cpus++;
            }
            long containers = b.rows(RowKind.CONTAINER).stream().filter(r -> r.res() == 1).mapToLong(r -> Math.max(0, r.cpuNs())).sum();
            assertTrue(containers <= Math.max(1, cpus) * 1_000_000_000L, "containers' CPU in one second: " + containers);
            assertTrue(containers <= total, "containers " + containers + " vs busy " + total);
        }
    }
}
