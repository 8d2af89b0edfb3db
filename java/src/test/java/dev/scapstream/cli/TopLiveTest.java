package dev.scapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scapstream.testsupport.LiveProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** `top` live: a workload started during the capture shows with its own numbers. */
@Tag("live")
class TopLiveTest {
    @TempDir
    Path tmp;

    @Test
    void liveJsonHoldsAFileWrittenDuringTheCapture() throws Exception {
        LiveProbe.requireModernBpf();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process top = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "top", "--json", "-v", "files", "-d", "6000").start();
        BufferedReader err = new BufferedReader(new InputStreamReader(top.getErrorStream(), StandardCharsets.UTF_8));
        String said = err.readLine();
        assertTrue(said != null && said.contains("capturing"), String.valueOf(said));
        Path file = tmp.resolve("top-live.bin");
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=4096", "count=300").start();
        assertTrue(dd.waitFor(30, TimeUnit.SECONDS));
        assertEquals(300 * 4096L, Files.size(file));
        String out = new String(top.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(top.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, top.exitValue(), out);
        JsonNode j = new ObjectMapper().readTree(out);
        long written = 0;
        for (JsonNode r : j.path("rows")) if (r.path("FILENAME").asText().equals(file.toString())) written += r.path("BYTES OUT").asLong();
        assertEquals(300 * 4096L, written, out);
    }

    private static String tmux(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("tmux"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    private static String await(String session, String text, long seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String p = "";
        while (System.nanoTime() < end) {
            p = tmux("capture-pane", "-p", "-t", session);
            if (p.contains(text)) return p;
            Thread.sleep(200);
        }
        fail("the pane never showed '" + text + "':\n" + p);
        return p;
    }

    /** The interactive screen live, in tmux: a dd started during the capture appears, and q leaves the terminal. */
    @Test
    void liveScreenShowsAProcessStartedDuringTheCapture() throws Exception {
        LiveProbe.requireModernBpf();
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("tmux", "-V").start().waitFor() == 0, "no tmux");
        String session = "sstoplive" + ProcessHandle.current().pid();
        String cmd = ProcessHandle.current().info().command().orElseThrow() + " -cp '" + System.getProperty("java.class.path")
                + "' " + Main.class.getName() + " top -d 1000 -v processes 'proc.name=dd or evt.type=switch'; echo EXITED $?; sleep 60";
        tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "40", cmd);
        try {
            await(session, "F1/? Help", 60);
            Path file = tmp.resolve("top-live-tmux.bin");
            Process dd = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 60 ]; do i=$((i+1)); dd if=/dev/zero of=" + file
                    + " bs=4096 count=16 status=none; sleep 0.1; done").start();
            String pane = await(session, " dd if=/dev/zero of=", 30);
            assertTrue(pane.contains("scapstream top - Processes"), pane);
            dd.destroy();
            tmux("send-keys", "-t", session, "q");
            String after = await(session, "EXITED 0", 30);
            assertFalse(after.contains("F1/? Help"), after);
        } finally {
            tmux("kill-session", "-t", session);
        }
    }
}
