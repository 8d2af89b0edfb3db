package dev.scapstream.web;

/**
 * Per-bucket figures as the pages draw them: rates per second of the bucket, CPU in % of one CPU,
 * series with a null where nothing was stored.
 */
final class Rates {
    private Rates() {}

    static Double[] nulls(int n) {
        return new Double[n];
    }

    static double rate(long v, int res) {
        return res == 1 ? v : round((double) v / res);
    }

    /** CPU ns over `seconds` as % of one CPU; null when unknown (negative). */
    static Double pct(long cpuNs, long seconds) {
        return cpuNs < 0 ? null : round(cpuNs / (seconds * 1e7));
    }

    /** Three decimals keep the JSON small; charts need no more. */
    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
