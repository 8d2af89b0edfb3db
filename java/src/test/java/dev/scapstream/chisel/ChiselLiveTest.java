package dev.scapstream.chisel;

import dev.scapstream.cli.Main;
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

/**
 * Chisels live: a dd's file shows its exact bytes once SIGTERM ends the capture, and with
 * --interval the tables (of a view and of a field table) cover their own seconds.
 */
@Tag("live")
class ChiselLiveTest {
    @TempDir
    Path tmp;

    @Test
    void aFileWrittenDuringTheCaptureHasItsBytesInTheTable() throws Exception {
        LiveProbe.requireModernBpf();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process chisel = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "chisel", "topfiles_bytes", "proc.name=dd").start();
        BufferedReader err = new BufferedReader(new InputStreamReader(chisel.getErrorStream(), StandardCharsets.UTF_8));
        String said = err.readLine();
        assertNotNull(said, "the chisel said nothing on stderr");
        assertTrue(said.contains("capturing"), said);
        Path file = tmp.resolve("chisel-live.bin");
        int blocks = 300; // 1.17 MiB
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=4096", "count=" + blocks).start();
        assertTrue(dd.waitFor(30, TimeUnit.SECONDS));
        assertEquals(blocks * 4096L, Files.size(file));
        Thread.sleep(2000); // the second of the last write closes
        // SIGTERM (Process.destroy would close our end of its stdout first): the table of what was captured
        new ProcessBuilder("kill", "-TERM", Long.toString(chisel.pid())).start().waitFor();
        String out = new String(chisel.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(chisel.waitFor(20, TimeUnit.SECONDS), "the chisel stops on SIGTERM");
        String expected = SysdigTable.pad(SysdigTable.bytes(blocks * 4096L)) + file;
        assertTrue(out.lines().anyMatch(expected::equals), "'" + expected + "' in\n" + out);
        assertTrue(out.startsWith("Bytes               Filename"), out);
    }

    @Test
    void withAnIntervalEachTableCoversTheLastSeconds() throws Exception {
        LiveProbe.requireModernBpf();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process chisel = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "chisel", "topfiles_bytes", "--interval", "2", "proc.name=dd or evt.type=switch").start();
        // switch events keep coming, so seconds close after dd; other processes' files stay out of the table
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(chisel.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        BufferedReader err = new BufferedReader(new InputStreamReader(chisel.getErrorStream(), StandardCharsets.UTF_8));
        String said = err.readLine();
        assertTrue(said != null && said.contains("capturing"), String.valueOf(said));
        Path file = tmp.resolve("chisel-interval.bin");
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=4096", "count=100").start();
        assertTrue(dd.waitFor(30, TimeUnit.SECONDS));
        String expected = SysdigTable.pad(SysdigTable.bytes(100 * 4096L)) + file;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!lines.contains(expected) && System.nanoTime() < deadline) Thread.sleep(200);
        int seen = lines.indexOf(expected);
        // later tables cover later seconds: the file leaves them
        while (System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(6) && lastHeader(lines) < seen + 1) {
            Thread.sleep(200);
        }
        new ProcessBuilder("kill", "-TERM", Long.toString(chisel.pid())).start().waitFor();
        assertTrue(chisel.waitFor(20, TimeUnit.SECONDS));
        reader.join(5000);
        assertTrue(seen >= 0, "'" + expected + "' in a table: " + lines);
        int later = lastHeader(lines);
        assertTrue(later > seen, "a later table: " + lines);
        assertFalse(lines.subList(later, lines.size()).contains(expected), "the last table is of later seconds: " + lines);
    }

    /**
     * A field-table chisel with --interval: fdbytes_by fd.name prints a table every 2 s, and the
     * tables' bytes for a file that three dd runs, 3 s apart, appended to add up to what dd was told
     * to write, spread over several tables (a table holds the events of its own seconds only).
     */
    @Test
    void aFieldTableWithAnIntervalSumsToTheBytesWritten() throws Exception {
        LiveProbe.requireModernBpf();
        int interval = 2;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process chisel = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "chisel", "fdbytes_by", "fd.name", "--interval", Integer.toString(interval),
                "proc.name=dd").start();
        // each line with when it came; only dd's events, so the machine's other I/O stays out
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Long> headerAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(chisel.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.startsWith("Bytes               fd.name")) headerAt.add(System.nanoTime());
                    lines.add(l);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        BufferedReader err = new BufferedReader(new InputStreamReader(chisel.getErrorStream(), StandardCharsets.UTF_8));
        String said = err.readLine();
        assertTrue(said != null && said.contains("capturing"), String.valueOf(said));
        Path file = tmp.resolve("field-interval.bin");
        int[] counts = {50, 75, 100}; // 4 KiB blocks, under 1 MiB a run: sysdig's KB units are exact for them
        long written = 0;
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) Thread.sleep(3000);
            Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + file, "bs=4096", "count=" + counts[i],
                    "oflag=append", "conv=notrunc", "status=none").start();
            assertTrue(dd.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, dd.exitValue());
            written += counts[i] * 4096L;
        }
        assertEquals(written, Files.size(file));
        // two more tables after the last run, however late the first one came on a loaded machine
        int atLastRun = headerAt.size();
        long deadline = System.nanoTime() + 6L * interval * 1_000_000_000L;
        while (headerAt.size() < atLastRun + 2 && System.nanoTime() < deadline) Thread.sleep(100);
        int beforeStop = headerAt.size();
        new ProcessBuilder("kill", "-TERM", Long.toString(chisel.pid())).start().waitFor();
        assertTrue(chisel.waitFor(20, TimeUnit.SECONDS), "the chisel stops on SIGTERM");
        reader.join(5000);
        // the tables came every interval (the last one, at SIGTERM, comes when it comes)
        assertTrue(beforeStop >= atLastRun + 2 && beforeStop >= 4,
                "a table every " + interval + " s over ~10 s: " + beforeStop + " in " + lines);
        for (int i = 1; i < beforeStop; i++) {
            double gap = (headerAt.get(i) - headerAt.get(i - 1)) / 1e9;
            assertTrue(gap > interval - 0.5 && gap < interval + 0.5, "table " + i + " came " + gap + " s after the one before");
        }
        // the file's bytes in each table, summed over all of them
        long sum = 0;
        int tablesWithFile = 0;
        for (String l : lines) {
            if (l.length() <= 20 || !l.substring(20).equals(file.toString())) continue;
            long b = bytes(l.substring(0, 20).trim());
            assertTrue(b > 0 && b <= counts[2] * 4096L, "a table holds one run's bytes at most: " + l);
            sum += b;
            tablesWithFile++;
        }
        assertEquals(written, sum, "the file's bytes over the tables: " + lines);
        assertTrue(tablesWithFile >= counts.length, "each run in a table of its own seconds: " + lines);
    }

    /** A value in sysdig's byte units (SysdigTable.bytes) back to bytes. */
    private static long bytes(String v) {
        if (v.endsWith("KB")) return Math.round(Double.parseDouble(v.substring(0, v.length() - 2)) * 1024);
        if (v.endsWith("B")) return Long.parseLong(v.substring(0, v.length() - 1));
        throw new AssertionError("not a value under 1 MiB: " + v);
    }

    private static int lastHeader(java.util.List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).startsWith("Bytes               Filename")) return i;
        return -1;
    }
}
