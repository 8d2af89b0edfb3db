package dev.scapstream.web;

import dev.scapstream.store.MetricsStore;

/**
 * A query's time range [from, to) in epoch seconds and the resolution it is read at: one of the
 * stored rollups, the finest that keeps a chart under {@link #MAX_AUTO_POINTS} points unless the
 * caller asks for one. Bounds are aligned to the resolution, so buckets are whole.
 */
record TimeRange(long from, long to, int res) {
    /** 1 h of per-second data is 3,600 points; 1 d at 10 s is 8,640. */
    static final long MAX_AUTO_POINTS = 10_000;
    /** An explicit resolution may ask for more, up to this (a dense axis is sent). */
    static final long MAX_POINTS = 100_000;

    int points() {
        return (int) ((to - from) / res);
    }

    /** Bucket index of a ts on the dense axis. */
    int index(long ts) {
        return (int) ((ts - from) / res);
    }

    static TimeRange of(long from, long to, Integer askedRes) {
        if (from >= to) throw new BadRequest("from must be < to");
        if (to > 32_503_680_000L) throw new BadRequest("to: after the year 3000");
        int res;
        if (askedRes == null) {
            res = MetricsStore.RESOLUTIONS[MetricsStore.RESOLUTIONS.length - 1];
            for (int r : MetricsStore.RESOLUTIONS) {
                if (ceilDiv(to - from, r) <= MAX_AUTO_POINTS) {
                    res = r;
                    break;
                }
            }
        } else {
            res = askedRes;
        }
        long f = Math.floorDiv(from, res) * res;
        long t = ceilDiv(to, res) * res;
        if ((t - f) / res > MAX_POINTS) {
            throw new BadRequest("range too long for res=" + res + ": more than " + MAX_POINTS + " points");
        }
        return new TimeRange(f, t, res);
    }

    static Integer parseRes(Params p) {
        Long r = p.number("res");
        if (r == null) return null;
        for (int x : MetricsStore.RESOLUTIONS) if (x == r) return x;
        throw new BadRequest("res: one of 1, 10, 3600, 86400");
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
