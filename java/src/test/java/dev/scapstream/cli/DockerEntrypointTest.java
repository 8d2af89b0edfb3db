package dev.scapstream.cli;

import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The image's entrypoint (no Docker engine runs here, so it is run directly): the environment and
 * the flags after the image name become one `live` command line that the CLI accepts.
 */
class DockerEntrypointTest {
    @TempDir
    Path tmp;

    /** Runs docker/entrypoint.sh with a stand-in `java` on PATH that prints its arguments. */
    private List<String> entrypointArgs(Map<String, String> env, String... flags) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of("sh", TestData.repo().resolve("docker/entrypoint.sh").toString()));
        cmd.addAll(Arrays.asList(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SCAPSTREAM_"));
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("HOST_ROOT", tmp.resolve("no-host").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> args = new ArrayList<>(out.lines().toList());
        int jar = args.indexOf("-jar");
        assertTrue(jar >= 0, "java -jar ...: " + args);
        assertEquals("/opt/scapstream/scapstream.jar", args.get(jar + 1));
        return args.subList(jar + 2, args.size());
    }

    /** The command line must parse: the same arguments with --help exit 0 (an unknown flag exits 2). */
    private static void assertCliAccepts(List<String> args) {
        List<String> withHelp = new ArrayList<>(args);
        withHelp.add("--help");
        StringWriter err = new StringWriter();
        int code = Main.run(withHelp.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, args + ": " + err);
    }

    @Test
    void defaultsStoreInSqliteUnderDataAndServeTheUiOnAllInterfacesOfTheContainer() throws Exception {
        List<String> args = entrypointArgs(Map.of());
        assertEquals(List.of("live", "--ui", "--listen", "0.0.0.0:5000", "--db", "/data/scapstream.db"), args);
        assertCliAccepts(args);
    }

    @Test
    void environmentSelectsCassandraAndFlagsAfterTheImageNameComeLast() throws Exception {
        List<String> args = entrypointArgs(Map.of("SCAPSTREAM_CASSANDRA", "10.0.0.5:9042,10.0.0.6:9042",
                "SCAPSTREAM_KEYSPACE", "prod", "SCAPSTREAM_HOST", "node-7"), "--duration", "5");
        assertEquals(List.of("live", "--ui", "--listen", "0.0.0.0:5000", "--cassandra", "10.0.0.5:9042,10.0.0.6:9042",
                "--keyspace", "prod", "--spool", "/data/spool", "--host", "node-7", "--duration", "5"), args);
        assertCliAccepts(args);
    }
}
