package dev.scapstream.cli;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The progress line's figures, on a clock the test moves. */
class ProgressTest {

    @Test
    void percentEtaAndRateFollowTheClockAndTheInputRead() {
        AtomicLong now = new AtomicLong(7_000_000_000L); // any origin: the run counts from construction
        Progress p = new Progress(now::get);
        long[][] steps = {{1_500_000_000L, 125, 310_000}, {4_000_000_000L, 400, 1_234_567}, {9_250_000_000L, 999, 2_999_001}};
        for (long[] s : steps) {
            now.set(7_000_000_000L + s[0]);
            double secs = s[0] / 1e9;
            long permille = s[1];
            long events = s[2];
            // the rest at the rate so far: elapsed * unread / read
            double eta = secs * (1000 - permille) / permille;
            String expected = String.format("%5.1f %%  ETA %s  %,d events  %,.0f events/s  %.1f s", permille / 10.0,
                    Progress.duration(eta), events, events / secs, secs);
            assertEquals(expected, p.line(permille, events));
        }
    }

    @Test
    void etaIsShownInMinutesAndHoursRoundedUp() {
        for (double s : new double[] {0.2, 59.01, 61, 3599.5, 3600, 7384.2}) {
            long whole = (long) Math.ceil(s);
            String want = whole >= 3600 ? whole / 3600 + ":" + two(whole / 60 % 60) + ":" + two(whole % 60)
                    : whole / 60 + ":" + two(whole % 60);
            assertEquals(want, Progress.duration(s), s + " s");
        }
    }

    private static String two(long v) {
        return (v < 10 ? "0" : "") + v;
    }

    @Test
    void nothingReadYetHasNoEtaAndNoFigureHasNoPercent() {
        AtomicLong now = new AtomicLong();
        Progress p = new Progress(now::get);
        now.set(2_000_000_000L);
        assertTrue(p.line(0, 10).startsWith("  0.0 %  ETA --:--  10 events"), p.line(0, 10));
        // a live capture: the line of today, events, events/s and time only
        assertEquals(String.format("%,d events  %,.0f events/s  %.1f s", 5000, 2500.0, 2.0), p.line(Progress.UNKNOWN, 5000));
        // a counter past the end is shown as the end
        assertTrue(p.line(1200, 10).startsWith("100.0 %  ETA 0:00"), p.line(1200, 10));
    }

    @Test
    void closingTheShownLineClearsIt() throws Exception {
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.PrintWriter err = new java.io.PrintWriter(text);
        AtomicLong events = new AtomicLong();
        try (Progress.Shown bar = Progress.show(err, () -> 500, events::get)) {
            events.set(42);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!text.toString().contains("42 events") && System.nanoTime() < deadline) Thread.sleep(20);
        }
        String out = text.toString();
        assertTrue(out.startsWith("\r 50.0 %  ETA "), out);
        assertTrue(out.endsWith("\r\u001b[K"), "the line is cleared at the end: " + out);
    }
}
