package dev.scapstream.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fixtures' stand-in for a runtime's Docker Engine API (fake_runtime_api.py) on a unix socket,
 * naming fake containers. libsinsp's podman engine takes libpod cgroups for containers only when a
 * podman socket exists, as on a real podman host. A socket already there is left alone (and then
 * {@link #serving()} is false: its names are not ours).
 */
public final class FakeRuntimeApi implements AutoCloseable {
    private final Path socket;
    private final Process process;

    /** A container the API answers for. */
    public record Named(String fullId, String name, String image) {}

    private FakeRuntimeApi(Path socket, Process process) {
        this.socket = socket;
        this.process = process;
    }

    public static FakeRuntimeApi start(Path socket, Path workDir, List<Named> containers) throws Exception {
        if (Files.exists(socket)) return new FakeRuntimeApi(socket, null);
        List<Map<String, String>> spec = new ArrayList<>();
        for (Named c : containers) spec.add(Map.of("full_id", c.fullId(), "name", c.name(), "image", c.image()));
        Path specFile = Files.createTempFile(workDir, "runtime-api", ".json");
        new ObjectMapper().writeValue(specFile.toFile(), spec);
        Process p = new ProcessBuilder("python3", TestData.repo().resolve("java/src/test/fixtures/fake_runtime_api.py").toString(),
                socket.toString(), specFile.toString(), workDir.resolve("runtime-api.log").toString())
                .redirectErrorStream(true).redirectOutput(workDir.resolve("runtime-api.out").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(socket); i++) Thread.sleep(50);
        if (!Files.exists(socket)) {
            p.destroy();
            throw new IllegalStateException("the fake runtime API did not come up on " + socket + ": "
                    + Files.readString(workDir.resolve("runtime-api.out")));
        }
        return new FakeRuntimeApi(socket, p);
    }

    /** Whether the socket is this fake's (so the names it gives are the ones asked for). */
    public boolean serving() {
        return process != null;
    }

    @Override
    public void close() throws IOException {
        if (process == null) return;
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }
}
