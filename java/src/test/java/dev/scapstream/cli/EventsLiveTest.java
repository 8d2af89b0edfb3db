package dev.scapstream.cli;

import dev.scapstream.testsupport.LiveProbe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** `scapstream events -A` live: a workload's write shows up as its bytes; SIGTERM stops it cleanly. */
@Tag("live")
class EventsLiveTest {
    @TempDir
    Path tmp;

    @Test
    void aKnownStringWrittenDuringTheCaptureIsPrintedWithA() throws Exception {
        LiveProbe.requireModernBpf();
        String marker = "scapstream-live-" + UUID.randomUUID();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process events = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "events", "-A", "-s", "200", "evt.type=write and proc.name=sh").start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        BufferedReader err = new BufferedReader(new InputStreamReader(events.getErrorStream(), StandardCharsets.UTF_8));
        String said = err.readLine();
        assertNotNull(said, "events said nothing on stderr");
        assertTrue(said.contains("capturing"), said);
        Path out = tmp.resolve("marker.txt");
        new ProcessBuilder("sh", "-c", "printf '%s' \"$1\" > \"$2\"", "sh", marker, out.toString()).start().waitFor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (lines.stream().noneMatch(l -> l.contains("data=" + marker)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        events.destroy(); // SIGTERM
        assertTrue(events.waitFor(20, TimeUnit.SECONDS), "events stops on SIGTERM");
        reader.join(5000);
        assertTrue(lines.stream().anyMatch(l -> l.contains("< write res=" + marker.length() + " data=" + marker)),
                "the write of " + marker + " in: " + lines);
        assertEquals(143, events.exitValue(), "ended by SIGTERM, after closing the capture");
    }
}
