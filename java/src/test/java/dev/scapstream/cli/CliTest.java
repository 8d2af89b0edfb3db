package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The CLI's contract: output on stdout, one-line errors on stderr, exit 0 / 1 (failure) / 2 (usage). */
class CliTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static Path fixture() {
        List<Path> own = TestData.tracesWithTruth(TestData.fixtures());
        assertFalse(own.isEmpty());
        return own.get(0);
    }

    private static void assertOneLineError(Result r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("scapstream: "), r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    @Test
    void inspectJsonMatchesTheFixtureSidecar() throws Exception {
        Path trace = fixture();
        Result r = run("inspect", "--json", trace.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode s = new ObjectMapper().readTree(r.out());
        JsonNode truth = TestData.readTruth(trace);
        assertTrue(s.path("events").asLong() > 0);
        for (JsonNode c : truth.path("containers")) {
            boolean found = false;
            for (JsonNode got : s.path("containers")) {
                if (got.path("id").asText().equals(c.path("id").asText())) {
                    found = true;
                    assertEquals(c.path("name").asText(), got.path("name").asText());
                }
            }
            assertTrue(found, "container " + c.path("id").asText());
        }
        long workloadsFound = 0;
        for (JsonNode w : truth.path("workloads")) {
            for (JsonNode p : s.path("processes")) {
                if (p.path("pid").asLong() == w.path("pid").asLong()) workloadsFound++;
            }
        }
        assertEquals(truth.path("workloads").size(), workloadsFound);
    }

    @Test
    void inspectTextListsContainersAndProcesses() {
        Result r = run("inspect", fixture().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("CONTAINER"));
        assertTrue(r.out().contains("drops     0"));
        JsonNode truth = TestData.readTruth(fixture());
        for (JsonNode c : truth.path("containers")) assertTrue(r.out().contains(c.path("id").asText()));
    }

    @Test
    void errorsAreOneLineWithExitCodes() throws Exception {
        assertOneLineError(run("inspect", tmp.resolve("missing.scap").toString()), 1, "no such file");
        Path text = Files.writeString(tmp.resolve("x.scap"), "not a capture at all, just some text\n".repeat(20));
        assertOneLineError(run("inspect", text.toString()), 1, "not a .scap capture");
        assertOneLineError(run("inspect", fixture().toString(), "proc.name", "==="), 1, "bad filter");
        assertOneLineError(run("inspect", "--no-such-flag", fixture().toString()), 2, "--no-such-flag");
        assertOneLineError(run("no-such-command"), 2, "no-such-command");
        assertOneLineError(run("record", "-w", tmp.resolve("o.scap").toString(), "--duration", "-3"), 1, "--duration");
        assertOneLineError(run("record", "-w", tmp.resolve("o.scap").toString(), "--engine", "ebpf9"), 1, "unknown engine");
        assertOneLineError(run("bench-read", tmp.resolve("none.scap").toString()), 1, "no such file");
    }

    @Test
    void truncatedCaptureReportsAndKeepsWhatWasRead() throws Exception {
        byte[] raw = TestData.rawCapture(fixture());
        Path cut = Files.write(tmp.resolve("cut.scap"), java.util.Arrays.copyOf(raw, raw.length * 2 / 3 + 13));
        Result r = run("inspect", "--json", cut.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("truncated") || r.err().contains("corrupt"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        JsonNode s = new ObjectMapper().readTree(r.out());
        assertTrue(s.path("events").asLong() > 0, "events before the cut are reported");
    }

    @Test
    void benchReadEndsWithRatio() {
        Result r = run("bench-read", "--rounds", "1", fixture().toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("ratio: \\d+\\.\\d\\d"), lines[lines.length - 1]);
    }
}
