package dev.scapstream.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scapstream.capture.NativeBench;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** `inspect` over the real recordings in ../shared/traces, checked against their truth sidecars. */
class SharedTracesInspectTest {

    @TestFactory
    List<DynamicTest> inspectMatchesSidecars() {
        Path dir = TestData.requireSharedTraces();
        List<Path> traces = TestData.tracesWithTruth(dir);
        assertFalse(traces.isEmpty(), "no traces with sidecars in " + dir);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path trace : traces) {
            tests.add(DynamicTest.dynamicTest(trace.getFileName().toString(), () -> check(trace)));
        }
        return tests;
    }

    /** The libs' own test captures; one of them carries a section-header comment (patch 0005). */
    @org.junit.jupiter.api.Test
    void upstreamCapturesReadAndTheCommentedCopyEqualsThePlainOne() {
        Path up = TestData.requireSharedTraces().resolve("upstream");
        for (String name : List.of("curl_google.scap", "single_ipv6_conn.scap", "test_ipv6_client.scap",
                "curl_google_comments.scap")) {
            CaptureSummary s = Inspector.inspectFile(up.resolve(name), "");
            assertNull(s.error(), name);
            assertEquals(NativeBench.rawLoop(up.resolve(name))[0], s.events(), name);
            assertTrue(s.events() > 0, name);
        }
        CaptureSummary plain = Inspector.inspectFile(up.resolve("curl_google.scap"), "");
        CaptureSummary commented = Inspector.inspectFile(up.resolve("curl_google_comments.scap"), "");
        assertEquals(plain.events(), commented.events());
        assertEquals(plain.eventTypes(), commented.eventTypes());
        assertEquals(plain.processes(), commented.processes());
    }

    static String runtimeOf(String style) {
        if (style.startsWith("docker")) return "docker";
        if (style.startsWith("podman")) return "podman";
        if (style.startsWith("crio") || style.startsWith("cri-o")) return "cri-o";
        if (style.startsWith("containerd")) return "containerd";
        return style;
    }

    /** Checks a summary against a sidecar of the shape the shared traces and our fixtures use. */
    static void check(Path trace) {
        JsonNode truth = TestData.readTruth(trace);
        CaptureSummary s = Inspector.inspectFile(trace, "");
        assertNull(s.error(), "read error");
        // independent count: libsinsp's own loop over the same file
        assertEquals(NativeBench.rawLoop(trace)[0], s.events(), "events vs plain sinsp::next loop");
        assertEquals(0L, s.drops().getOrDefault("n_drops", 0L), "drops");
        long start = truth.path("recorder").path("start_ns").asLong();
        long stop = truth.path("recorder").path("stop_ns").asLong();
        assertTrue(s.firstTs() >= start - 1_000_000_000L && s.lastTs() <= stop + 1_000_000_000L,
                "time span within the recorder's start/stop");

        Map<String, CaptureSummary.Container> containers = s.containers().stream()
                .collect(Collectors.toMap(CaptureSummary.Container::id, Function.identity()));
        for (JsonNode c : truth.path("containers")) {
            String id = c.path("id").asText();
            CaptureSummary.Container got = containers.get(id);
            assertNotNull(got, "container " + id + " missing; have " + containers.keySet());
            String style = c.path("runtime_style").asText();
            assertEquals(runtimeOf(style), got.runtime(), "runtime of " + id);
            boolean hasApi = style.startsWith("docker") || style.startsWith("podman");
            if (hasApi && !c.path("name").isMissingNode()) {
                assertEquals(c.path("name").asText(), got.name(), "name of " + id);
                String image = c.path("image").asText();
                assertTrue(got.image().equals(image) || got.image().endsWith("/" + image),
                        "image of " + id + ": " + got.image() + " vs " + image);
            }
            if (hasApi) {
                assertEquals(c.path("full_id").asText(), got.fullId(), "full id of " + id);
            }
        }

        for (JsonNode w : truth.path("workloads")) {
            long pid = w.path("pid").asLong();
            String label = w.path("label").asText();
            List<CaptureSummary.Process> matches = s.processes().stream()
                    .filter(p -> p.pid() == pid && p.startTs() >= w.path("launch_ns").asLong() - 1_000_000_000L)
                    .collect(Collectors.toList());
            assertEquals(1, matches.size(), label + ": process " + pid + " found " + matches.size() + " times");
            CaptureSummary.Process p = matches.get(0);
            String cid = w.path("container_id").isNull() || w.path("container_id").asText().isEmpty()
                    ? "host" : w.path("container_id").asText();
            assertEquals(cid, p.container(), label + ": container");
            List<String> argv = new ArrayList<>();
            w.path("argv").forEach(a -> argv.add(a.asText()));
            assertEquals(argv.get(0), p.exe(), label + ": exe (argv[0])");
            assertEquals(String.join(" ", argv.subList(1, argv.size())), p.args(), label + ": args");
            long launch = w.path("launch_ns").asLong();
            long reaped = w.path("reaped_ns").asLong();
            assertTrue(p.startTs() >= launch && p.startTs() <= reaped, label + ": start within launch..reap");
            if (reaped > 0 && reaped < stop) {
                assertTrue(p.exitTs() >= p.startTs() && p.exitTs() <= reaped, label + ": exit seen before reap");
            }
        }
    }
}
