package dev.scapstream.chisel;

import java.util.List;

/**
 * A chisel that prints events: libsinsp's filter selects them, its formatter renders each line
 * (with I/O buffers as text where {@code payload} says so), as `events -p FORMAT FILTER` would.
 *
 * @param header the line printed first (column names), or null
 */
public record StreamChisel(String name, String category, String description, List<Arg> args, String filter,
                           String format, boolean payload, String header) implements Chisel {}
