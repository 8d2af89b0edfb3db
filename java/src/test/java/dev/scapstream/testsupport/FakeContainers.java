package dev.scapstream.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Fake containers for live tests: v1 cgroups (cpu, cpuacct, pids) whose paths look like a
 * runtime's, as the shared traces' are; libsinsp takes the container id from such a path. Only the
 * directories made here are removed again.
 */
public final class FakeContainers implements AutoCloseable {
    public static final List<String> HIERARCHIES = List.of("cpu", "cpuacct", "pids");

    /** The path shapes of the runtimes libsinsp recognises by cgroup. */
    public enum Shape {
        DOCKER_CGROUPFS("docker", "/docker/%s"),
        DOCKER_SYSTEMD("docker", "/system.slice/docker-%s.scope"),
        PODMAN("podman", "/machine.slice/libpod-%s.scope"),
        CRIO("cri-o", "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f1e2d3c.slice/crio-%s.scope");

        public final String runtime;
        final String pattern;

        Shape(String runtime, String pattern) {
            this.runtime = runtime;
            this.pattern = pattern;
        }
    }

    /** One fake container: its cgroup path (under each hierarchy) and its 12-hex id. */
    public record Container(Shape shape, String fullId, String cgroup) {
        public String id() {
            return fullId.substring(0, 12);
        }

        /** CPU ns of everything that ran in it (cpuacct.usage). */
        public long cpuacctUsageNs() throws IOException {
            return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup/cpuacct" + cgroup, "cpuacct.usage")).trim());
        }
    }

    private final List<Path> made = new ArrayList<>();

    /** Null when fake containers can be made here, else why not. */
    public static String unavailableReason() {
        for (String h : HIERARCHIES) {
            if (!Files.isDirectory(Path.of("/sys/fs/cgroup", h))) return "no cgroup v1 " + h + " hierarchy at /sys/fs/cgroup/" + h;
        }
        return null;
    }

    public Container create(Shape shape) throws IOException {
        byte[] rnd = new byte[32];
        new SecureRandom().nextBytes(rnd);
        String fullId = HexFormat.of().formatHex(rnd);
        String cgroup = String.format(shape.pattern, fullId);
        for (String h : HIERARCHIES) {
            Path dir = Path.of("/sys/fs/cgroup/" + h + cgroup);
            // note each directory made, parents first, to remove them deepest first
            List<Path> missing = new ArrayList<>();
            for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) missing.add(0, p);
            Files.createDirectories(dir);
            made.addAll(missing);
        }
        return new Container(shape, fullId, cgroup);
    }

    @Override
    public void close() {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(made.get(i));
            } catch (IOException ignored) {
                // a group still holding a process cannot be removed; nothing else to do
            }
        }
    }
}
