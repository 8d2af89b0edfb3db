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

    /** TTLs for a store that expires by itself: raw, 10 s, 1 h, 1 d in seconds; 0 = never. */
    int[] ttlSeconds() {
        Duration[] all = {raw, tenSeconds, hour, day};
        int[] t = new int[4];
        for (int i = 0; i < 4; i++) {
            // Cassandra caps a TTL at 20 years
            t[i] = all[i] == null ? 0 : (int) Math.max(1, Math.min(630_720_000L, all[i].getSeconds()));
        }
        return t;
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
