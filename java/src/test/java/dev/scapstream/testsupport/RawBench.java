package dev.scapstream.testsupport;

import dev.scapstream.capture.CaptureSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The native benchmark binary the build puts beside the shim, and its "name value" output. */
public final class RawBench {
    private RawBench() {}

    public static Path path() {
        Path p = TestData.repo().resolve("target/native/scapstream-rawbench");
        assertTrue(Files.isExecutable(p), p + " (built by the native build)");
        return p;
    }

    /** libscap's counters as the binary prints them; fails unless events and drops are among them. */
    public static Map<String, Long> counters(String output) {
        Map<String, Long> m = CaptureSource.parseCounters(output);
        assertTrue(m.containsKey("n_evts") && m.containsKey("n_drops"), "libscap counters in: " + output);
        return m;
    }
}
