package dev.scapstream.cli;

import dev.scapstream.capture.Batch;
import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.LiveOptions;
import dev.scapstream.capture.RecordSpec;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.FakeContainers;
import dev.scapstream.testsupport.FakeContainers.Container;
import dev.scapstream.testsupport.FakeContainers.Shape;
import dev.scapstream.testsupport.LiveProbe;
import dev.scapstream.testsupport.Loadgen;
import dev.scapstream.testsupport.StoreDump;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Recording in rotated files (sysdig's -C, -G, -W, -z) and reading a rotated set back as one
 * timeline: each file reads on its own, a set replays to exactly the rows of the same events
 * written unrotated, and a recording cut off by kill -9 leaves every file readable up to its
 * last whole event.
 */
@Tag("live")
class RotatedRecordingTest {
    @TempDir
    Path tmp;

    /** Short processes, file writes and a CPU loop: what makes processes span files. */
    private static Process workload(Path dir, int seconds) throws Exception {
        return workload(dir, seconds, "");
    }

    /** The workload, and {@code extra} in each round of it. */
    private static Process workload(Path dir, int seconds, String extra) throws Exception {
        String script = "end=$(( $(date +%s) + " + seconds + " )); n=0; "
                + "while [ $(date +%s) -lt $end ]; do n=$((n+1)); "
                + "dd if=/dev/zero of=" + dir + "/w.bin bs=4096 count=64 status=none; /bin/true; " + extra
                + "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; done";
        return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * Captures live while {@code loads} run, into the given recordings (the first through the
     * options, the others added), filtered as {@code filter}; returns the events captured.
     */
    private static long capture(List<RecordSpec> recordings, String filter, double seconds,
                                java.util.function.Supplier<List<Loadgen.Run>> loads) throws Exception {
        LiveOptions o = new LiveOptions(LiveOptions.Engine.MODERN_BPF, filter, 8L << 20, recordings.get(0), false,
                false, true, false);
        long events = 0;
        try (CaptureSource source = CaptureSource.openLive(o)) {
            for (RecordSpec r : recordings.subList(1, recordings.size())) source.record(r);
            source.start();
            List<Loadgen.Run> runs = loads.get();
            Batch batch = new Batch();
            long end = System.nanoTime() + (long) ((seconds + 1) * 1e9);
            while (System.nanoTime() < end) {
                source.next(batch, 100);
                events += batch.events();
            }
            for (Loadgen.Run r : runs) r.truth();
            source.stop();
            for (int i = 0; i < 50; i++) {
                boolean more = source.next(batch, 20);
                events += batch.events();
                if (!more || batch.events() == 0) break;
            }
            source.closeRecording();
        }
        return events;
    }

    private static List<Path> files(Path dir, String glob) throws Exception {
        List<Path> out = new ArrayList<>();
        try (var s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    private static Map<String, List<String>> replay(List<String> input, Path db) {
        List<String> args = new ArrayList<>(List.of("replay", "--db", db.toString(), "--host", "h", "--json"));
        args.addAll(input);
        CliTest.Result r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        try (SqliteStore s = SqliteStore.open(db)) {
            return StoreDump.of(s, "h");
        }
    }

    private static final java.util.regex.Pattern GAUGES = java.util.regex.Pattern.compile(
            ", (startTs|vmSizeKb|vmRssKb|vmRssMaxKb|vmSwapKb|memRssKb|memRssMaxKb|memVmKb|memSwapKb)=-?\\d+");

    // the workloads' own events, and every process's scheduling (as the live truth test records)
    private static final String FILTER = "proc.name in (loadgen, true) or evt.type in "
            + "(clone, clone3, fork, vfork, execve, execveat, procexit, switch, procinfo, container)";

    @Test
    void aRotatedSetReplaysToTheRowsOfTheSameEventsUnrotated() throws Exception {
        LiveProbe.requireModernBpf();
        String why = FakeContainers.unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, why);
        Loadgen.binary();
        Path set = Files.createDirectories(tmp.resolve("set"));
        Path single = tmp.resolve("single.scap");
        long events;
        List<String> boxes;
        try (FakeContainers fakes = new FakeContainers()) {
            Container cpu = fakes.create(Shape.DOCKER_CGROUPFS), io = fakes.create(Shape.PODMAN);
            boxes = List.of(cpu.id(), io.id());
            int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
            // files of 1 MB: processes, connections and files live across several of them
            events = capture(List.of(new RecordSpec(set.toString(), 1_000_000, 0, 0, 0, false), RecordSpec.file(single)),
                    FILTER, 4, () -> List.of(
                            Loadgen.start("spin", cpu.cgroup(), "spin", 3, 3),
                            // enough calls that files, sockets and syscalls span several files
                            Loadgen.start("fileio", io.cgroup(), "fileio", tmp.resolve("fileio.bin"), 20_000, 4096),
                            Loadgen.start("tcp", io.cgroup(), "tcp", port, 50_000_000, 20_000_000)));
        }
        List<Path> parts = files(set, "*.scap");
        assertTrue(parts.size() >= 3, "the run spans at least three files: " + parts);
        assertTrue(events > 0);

        // each file stands alone: read on its own, it names every fd as the whole recording does
        // (but a write in flight at the rotation, whose enter is in the file before)
        // (the filter keeps the enters: a write's exit names its fd through its enter)
        String writes = "evt.is_io_write=true and proc.name=loadgen and fd.type in (file, ipv4, ipv6)";
        String fields = "%evt.dir %evt.rawtime %thread.tid %fd.name";
        Map<String, String> whole = new java.util.HashMap<>();
        for (String line : EventsCommandTest.events("-r", single.toString(), "-p", fields, writes).out().lines().toList()) {
            String[] f = line.strip().split(" ", 4);
            if (f[0].equals("<")) whole.put(f[1] + " " + f[2], f.length == 4 ? f[3] : "");
        }
        long laterNamed = 0;
        for (Path p : parts) {
            CliTest.Result r = EventsCommandTest.events("-r", p.toString(), "-p", fields, writes);
            assertEquals(0, r.code(), p + ": " + r.err());
            java.util.Set<String> seenTids = new java.util.HashSet<>();
            for (String line : r.out().lines().toList()) {
                String[] f = line.strip().split(" ", 4);
                boolean first = seenTids.add(f[2]);
                if (!f[0].equals("<")) continue;
                String name = f.length == 4 ? f[3] : "";
                String expected = whole.get(f[1] + " " + f[2]);
                assertNotNull(expected, p + ": a write the whole recording does not have: " + line);
                assertTrue(name.equals(expected) || (first && name.isEmpty()), p + ": " + line + " names '"
                        + name + "', the whole recording '" + expected + "'");
                if (!name.isEmpty() && !p.equals(parts.get(0))) laterNamed++;
            }
        }
        assertTrue(laterNamed > 0, "files after the first hold writes to fds opened before them");
        // events of the set = the events of its files, in order
        long setLines = EventsCommandTest.events("-r", set.toString(), "-p", "%evt.rawtime").out().lines().count();
        long sum = 0;
        long last = 0;
        for (Path p : parts) {
            sum += EventsCommandTest.events("-r", p.toString(), "-p", "%evt.rawtime").out().lines().count();
            List<String> ts = EventsCommandTest.events("-r", p.toString(), "-p", "%evt.rawtime").out().lines().toList();
            // events reach libscap nearly in time order across CPUs: a file may start a little
            // before the last event of the one before it
            assertTrue(Long.parseLong(ts.get(0).strip()) >= last - 1_000_000_000L, p + " starts long before the file before it ends");
            last = Long.parseLong(ts.get(ts.size() - 1).strip());
        }
        assertEquals(sum, setLines);
        long singleLines = EventsCommandTest.events("-r", single.toString(), "-p", "%evt.rawtime").out().lines().count();
        assertEquals(singleLines, setLines, "the set holds the single file's events");

        Map<String, List<String>> one = replay(List.of(single.toString()), tmp.resolve("one.db"));
        Map<String, List<String>> rotated = replay(List.of("-r", set.toString()), tmp.resolve("set.db"));
        assertEquals(one.keySet(), rotated.keySet());
        // Held to identity: the workloads' containers, whose every event is recorded, and the CPUs.
        // Not the host's other processes: the filter leaves their events out of the recording, so
        // what live libsinsp learned of them (memory from their syscalls, fds from /proc) reaches
        // the set only through each file's tables, and a replay of the single file never learns it.
        // Nor the agent's own rows (events read per second).
        for (Map<String, List<String>> m : List.of(one, rotated)) {
            m.keySet().removeIf(k -> !k.startsWith("cpus@") && boxes.stream().noneMatch(k::startsWith));
        }
        // Nor, for a process that a rotation finds just forked, its memory gauges and start: libsinsp
        // of a live capture may have read them from /proc before its parent's clone returned, and
        // the next file's tables hold those; a replay of one file copies them from the parent.
        for (Map<String, List<String>> m : List.of(one, rotated)) {
            m.replaceAll((k, rows) -> rows.stream().map(r -> GAUGES.matcher(r).replaceAll("")).sorted().toList());
        }
        assertTrue(StoreDump.rows(one) > 100, "rows: " + StoreDump.rows(one));
        assertTrue(one.keySet().stream().anyMatch(k -> k.startsWith(boxes.get(1) + " connections")), one.keySet().toString());
        StringBuilder diff = new StringBuilder();
        for (String k : one.keySet()) {
            List<String> a = new ArrayList<>(one.get(k)), b = new ArrayList<>(rotated.get(k));
            List<String> onlyA = new ArrayList<>(a), onlyB = new ArrayList<>(b);
            onlyA.removeAll(b);
            onlyB.removeAll(a);
            if (onlyA.isEmpty() && onlyB.isEmpty()) continue;
            diff.append(k).append(": ").append(onlyA.size()).append(" rows only unrotated, ").append(onlyB.size())
                    .append(" only in the set\n  - ").append(String.join("\n  - ", onlyA.subList(0, Math.min(3, onlyA.size()))))
                    .append("\n  + ").append(String.join("\n  + ", onlyB.subList(0, Math.min(3, onlyB.size())))).append('\n');
        }
        if (diff.length() > 0 && System.getenv("KEEPDBG") != null) {
            new ProcessBuilder("cp", "-r", tmp.toString(), System.getenv("KEEPDBG")).start().waitFor();
        }
        assertEquals("", diff.toString(), "rows of the set differ from the unrotated file's");
    }

    @Test
    void sizeAndCountLimitsKeepTheNewestFilesGzipped() throws Exception {
        LiveProbe.requireModernBpf();
        Path base = tmp.resolve("t.scap");
        // a million syscalls a round: enough events for more gzipped megabytes than -W keeps
        Process w = workload(tmp, 8, "dd if=/dev/zero of=/dev/null bs=1 count=100000 status=none; ");
        CliTest.Result r = CliTest.run("record", "-w", base.toString(), "-C", "1", "-W", "3", "-z", "--duration", "6");
        w.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        List<Path> kept = new ArrayList<>(files(tmp, "t*.scap.gz"));
        kept.sort(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))));
        assertEquals(3, kept.size(), "-W 3 keeps three files: " + kept + "\n" + r.out());
        assertEquals(List.of(), files(tmp, "t*.scap"), "every file compressed by the end, the plain ones gone");
        assertEquals(List.of(), files(tmp, "*.part"), "no half-compressed file left");
        // numbered as sysdig's -C, the oldest deleted
        List<Integer> numbers = kept.stream().map(p -> Integer.parseInt(p.getFileName().toString()
                .replaceAll("^t(\\d+)\\.scap\\.gz$", "$1"))).sorted().toList();
        assertTrue(numbers.get(0) > 0, "the first files are gone: " + numbers);
        assertEquals(List.of(numbers.get(0), numbers.get(0) + 1, numbers.get(0) + 2), numbers);
        for (Path p : kept) {
            try (InputStream in = Files.newInputStream(p)) {
                byte[] magic = in.readNBytes(2);
                assertEquals(0x1f, magic[0] & 0xff, p + " is gzip");
                assertEquals(0x8b, magic[1] & 0xff, p + " is gzip");
            }
            long raw;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                raw = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            // -C counts the events' bytes as the capture writes them, plain (a set is compressed once
            // each file closes, off the capture thread); a file ends at most a few events past the limit
            if (!p.equals(kept.get(kept.size() - 1))) assertTrue(raw >= 1_000_000, p + ": " + raw);
            assertTrue(Files.size(p) < raw, p + " is smaller compressed");
            assertTrue(raw > 0);
            CliTest.Result e = EventsCommandTest.events("-r", p.toString(), "-n", "5");
            assertEquals(0, e.code(), e.err());
            assertEquals(5, e.out().lines().count());
        }
    }

    @Test
    void secondsRotateOnBoundariesOfEventTime() throws Exception {
        LiveProbe.requireModernBpf();
        Path dir = tmp.resolve("fr");
        Process w = workload(tmp, 6);
        CliTest.Result r = CliTest.run("record", "-w", dir + "/", "-G", "2", "--duration", "5");
        w.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.err());
        List<Path> parts = files(dir, "scapstream-*.scap");
        assertTrue(parts.size() >= 2, parts.toString());
        for (Path p : parts) {
            List<String> ts = EventsCommandTest.events("-r", p.toString(), "-p", "%evt.rawtime").out().lines().toList();
            long first = Long.parseLong(ts.get(0).strip()), last = Long.parseLong(ts.get(ts.size() - 1).strip());
            long window = first / 2_000_000_000L;
            // the name is the first event's second, in UTC
            String name = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(first / 1_000_000L));
            assertEquals("scapstream-" + name + ".scap", p.getFileName().toString());
            // every event of a file is in one 2 s window of event time (a few out-of-order events may lag)
            assertTrue(last / 2_000_000_000L <= window + 1 && ts.stream().filter(t ->
                    Long.parseLong(t.strip()) / 2_000_000_000L != window).count() < 50, p.toString());
        }
    }

    @Test
    void aRecordingKilledMidFileLeavesEveryFileReadable() throws Exception {
        LiveProbe.requireModernBpf();
        Path dir = Files.createDirectories(tmp.resolve("cut"));
        Process w = workload(tmp, 20);
        // a JVM of its own (this one's classes), to be killed
        Process rec = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "record", "-w", dir + "/", "-C", "1")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("rec.log").toFile()).start();
        // kill -9 once two files are whole and a third is being written
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (files(dir, "*.scap").size() < 3 && System.nanoTime() < deadline) Thread.sleep(100);
        Thread.sleep(300);
        rec.destroyForcibly();
        rec.waitFor(10, TimeUnit.SECONDS);
        w.destroy();
        List<Path> parts = files(dir, "*.scap");
        assertTrue(parts.size() >= 3, parts + ": " + Files.readString(tmp.resolve("rec.log")));
        for (int i = 0; i < parts.size() - 1; i++) {
            CliTest.Result r = EventsCommandTest.events("-r", parts.get(i).toString(), "-p", "%evt.num");
            assertEquals(0, r.code(), parts.get(i) + " was closed by rotation and reads whole: " + r.err());
            // -C 1: a megabyte of events after the file's opening tables
            assertTrue(r.out().lines().count() > 100, parts.get(i) + " holds events");
        }
        // the cut file: its whole events read, then one line naming the cut, and a replay keeps them
        Path cut = parts.get(parts.size() - 1);
        CliTest.Result r = EventsCommandTest.events("-r", cut.toString(), "-p", "%evt.num");
        assertTrue(r.out().lines().count() > 0 || Files.size(cut) < 100_000, "events before the cut: " + r.err());
        if (r.code() != 0) {
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(cut.toString()) && r.err().contains("truncated"), r.err());
        }
        CliTest.Result all = CliTest.run("replay", "-r", dir.toString(), "--db", tmp.resolve("cut.db").toString(), "--host", "h");
        try (SqliteStore s = SqliteStore.open(tmp.resolve("cut.db"))) {
            assertFalse(s.agent("h", 0, Long.MAX_VALUE, 1).isEmpty(), "the set's seconds are stored: " + all.err());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.count() >= 3);
        }
    }
}
