package dev.scapstream.cli;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.store.Rows;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The recorded files a store's index says cover a time range on a host: what `events --db` reads. */
final class Recordings {
    private Recordings() {}

    /**
     * The files of host (or the store's only host) with events in [fromNs, toNs] (null: open-ended),
     * in event-time order. Files rotation deleted, or missing from disk, are named on err and
     * skipped; none left is an error.
     */
    static List<Path> covering(StoreOptions store, String host, Long fromNs, Long toNs, PrintWriter err) {
        long fromTs = fromNs == null ? 0 : Math.floorDiv(fromNs, 1_000_000_000L);
        // [from, to) in whole seconds that holds the inclusive ns bound
        long toTs = toNs == null ? Long.MAX_VALUE : Math.floorDiv(toNs, 1_000_000_000L) + 1;
        String range = (fromNs == null ? "the start" : Instant.ofEpochSecond(fromTs).toString()) + " .. "
                + (toNs == null ? "the end" : Instant.ofEpochSecond(toTs - 1).toString());
        List<Rows.Recording> found;
        String h;
        try (MetricsStore s = store.openForReading()) {
            h = store.hostOf(s, host);
            found = s.recordings(h, fromTs, toTs);
        }
        String who = "host " + Text.printable(h);
        if (found.isEmpty()) throw new Main.UserError("no recording of " + who + " covers " + range + " in " + store.where());
        // a gzipped set's file is indexed plain while written, then gone as its .gz twin arrives
        java.util.Set<String> compressed = new java.util.HashSet<>();
        for (Rows.Recording r : found) if (!r.gone() && r.path().endsWith(".gz")) compressed.add(r.path());
        found = found.stream().filter(r -> !(r.gone() && compressed.contains(r.path() + ".gz"))).toList();
        List<Path> out = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (Rows.Recording r : found) {
            Path p = Path.of(r.path());
            if (r.gone() || !Files.isRegularFile(p)) gone.add(r.path());
            else out.add(p);
        }
        if (out.isEmpty()) {
            throw new Main.UserError("the " + found.size() + " recorded files of " + who + " that cover " + range
                    + " are gone (deleted by rotation or by hand), the first " + Text.printable(gone.get(0)));
        }
        if (!gone.isEmpty()) {
            err.println("scapstream: " + gone.size() + " of the " + found.size() + " recorded files that cover " + range
                    + " are gone; reading the rest (the first gone: " + Text.printable(gone.get(0)) + ")");
            err.flush();
        }
        return out;
    }
}
