package dev.scapstream.capture;

import dev.scapstream.testsupport.LiveProbe;
import dev.scapstream.testsupport.RawBench;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The image runs with only the capabilities the modern probe needs, not --privileged. Here a
 * non-root user (nobody) is given just CAP_BPF and CAP_PERFMON as ambient capabilities: the live
 * check must accept it and the probe must load and deliver events (patch 0008: libbpf would
 * otherwise need CAP_SYS_ADMIN to search the modules' BTF). Without them the check must refuse,
 * naming what is missing. Uses the native benchmark binary: the same shim, and nobody can read it.
 */
@Tag("live")
class LeastPrivilegeLiveTest {
    private static final String SETPRIV = "/usr/bin/setpriv";

    @Test
    void nobodyWithOnlyBpfAndPerfmonCapturesLiveAndWithoutThemIsToldWhatIsMissing() throws Exception {
        LiveProbe.requireModernBpf();
        if (!Files.isExecutable(Path.of(SETPRIV))) {
            System.out.println("SKIP least privilege: no " + SETPRIV + " (util-linux)");
            Assumptions.abort("no " + SETPRIV);
        }
        Path rawbench = RawBench.path();

        Result refused = asNobody(List.of(), rawbench.toString(), "--live-check");
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.out().contains("lacks CAP_BPF and CAP_PERFMON"), refused.out());

        List<String> caps = List.of("--inh-caps=+bpf,+perfmon", "--ambient-caps=+bpf,+perfmon");
        Result check = asNobody(caps, rawbench.toString(), "--live-check");
        assertEquals(0, check.code(), check.out());
        Result live = asNobody(caps, rawbench.toString(), "--live-raw", "2");
        assertEquals(0, live.code(), live.out());
        long events = RawBench.counters(live.out()).get("n_evts");
        assertTrue(events > 100, "events captured by nobody with CAP_BPF + CAP_PERFMON: " + live.out());
    }

    record Result(int code, String out) {}

    private static Result asNobody(List<String> caps, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of(SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups"));
        argv.addAll(caps);
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + argv);
        return new Result(p.exitValue(), out);
    }
}
