package dev.scapstream.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * A file of a recording as the shim reports it: its first and last event times (ns) and size,
 * and whether it is still being written, closed, or deleted by rotation.
 */
public record RecordedFile(String path, long firstNs, long lastNs, long bytes, State state) {
    public enum State { OPEN, CLOSED, GONE }

    /** Parses ss_record_poll's lines ("open|closed PATH FIRST LAST BYTES", "gone PATH", tab-separated). */
    static List<RecordedFile> parse(String text) {
        List<RecordedFile> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            String[] f = line.split("\t");
            switch (f[0]) {
                case "open", "closed" -> out.add(new RecordedFile(f[1], Long.parseUnsignedLong(f[2]),
                        Long.parseUnsignedLong(f[3]), Long.parseLong(f[4]),
                        f[0].equals("open") ? State.OPEN : State.CLOSED));
                case "gone" -> out.add(new RecordedFile(f[1], 0, 0, 0, State.GONE));
                default -> throw new IllegalStateException("unknown recording notice: " + line);
            }
        }
        return out;
    }
}
