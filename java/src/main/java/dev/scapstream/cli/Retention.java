package dev.scapstream.cli;

import dev.scapstream.store.MetricsStore;

import java.time.Duration;

/** How long each resolution is kept; raw per-second rows go first. Relative to the newest data. */
record Retention(Duration raw, Duration tenSeconds, Duration hour, Duration day) {
    static Retention defaults() {
        return new Retention(Duration.ofDays(2), Duration.ofDays(14), Duration.ofDays(90), null);
    }

    void apply(MetricsStore store, long newestSecond) {
        expire(store, 1, raw, newestSecond);
        expire(store, 10, tenSeconds, newestSecond);
        expire(store, 3600, hour, newestSecond);
        expire(store, 86400, day, newestSecond);
    }

    private static void expire(MetricsStore store, int res, Duration keep, long newest) {
        if (keep != null) store.expire(res, newest - keep.getSeconds());
    }

    /** "2d", "36h", "90m", "45s" or "never". */
    static Duration parse(String s) {
        if (s.equals("never")) return null;
        try {
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            switch (s.charAt(s.length() - 1)) {
                case 'd': return Duration.ofDays(n);
                case 'h': return Duration.ofHours(n);
                case 'm': return Duration.ofMinutes(n);
                case 's': return Duration.ofSeconds(n);
                default: break;
            }
        } catch (RuntimeException ignored) {
            // falls through to the error
        }
        throw new Main.UserError("bad duration '" + s + "' (like 2d, 36h, 90m, 45s or never)");
    }
}
