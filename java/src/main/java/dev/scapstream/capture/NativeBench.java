package dev.scapstream.capture;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The native baseline of bench-read: libsinsp's own loop, run by scapstream-rawbench (the
 * benchmarks' code is kept out of the shim library), timed inside that process after its open.
 */
public final class NativeBench {
    private NativeBench() {}

    /** Returns {events, elapsed ns} of a plain sinsp::next() loop over the file. */
    public static long[] rawLoop(Path file) {
        Path tool = tool();
        String out;
        int rc;
        try {
            Process p = new ProcessBuilder(tool.toString(), file.toString()).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new CaptureException(tool + ": no answer in 30 min");
            }
            rc = p.exitValue();
        } catch (IOException e) {
            throw new CaptureException(tool + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException(tool + ": interrupted");
        }
        if (rc != 0) throw new CaptureException(file + ": " + out.replaceFirst("^scapstream-rawbench: ", "").lines().findFirst().orElse(""));
        // "events N seconds S rate R ns T"
        String[] w = out.lines().reduce((a, b) -> b).orElse("").split(" ");
        if (w.length < 8 || !w[0].equals("events") || !w[6].equals("ns")) throw new CaptureException(tool + ": unexpected output: " + out);
        return new long[] {Long.parseLong(w[1]), Math.max(1, Long.parseLong(w[7]))};
    }

    /** target/native/scapstream-rawbench beside the jar or the classes ($SCAPSTREAM_NATIVE_DIR first). */
    static Path tool() {
        String dir = System.getenv("SCAPSTREAM_NATIVE_DIR");
        Path base;
        if (dir != null && !dir.isEmpty()) {
            base = Path.of(dir);
        } else {
            try {
                base = Path.of(NativeBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent()
                        .resolve("native");
            } catch (URISyntaxException | RuntimeException e) {
                throw new CaptureException("cannot find scapstream-rawbench: " + e.getMessage());
            }
        }
        Path tool = base.resolve("scapstream-rawbench");
        if (!Files.isExecutable(tool)) throw new CaptureException(tool + " is missing: it is built with the native build");
        return tool;
    }
}
