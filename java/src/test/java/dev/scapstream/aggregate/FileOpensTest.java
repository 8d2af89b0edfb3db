package dev.scapstream.aggregate;

import dev.scapstream.store.MetricsBatch;
import dev.scapstream.store.RowKind;
import dev.scapstream.store.Rows;
import dev.scapstream.testsupport.Aggregation;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File opens and failed opens per file equal what other readers count on the same capture: the
 * libs' own formatter loop (scapstream-format, no scapstream code between libsinsp and the text),
 * on the fixtures and every shared trace, and Debian's sysdig 0.29.3 on the upstream captures.
 */
class FileOpensTest {
    private static final Set<String> OPEN_CALLS = Set.of("open", "openat", "openat2", "creat", "open_by_handle_at");
    // No filter: with one, libsinsp keeps less thread state (a cwd), and names some files otherwise.
    // The formatter prints no line for an event with a field it cannot extract: a failed open has
    // no fd.type, so successful and failed opens are read in two passes.
    private static final String OPENED = "%evt.dir|%evt.type|%evt.rawres|%fd.type|%fd.name";
    private static final String TRIED = "%evt.dir|%evt.type|%evt.rawres|%fd.name";

    /** name -> {opens, failed opens} from the aggregator's 1 s file rows. */
    private static Map<String, List<Long>> aggregated(Path trace) {
        Map<String, long[]> m = new TreeMap<>();
        for (MetricsBatch b : Aggregation.of(trace).batches) {
            for (Rows.FileRow f : b.rows(RowKind.FILE)) {
                if (f.res() != 1 || f.opens() + f.openErrors() == 0) continue;
                long[] v = m.computeIfAbsent(f.file(), k -> new long[2]);
                v[0] += f.opens();
                v[1] += f.openErrors();
            }
        }
        return asLists(m);
    }

    /** The same from formatted lines: successful opens of files, and failed opens, by name. */
    private static Map<String, List<Long>> counted(String opened, String tried) {
        Map<String, long[]> m = new TreeMap<>();
        for (String line : opened.split("\n")) {
            String[] p = line.split("\\|", 5);
            if (p.length == 5 && p[0].equals("<") && OPEN_CALLS.contains(p[1]) && !p[2].startsWith("-")
                    && p[3].equals("file") && !p[4].isEmpty() && !p[4].equals("<NA>")) {
                m.computeIfAbsent(p[4], k -> new long[2])[0]++;
            }
        }
        for (String line : tried.split("\n")) {
            String[] p = line.split("\\|", 4);
            if (p.length == 4 && p[0].equals("<") && OPEN_CALLS.contains(p[1]) && p[2].startsWith("-")
                    && !p[3].isEmpty() && !p[3].equals("<NA>")) {
                m.computeIfAbsent(p[3], k -> new long[2])[1]++;
            }
        }
        return asLists(m);
    }

    private static Map<String, List<Long>> asLists(Map<String, long[]> m) {
        Map<String, List<Long>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, List.of(v[0], v[1])));
        return out;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("scapstream-opens", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ended: " + cmd);
            assertEquals(0, p.exitValue(), String.valueOf(cmd));
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @TestFactory
    Stream<DynamicTest> opensPerFileEqualTheLibsFormatterLoop() throws IOException {
        Path tool = TestData.repo().resolve("target/native/scapstream-format");
        assertTrue(Files.isExecutable(tool), tool + " (built by the native build)");
        List<Path> traces = new ArrayList<>(TestData.tracesWithTruth(TestData.fixtures()));
        Path shared = TestData.sharedTraces();
        if (Files.isDirectory(shared)) {
            traces.addAll(TestData.tracesWithTruth(shared));
        } else {
            System.out.println("SKIP shared traces: " + shared + " is absent; the fixtures only");
        }
        return traces.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> {
            Map<String, List<Long>> expected = counted(run(List.of(tool.toString(), "-p", OPENED, t.toString())),
                    run(List.of(tool.toString(), "-p", TRIED, t.toString())));
            assertTrue(expected.values().stream().mapToLong(v -> v.get(0)).sum() > 0, "the trace opens files");
            assertEquals(expected, aggregated(t), "{opens, failed opens} per file");
        }));
    }

    @TestFactory
    Stream<DynamicTest> opensPerFileEqualSysdigs() throws IOException {
        Path sysdig = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "sysdig"))) sysdig = Path.of(dir, "sysdig");
        }
        Assumptions.assumeTrue(sysdig != null, "sysdig is not installed (apt-get install sysdig): the comparison is skipped");
        Path dir = TestData.requireSharedTraces().resolve("upstream");
        Assumptions.assumeTrue(Files.isDirectory(dir), dir + " is absent: the comparison is skipped");
        List<Path> captures;
        try (Stream<Path> s = Files.list(dir)) {
            // sysdig 0.29.3 cannot read curl_google_comments' section header options; curl_google has its events
            captures = s.filter(p -> p.toString().endsWith(".scap") && !p.toString().contains("comments")).sorted().toList();
        }
        Path bin = sysdig;
        long[] opens = {0};
        Stream<DynamicTest> each = captures.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
            Map<String, List<Long>> expected = counted(run(List.of(bin.toString(), "-r", c.toString(), "-p", OPENED)),
                    run(List.of(bin.toString(), "-r", c.toString(), "-p", TRIED)));
            assertEquals(expected, aggregated(c), "{opens, failed opens} per file, as sysdig counts them");
            opens[0] += expected.values().stream().mapToLong(v -> v.get(0) + v.get(1)).sum();
        }));
        return Stream.concat(each, Stream.of(DynamicTest.dynamicTest("the captures open files",
                () -> assertTrue(opens[0] > 0, "sysdig counted no open in " + captures))));
    }
}
