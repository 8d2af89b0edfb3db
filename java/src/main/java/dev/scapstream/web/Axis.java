package dev.scapstream.web;

/** The dense time axis a chart page is drawn on: its range, resolution and every bucket's start. */
record Axis(long from, long to, int res, long[] ts) {
    static Axis of(TimeRange r) {
        long[] ts = new long[r.points()];
        for (int i = 0; i < ts.length; i++) ts[i] = r.from() + (long) i * r.res();
        return new Axis(r.from(), r.to(), r.res(), ts);
    }
}
