package dev.scapstream.chisel;

import java.util.List;

/**
 * A chisel that prints events: libsinsp's filter selects them, its formatter renders each line
 * (with I/O buffers as text where {@code payload} says so), as `events -p FORMAT FILTER` would.
 *
 * @param header    the line printed first (column names), or null
 * @param exitsOnly the filter lets enter events through and their lines are dropped here: a
 *                  write's exit has no fd of its own, and libsinsp names it only when its enter
 *                  passed the filter (one line per event: no payload)
 */
public record StreamChisel(String name, String category, String description, List<Arg> args, String filter,
                           String format, boolean payload, String header, boolean exitsOnly) implements Chisel {
    public StreamChisel {
        if (exitsOnly && payload) throw new IllegalArgumentException(name + ": exitsOnly needs one line per event");
    }

    /** The format as the formatter takes it (with the direction first when enters are dropped here). */
    public String nativeFormat() {
        return exitsOnly ? "%evt.dir " + format : format;
    }

    /** The lines to print of a batch of formatted lines. */
    public String shown(String lines) {
        if (!exitsOnly) return lines;
        StringBuilder b = new StringBuilder(lines.length());
        for (String l : lines.split("\n")) if (l.startsWith("< ")) b.append(l, 2, l.length()).append('\n');
        return b.toString();
    }
}
