package dev.scapstream.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads numbers as the page shows them ("2.01 MiB", "1,382", "1.004 s") and compares them with a
 * store value: exact where the page is exact, else within half a unit of the last digit shown.
 */
final class Shown {
    private static final Pattern BYTES = Pattern.compile("(-?[0-9]+(?:\\.([0-9]+))?) (B|KiB|MiB|GiB|TiB)(/s)?");
    private static final Pattern SECONDS = Pattern.compile("(-?[0-9]+\\.([0-9]+)) s");

    private Shown() {}

    static void bytes(long expected, String shown, String what) {
        Matcher m = BYTES.matcher(shown.trim());
        assertTrue(m.matches(), what + ": not a byte count: '" + shown + "'");
        double v = Double.parseDouble(m.group(1));
        int k = switch (m.group(3)) { case "B" -> 0; case "KiB" -> 1; case "MiB" -> 2; case "GiB" -> 3; default -> 4; };
        if (k == 0) {
            assertEquals(expected, (long) v, what + ": '" + shown + "'");
            return;
        }
        int decimals = m.group(2) == null ? 0 : m.group(2).length();
        double want = expected / Math.pow(1024, k);
        assertTrue(Math.abs(want - v) <= 0.5 * Math.pow(10, -decimals) + 1e-9,
                what + ": shows '" + shown + "', the store has " + expected + " B");
    }

    static void count(long expected, String shown, String what) {
        assertEquals(Long.toString(expected), shown.trim().replace(",", ""), what + ": '" + shown + "'");
    }

    static void seconds(long ns, String shown, String what) {
        Matcher m = SECONDS.matcher(shown.trim());
        assertTrue(m.matches(), what + ": not seconds: '" + shown + "'");
        double tol = 0.5 * Math.pow(10, -m.group(2).length()) + 1e-9;
        assertTrue(Math.abs(ns / 1e9 - Double.parseDouble(m.group(1))) <= tol,
                what + ": shows '" + shown + "', the store has " + ns + " ns");
    }
}
