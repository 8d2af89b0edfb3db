package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `events -r FILE` against libsinsp's own loop + formatter (the scapstream-format tool, a separate
 * process) on every trace there is: line for line in sysdig's default and -pc formats, equal JSON.
 */
class EventsCommandTest {
    @TempDir
    Path tmp;

    static CliTest.Result events(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        String[] argv = Stream.concat(Stream.of("events"), Stream.of(args)).toArray(String[]::new);
        int code = Main.run(argv, new PrintWriter(new StringWriter()), new PrintWriter(err), new picocli.CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == EventsCommand.class) return cls.cast(new EventsCommand(bytes));
                return picocli.CommandLine.defaultFactory().create(cls);
            }
        });
        return new CliTest.Result(code, bytes.toString(StandardCharsets.UTF_8), err.toString());
    }

    static Path tool() {
        Path p = TestData.repo().resolve("target/native/scapstream-format");
        assertTrue(Files.isExecutable(p), p + " (built by the native build)");
        return p;
    }

    static String reference(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tool().toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("scapstream-format", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "scapstream-format " + cmd);
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The bundled fixture, and the shared traces when ../shared is there (else only the fixture, said so). */
    static List<Path> traces() throws IOException {
        List<Path> all = new ArrayList<>(TestData.tracesWithTruth(TestData.fixtures()));
        Path shared = TestData.sharedTraces();
        if (Files.isDirectory(shared)) {
            try (Stream<Path> s = Files.list(shared)) {
                s.filter(p -> p.toString().endsWith(".scap.gz")).sorted().forEach(all::add);
            }
            try (Stream<Path> s = Files.list(shared.resolve("upstream"))) {
                s.filter(p -> p.toString().endsWith(".scap")).sorted().forEach(all::add);
            }
        } else {
            System.out.println("SKIP shared traces: " + shared + " is absent; the fixture only");
        }
        assertFalse(all.isEmpty());
        return all;
    }

    private static void assertSameLines(String expected, String got, String what) {
        List<String> e = expected.lines().toList();
        List<String> g = got.lines().toList();
        for (int i = 0; i < Math.min(e.size(), g.size()); i++) {
            if (!e.get(i).equals(g.get(i))) fail(what + ": line " + (i + 1) + " differs:\n  tool:   " + e.get(i) + "\n  events: " + g.get(i));
        }
        assertEquals(e.size(), g.size(), what + ": line count");
        assertEquals(expected, got, what);
    }

    @Test
    void defaultAndContainerFormatsEqualLibsinspsOwnLoopOnEveryTrace() throws Exception {
        for (Path trace : traces()) {
            String ref = reference(trace.toString());
            CliTest.Result r = events("-r", trace.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(ref.lines().count() > 10, trace + ": " + ref.lines().count() + " lines");
            assertSameLines(ref, r.out(), trace + " default");
            // sysdig's default line: number, time, cpu, process (tid), direction, type
            assertTrue(ref.lines().allMatch(l -> l.matches("\\d+ \\d\\d:\\d\\d:\\d\\d\\.\\d{9} \\d+ .* \\(\\S+\\) [<>] .*")),
                    trace + ": sysdig's default line");

            String refC = reference("-pc", trace.toString());
            CliTest.Result c = events("-pc", "-r", trace.toString());
            assertEquals(0, c.code(), c.err());
            assertSameLines(refC, c.out(), trace + " -pc");
            assertNotEquals(ref, refC, "the container format differs from the default");
        }
    }

    @Test
    void jsonLinesParseAndCarryTheToolsValues() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Path trace : traces().subList(0, Math.min(3, traces().size()))) {
            List<String> ref = reference("-j", trace.toString()).lines().toList();
            List<String> text = reference(trace.toString()).lines().toList();
            List<String> got = events("-j", "-r", trace.toString()).out().lines().toList();
            assertEquals(ref.size(), got.size(), trace.toString());
            assertEquals(text.size(), got.size(), trace + ": one JSON object per text line");
            for (int i = 0; i < got.size(); i++) {
                JsonNode g = json.readTree(got.get(i));
                assertEquals(json.readTree(ref.get(i)), g, trace + " line " + (i + 1));
                // the same event as the default line: its number, type and tid
                String[] w = text.get(i).split(" ");
                assertEquals(Long.parseLong(w[0]), g.path("evt.num").asLong(), text.get(i));
                assertTrue(text.get(i).contains(" " + g.path("evt.dir").asText() + " " + g.path("evt.type").asText() + " "), text.get(i));
                assertTrue(g.has("proc.name") && g.has("thread.tid") && g.has("evt.info"), got.get(i));
            }
        }
    }

    /** net.scap.gz: python writes its own pid into cgroup.procs files, so the payload is the line's tid. */
    @Test
    void asciiAndHexShowTheBytesWritten() throws Exception {
        Path net = TestData.requireSharedTraces().resolve("net.scap.gz");
        String filter = "evt.type=write and fd.name contains cgroup.procs";
        CliTest.Result a = events("-A", "-r", net.toString(), filter);
        assertEquals(0, a.code(), a.err());
        assertEquals(reference("-A", net.toString(), filter), a.out());
        Pattern tidAndData = Pattern.compile("\\((\\d+)\\) < write res=(\\d+) data=(.*)");
        int checked = 0;
        for (String line : a.out().lines().filter(l -> l.contains(" < write ")).toList()) {
            Matcher m = tidAndData.matcher(line);
            assertTrue(m.find(), line);
            assertEquals(m.group(1), m.group(3).strip(), "the pid written: " + line);
            assertEquals(Integer.parseInt(m.group(2)), m.group(3).length(), line);
            checked++;
        }
        assertTrue(checked >= 4, "writes to cgroup.procs: " + checked);

        CliTest.Result x = events("-X", "-r", net.toString(), filter);
        assertEquals(0, x.code(), x.err());
        assertEquals(reference("-X", net.toString(), filter), x.out());
        Matcher first = tidAndData.matcher(a.out());
        assertTrue(first.find());
        StringBuilder hex = new StringBuilder();
        for (byte b : first.group(1).getBytes(StandardCharsets.US_ASCII)) hex.append(String.format("%02x", b));
        // libsinsp's hex dump groups 2 bytes: "3231 3139 35" for "21195"
        String grouped = hex.toString().replaceAll("(.{4})(?=.)", "$1 ");
        assertTrue(x.out().contains("0x0000: " + grouped), "hex of " + first.group(1) + " (" + grouped + ") in:\n" + x.out());
    }

    @Test
    void controlCharactersAreEscapedAsTheRestOfTheCliDoes() throws Exception {
        Path f = traces().get(0);
        // literal text of a format goes through the same escaping as every field's value
        List<String> names = reference("-p", "%proc.name", f.toString()).lines().toList();
        CliTest.Result r = events("-p", "%proc.name\u001b[2J\t|\u0007", "-r", f.toString());
        assertEquals(0, r.code(), r.err());
        List<String> got = r.out().lines().toList();
        assertEquals(names.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(Text.printable(names.get(i) + "\u001b[2J\t|\u0007"), got.get(i));
        }
        assertTrue(got.get(0).endsWith("\\x1b[2J\\x09|\\x07"), got.get(0));

        // -A keeps the line breaks of a payload (curl's HTTP request), and nothing else raw
        Path curl = TestData.requireSharedTraces().resolve("upstream/curl_google.scap");
        CliTest.Result a = events("-A", "-r", curl.toString(), "evt.type=sendto and evt.dir=<");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("GET / HTTP/1.1\nHost: www.google.com\n"), a.out());
        assertFalse(a.out().chars().anyMatch(ch -> (ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f));
    }

    @Test
    void countStopsAfterNEvents() throws Exception {
        Path f = traces().get(0);
        List<String> ref = reference(f.toString()).lines().toList();
        CliTest.Result r = events("-n", "7", "-r", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(ref.subList(0, 7), r.out().lines().toList());
        // over two files, the count spans both
        CliTest.Result two = events("-n", "3", "-r", f.toString(), "-r", f.toString());
        assertEquals(ref.subList(0, 3), two.out().lines().toList());
    }

    @Test
    void fromAndToSelectByEventTime() throws Exception {
        Path f = traces().get(0);
        List<String> all = reference("-p", "%evt.rawtime %evt.num", f.toString()).lines().toList();
        long t1 = Long.parseLong(all.get(all.size() / 3).split(" ")[0]);
        long t2 = Long.parseLong(all.get(2 * all.size() / 3).split(" ")[0]);
        List<String> want = all.stream().filter(l -> {
            long t = Long.parseLong(l.split(" ")[0]);
            return t >= t1 && t <= t2;
        }).toList();
        String secs1 = t1 / 1_000_000_000L + "." + String.format("%09d", t1 % 1_000_000_000L);
        String secs2 = t2 / 1_000_000_000L + "." + String.format("%09d", t2 % 1_000_000_000L);
        CliTest.Result r = events("-p", "%evt.rawtime %evt.num", "--from", secs1, "--to", secs2, "-r", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(want, r.out().lines().toList());
        assertTrue(want.size() > 10 && want.size() < all.size());
    }

    private static void assertOneLineError(CliTest.Result r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("scapstream: ") && r.err().contains(contains), r.err());
    }

    @Test
    void badInputIsOneLineAndKeepsWhatWasPrinted() throws Exception {
        Path f = traces().get(0);
        assertOneLineError(events("-p", "%evt.num %proc.nosuchfield", "-r", f.toString()), 2, "proc.nosuchfield");
        assertOneLineError(events("-r", tmp.resolve("missing.scap").toString()), 1, "missing.scap");
        Path foreign = tmp.resolve("foreign.scap");
        Files.writeString(foreign, "not a capture at all\n".repeat(100));
        assertOneLineError(events("-r", foreign.toString()), 1, "foreign.scap");
        assertOneLineError(events("-r", f.toString(), "proc.name=="), 1, "filter");
        assertOneLineError(events("-n", "0", "-r", f.toString()), 2, "-n");
        assertOneLineError(events("-A", "-X", "-r", f.toString()), 2, "-A");
        assertOneLineError(events("-s", "100", "-r", f.toString()), 2, "-s");
        assertOneLineError(events("--from", "yesterday", "-r", f.toString()), 1, "--from");

        // a truncated file: the events before the cut are printed, then one line naming the file
        byte[] raw = TestData.rawCapture(f);
        Path cut = tmp.resolve("cut.scap");
        Files.write(cut, java.util.Arrays.copyOf(raw, raw.length / 2));
        CliTest.Result t = events("-r", cut.toString());
        assertOneLineError(t, 1, "cut.scap");
        List<String> ref = reference(f.toString()).lines().toList();
        List<String> got = t.out().lines().toList();
        assertTrue(got.size() > 100 && got.size() < ref.size(), got.size() + " of " + ref.size());
        assertEquals(ref.subList(0, got.size()), got);

        // several files are one set: one that is not a capture is named before anything is read;
        // one cut short is read up to the cut, after the files before it
        CliTest.Result second = events("-r", f.toString(), "-r", foreign.toString());
        assertOneLineError(second, 1, "foreign.scap");
        assertEquals(List.of(), second.out().lines().toList());
    }

    /** `events | head -1`: the reader goes away; the process ends quietly, status 0. */
    @Test
    void aClosedPipeEndsQuietly() throws Exception {
        Path big = traces().get(traces().size() > 1 ? 1 : 0);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "events", "-r", big.toString()).start();
        byte[] first = new byte[64];
        assertTrue(p.getInputStream().readNBytes(first, 0, first.length) == first.length);
        p.getInputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertEquals("", err);
    }
}
