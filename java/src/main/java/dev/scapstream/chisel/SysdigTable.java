package dev.scapstream.chisel;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * A chisel's table as sysdig's table chisels print it (common.lua's print_sorted_table): the value
 * column first, every column 20 characters wide, key columns cut to 20 but the last one whole,
 * a line of 80 dashes under the header, and sysdig's units (832B, 11.31KB, 80ms, 0.25%).
 */
public final class SysdigTable {
    private static final int WIDTH = 20;
    private static final String DASHES = "-".repeat(80);

    /** How a value is shown. */
    public enum Units {
        /** a plain number (counts). */
        NONE,
        /** bytes, in sysdig's B / KB / M / G. */
        BYTES,
        /** a duration in ns, in sysdig's s / ms / us / ns. */
        TIME,
        /** CPU ns as a percent of one CPU over the window. */
        TIME_PCT
    }

    /** One row: the value, then the key's parts in the table's order (already escaped for the terminal). */
    public record Row(long value, List<String> keys) {}

    private SysdigTable() {}

    public static void print(PrintWriter out, String valueTitle, List<String> keyTitles, Units units, long windowNs,
                             List<Row> rows) {
        StringBuilder header = new StringBuilder(pad(valueTitle));
        for (String k : keyTitles) header.append(pad(k));
        out.println(header);
        out.println(DASHES);
        for (Row r : rows) {
            StringBuilder line = new StringBuilder(pad(value(r.value(), units, windowNs)));
            for (int i = 0; i < r.keys().size(); i++) {
                String k = r.keys().get(i);
                line.append(i < r.keys().size() - 1 ? pad(k) : k);
            }
            out.println(line);
        }
    }

    static String pad(String s) {
        return extend(s, WIDTH);
    }

    /** common.lua's extend_string: padded to n, or cut to n - 1 and a space. */
    static String extend(String s, int n) {
        return s.length() < n ? s + " ".repeat(n - s.length()) : s.substring(0, n - 1) + " ";
    }

    public static String value(long v, Units units, long windowNs) {
        return switch (units) {
            case NONE -> Long.toString(v);
            case BYTES -> bytes(v);
            case TIME -> time(v);
            case TIME_PCT -> windowNs > 0 ? String.format(Locale.ROOT, "%.2f%%", v * 100.0 / windowNs) : "0.00%";
        };
    }

    /** common.lua's format_bytes. */
    public static String bytes(long v) {
        double d = v;
        if (d > 1024.0 * 1024 * 1024 * 1024 * 1024) return String.format(Locale.ROOT, "%.2fP", d / (1024.0 * 1024 * 1024 * 1024 * 1024));
        if (d > 1024.0 * 1024 * 1024 * 1024) return String.format(Locale.ROOT, "%.2fT", d / (1024.0 * 1024 * 1024 * 1024));
        if (d > 1024.0 * 1024 * 1024) return String.format(Locale.ROOT, "%.2fG", d / (1024.0 * 1024 * 1024));
        if (d > 1024.0 * 1024) return String.format(Locale.ROOT, "%.2fM", d / (1024.0 * 1024));
        if (d > 1024) return String.format(Locale.ROOT, "%.2fKB", d / 1024);
        return v + "B";
    }

    /** common.lua's format_time_interval (ns). */
    public static String time(long v) {
        final long s = 1_000_000_000L;
        if (v >= s) return String.format(Locale.ROOT, "%d.%02ds", v / s, (v % s) / 10_000_000);
        if (v >= s / 100) return (v / 1_000_000) + "ms";
        if (v >= s / 1000) return String.format(Locale.ROOT, "%d.%02dms", v / 1_000_000, (v % 1_000_000) / 10_000);
        if (v >= s / 100_000) return (v / 1000) + "us";
        if (v >= s / 1_000_000) return String.format(Locale.ROOT, "%d.%02dus", v / 1000, (v % 1000) / 10);
        return v + "ns";
    }
}
