package dev.scapstream.view;

/** What a column's value is, so every front end (chisel, top, --json) renders it the same way. */
public enum Unit {
    /** a name, id or other string from the trace (untrusted: escape before showing). */
    TEXT,
    /** a plain count or an id number. */
    COUNT,
    BYTES,
    /** memory in kB, as /proc and the process rows hold it. */
    KB,
    /** CPU time in ns; shown as a percent of one CPU over the view's window. */
    CPU_NS,
    /** a duration in ns (latency). */
    NANOS,
    /** an epoch-ns timestamp; 0 = unknown (before the capture, or still running). */
    TIME_NS
}
