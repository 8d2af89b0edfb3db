package dev.scapstream.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where test inputs live: the project's own fixtures, and ../shared/traces beside the checkout. */
public final class TestData {
    private TestData() {}

    public static Path repo() {
        String p = System.getProperty("scapstream.repo");
        return p != null ? Path.of(p) : Path.of("").toAbsolutePath();
    }

    public static Path fixtures() {
        return repo().resolve("java/src/test/resources/fixtures");
    }

    public static Path sharedTraces() {
        return repo().toAbsolutePath().normalize().getParent().resolve("shared/traces");
    }

    /** Skips (with the reason printed) when ../shared/traces is absent, as in a user's clone. */
    public static Path requireSharedTraces() {
        Path p = sharedTraces();
        if (!Files.isDirectory(p)) {
            String why = "../shared/traces is absent (" + p + "): tests over the shared recordings are skipped";
            System.out.println("SKIP: " + why);
            Assumptions.abort(why);
        }
        return p;
    }

    /** The *.scap.gz files of a directory that have a *.truth.json sidecar. */
    public static List<Path> tracesWithTruth(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".scap.gz"))
                    .filter(p -> Files.exists(truthOf(p)))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw bytes of a capture, gunzipped when it is a .gz. */
    public static byte[] rawCapture(Path p) {
        try (java.io.InputStream in = p.toString().endsWith(".gz")
                ? new java.util.zip.GZIPInputStream(Files.newInputStream(p)) : Files.newInputStream(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gzip(byte[] raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Path truthOf(Path trace) {
        String n = trace.getFileName().toString().replaceAll("\\.scap(\\.gz)?$", "");
        return trace.resolveSibling(n + ".truth.json");
    }

    public static JsonNode readTruth(Path trace) {
        try {
            return new ObjectMapper().readTree(truthOf(trace).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
