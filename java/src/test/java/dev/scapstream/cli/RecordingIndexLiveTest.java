package dev.scapstream.cli;

import dev.scapstream.store.Rows;
import dev.scapstream.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The flight recorder of `live -w DIR/ -G 2 -W 3`, indexed in the store while it runs: the index
 * names the files on disk with their sizes and times, the rotated-away ones as gone, and
 * `events --db` over a range straddling a rotation prints what reading the files prints.
 */
@Tag("live")
class RecordingIndexLiveTest {
    @TempDir
    Path tmp;

    @Test
    void liveFlightRecorderIsIndexedAndReadByRange() throws Exception {
        dev.scapstream.testsupport.LiveProbe.requireModernBpf();
        Path db = tmp.resolve("live.db"), dir = tmp.resolve("rec");
        Path out = tmp.resolve("w.bin");
        dev.scapstream.testsupport.WatchedWriter err = new dev.scapstream.testsupport.WatchedWriter("capturing");
        Thread workload = new Thread(() -> {
            try {
                if (!err.seen.await(60, java.util.concurrent.TimeUnit.SECONDS)) return;
                // a write every 100 ms for 9 s, so every 2 s file holds the workload
                new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 90 ]; do i=$((i+1)); dd if=/dev/zero of=" + out
                        + " bs=4096 count=4 status=none; sleep 0.1; done").inheritIO().start().waitFor();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        workload.start();
        StringWriter stdout = new StringWriter();
        int code = Main.run(new String[] {"live", "--duration", "12", "--db", db.toString(), "--host", "rec-host",
                "-w", dir + "/", "-G", "2", "-W", "3", "proc.name in (dd, sh, sleep) or evt.type=switch"},
                new PrintWriter(stdout), new PrintWriter(err));
        workload.join();
        assertEquals(0, code, err.toString());
        List<Path> kept;
        try (Stream<Path> s = Files.list(dir)) {
            kept = s.filter(p -> p.toString().endsWith(".scap")).sorted().toList();
        }
        assertEquals(3, kept.size(), kept.toString());
        List<Rows.Recording> index;
        try (SqliteStore s = SqliteStore.open(db)) {
            index = s.recordings("rec-host", 0, Long.MAX_VALUE);
        }
        assertTrue(index.size() >= 5, "12 s in 2 s files: " + index);
        assertEquals(kept.stream().map(p -> p.toAbsolutePath().toString()).toList(),
                index.stream().filter(r -> !r.gone()).map(Rows.Recording::path).toList());
        for (Rows.Recording r : index) {
            if (r.gone()) {
                assertFalse(Files.exists(Path.of(r.path())), r.path());
                continue;
            }
            Path p = Path.of(r.path());
            CliTest.Result t = EventsCommandTest.events("-p", "%evt.rawtime", "-r", p.toString());
            assertEquals(0, t.code(), t.err());
            List<Long> times = t.out().lines().map(Long::parseLong).toList();
            assertEquals(Files.size(p), r.bytes(), p + ": size");
            // the recorder's first and last written events; libsinsp may not print every one it wrote
            // (an internal meta event), but they lie in the same 2 s period as those it prints
            assertTrue(r.firstNs() <= times.get(0) && r.firstNs() / 2_000_000_000L == times.get(0) / 2_000_000_000L,
                    p + ": first event " + r.firstNs() + " vs " + times.get(0));
            long last = times.get(times.size() - 1);
            assertTrue(r.lastNs() >= last && r.lastNs() / 2_000_000_000L == last / 2_000_000_000L,
                    p + ": last event " + r.lastNs() + " vs " + last);
        }
        long second = Math.floorDiv(index.stream().filter(r -> !r.gone()).toList().get(1).firstNs(), 1_000_000_000L);
        String fmt = "%evt.rawtime %proc.name (%thread.tid) %evt.dir %evt.type %evt.info";
        String from = Long.toString(second - 1), to = Long.toString(second + 1);
        CliTest.Result bySet = EventsCommandTest.events("-p", fmt, "--from", from, "--to", to, "-r", kept.get(0).toString(),
                "-r", kept.get(1).toString(), "-r", kept.get(2).toString());
        CliTest.Result byStore = EventsCommandTest.events("-p", fmt, "--from", from, "--to", to, "--db", db.toString());
        assertEquals(0, byStore.code(), byStore.err());
        assertTrue(bySet.out().lines().count() > 10, bySet.out());
        assertEquals(bySet.out(), byStore.out());
    }
}
