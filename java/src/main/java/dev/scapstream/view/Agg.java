package dev.scapstream.view;

/** How a column folds the per-second rows of one key into the view's single row. */
public enum Agg {
    /** part of the row's key (equal in every folded row). */
    KEY,
    SUM,
    MAX,
    /** the value of the latest second (a gauge: memory now). */
    LAST,
    /** taken once per key from the key's metadata (names, args), not from the rows. */
    INFO
}
