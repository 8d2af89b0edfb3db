package dev.scapstream.view;

import java.util.List;

/** A view evaluated over a scope: rows of values in the view's column order, sorted. */
public record Table(View<?> view, Scope scope, int sortColumn, List<Object[]> rows) {
    public List<? extends Column<?>> columns() {
        return view.columns();
    }
}
