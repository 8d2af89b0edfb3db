package dev.scapstream.chisel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** sysdig's printed values as numbers: {value, half the last printed digit} (832B, 11.31KB, 10.5M, 80ms, 1.23us, 0.25%). */
final class Units {
    private static final Pattern V = Pattern.compile("([0-9]+)(?:\\.([0-9]+))?(B|KB|K|M|G|T|P|s|ms|us|ns|%)?");

    private Units() {}

    static double[] parse(String s) {
        Matcher m = V.matcher(s);
        if (!m.matches()) throw new AssertionError("not a sysdig value: '" + s + "'");
        String frac = m.group(2) == null ? "" : m.group(2);
        double v = Double.parseDouble(m.group(1) + (frac.isEmpty() ? "" : "." + frac));
        double scale = switch (m.group(3) == null ? "" : m.group(3)) {
            case "KB", "K" -> 1024.0;
            case "M" -> 1024.0 * 1024;
            case "G" -> 1024.0 * 1024 * 1024;
            case "T" -> 1024.0 * 1024 * 1024 * 1024;
            case "P" -> 1024.0 * 1024 * 1024 * 1024 * 1024;
            case "s" -> 1e9;
            case "ms" -> 1e6;
            case "us" -> 1e3;
            default -> 1.0;
        };
        // sysdig cuts (does not round) times to their printed digits, and rounds bytes: a whole last digit either way
        double digit = Math.pow(10, -frac.length()) * scale;
        return new double[] {v * scale, m.group(3) == null || m.group(3).equals("B") || m.group(3).equals("ns") ? 0 : digit};
    }
}
