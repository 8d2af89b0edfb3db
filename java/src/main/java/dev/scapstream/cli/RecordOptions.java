package dev.scapstream.cli;

import dev.scapstream.capture.RecordSpec;
import picocli.CommandLine.Option;

/** sysdig's recording options, shared by `record -w` and `live -w` (a picocli mixin). */
final class RecordOptions {
    static final int SNAPLEN_MAX = 65000; // the driver's SNAPLEN_MAX

    @Option(names = {"-C", "--file-size"}, paramLabel = "MB", description = "start a new file when one reaches MB megabytes")
    Long fileSizeMb;

    @Option(names = {"-G", "--seconds"}, paramLabel = "SECONDS",
            description = "start a new file every SECONDS of event time, on multiples of SECONDS")
    Integer seconds;

    @Option(names = {"-W", "--limit"}, paramLabel = "N", description = "with -C or -G: keep at most N files, deleting the oldest")
    Integer maxFiles;

    @Option(names = "--record-max", paramLabel = "SIZE", description = "keep the files under SIZE in all "
            + "(e.g. 500M, 20G), deleting the oldest")
    String recordMax;

    @Option(names = {"-z", "--compress"}, description = "write gzip (.scap.gz)")
    boolean gzip;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "BYTES", description = "bytes of each I/O buffer captured (driver default 80)")
    Integer snaplen;

    /** The recording to make to {@code path}, or a one-line usage error for bad values. */
    RecordSpec spec(String path) {
        if (fileSizeMb != null && (fileSizeMb < 1 || fileSizeMb > 1_000_000)) throw new Main.UserError("-C must be 1..1000000 (MB)");
        if (seconds != null && seconds < 1) throw new Main.UserError("-G must be >= 1 (seconds)");
        if (maxFiles != null && maxFiles < 1) throw new Main.UserError("-W must be >= 1");
        if (maxFiles != null && fileSizeMb == null && seconds == null) throw new Main.UserError("-W needs -C or -G");
        long maxTotal = recordMax == null ? 0 : size("--record-max", recordMax);
        if (maxTotal > 0 && fileSizeMb == null && seconds == null) throw new Main.UserError("--record-max needs -C or -G");
        snaplen();
        return new RecordSpec(path, fileSizeMb == null ? 0 : fileSizeMb * 1_000_000L, seconds == null ? 0 : seconds,
                maxFiles == null ? 0 : maxFiles, maxTotal, gzip);
    }

    /** True when any recording option is given (they need -w). */
    boolean any() {
        return fileSizeMb != null || seconds != null || maxFiles != null || recordMax != null || gzip;
    }

    int snaplen() {
        if (snaplen != null && (snaplen < 1 || snaplen > SNAPLEN_MAX)) throw new Main.UserError("-s must be 1.." + SNAPLEN_MAX);
        return snaplen == null ? 0 : snaplen;
    }

    /** "500M", "20G", "1500000" (bytes); K, M, G, T are powers of 1000 as sysdig's -C megabytes. */
    static long size(String option, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([KMGT]?)B?", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(text.trim());
        if (!m.matches()) throw new Main.UserError(option + ": '" + text + "' is not a size (e.g. 500M, 20G)");
        long unit = switch (m.group(2).toUpperCase()) {
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> 1L;
        };
        long v;
        try {
            v = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new Main.UserError(option + ": '" + text + "' is too large");
        }
        if (v < 1) throw new Main.UserError(option + " must be > 0");
        return v;
    }
}
