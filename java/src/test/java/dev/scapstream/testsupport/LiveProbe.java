package dev.scapstream.testsupport;

import dev.scapstream.capture.CaptureSource;
import dev.scapstream.capture.LiveOptions;
import org.junit.jupiter.api.Assumptions;

/** Live tests run only where the modern eBPF probe can load; elsewhere they skip, printing why. */
public final class LiveProbe {
    private LiveProbe() {}

    public static void requireModernBpf() {
        String why = CaptureSource.liveUnavailableReason(LiveOptions.Engine.MODERN_BPF);
        if (why != null) {
            System.out.println("SKIP live: " + why);
            Assumptions.abort(why);
        }
    }
}
