package dev.scapstream.cli;

import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The progress line on a real terminal: `replay` and `events -r` in a tmux pane with stdout
 * redirected to a file. Everything the programs write to the pane is logged (pipe-pane), so every
 * frame is seen however fast the read is; the pane itself is read at the end.
 */
class ProgressTerminalTest {
    private static final String TMUX = "/usr/bin/tmux";
    /** The line as the pane shows it while the read runs (capture-pane). */
    private static final Pattern SHOWN = Pattern.compile("\\d+\\.\\d %  ETA (\\d+:\\d\\d|--:--)  [\\d,]+ events  [\\d,]+ events/s");
    private static final Pattern FRAME = Pattern.compile(
            "\r\\s*(\\d+\\.\\d) %  ETA (\\d+:\\d\\d|--:--)  ([\\d,]+) events  ([\\d,]+) events/s  ([\\d.]+) s\u001b\\[K");

    @TempDir
    Path tmp;
    private boolean started;

    @AfterEach
    void stopTmux() throws Exception {
        if (started) tmux("kill-server"); // our own server, on its own socket in the temp dir
    }

    /** The bundled demo trace: the longest read the checkout always has (about a second here). */
    private static Path trace() {
        return TestData.fixtures().resolve("demo.scap.gz");
    }

    @Test
    void replayShowsPercentAndEtaOnTheTerminalAndKeepsStdoutClean() throws Exception {
        Path out = tmp.resolve("replay.out");
        Run r = runInPane(List.of("replay", "--db", tmp.resolve("p.db").toString(), trace().toString()), out);
        String summary = Files.readString(out);
        assertTrue(summary.contains(" events over "), summary);
        long total = Long.parseLong(summary.substring(0, summary.indexOf(" events over ")).replace(",", ""));
        checkFrames(r, total);
        assertFalse(FRAME.matcher(summary).find() || summary.contains("\r"), "the progress line stays off stdout");
    }

    @Test
    void eventsToAFileShowsPercentAndEtaOnTheTerminal() throws Exception {
        Path out = tmp.resolve("events.out");
        Run r = runInPane(List.of("events", "-r", trace().toString()), out);
        long lines;
        try (var s = Files.lines(out, StandardCharsets.UTF_8)) {
            lines = s.count();
        }
        checkFrames(r, lines);
        assertFalse(FRAME.matcher(Files.readString(out)).find(), "the progress line stays off stdout");
    }

    /** Frames parse, only grow, never pass the end, and the line is gone from the screen at the end. */
    private static void checkFrames(Run r, long total) {
        assertEquals("0", r.rc.trim(), "exit status; pane: " + r.screen);
        Matcher m = FRAME.matcher(r.log);
        List<double[]> frames = new ArrayList<>();
        while (m.find()) {
            frames.add(new double[] {Double.parseDouble(m.group(1)), Long.parseLong(m.group(3).replace(",", "")),
                    Double.parseDouble(m.group(5)), m.group(2).equals("--:--") ? -1 : seconds(m.group(2))});
        }
        assertFalse(frames.isEmpty(), "no progress frame written to the terminal: " + r.log.replace("\u001b", "ESC"));
        double[] prev = {0, 0, 0, 0};
        for (double[] f : frames) {
            assertTrue(f[0] >= prev[0] && f[0] <= 100, "percent " + f[0] + " after " + prev[0]);
            assertTrue(f[1] >= prev[1] && f[1] <= total, "events " + (long) f[1] + " after " + (long) prev[1] + " of " + total);
            assertTrue(f[2] >= prev[2], "elapsed time only grows");
            prev = f;
        }
        // some frame was drawn part-way, with an ETA: what is left at the rate so far, rounded up to a second
        boolean partWay = false;
        for (double[] f : frames) {
            if (f[0] > 0 && f[0] < 100) {
                partWay = true;
                double k = (100 - f[0]) / f[0];
                double expect = f[2] * k;
                // the time shown is rounded to 0.1 s, the ETA up to a whole second
                assertTrue(f[3] >= 0 && Math.abs(f[3] - expect) <= 1 + 0.05 * k + 1e-6,
                        "ETA " + f[3] + " s at " + f[0] + " % after " + f[2] + " s (expected about " + expect + ")");
            }
        }
        assertTrue(partWay, "a frame between 0 and 100 %: " + frames.size() + " frames");
        assertTrue(r.log.endsWith("\r\u001b[K") || r.log.contains("\r\u001b[K"), "the line is cleared");
        assertFalse(r.screen.contains("ETA"), "the line is gone from the screen: " + r.screen);
        assertTrue(r.seen != null, "the pane never showed a percent and an ETA while the read ran");
    }

    private static double seconds(String hms) {
        double s = 0;
        for (String part : hms.split(":")) s = s * 60 + Integer.parseInt(part);
        return s;
    }

    /** What reached the terminal (every frame), the final screen, the exit status, a screen seen mid-read. */
    private record Run(String log, String screen, String rc, String seen) {}

    /** Runs the CLI in a fresh tmux pane, stdout to `out`, and returns what reached the terminal. */
    private Run runInPane(List<String> args, Path out) throws Exception {
        if (!Files.isExecutable(Path.of(TMUX))) {
            String why = TMUX + " is missing (`./scapstream test` installs tmux): the terminal progress test is skipped";
            System.out.println("SKIP: " + why);
            Assumptions.abort(why);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path go = tmp.resolve("go");
        Path rc = tmp.resolve("rc");
        Path log = tmp.resolve("pane.log");
        StringBuilder cmd = new StringBuilder("while [ ! -e " + q(go) + " ]; do sleep 0.05; done\n");
        cmd.append(q(java)).append(" -cp ").append(q(System.getProperty("java.class.path"))).append(' ')
                .append(Main.class.getName());
        for (String a : args) cmd.append(' ').append(q(a));
        cmd.append(" > ").append(q(out)).append("\necho $? > ").append(q(rc)).append(".tmp && mv ")
                .append(q(rc)).append(".tmp ").append(q(rc)).append("\nsleep 600\n");
        Path script = tmp.resolve("run.sh");
        Files.writeString(script, cmd);
        tmux("new-session", "-d", "-s", "t", "-x", "200", "-y", "20", "sh " + q(script));
        started = true;
        tmux("pipe-pane", "-o", "-t", "t", "cat >> " + q(log));
        Files.createFile(go);
        long deadline = System.nanoTime() + 120_000_000_000L;
        String seen = null;
        while (!Files.exists(rc)) {
            if (System.nanoTime() > deadline) fail("no end after 120 s; pane: " + tmux("capture-pane", "-p", "-t", "t"));
            String now = tmux("capture-pane", "-p", "-t", "t");
            if (seen == null && SHOWN.matcher(now).find()) seen = now;
            Thread.sleep(20);
        }
        Thread.sleep(300); // pipe-pane's cat catches up
        String screen = tmux("capture-pane", "-p", "-t", "t");
        return new Run(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "", screen, Files.readString(rc), seen);
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(TMUX, "-S", tmp.resolve("tmux.sock").toString(), "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        if (p.exitValue() != 0 && !args[0].equals("kill-server")) fail("tmux " + String.join(" ", args) + ": " + text);
        return text;
    }

    private static String q(Object s) {
        return "'" + s.toString().replace("'", "'\\''") + "'";
    }
}
