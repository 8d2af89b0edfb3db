package dev.scapstream.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The live truth tests' workload program (src/test/native/loadgen.c), compiled once per build
 * (static: no dynamic loader, whose own failed opens would blur the errno counts). Each run prints
 * one JSON line of what it did, measured by itself.
 */
public final class Loadgen {
    private static Path binary;

    private Loadgen() {}

    /** The compiled program (compiled now when missing or older than its source). */
    public static synchronized Path binary() {
        if (binary != null) return binary;
        Path src = TestData.repo().resolve("java/src/test/native/loadgen.c");
        Path out = TestData.repo().resolve("target/loadgen");
        try {
            if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) < 0) {
                Process cc = new ProcessBuilder("cc", "-O2", "-static", "-pthread", "-o", out.toString(), src.toString())
                        .redirectErrorStream(true).start();
                String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (cc.waitFor() != 0) throw new IllegalStateException("cc loadgen.c failed: " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        binary = out;
        return out;
    }

    /** A started run: its process, and its truth once it ended. */
    public static final class Run {
        public final String label;
        public final Process process;

        Run(String label, Process process) {
            this.label = label;
            this.process = process;
        }

        /** Waits for the end; the truth line, or an AssertionError with what went wrong. */
        public JsonNode truth() {
            try {
                byte[] out = process.getInputStream().readAllBytes();
                int code = process.waitFor();
                String text = new String(out, StandardCharsets.UTF_8).trim();
                if (code != 0) throw new AssertionError(label + ": loadgen exited " + code + ": " + text);
                return new ObjectMapper().readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Starts {@code loadgen [--cgroup CGROUP] ARGS...} (cgroup null: on the host). */
    public static Run start(String label, String cgroup, Object... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        if (cgroup != null) {
            cmd.add("--cgroup");
            cmd.add(cgroup);
        }
        for (Object a : args) cmd.add(String.valueOf(a));
        try {
            return new Run(label, new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
