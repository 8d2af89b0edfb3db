package dev.scapstream.view;

import java.util.function.BiFunction;

/**
 * One column of a view: its header (csysdig's where csysdig has one), unit, how it folds rows, and
 * how it reads a value from a per-second row (with the names of its process and container).
 * Values are Long for numbers and String for text. A hidden column is not shown in top's table:
 * a key part only (a process's start time tells two processes of one pid apart), or a name that a
 * chisel shows apart (a process's command name without its args).
 */
public record Column<R>(String header, Unit unit, Agg agg, boolean hidden, BiFunction<R, Names, Object> value) {
    public boolean numeric() {
        return unit != Unit.TEXT;
    }
}
