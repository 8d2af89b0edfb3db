package dev.scapstream.web;

import dev.scapstream.store.sqlite.SqliteStore;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The web UI's speed (`./scapstream bench-ui [--seconds 3600] [--processes 50] [--rounds 5]`): a
 * synthetic store of one container, the container page loaded in Debian's headless Chromium over
 * its whole span (per-second data), times read from the page's own performance marks since
 * navigation start. Prints figures; asserts nothing.
 */
public final class UiBench {
    private UiBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = 3600, processes = 50, rounds = 5;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--seconds": seconds = positive(a, v); i++; break;
                case "--processes": processes = positive(a, v); i++; break;
                case "--rounds": rounds = positive(a, v); i++; break;
                default:
                    System.err.println("bench-ui: unknown option '" + a + "' (--seconds N --processes N --rounds N)");
                    System.exit(2);
            }
        }
        Path dir = Files.createTempDirectory("scapstream-bench-ui-");
        long start = 1_790_000_000L - 1_790_000_000L % 3600;
        try (SqliteStore store = SqliteStore.open(dir.resolve("bench.db"))) {
            long t0 = System.nanoTime();
            long rows = SyntheticStore.fill(store, start, seconds, processes);
            System.out.printf("store: %,d rows (%d s x %d processes + rollups) written in %.1f s%n", rows, seconds, processes,
                    (System.nanoTime() - t0) / 1e9);
            try (WebServer server = WebServer.start(new InetSocketAddress("127.0.0.1", 0), store, RunState.stored());
                 Browser b = Browser.start()) {
                // the data's whole hour (bucket-aligned), then an unaligned range of almost an hour
                String base = server.url() + "container.html?id=" + SyntheticStore.CONTAINER;
                measure(b, base, "whole hour", rounds, seconds, processes);
                measure(b, base + "&from=" + (start + 7) + "&to=" + (start + seconds - 3), "unaligned range", rounds, seconds,
                        processes);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void measure(Browser b, String url, String what, int rounds, int seconds, int processes) {
        List<Double> first = new ArrayList<>(), all = new ArrayList<>(), ready = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
            b.driver.get("about:blank");
            b.open(url);
            double f = mark(b, "first-chart"), a = mark(b, "all-charts"), p = mark(b, "page-ready");
            long charts = ((Number) b.js("return document.querySelectorAll('#charts .uplot').length")).longValue();
            String shown = String.valueOf(b.js("return document.getElementById('range-shown').textContent"));
            System.out.printf("%s, round %d%s: first chart %.0f ms, all 4 charts %.0f ms, tables too %.0f ms  (%d charts; %s)%n",
                    what, r, r == 0 ? " (warm-up, not counted)" : "", f, a, p, charts, shown);
            if (r == 0) continue;
            first.add(f);
            all.add(a);
            ready.add(p);
        }
        System.out.printf("container page, %s, %d s of per-second data, %d processes, median of %d: "
                        + "first chart drawn %.0f ms, all charts %.0f ms, page complete %.0f ms%n",
                what, seconds, processes, rounds, median(first), median(all), median(ready));
    }

    private static double mark(Browser b, String name) {
        Object v = b.js("const e = performance.getEntriesByName(arguments[0]); return e.length ? e[0].startTime : -1", name);
        return ((Number) v).doubleValue();
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static int positive(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // below
        }
        System.err.println("bench-ui: " + name + " needs a positive number");
        System.exit(2);
        return 0;
    }
}
