package dev.scapstream.cli;

import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.RecordSpec;
import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;
import dev.scapstream.store.cassandra.CassandraConfig;
import dev.scapstream.store.cassandra.CassandraStore;
import dev.scapstream.store.sqlite.SqliteStore;
import dev.scapstream.testsupport.TestData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The store's index of a flight recorder, fed by the run that records (the capture thread's
 * notices riding in the metric batches), and `events --db/--cassandra --from --to` reading the
 * files it names. A file capture records here exactly as a live one does: the same recorder,
 * notices and run; the live variant is in {@link RecordingIndexLiveTest}.
 */
class RecordingIndexTest {
    @TempDir
    Path tmp;

    /** Every event's time in the demo trace, as libsinsp reads it (the -G 10 buckets come from these). */
    private static List<Long> times(List<Path> files) {
        List<String> args = new ArrayList<>(List.of("-p", "%evt.rawtime"));
        for (Path f : files) args.addAll(List.of("-r", f.toString()));
        CliTest.Result r = EventsCommandTest.events(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r.out().lines().map(Long::parseLong).toList();
    }

    /** Replays the demo trace into the store while recording it as DIR/ -G 10 -W 3; returns DIR. */
    private Path recordWhileAggregating(MetricsStore store) {
        Path dir = tmp.resolve("rec");
        StringWriter err = new StringWriter();
        MetricsRun.Result r;
        try (CaptureSource source = CaptureSource.openFile(TestData.fixtures().resolve("demo.scap.gz"), "", null)) {
            source.record(new RecordSpec(dir + "/", 0, 10, 3, 0, false));
            r = MetricsRun.run(source, store, "h", 0, null, false, new PrintWriter(err), null, null);
        }
        assertNull(r.error(), err.toString());
        return dir;
    }

    private static List<Path> onDisk(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".scap")).sorted().toList();
        }
    }

    @Test
    void sqliteIndexEqualsTheFilesAndEventsByRangeEqualReadingTheSet() throws Exception {
        Path db = tmp.resolve("s.db");
        Path dir;
        try (SqliteStore s = SqliteStore.open(db)) {
            dir = recordWhileAggregating(s);
        }
        List<Path> kept = onDisk(dir);
        try (SqliteStore s = SqliteStore.open(db)) {
            checkIndex(s, dir, kept);
        }
        checkEvents(kept, "--db", db.toString());
    }

    @Test
    void cassandraIndexEqualsTheFilesAndEventsByRangeEqualReadingTheSet() throws Exception {
        String node = CassandraCliTest.node();
        String ks = "recidx_" + ProcessHandle.current().pid();
        CassandraConfig config = CassandraConfig.local(CassandraConfig.parseContactPoints(node), ks);
        Path dir;
        try {
            try (MetricsStore s = CassandraStore.open(config)) {
                dir = recordWhileAggregating(s);
            }
            List<Path> kept = onDisk(dir);
            try (MetricsStore s = CassandraStore.open(config)) {
                checkIndex(s, dir, kept);
            }
            checkEvents(kept, "--cassandra", node, "--keyspace", ks, "--spool", tmp.resolve("spool").toString());
        } finally {
            dev.scapstream.store.cassandra.SharedNode.drop(ks);
        }
    }

    /**
     * One row per file the recorder made: the kept ones with their size and first and last event
     * as read back, the rotated-away ones marked gone; their count is the trace's 10 s buckets.
     */
    private static void checkIndex(MetricsStore s, Path dir, List<Path> kept) throws Exception {
        List<Rows.Recording> index = s.recordings("h", 0, Long.MAX_VALUE);
        long buckets = times(List.of(TestData.fixtures().resolve("demo.scap.gz"))).stream()
                .map(t -> Math.floorDiv(t, 10_000_000_000L)).distinct().count();
        assertTrue(buckets >= 5, "the demo spans several 10 s files: " + buckets);
        assertEquals(buckets, index.size(), "a row for every file made: " + index);
        assertEquals(3, kept.size(), "-W 3 keeps three: " + kept);
        List<Rows.Recording> present = index.stream().filter(r -> !r.gone()).toList();
        assertEquals(kept.stream().map(p -> p.toAbsolutePath().toString()).toList(),
                present.stream().map(Rows.Recording::path).toList(), "the files not gone are those on disk");
        for (Rows.Recording r : present) {
            Path p = Path.of(r.path());
            List<Long> t = times(List.of(p));
            assertEquals(Files.size(p), r.bytes(), p + ": size");
            assertEquals(t.get(0), r.firstNs(), p + ": first event");
            assertEquals(t.get(t.size() - 1), r.lastNs(), p + ": last event");
        }
        for (Rows.Recording r : index) {
            if (r.gone()) {
                assertFalse(Files.exists(Path.of(r.path())), r.path());
                assertTrue(r.firstNs() > 0 && r.lastNs() >= r.firstNs() && r.bytes() > 0, "a gone file keeps its times: " + r);
                assertTrue(Path.of(r.path()).startsWith(dir.toAbsolutePath()), r.path());
            }
        }
        // ordered by time, and a range picks the files that overlap it
        for (int i = 1; i < index.size(); i++) assertTrue(index.get(i - 1).lastNs() < index.get(i).firstNs(), index.toString());
        Rows.Recording mid = present.get(1);
        long sec = Math.floorDiv(mid.firstNs(), 1_000_000_000L);
        assertEquals(List.of(present.get(0), mid), s.recordings("h", sec - 1, sec + 1), "a range around a rotation");
        assertEquals(List.of(), s.recordings("other", 0, Long.MAX_VALUE), "another host");
    }

    /** `events` over a range straddling a rotation: the store's files give what reading the set gives. */
    private static void checkEvents(List<Path> kept, String... store) throws Exception {
        List<Long> second = times(List.of(kept.get(1)));
        long from = second.get(0) - 3_000_000_000L, to = second.get(0) + 2_000_000_000L;
        String fmt = "%evt.rawtime %container.id %proc.name (%thread.tid) %evt.dir %evt.type %evt.info";
        Function<List<String>, CliTest.Result> run = extra -> {
            List<String> a = new ArrayList<>(List.of("-p", fmt, "--from", Long.toString(from / 1_000_000_000L),
                    "--to", Long.toString(to / 1_000_000_000L)));
            a.addAll(extra);
            return EventsCommandTest.events(a.toArray(String[]::new));
        };
        List<String> set = new ArrayList<>();
        for (Path p : kept) set.addAll(List.of("-r", p.toString()));
        CliTest.Result bySet = run.apply(set);
        assertEquals(0, bySet.code(), bySet.err());
        CliTest.Result byStore = run.apply(List.of(store));
        assertEquals(0, byStore.code(), byStore.err());
        List<Long> t = bySet.out().lines().map(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).toList();
        assertTrue(t.get(0) < second.get(0) && t.get(t.size() - 1) > second.get(0), "the range straddles a rotation");
        assertEquals(bySet.out(), byStore.out());

        // --container: that container's events alone, as the filter container.id=ID picks them
        Set<String> ids = new TreeSet<>();
        bySet.out().lines().forEach(l -> ids.add(l.split(" ")[1]));
        ids.remove("host");
        assertFalse(ids.isEmpty(), "the demo's containers");
        String id = ids.iterator().next();
        List<String> filtered = new ArrayList<>(set);
        filtered.add("container.id=" + id);
        CliTest.Result one = run.apply(filtered);
        List<String> byId = new ArrayList<>(List.of(store));
        byId.addAll(List.of("--container", id));
        CliTest.Result oneByStore = run.apply(byId);
        assertEquals(0, oneByStore.code(), oneByStore.err());
        assertTrue(one.out().lines().count() > 10 && one.out().lines().allMatch(l -> l.split(" ")[1].equals(id)), one.out());
        assertEquals(one.out(), oneByStore.out());

        // a range only gone files cover, and one no file covers: one line each, non-zero
        long before = Math.floorDiv(second.get(0), 1_000_000_000L) - 15;
        List<String> gone = new ArrayList<>(List.of(store));
        gone.addAll(List.of("--from", Long.toString(before), "--to", Long.toString(before + 1)));
        CliTest.Result g = EventsCommandTest.events(gone.toArray(String[]::new));
        assertNotEquals(0, g.code());
        assertTrue(g.err().contains("are gone") && g.err().strip().lines().count() == 1, g.err());
        List<String> none = new ArrayList<>(List.of(store));
        none.addAll(List.of("--from", "100", "--to", "200"));
        CliTest.Result n = EventsCommandTest.events(none.toArray(String[]::new));
        assertNotEquals(0, n.code());
        assertTrue(n.err().contains("no recording of host h covers") && n.err().strip().lines().count() == 1, n.err());
    }
}
