package dev.scapstream.chisel;

import dev.scapstream.store.MetricsStore;
import dev.scapstream.view.Scope;
import dev.scapstream.view.Table;
import dev.scapstream.view.View;

import java.util.ArrayList;
import java.util.List;

/**
 * A table chisel read from a stored view: the view's folded rows over a scope, its value column
 * shown in sysdig's units, its key columns under sysdig's headers.
 *
 * @param valueColumn the view's column shown as the value (the table is sorted by it)
 * @param keys        the view's columns that make sysdig's key, in sysdig's order, with sysdig's titles
 * @param skipHost    the view's column whose value "host" drops a row (sysdig's container.name!=host), or null
 * @param zeros       whether rows of value 0 are shown (sysdig shows a process with procinfo events at 0.00%)
 * @param note        one line on how the numbers differ from sysdig's by design, or null
 */
public record ViewChisel(String name, String category, String description, View<?> view, String valueColumn,
                         String valueTitle, SysdigTable.Units units, List<Key> keys, String skipHost, boolean zeros,
                         int top, String note) implements Chisel {
    /** A view column and the title sysdig gives it. */
    public record Key(String column, String title) {}

    public ViewChisel {
        if (view.indexOf(valueColumn) < 0) throw new IllegalArgumentException(name + ": no column " + valueColumn);
        for (Key k : keys) if (view.indexOf(k.column()) < 0) throw new IllegalArgumentException(name + ": no column " + k.column());
    }

    @Override
    public List<Arg> args() {
        return List.of();
    }

    @Override
    public boolean runsOnStore() {
        return true;
    }

    public List<String> titles() {
        return keys.stream().map(Key::title).toList();
    }

    /** The rows sysdig would print, top first, at most {@code top}. */
    public List<SysdigTable.Row> rows(MetricsStore store, Scope scope) {
        int vi = view.indexOf(valueColumn);
        Table t = view.evaluate(store, scope, vi);
        int hi = skipHost == null ? -1 : view.indexOf(skipHost);
        List<SysdigTable.Row> out = new ArrayList<>();
        for (Object[] r : t.rows()) {
            long v = r[vi] instanceof Long l ? l : 0;
            if (v <= 0 && !zeros) continue;
            if (hi >= 0 && "host".equals(r[hi])) continue;
            List<String> ks = new ArrayList<>(keys.size());
            for (Key k : keys) {
                Object o = r[view.indexOf(k.column())];
                ks.add(Printable.of(o == null ? null : o.toString()));
            }
            out.add(new SysdigTable.Row(v, ks));
            if (top > 0 && out.size() >= top) break;
        }
        return out;
    }
}
