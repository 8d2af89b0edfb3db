package dev.scapstream.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * A file of a recording as the shim reports it: its first and last event times (ns) and size,
 * and whether it is still being written, closed, or deleted by rotation (a deleted file is
 * reported with the times and size it was closed with).
 */
public record RecordedFile(String path, long firstNs, long lastNs, long bytes, State state) {
    public enum State { OPEN, CLOSED, GONE }

    /** Parses ss_record_poll's lines ("open|closed|gone PATH FIRST LAST BYTES", tab-separated). */
    static List<RecordedFile> parse(String text) {
        List<RecordedFile> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            String[] f = line.split("\t");
            switch (f[0]) {
                case "open", "closed", "gone" -> out.add(new RecordedFile(f[1], Long.parseUnsignedLong(f[2]),
                        Long.parseUnsignedLong(f[3]), Long.parseLong(f[4]), switch (f[0]) {
                            case "open" -> State.OPEN;
                            case "closed" -> State.CLOSED;
                            default -> State.GONE;
                        }));
                default -> throw new IllegalStateException("unknown recording notice: " + line);
            }
        }
        return out;
    }
}
